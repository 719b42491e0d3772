using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Opportunities.Settings;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Api;

/// <summary>The quote rules (discount approval threshold, tax rate, currency, validity, terms): defaults, saving, limits.</summary>
[DatabaseTest]
public sealed class OpportunitySettingsApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Url = "/api/v1/settings/opportunities";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly OpportunitySettingsDto Valid = new(15m, 6m, "USD", 45, "Payment within 30 days of invoice.", 0);

    [Fact]
    public async Task SaveSettings_FromTheDefaults_StoresThemAndRefusesAStaleVersion()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var defaults = await rep.GetJsonAsync<OpportunitySettingsDto>(Url);
        var saved = await (await admin.PutAsJsonAsync(Url, Valid with { Version = defaults.Version }, Ct)).ExpectJsonAsync<OpportunitySettingsDto>();
        var stale = await admin.PutAsJsonAsync(Url, Valid with { QuoteValidDays = 60, Version = defaults.Version }, Ct);
        var again = await (await admin.PutAsJsonAsync(Url, Valid with { DefaultQuoteTerms = "  ", DiscountApprovalPercent = 12.5m, Version = saved.Version }, Ct))
            .ExpectJsonAsync<OpportunitySettingsDto>();

        Assert.Equal(new OpportunitySettingsDto(10m, 13m, "CNY", 30, null, 0), defaults);
        Assert.Equal(Valid with { Version = 1 }, saved);
        await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(Valid with { DefaultQuoteTerms = null, DiscountApprovalPercent = 12.5m, Version = 2 }, again);
        Assert.Equal(again, await rep.GetJsonAsync<OpportunitySettingsDto>(Url));
        await using var db = await app.SystemDbAsync();
        var stored = await OpportunityRules.LoadAsync(db, Ct);
        Assert.Equal((12.5m, 6m, "USD", 45), (stored.DiscountApprovalPercent, stored.DefaultTaxRatePercent, stored.DefaultCurrency, stored.QuoteValidDays));
        Assert.Equal(1, await db.OpportunitySettings.CountAsync(Ct));
    }

    public static TheoryData<string, OpportunitySettingsDto> Invalid() => new()
    {
        { "discountApprovalPercent", Valid with { DiscountApprovalPercent = -1m } },
        { "discountApprovalPercent", Valid with { DiscountApprovalPercent = 100.5m } },
        { "discountApprovalPercent", Valid with { DiscountApprovalPercent = 12.345m } },
        { "defaultTaxRatePercent", Valid with { DefaultTaxRatePercent = 101m } },
        { "defaultCurrency", Valid with { DefaultCurrency = "cny" } },
        { "defaultCurrency", Valid with { DefaultCurrency = "RMB" } },
        { "defaultCurrency", Valid with { DefaultCurrency = "CNYY" } },
        { "defaultCurrency", Valid with { DefaultCurrency = "" } },
        { "quoteValidDays", Valid with { QuoteValidDays = 0 } },
        { "quoteValidDays", Valid with { QuoteValidDays = 366 } },
        { "defaultQuoteTerms", Valid with { DefaultQuoteTerms = new string('条', OpportunitySettingsValidator.MaxTermsLength + 1) } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task SaveSettings_OutOfLimits_Returns400NamingTheField(string field, OpportunitySettingsDto settings)
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var before = await admin.GetJsonAsync<OpportunitySettingsDto>(Url);

        var response = await admin.PutAsJsonAsync(Url, settings with { Version = before.Version }, Ct);

        await response.ExpectFieldErrorAsync(field);
        Assert.Equal(before, await admin.GetJsonAsync<OpportunitySettingsDto>(Url));
    }
}
