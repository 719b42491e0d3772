using FluentValidation;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Contracts.Settings;

/// <summary>The contract rules as the API and the settings page show them; version 0 = never saved (the defaults).</summary>
public sealed record ContractSettingsDto(
    string NumberPattern,
    int ArchiveWithinDays,
    int SatisfactionVisitDays,
    int RepeatNeedDays,
    int OverdueReminderDays,
    int Version)
{
    public static ContractSettingsDto From(ContractSettings s) =>
        new(s.NumberPattern, s.ArchiveWithinDays, s.SatisfactionVisitDays, s.RepeatNeedDays, s.OverdueReminderDays, s.Version);
}

/// <summary>A pattern that can number contracts ({seq:N} once), and 1–365 days for every period.</summary>
public sealed class ContractSettingsValidator : AbstractValidator<ContractSettingsDto>
{
    public ContractSettingsValidator()
    {
        RuleFor(x => x.NumberPattern).Must(p => ContractNumbering.Problem(p) is null).WithErrorCode("NumberPattern")
            .WithMessage(x => ContractNumbering.Problem(x.NumberPattern) ?? "");
        Days(x => x.ArchiveWithinDays);
        Days(x => x.SatisfactionVisitDays);
        Days(x => x.RepeatNeedDays);
        Days(x => x.OverdueReminderDays);
    }

    private void Days(System.Linq.Expressions.Expression<Func<ContractSettingsDto, int>> field) =>
        RuleFor(field).InclusiveBetween(1, 365).WithErrorCode("Days1To365").WithMessage("'{PropertyName}' must be between 1 and 365 days.");
}

/// <summary>The contract rules an Admin edits: number pattern, archive deadline, follow-up task periods, overdue reminder interval.</summary>
public sealed class ContractSettingsHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    private static readonly ContractSettingsValidator Validator = new();

    public async Task<ContractSettingsDto> GetAsync(CurrentUser user, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return ContractSettingsDto.From(await ContractStore.SettingsAsync(db, ct));
    }

    public async Task<ContractSettingsDto> UpdateAsync(CurrentUser user, ContractSettingsDto request, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsManage);
        request = request with { NumberPattern = request.NumberPattern?.Trim() ?? "" };
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var settings = await db.ContractSettings.FirstOrDefaultAsync(ct);
        Versioning.EnsureVersion(settings?.Version ?? 0, version);
        if (settings is null)
        {
            settings = new ContractSettings();
            db.ContractSettings.Add(settings);
        }

        settings.NumberPattern = request.NumberPattern;
        settings.ArchiveWithinDays = request.ArchiveWithinDays;
        settings.SatisfactionVisitDays = request.SatisfactionVisitDays;
        settings.RepeatNeedDays = request.RepeatNeedDays;
        settings.OverdueReminderDays = request.OverdueReminderDays;
        await db.SaveChangesAsync(ct);
        return ContractSettingsDto.From(settings);
    }
}

public static class ContractSettingsEndpoints
{
    /// <summary>The contract rules under /api/v1/settings/contracts.</summary>
    public static void MapContractSettings(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings/contracts").WithTags("Contract rules");
        group.MapGet("/", async (CurrentUser user, ContractSettingsHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.GetAsync(user, ct)))
            .RequireAuthorization(Permissions.SettingsRead)
            .WithName("GetContractSettings")
            .WithSummary("The contract rules: number pattern ({yyyy}, {yy}, {MM}, {seq:N}), days to archive a won deal's signed contract, days to the " +
                "satisfaction visit and the repeat-need follow-up after signing, days between overdue reminders; version 0 = the defaults.");
        group.MapPut("/", async (ContractSettingsDto request, CurrentUser user, ContractSettingsHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.UpdateAsync(user, request, VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.SettingsManage)
            .WithName("UpdateContractSettings")
            .WithSummary("Save the contract rules (Admin; send the version you read, 0 for the first save). The pattern holds {seq} or {seq:N} " +
                "exactly once; every period is 1–365 days.");
    }
}
