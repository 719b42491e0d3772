using Bunit;
using LeadToCash.Components.Pages.Approvals;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Quotes;
using LeadToCash.Platform.Approvals;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Components;

/// <summary>The approval flows page (Admin) and the delegation panel of the approvals inbox.</summary>
public sealed class ApprovalFlowPagesTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private async Task SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        Services.AddQuotes();
        this.SignIn(await TestLeads.UserIdAsync(app, email), email);
    }

    [Fact]
    public async Task FlowsPage_Admin_CreatesAFlowThatIsListedWithItsSteps()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Admin);
        this.RenderProviders();
        var page = Render<ApprovalFlowsPage>();
        page.WaitForElement("[data-testid=flow-new]", TimeSpan.FromSeconds(20));

        await page.Find("[data-testid=flow-new]").ClickAsync(new());
        await page.Find("input[data-testid=flow-name]").InputAsync(new() { Value = "Standard quotes" });
        await page.Find("[data-testid=flow-add-step]").ClickAsync(new());
        await page.Find("[data-testid=flow-save]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=flow-card]"), c => c.TextContent.Contains("Standard quotes", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(20));
        var card = page.FindAll("[data-testid=flow-card]").Single(c => c.TextContent.Contains("Standard quotes", StringComparison.Ordinal));
        Assert.Equal("Their manager → Their manager", card.QuerySelector("[data-testid=flow-steps]")!.TextContent.Trim());
        // The demo company's contract flows are listed too, with their amount conditions and role steps.
        Assert.Contains(page.FindAll("[data-testid=flow-steps]"), s => s.TextContent.Contains("anyone in Finance", StringComparison.Ordinal));
        await using var db = await app.SystemDbAsync();
        var flow = await db.ApprovalFlows.SingleAsync(f => f.Name == "Standard quotes", Ct);
        Assert.Equal((Contract.RecordType, 2), (flow.DocumentType, await db.ApprovalFlowSteps.CountAsync(s => s.FlowId == flow.Id, Ct)));
    }

    [Fact]
    public async Task FlowsPage_Manager_IsNotAllowed()
    {
        await SignInAsync(DemoUsers.Manager);
        var me = await ResolveAsync(DemoUsers.Manager);

        Assert.False(me.Has(Permissions.ApprovalFlowsManage));
        await Assert.ThrowsAsync<Platform.Errors.ForbiddenException>(() => Services.GetRequiredService<ApprovalFlowsHandler>().ListAsync(me, null, Ct));
    }

    [Fact]
    public async Task DelegationPanel_ActiveDelegation_ShowsTheColleagueInChineseAndEndsIt()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        await SignInAsync(DemoUsers.Manager);
        var me = await ResolveAsync(DemoUsers.Manager);
        await Services.GetRequiredService<ApprovalDelegationsHandler>().CreateAsync(me,
            new DelegationRequest(await TestLeads.UserIdAsync(app, DemoUsers.Director), app.Clock.GetUtcNow().UtcDateTime.AddDays(2), Reason: "休假"), Ct);
        this.RenderProviders();

        var panel = Render<ApprovalDelegationPanel>();
        panel.WaitForElement("[data-testid=delegation]", TimeSpan.FromSeconds(20));

        Assert.Contains("由 王立华 代为审批", panel.Find("[data-testid=delegation]").TextContent, StringComparison.Ordinal);
        await panel.Find("[data-testid=delegation-end]").ClickAsync(new());
        panel.WaitForElement("[data-testid=delegation-start]", TimeSpan.FromSeconds(20));
        Assert.Empty(await Services.GetRequiredService<ApprovalDelegationsHandler>().ListAsync(me, Ct));
    }

    private async Task<CurrentUser> ResolveAsync(string email)
    {
        var id = await TestLeads.UserIdAsync(app, email);
        var principal = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, id.ToString())], "test"));
        return (await new CurrentUserResolver(Database).ResolveAsync(principal, Ct))!;
    }
}
