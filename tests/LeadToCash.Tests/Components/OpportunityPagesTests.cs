using System.Net.Http.Json;
using Bunit;
using LeadToCash.Components.Pages.Opportunities;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Opportunities.Negotiations;
using LeadToCash.Modules.Opportunities.Playbook;
using LeadToCash.Modules.Products;
using LeadToCash.Modules.Quotes;
using LeadToCash.Modules.Workspace;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Components;

/// <summary>
/// The stage gates as the pages apply them: the opportunity page's move refused with the missing list in a dialog, the
/// manager's override with a reason, and the list's bulk move naming the refused deals. Arranged through the API.
/// </summary>
public sealed class OpportunityPagesTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private IRenderedComponent<ContainerFragment> _providers = default!;

    private async Task SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        Services.AddWorkspace();
        // The opportunity page also shows the deal's quotes, negotiation minutes and the stage playbook.
        Services.AddProducts();
        Services.AddQuotes();
        Services.AddNegotiations();
        Services.AddPlaybook();
        this.SignIn(await TestLeads.UserIdAsync(app, email), email);
        _providers = this.RenderProviders();
    }

    private IRenderedComponent<OpportunityPage> RenderPage(Guid id)
    {
        var page = Render<OpportunityPage>(p => p.Add(x => x.Id, id));
        page.WaitForElement("[data-testid=opp-stage-bar]", TimeSpan.FromSeconds(10));
        return page;
    }

    [Fact]
    public async Task MoveNext_DeliverableMissing_ShowsWhatIsMissingWithoutOverrideAndMovesNothing()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Rep);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var opportunity = await TestOpportunities.CreateWithCustomerAsync(rep, "界面拦截商机");
        var page = RenderPage(opportunity.Id);
        Assert.Equal("Move to Proposal", page.Find("[data-testid=opp-move-next]").TextContent.Trim());
        Assert.Equal("false", page.Find("[data-testid=opp-checklist-item][data-code='deliverable:needs-analysis-confirmed']").GetAttribute("data-met"));

        await page.InvokeAsync(() => page.Find("[data-testid=opp-move-next]").Click());

        _providers.WaitForElement("[data-testid=gate-dialog]", TimeSpan.FromSeconds(10));
        Assert.Equal(["A needs analysis confirmed by the customer", "A decision maker among the contacts", "The amount filled in",
            "The expected close date filled in"], _providers.FindAll("[data-testid=gate-missing-item]").Select(i => i.TextContent.Trim()));
        Assert.Contains("To leave Needs analysis", _providers.Markup, StringComparison.Ordinal);
        Assert.Empty(_providers.FindAll("[data-testid=gate-override]"));
        await _providers.InvokeAsync(() => _providers.Find("[data-testid=gate-close]").Click());
        page.WaitForAssertion(() => Assert.Contains("Needs analysis", page.Find("[data-testid=opp-stage]").TextContent, StringComparison.Ordinal));
        Assert.Single(await TestOpportunities.HistoryRowsAsync(app, opportunity.Id));
    }

    [Fact]
    public async Task MoveNext_ManagerOverridesWithAReason_MovesAndTheHistoryShowsTheReasonAndWhatWasMissing()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Manager);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var opportunity = await TestOpportunities.CreateWithCustomerAsync(rep, "界面越级商机");
        app.Clock.Advance(TimeSpan.FromMinutes(1)); // the override is the last stage entry, whatever the record ids
        var page = RenderPage(opportunity.Id);

        await page.InvokeAsync(() => page.Find("[data-testid=opp-move-next]").Click());
        _providers.WaitForElement("[data-testid=gate-override]", TimeSpan.FromSeconds(10));
        Assert.True(_providers.Find("[data-testid=gate-override]").HasAttribute("disabled")); // a reason first
        await _providers.InvokeAsync(() => _providers.Find("textarea[data-testid=gate-override-reason]").Input("客户总经理已口头确认"));
        _providers.WaitForAssertion(() => Assert.False(_providers.Find("[data-testid=gate-override]").HasAttribute("disabled")));
        await _providers.InvokeAsync(() => _providers.Find("[data-testid=gate-override]").Click());

        page.WaitForAssertion(() => Assert.Contains("Proposal", page.Find("[data-testid=opp-stage]").TextContent, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
        page.WaitForAssertion(() => Assert.Contains("Reason: 客户总经理已口头确认", page.Find("[data-testid=opp-history-override]").TextContent, StringComparison.Ordinal));
        var last = (await TestOpportunities.HistoryRowsAsync(app, opportunity.Id))[^1];
        Assert.Equal((StageEntryKind.Override, "客户总经理已口头确认"), (last.Kind, last.OverrideReason));
        Assert.Contains("deliverable:needs-analysis-confirmed", last.MissingRequirements, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TickChecklistItem_OnTheCurrentStage_IsRecordedAndShownMet()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Rep);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var stages = await TestOpportunities.StagesAsync(app);
        var opportunity = await TestOpportunities.CreateWithCustomerAsync(rep, "界面勾选商机");
        await (await manager.PostAsJsonAsync($"/api/v1/opportunities/{opportunity.Id}/override",
            new Modules.Opportunities.StageMoves.OverrideStageRequest(stages.Proposal, "先到方案阶段", opportunity.Version),
            Xunit.TestContext.Current.CancellationToken)).ExpectAsync(System.Net.HttpStatusCode.OK);
        var page = RenderPage(opportunity.Id);
        var item = stages.Checklist(stages.Proposal);

        await page.InvokeAsync(() => page.Find($"[data-testid=opp-checklist-item][data-code='checklist:{item.Id}'] input[type=checkbox]").Change(true));

        page.WaitForAssertion(() => Assert.Equal("true",
            page.Find($"[data-testid=opp-checklist-item][data-code='checklist:{item.Id}']").GetAttribute("data-met")));
        await using var db = await app.SystemDbAsync();
        Assert.True(await db.ChecklistTicks.AnyAsync(t => t.OpportunityId == opportunity.Id && t.RequirementId == item.Id, Xunit.TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task BulkMove_FromTheList_MovesTheReadyOneAndNamesTheRefusedOneWithWhatIsMissing()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Rep);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var stages = await TestOpportunities.StagesAsync(app);
        var customer = await TestCustomers.CreateAsync(rep, "列表批量推进客户");
        var ready = await TestOpportunities.MeetNeedsGateAsync(rep, app, await TestOpportunities.CreateAsync(rep, customer.Id, "批量推进就绪商机"));
        var blocked = await TestOpportunities.CreateAsync(rep, customer.Id, "批量推进缺项商机");
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/opportunities?customerId={customer.Id}");
        var page = Render<OpportunityList>();
        page.WaitForElement("[data-testid=opp-table]", TimeSpan.FromSeconds(10));
        foreach (var row in page.FindAll("[data-testid=opp-table] tbody tr"))
        {
            await page.InvokeAsync(() => row.QuerySelector("input[type=checkbox]")!.Change(true));
        }

        page.WaitForAssertion(() => Assert.Equal("2 selected", page.Find("[data-testid=opp-selected-count]").TextContent));
        await page.InvokeAsync(() => page.Find("[data-testid=opp-bulk-move]").Click());
        _providers.WaitForElement("[data-testid=opp-bulk-dialog]", TimeSpan.FromSeconds(10));
        _providers.WaitForAssertion(() => Assert.NotEmpty(_providers.FindComponents<MudBlazor.MudSelect<Guid?>>()), TimeSpan.FromSeconds(10));
        await _providers.InvokeAsync(() => _providers.FindComponent<MudBlazor.MudSelect<Guid?>>().Instance.SelectOption((Guid?)stages.Proposal));
        _providers.WaitForAssertion(() => Assert.False(_providers.Find("[data-testid=opp-bulk-confirm]").HasAttribute("disabled")));
        Assert.Empty(_providers.FindAll("[data-testid=opp-bulk-override]")); // a rep has no override
        await _providers.InvokeAsync(() => _providers.Find("[data-testid=opp-bulk-confirm]").Click());

        page.WaitForElement("[data-testid=opp-bulk-result]", TimeSpan.FromSeconds(10));
        Assert.Equal("1 moved, 1 refused.", page.Find("[data-testid=opp-bulk-summary]").TextContent);
        var refused = Assert.Single(page.FindAll("[data-testid=opp-bulk-refused-item]"));
        // The customer's confirmed analysis counts for both deals; the blocked one still lacks its contacts, amount and date.
        Assert.Equal("批量推进缺项商机: missing A decision maker among the contacts; The amount filled in; The expected close date filled in",
            System.Text.RegularExpressions.Regex.Replace(refused.TextContent.Trim(), @"\s+", " "));
        await using var db = await app.SystemDbAsync();
        var after = await db.Opportunities.AsNoTracking().Where(o => o.CustomerId == customer.Id).ToDictionaryAsync(o => o.Id, o => o.StageId, Xunit.TestContext.Current.CancellationToken);
        Assert.Equal(stages.Proposal, after[ready.Id]);
        Assert.Equal(stages.Needs, after[blocked.Id]);
    }

    [Fact]
    public async Task Board_DropRefusedByTheGate_ShowsTheMissingListAndTheManagersOverrideMovesTheCard()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Manager);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var stages = await TestOpportunities.StagesAsync(app);
        var opportunity = await TestOpportunities.CreateWithCustomerAsync(rep, "看板拖动商机", new(Guid.Empty, "x", 9_876_543_21));
        app.Clock.Advance(TimeSpan.FromMinutes(1)); // the override is the last stage entry, whatever the record ids
        var board = Render<OpportunityBoard>();
        board.WaitForElement($"[data-testid=board-card][data-id='{opportunity.Id}']", TimeSpan.FromSeconds(10));
        string ColumnOf(Guid id) => board.FindAll("[data-testid=board-column]")
            .Single(c => c.QuerySelector($"[data-testid=board-card][data-id='{id}']") is not null).GetAttribute("data-stage")!;
        Assert.Equal(stages.Needs.ToString(), ColumnOf(opportunity.Id));
        var container = board.FindComponent<MudBlazor.MudDropContainer<Modules.Opportunities.Board.BoardCard>>();
        var card = container.Instance.Items!.Single(c => c.Id == opportunity.Id);

        // Not awaited: the drop waits for the dialog, which the test answers below.
        await board.InvokeAsync(() =>
        {
            _ = container.Instance.ItemDropped.InvokeAsync(new MudBlazor.MudItemDropInfo<Modules.Opportunities.Board.BoardCard>(card, stages.Proposal.ToString(), 0));
        });

        _providers.WaitForElement("[data-testid=gate-dialog]", TimeSpan.FromSeconds(10));
        Assert.Contains(_providers.FindAll("[data-testid=gate-missing-item]"), i => i.TextContent.Contains("A needs analysis confirmed by the customer", StringComparison.Ordinal));
        await _providers.InvokeAsync(() => _providers.Find("textarea[data-testid=gate-override-reason]").Input("看板上越级"));
        await _providers.InvokeAsync(() => _providers.Find("[data-testid=gate-override]").Click());
        board.WaitForAssertion(() => Assert.Equal(stages.Proposal.ToString(), ColumnOf(opportunity.Id)), TimeSpan.FromSeconds(10));
        var last = (await TestOpportunities.HistoryRowsAsync(app, opportunity.Id))[^1];
        Assert.Equal((StageEntryKind.Override, "看板上越级"), (last.Kind, last.OverrideReason));
    }

    [Fact]
    public async Task Forecast_ManagerWithADatedDeal_ShowsTheWeightedTotalsByTeamAndPerson()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Manager);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var close = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime).AddDays(10);
        await TestOpportunities.CreateWithCustomerAsync(rep, "预测页面商机", new(Guid.Empty, "x", 123_456_00, ExpectedCloseDate: close));

        var page = Render<ForecastPage>();

        page.WaitForElement("[data-testid=forecast-table]", TimeSpan.FromSeconds(10));
        Assert.NotEmpty(page.FindAll("[data-testid=forecast-team-row]"));
        Assert.Contains(page.FindAll("[data-testid=forecast-person-row]"), r => r.TextContent.Contains("张伟", StringComparison.Ordinal));
        Assert.Contains("Weighted", page.Find("[data-testid=forecast-total]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipelines_AdminAddsAChecklistItem_ItShowsUnderTheStage()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Admin);
        // A pipeline of its own, so that the other tests' gates stay as seeded.
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var created = await (await admin.PostAsJsonAsync("/api/v1/pipelines", new Modules.Opportunities.Pipelines.PipelineRequest("页面测试流程"),
            Xunit.TestContext.Current.CancellationToken)).ExpectJsonAsync<Modules.Opportunities.Pipelines.PipelineDto>(System.Net.HttpStatusCode.Created);
        await (await admin.PostAsJsonAsync($"/api/v1/pipelines/{created.Id}/stages", new Modules.Opportunities.Pipelines.StageRequest("勘查", "Survey", 20),
            Xunit.TestContext.Current.CancellationToken)).ExpectAsync(System.Net.HttpStatusCode.OK);
        var page = Render<PipelinesPage>();
        page.WaitForElement("[data-testid=stage-row]", TimeSpan.FromSeconds(10));
        AngleSharp.Dom.IElement Card() => page.FindAll("[data-testid=pipeline-card]").Single(c => c.TextContent.Contains("页面测试流程", StringComparison.Ordinal));
        Assert.Empty(Card().QuerySelectorAll("[data-testid=requirement-row]"));

        await page.InvokeAsync(() => Card().QuerySelector("[data-testid=requirement-add]")!.Click());
        _providers.WaitForElement("[data-testid=requirement-dialog]", TimeSpan.FromSeconds(10));
        await _providers.InvokeAsync(() => _providers.FindComponent<MudBlazor.MudSelect<RequirementKind>>().Instance.SelectOption(RequirementKind.Checklist));
        _providers.WaitForElement("input[data-testid=requirement-text]");
        await _providers.InvokeAsync(() => _providers.Find("input[data-testid=requirement-text]").Input("已完成现场勘查"));
        await _providers.InvokeAsync(() => _providers.Find("[data-testid=requirement-save]").Click());

        page.WaitForAssertion(() => Assert.Contains("已完成现场勘查", Assert.Single(Card().QuerySelectorAll("[data-testid=requirement-row]")).TextContent,
            StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }
}
