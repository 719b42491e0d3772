using FluentValidation;
using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.FollowUps.Settings;

/// <summary>The company's customer rules as the API and the settings page show them; version 0 = never saved (defaults).</summary>
public sealed record CustomerSettingsDto(
    int CadenceDaysA,
    int CadenceDaysB,
    int CadenceDaysC,
    int LateRecordMinutes,
    int NeedsConfirmHours,
    int PoolNoFollowUpDays,
    int PoolNoWonDealDays,
    int ClaimLimit,
    int Version)
{
    public static CustomerSettingsDto From(CustomerSettings s) => new(s.CadenceDaysA, s.CadenceDaysB, s.CadenceDaysC, s.LateRecordMinutes,
        s.NeedsConfirmHours, s.PoolNoFollowUpDays, s.PoolNoWonDealDays, s.ClaimLimit, s.Version);
}

/// <summary>What a save did: the rules as saved, and how many owned customers got a new follow-up due date.</summary>
public sealed record CustomerSettingsSaved(CustomerSettingsDto Settings, int RecomputedCustomers);

/// <summary>The limits of the customer rules (error codes name the page's messages, resources "Validation.{code}").</summary>
public sealed class CustomerSettingsValidator : AbstractValidator<CustomerSettingsDto>
{
    public CustomerSettingsValidator()
    {
        Between(x => x.CadenceDaysA, 1, 60);
        Between(x => x.CadenceDaysB, 1, 60);
        Between(x => x.CadenceDaysC, 1, 60);
        Between(x => x.LateRecordMinutes, 1, 7 * 24 * 60);
        Between(x => x.NeedsConfirmHours, 1, 30 * 24);
        Between(x => x.PoolNoFollowUpDays, 1, 3650);
        Between(x => x.PoolNoWonDealDays, 1, 3650);
        RuleFor(x => x.ClaimLimit).InclusiveBetween(0, 100_000).WithErrorCode("NotNegative")
            .WithMessage("'{PropertyName}' must be zero or more.");
    }

    private void Between(System.Linq.Expressions.Expression<Func<CustomerSettingsDto, int>> field, int min, int max) =>
        RuleFor(field).GreaterThanOrEqualTo(min).WithErrorCode("Positive").WithMessage("'{PropertyName}' must be more than 0.")
            .LessThanOrEqualTo(max).WithErrorCode("AtMost").WithMessage("'{PropertyName}' must be at most {ComparisonValue}.");
}

/// <summary>
/// The customer rules an Admin edits: cadence days by grade, the late-record window, the needs-analysis confirmation
/// window and the company's default pool rules. A new cadence applies at once: every owned customer's follow-up due
/// date is recomputed in the same transaction.
/// </summary>
public sealed class CustomerSettingsHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    private const int Batch = 500;
    private static readonly CustomerSettingsValidator Validator = new();

    public async Task<CustomerSettingsDto> GetAsync(CurrentUser user, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return CustomerSettingsDto.From(await db.CustomerSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new CustomerSettings());
    }

    public async Task<CustomerSettingsSaved> UpdateAsync(CurrentUser user, CustomerSettingsDto request, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsManage);
        await Validator.ValidateAndThrowAsync(request, ct);
        // The rules are not scoped; the recomputation below covers every owned customer, seen or not by anyone in
        // particular, so the context sees all customers. The history still names the Admin who saved.
        await using var db = (await dbFactory.CreateDbContextAsync(ct)).WithScope(DataScope.System, user.Id);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var settings = await db.CustomerSettings.FirstOrDefaultAsync(ct);
        Versioning.EnsureVersion(settings?.Version ?? 0, version);
        if (settings is null)
        {
            settings = new CustomerSettings();
            db.CustomerSettings.Add(settings);
        }

        var cadenceChanged = settings.CadenceDaysA != request.CadenceDaysA || settings.CadenceDaysB != request.CadenceDaysB
            || settings.CadenceDaysC != request.CadenceDaysC;
        settings.CadenceDaysA = request.CadenceDaysA;
        settings.CadenceDaysB = request.CadenceDaysB;
        settings.CadenceDaysC = request.CadenceDaysC;
        settings.LateRecordMinutes = request.LateRecordMinutes;
        settings.NeedsConfirmHours = request.NeedsConfirmHours;
        settings.PoolNoFollowUpDays = request.PoolNoFollowUpDays;
        settings.PoolNoWonDealDays = request.PoolNoWonDealDays;
        settings.ClaimLimit = request.ClaimLimit;
        await db.SaveChangesAsync(ct);

        var recomputed = cadenceChanged ? await RecomputeDueDatesAsync(db, ct) : 0;
        await transaction.CommitAsync(ct);
        return new CustomerSettingsSaved(CustomerSettingsDto.From(settings), recomputed);
    }

    /// <summary>
    /// Every owned customer's follow-up due date under the rules now saved, in batches; answers how many changed
    /// (<paramref name="db"/> must see every customer).
    /// </summary>
    internal static async Task<int> RecomputeDueDatesAsync(AppDbContext db, CancellationToken ct)
    {
        var rules = await CustomerRulebook.LoadAsync(db, ct);
        var changed = 0;
        Guid? after = null;
        while (true)
        {
            var batch = await db.Customers.AsNoTracking()
                .Where(c => c.OwnerId != null && (after == null || c.Id.CompareTo(after.Value) > 0))
                .OrderBy(c => c.Id)
                .Select(c => new { c.Id, c.Grade, c.OwnerId, c.LastFollowUpAt, c.OwnedSince, c.FollowUpDueAt })
                .Take(Batch)
                .ToListAsync(ct);
            if (batch.Count == 0)
            {
                return changed;
            }

            after = batch[^1].Id;
            // A derived date, not an edit: written without a new version or a history row, grouped by value.
            foreach (var group in batch
                         .Select(c => (c.Id, c.FollowUpDueAt, Due: CustomerRules.FollowUpDueAt(c.Grade, c.OwnerId, c.LastFollowUpAt, c.OwnedSince, rules)))
                         .Where(c => c.Due != c.FollowUpDueAt)
                         .GroupBy(c => c.Due))
            {
                var ids = group.Select(c => c.Id).ToList();
                var due = group.Key;
                changed += await db.Customers.Where(c => ids.Contains(c.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.FollowUpDueAt, due), ct);
            }
        }
    }
}

public static class CustomerSettingsEndpoints
{
    /// <summary>The customer rules under /api/v1/settings/customers.</summary>
    public static void MapCustomerSettings(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings/customers").WithTags("Customer rules");
        group.MapGet("/", async (CurrentUser user, CustomerSettingsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.GetAsync(user, ct)))
            .RequireAuthorization(Permissions.SettingsRead)
            .WithName("GetCustomerSettings")
            .WithSummary("Follow-up cadence in working days by grade (A/B/C), late-record minutes, needs-confirmation hours, default pool " +
                "rules and claim limit; version 0 = the defaults, never saved.");
        group.MapPut("/", async (CustomerSettingsDto request, CurrentUser user, CustomerSettingsHandler handler, HttpContext http,
                CancellationToken ct) =>
                TypedResults.Ok(await handler.UpdateAsync(user, request, VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.SettingsManage)
            .WithName("UpdateCustomerSettings")
            .WithSummary("Save the customer rules (send the version you read, 0 for the first save); a new cadence recomputes every owned " +
                "customer's follow-up due date at once (recomputedCustomers says how many changed).");
    }
}
