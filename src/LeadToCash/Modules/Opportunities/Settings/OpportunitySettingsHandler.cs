using FluentValidation;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Money;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Opportunities.Settings;

/// <summary>The quote rules as the API and the settings page show them; version 0 = never saved (the defaults).</summary>
public sealed record OpportunitySettingsDto(
    decimal DiscountApprovalPercent,
    decimal DefaultTaxRatePercent,
    string DefaultCurrency,
    int QuoteValidDays,
    string? DefaultQuoteTerms,
    int Version)
{
    public static OpportunitySettingsDto From(OpportunitySettings s) =>
        new(s.DiscountApprovalPercent, s.DefaultTaxRatePercent, s.DefaultCurrency, s.QuoteValidDays, s.DefaultQuoteTerms, s.Version);
}

/// <summary>
/// The limits of the quote rules: percentages 0–100 with at most two decimals, a currency the app can compute in (three
/// capital letters, e.g. CNY), a validity of 1–365 days.
/// </summary>
public sealed class OpportunitySettingsValidator : AbstractValidator<OpportunitySettingsDto>
{
    public const int MaxTermsLength = 4000;

    public OpportunitySettingsValidator()
    {
        Percent(x => x.DiscountApprovalPercent);
        Percent(x => x.DefaultTaxRatePercent);
        RuleFor(x => x.DefaultCurrency).Must(c => c is not null && Money.KnownCurrencies.Contains(c)).WithErrorCode("CurrencyCode")
            .WithMessage($"'{{PropertyName}}' must be a three-letter currency code the app computes in: {string.Join(", ", Money.KnownCurrencies)}.");
        RuleFor(x => x.QuoteValidDays).InclusiveBetween(1, 365).WithErrorCode("QuoteValidDays")
            .WithMessage("'{PropertyName}' must be between 1 and 365 days.");
        RuleFor(x => x.DefaultQuoteTerms).MaximumLength(MaxTermsLength);
    }

    private void Percent(System.Linq.Expressions.Expression<Func<OpportunitySettingsDto, decimal>> field) =>
        RuleFor(field).InclusiveBetween(0m, 100m).WithErrorCode("Range0To100").WithMessage("'{PropertyName}' must be between 0 and 100.")
            .PrecisionScale(5, 2, ignoreTrailingZeros: true).WithErrorCode("PercentDecimals")
            .WithMessage("'{PropertyName}' may have at most two decimals.");
}

/// <summary>The quote rules an Admin edits (discount approval threshold, default tax rate, currency, validity, terms).</summary>
public sealed class OpportunitySettingsHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    private static readonly OpportunitySettingsValidator Validator = new();

    public async Task<OpportunitySettingsDto> GetAsync(CurrentUser user, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return OpportunitySettingsDto.From(await OpportunityRules.LoadAsync(db, ct));
    }

    public async Task<OpportunitySettingsDto> UpdateAsync(CurrentUser user, OpportunitySettingsDto request, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.SettingsManage);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var settings = await db.OpportunitySettings.FirstOrDefaultAsync(ct);
        Versioning.EnsureVersion(settings?.Version ?? 0, version);
        if (settings is null)
        {
            settings = new OpportunitySettings();
            db.OpportunitySettings.Add(settings);
        }

        settings.DiscountApprovalPercent = request.DiscountApprovalPercent;
        settings.DefaultTaxRatePercent = request.DefaultTaxRatePercent;
        settings.DefaultCurrency = request.DefaultCurrency;
        settings.QuoteValidDays = request.QuoteValidDays;
        settings.DefaultQuoteTerms = string.IsNullOrWhiteSpace(request.DefaultQuoteTerms) ? null : request.DefaultQuoteTerms.Trim();
        await db.SaveChangesAsync(ct);
        return OpportunitySettingsDto.From(settings);
    }
}

public static class OpportunitySettingsModule
{
    public static IServiceCollection AddOpportunitySettings(this IServiceCollection services) => services.AddScoped<OpportunitySettingsHandler>();

    /// <summary>The quote rules under /api/v1/settings/opportunities.</summary>
    public static void MapOpportunitySettings(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings/opportunities").WithTags("Quote rules");
        group.MapGet("/", async (CurrentUser user, OpportunitySettingsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.GetAsync(user, ct)))
            .RequireAuthorization(Permissions.SettingsRead)
            .WithName("GetOpportunitySettings")
            .WithSummary("The quote rules: discount % above which a quote needs approval, default tax rate %, default currency, quote " +
                "validity in days, default terms; version 0 = the defaults, never saved.");
        group.MapPut("/", async (OpportunitySettingsDto request, CurrentUser user, OpportunitySettingsHandler handler, HttpContext http,
                CancellationToken ct) =>
                TypedResults.Ok(await handler.UpdateAsync(user, request, VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.SettingsManage)
            .WithName("UpdateOpportunitySettings")
            .WithSummary("Save the quote rules (Admin; send the version you read, 0 for the first save). Percentages 0–100 with at most " +
                "two decimals, a known three-letter currency, 1–365 days.");
    }
}
