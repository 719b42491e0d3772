using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeadToCash.E2E.Infrastructure;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.E2E;

/// <summary>
/// A rep takes one deal through every stage of the standard pipeline on the opportunity page. At each gate the move is
/// refused first and the dialog names what is missing (the customer-confirmed needs analysis, an approved quote, the
/// minutes with agreed terms, the signed contract); once the deliverable exists the same move goes through, up to won.
/// </summary>
[Collection(E2EJourneysDefinition.Name)]
public sealed class OpportunityGateTests(E2EApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MoveOpportunity_ThroughEveryStage_EachGateBlocksUntilItsDeliverableExists_ThenWon()
    {
        var name = $"常州智能仓储{Guid.NewGuid().ToString("N")[..6]}有限公司";
        using var api = await app.ApiClientForAsync(DemoUsers.Rep);
        using var created = await (await api.PostAsJsonAsync("/api/v1/customers", new { name }, Ct)).Content.ReadFromJsonAsync<JsonDocument>(Ct);
        var customerId = created!.RootElement.GetProperty("id").GetGuid();
        (await api.PostAsJsonAsync($"/api/v1/customers/{customerId}/contacts",
            new { name = "钱总", title = "总经理", mobile = "13900000001", role = "DecisionMaker" }, Ct)).EnsureSuccessStatusCode();

        await using var session = await app.OpenAsync("zh-CN");
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Rep);
        await page.GotoAsync($"/customers/{customerId}");
        await page.WaitUntilInteractiveAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "商机" }).ClickAsync();
        await Expect(page.GetByTestId("customer-opp-empty")).ToBeVisibleAsync();

        // A new opportunity with the fields the first gate asks for; the contact is the decision maker.
        await page.GetByTestId("customer-opp-new").ClickAsync();
        var dialog = page.GetByTestId("opp-dialog");
        await Expect(dialog.Locator("input[data-testid=opp-customer-fixed]")).ToHaveValueAsync(name);
        await dialog.Locator("input[data-testid=opp-name]").FillAsync("立体仓库一期");
        await dialog.Locator("input[data-testid=opp-amount]").FillAsync("800000");
        var close = dialog.Locator("input[data-testid=opp-close-date]");
        await close.FillAsync("2027-03-31");
        await close.PressAsync("Tab");
        await dialog.GetByTestId("opp-contacts").ClickAsync();
        await page.Locator(".mud-popover-open").GetByText("钱总", new() { Exact = false }).ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await Screenshots.SaveAsync(page, "60-opportunity-new-dialog");
        await page.GetByTestId("opp-save").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/opportunities/[0-9a-f-]{36}$"));
        var opportunityId = Guid.Parse(page.Url[^36..]);
        await Expect(page.GetByTestId("opp-title")).ToHaveTextAsync("立体仓库一期");
        await Expect(page.GetByTestId("opp-stage")).ToContainTextAsync("需求分析");
        await Expect(Requirement(page, "deliverable:decision-maker-known")).ToHaveAttributeAsync("data-met", "true");

        // 需求分析 → 方案呈现: refused without a needs analysis the customer confirmed; a rep has no override.
        var needs = Requirement(page, "deliverable:needs-analysis-confirmed");
        await Expect(needs).ToHaveAttributeAsync("data-met", "false");
        await ExpectRefusedAsync(page, page.GetByTestId("opp-move-next"), "需求分析", ("deliverable:needs-analysis-confirmed", "客户已确认的需求分析报告"));
        await Screenshots.SaveAsync(page, "61-opportunity-gate-refused");

        // The customer confirms the needs analysis (recorded through the API); the same move goes through.
        var now = app.Clock.GetUtcNow().UtcDateTime;
        using var analysis = await (await api.PostAsJsonAsync($"/api/v1/customers/{customerId}/needs-analyses",
            new { title = "立体仓库需求", meetingAt = now.AddHours(-3) }, Ct)).Content.ReadFromJsonAsync<JsonDocument>(Ct);
        var analysisId = analysis!.RootElement.GetProperty("id").GetGuid();
        (await api.PostAsJsonAsync($"/api/v1/customers/{customerId}/needs-analyses/{analysisId}/confirm",
            new { confirmedAt = now.AddHours(-1), how = "邮件确认", version = analysis.RootElement.GetProperty("version").GetInt32() }, Ct)).EnsureSuccessStatusCode();
        await page.ReloadAsync();
        await page.WaitUntilInteractiveAsync();
        await Expect(needs).ToHaveAttributeAsync("data-met", "true");
        await MoveNextAsync(page, "方案呈现");
        await Expect(page.GetByTestId("opp-history-row").First).ToContainTextAsync("方案呈现");
        await Screenshots.SaveAsync(page, "62-opportunity-moved");

        // 方案呈现 → 商务谈判: refused without an approved quote and without the presentation ticked off.
        var presented = page.Locator("[data-testid=opp-checklist-item][data-code^='checklist:']");
        await Expect(presented).ToContainTextAsync("方案已向客户演示并收到反馈");
        var presentedCode = await presented.GetAttributeAsync("data-code");
        await ExpectRefusedAsync(page, page.GetByTestId("opp-move-next"), "方案呈现",
            ("deliverable:quote-approved", "已审批通过的报价"), (presentedCode!, "方案已向客户演示并收到反馈"));

        // The rep writes the quote (within the discount limit, so it is approved on submitting) and ticks the presentation.
        using var quote = await (await api.PostAsJsonAsync($"/api/v1/opportunities/{opportunityId}/quotes", new
        {
            title = "立体仓库一期方案",
            lines = new object[] { new { description = "堆垛机及货架系统", quantity = 1, unitPriceMinor = 720_000_00L, discountPercent = 5 } },
        }, Ct)).Content.ReadFromJsonAsync<JsonDocument>(Ct);
        var quoteId = quote!.RootElement.GetProperty("id").GetGuid();
        using var submitted = await (await api.PostAsync($"/api/v1/quotes/{quoteId}/submit", null, Ct)).Content.ReadFromJsonAsync<JsonDocument>(Ct);
        Assert.Equal("Approved", submitted!.RootElement.GetProperty("status").GetString());
        await page.ReloadAsync();
        await page.WaitUntilInteractiveAsync();
        await Expect(Requirement(page, "deliverable:quote-approved")).ToHaveAttributeAsync("data-met", "true");
        await Expect(page.GetByTestId("quote-row")).ToContainTextAsync("已批准");
        await Expect(presented).ToHaveAttributeAsync("data-met", "false");
        await presented.GetByText("方案已向客户演示并收到反馈").ClickAsync();
        await Expect(presented).ToHaveAttributeAsync("data-met", "true");
        await MoveNextAsync(page, "商务谈判");

        // 商务谈判 → 合同签署: refused without negotiation minutes holding agreed terms.
        await ExpectRefusedAsync(page, page.GetByTestId("opp-move-next"), "商务谈判", ("deliverable:negotiation-agreed", "包含已商定条款的谈判纪要"));

        // The rep writes the minutes of the negotiation on the page; the gate sees them at once.
        await page.GetByTestId("minutes-add").ClickAsync();
        var minutes = page.GetByTestId("minutes-dialog");
        await Expect(minutes.Locator("input[data-testid=minutes-attendees]")).ToBeEditableAsync();
        await minutes.Locator("input[data-testid=minutes-attendees]").FillAsync("钱总、采购部李经理；张伟");
        await minutes.Locator("input[data-testid=minutes-agreed-price]").FillAsync("684000");
        await minutes.Locator("textarea[data-testid=minutes-payment-terms]").FillAsync("签约预付30%，到货验收后付60%，质保金10%");
        await minutes.Locator("textarea[data-testid=minutes-delivery]").FillAsync("签约后90天内到货安装");
        await Screenshots.SaveAsync(page, "63-opportunity-negotiation-minutes");
        await page.GetByTestId("minutes-save").ClickAsync();
        await Expect(minutes).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("minutes-agreed-chip")).ToBeVisibleAsync();
        await Expect(Requirement(page, "deliverable:negotiation-agreed")).ToHaveAttributeAsync("data-met", "true");
        await MoveNextAsync(page, "合同签署");

        // 合同签署 is the last open stage: winning is refused until the signed contract is filed.
        await Expect(page.GetByTestId("opp-move-next")).ToHaveCountAsync(0);
        var signed = page.Locator("[data-testid=opp-checklist-item][data-code^='checklist:']");
        await Expect(signed).ToContainTextAsync("合同已双方签署并归档");
        var signedCode = await signed.GetAttributeAsync("data-code");
        await ExpectRefusedAsync(page, page.GetByTestId("opp-win"), "合同签署", (signedCode!, "合同已双方签署并归档"));
        await signed.GetByText("合同已双方签署并归档").ClickAsync();
        await Expect(signed).ToHaveAttributeAsync("data-met", "true");
        await page.GetByTestId("opp-win").ClickAsync();
        await Expect(page.GetByTestId("opp-status")).ToHaveTextAsync("赢单");
        await Expect(page.GetByTestId("opp-stage")).ToContainTextAsync("赢单");
        await Expect(page.GetByTestId("gate-dialog")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("opp-win")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("opp-reopen")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("opp-history-row")).ToHaveTextAsync(["赢单", "合同签署", "商务谈判", "方案呈现", "需求分析"]);
        await Screenshots.SaveAsync(page, "64-opportunity-won");
        session.AssertNoBrowserErrors();

        // The database: one stay per stage, each left for the next by the rep, and the deal won.
        await using var db = await app.SystemDbAsync();
        var opportunity = await db.Opportunities.AsNoTracking().SingleAsync(o => o.Id == opportunityId, Ct);
        Assert.Equal(customerId, opportunity.CustomerId);
        Assert.Equal((OpportunityStatus.Won, 100, new DateOnly(2027, 3, 31)), (opportunity.Status, opportunity.Probability, opportunity.ExpectedCloseDate));
        Assert.NotNull(opportunity.ClosedAt);
        var rep = await db.Users.AsNoTracking().Where(u => u.Email == DemoUsers.Rep).Select(u => u.Id).SingleAsync(Ct);
        var stays = await db.StageEntries.AsNoTracking().Where(e => e.OpportunityId == opportunityId)
            .Join(db.PipelineStages, e => e.StageId, s => s.Id, (e, s) => new { Entry = e, Stage = s.Name, s.SortOrder })
            .ToListAsync(Ct);
        stays = [.. stays.OrderBy(s => s.SortOrder)];
        Assert.Equal(["需求分析", "方案呈现", "商务谈判", "合同签署", "赢单"], stays.Select(s => s.Stage));
        Assert.Equal([StageEntryKind.Created, StageEntryKind.Forward, StageEntryKind.Forward, StageEntryKind.Forward, StageEntryKind.Closed],
            stays.Select(s => s.Entry.Kind));
        Assert.All(stays, s => Assert.Equal(rep, s.Entry.EnteredBy));
        Assert.All(stays, s => Assert.Null(s.Entry.OverrideReason));
        Assert.All(stays, s => Assert.Null(s.Entry.MissingRequirements));
        for (var i = 1; i < stays.Count; i++)
        {
            // Each stay was left by the rep when the next began, and the next names it as where the deal came from.
            Assert.Equal(stays[i - 1].Entry.StageId, stays[i].Entry.FromStageId);
            Assert.Equal((stays[i].Entry.EnteredAt, rep), (stays[i - 1].Entry.ExitedAt, stays[i - 1].Entry.ExitedBy));
        }

        Assert.Null(stays[^1].Entry.ExitedAt);
        Assert.Equal(stays[^1].Entry.StageId, opportunity.StageId);
        Assert.Equal(LifecycleStage.Customer, (await db.Customers.AsNoTracking().SingleAsync(c => c.Id == customerId, Ct)).Stage);
    }

    private static ILocator Requirement(IPage page, string code) =>
        page.Locator($"[data-testid=opp-checklist-item][data-code='{code}']");

    /// <summary>Clicks a stage command and expects the gate dialog listing exactly <paramref name="missing"/>; closes it, nothing moved.</summary>
    private static async Task ExpectRefusedAsync(IPage page, ILocator command, string stage, params (string Code, string Text)[] missing)
    {
        await command.ClickAsync();
        var gate = page.GetByTestId("gate-dialog");
        await Expect(gate).ToBeVisibleAsync();
        await Expect(gate).ToContainTextAsync($"离开“{stage}”需要");
        var items = gate.GetByTestId("gate-missing-item");
        await Expect(items).ToHaveCountAsync(missing.Length);
        foreach (var (code, text) in missing)
        {
            await Expect(gate.Locator($"[data-testid=gate-missing-item][data-code='{code}']")).ToContainTextAsync(text);
        }

        await Expect(page.GetByTestId("gate-override")).ToHaveCountAsync(0); // a rep cannot override
        await page.GetByTestId("gate-close").ClickAsync();
        await Expect(gate).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("opp-stage")).ToContainTextAsync(stage);
    }

    private static async Task MoveNextAsync(IPage page, string next)
    {
        var button = page.GetByTestId("opp-move-next");
        await Expect(button).ToContainTextAsync(next);
        await button.ClickAsync();
        await Expect(page.GetByTestId("opp-stage")).ToContainTextAsync(next);
        await Expect(page.GetByTestId("gate-dialog")).ToHaveCountAsync(0);
    }
}
