using System.Security.Claims;
using Bunit;
using LeadToCash.Components.Pages.Settings;
using LeadToCash.Modules.Leads.Settings;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Components;

/// <summary>The lead rules page over the demo database: the live example, validation, saving, who may change what.</summary>
public sealed class LeadSettingsPageTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    [Fact]
    public async Task LeadRules_AdminChangesTheAThreshold_TheSampleGradeFollowsBeforeSaving()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Admin);
        this.RenderProviders();

        var page = Render<LeadSettingsPage>();

        page.WaitForElement("[data-testid=lead-rules-sample-grade]", Wait);
        // The sample (target industry, ¥200,000, within 2 months) meets three criteria: 75 points, an A from 75.
        await page.InvokeAsync(() => page.Find("input[data-testid=lead-rules-threshold-a]").Change("75"));
        page.WaitForAssertion(() => Assert.Contains("A · high intent", page.Find("[data-testid=lead-rules-sample-grade]").TextContent, StringComparison.Ordinal), Wait);
        await page.InvokeAsync(() => page.Find("input[data-testid=lead-rules-threshold-a]").Change("80"));
        page.WaitForAssertion(() => Assert.Contains("B · medium intent", page.Find("[data-testid=lead-rules-sample-grade]").TextContent, StringComparison.Ordinal), Wait);
        Assert.NotNull(page.Find("[data-testid=lead-rules-reset]"));
    }

    [Fact]
    public async Task LeadRules_AdminSavesAnInvalidThenAValidChange_ShowsTheRuleInChineseThenSaves()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        var admin = await SignInAsync(DemoUsers.Admin);
        this.RenderProviders();
        var page = Render<LeadSettingsPage>();
        page.WaitForElement("[data-testid=lead-rules-save]", Wait);

        await page.InvokeAsync(() => page.Find("input[data-testid=lead-rules-threshold-a]").Change("40"));
        page.WaitForElement("[data-testid=lead-rules-sample-invalid]", Wait);
        await page.InvokeAsync(() => page.Find("button[data-testid=lead-rules-save]").Click());

        page.WaitForAssertion(() => Assert.Contains("A 级最低分必须高于 B 级最低分", page.Markup, StringComparison.Ordinal), Wait);
        var handler = Services.GetRequiredService<LeadSettingsHandler>();
        Assert.Equal(0, (await handler.GetAsync(admin, Ct)).Version);

        await page.InvokeAsync(() => page.Find("input[data-testid=lead-rules-threshold-a]").Change("85"));
        await page.InvokeAsync(() => page.Find("input[data-testid=lead-rules-claim-limit]").Change("12"));
        await page.InvokeAsync(() => page.Find("button[data-testid=lead-rules-save]").Click());

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=lead-rules-reset]")), Wait);
        var saved = await handler.GetAsync(admin, Ct);
        Assert.Equal(1, saved.Version);
        Assert.Equal(85, saved.GradeAThreshold);
        Assert.Equal(12, saved.ClaimLimit);
    }

    [Fact]
    public async Task LeadRules_Manager_ReadsTheRulesAndSwitchesOwnRepsOnly()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Manager);
        this.RenderProviders();

        var page = Render<LeadSettingsPage>();

        page.WaitForElement("[data-testid=lead-rules-reps]", Wait);
        Assert.NotNull(page.Find("[data-testid=lead-rules-readonly]"));
        Assert.Empty(page.FindAll("[data-testid=lead-rules-save]"));
        Assert.Empty(page.FindAll("[data-testid=lead-rules-teams]"));
        var names = page.FindAll("[data-testid=lead-rules-rep-name]").Select(e => e.TextContent.Trim()).ToList();
        Assert.Contains("刘洋", names);
        Assert.DoesNotContain("何芸", names);

        var row = page.FindAll("[data-testid=lead-rules-reps] tbody tr").Single(r => r.TextContent.Contains("刘洋", StringComparison.Ordinal));
        row.QuerySelector("input[type=checkbox]")!.Change(false);

        await using var db = await app.SystemDbAsync();
        page.WaitForAssertion(() => Assert.True(db.Users.AsNoTracking().Single(u => u.DisplayName == "刘洋").UnavailableForLeads), Wait);
    }

    private async Task<CurrentUser> SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        Services.AddLeadSettings();
        await using var db = await Database.CreateDbContextAsync(Ct);
        var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
        this.SignIn(id, email);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id.ToString())], "test"));
        return (await new CurrentUserResolver(Database).ResolveAsync(principal, Ct))!;
    }
}
