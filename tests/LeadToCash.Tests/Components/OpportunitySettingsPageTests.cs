using Bunit;
using LeadToCash.Components.Pages.Settings;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Opportunities.Settings;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Components;

/// <summary>The quote rules page: the Admin edits and saves; everyone else reads.</summary>
public sealed class OpportunitySettingsPageTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private async Task SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        Services.AddOpportunitySettings();
        this.SignIn(await TestLeads.UserIdAsync(app, email), email);
    }

    [Fact]
    public async Task Page_Admin_ChangesTheDiscountThresholdAndSaves()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Admin);
        this.RenderProviders();
        var page = Render<OpportunitySettingsPage>();
        page.WaitForElement("[data-testid=opp-settings-form]", TimeSpan.FromSeconds(10));

        Assert.Empty(page.FindAll("[data-testid=opp-settings-readonly]"));
        await page.Find("input[data-testid=opp-settings-discount]").ChangeAsync(new() { Value = "8" });
        await page.Find("input[data-testid=opp-settings-valid-days]").ChangeAsync(new() { Value = "20" });
        page.WaitForElement("[data-testid=opp-settings-save]:not([disabled])", TimeSpan.FromSeconds(10));
        await page.Find("[data-testid=opp-settings-save]").ClickAsync(new());

        await page.WaitForAssertionAsync(async () =>
        {
            await using var db = await app.SystemDbAsync();
            var stored = await OpportunityRules.LoadAsync(db, Ct);
            Assert.Equal((8m, 20), (stored.DiscountApprovalPercent, stored.QuoteValidDays));
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Page_Rep_ReadsTheRulesInChineseWithoutSaving()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        await SignInAsync(DemoUsers.Rep);
        this.RenderProviders();

        var page = Render<OpportunitySettingsPage>();
        page.WaitForElement("[data-testid=opp-settings-form]", TimeSpan.FromSeconds(10));

        Assert.Contains("只有管理员", page.Find("[data-testid=opp-settings-readonly]").TextContent, StringComparison.Ordinal);
        Assert.Contains("报价规则", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=opp-settings-save]"));
    }
}
