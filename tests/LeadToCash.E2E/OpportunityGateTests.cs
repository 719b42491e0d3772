using System.Net.Http.Json;
using System.Text.Json;
using LeadToCash.E2E.Infrastructure;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.E2E;

/// <summary>
/// A rep starts an opportunity from the customer's page and tries to move it to the proposal stage: the gate refuses
/// (no needs analysis confirmed by the customer) and says so; once the confirmed analysis exists, the move goes through.
/// </summary>
[Collection(E2EDefinition.Name)]
public sealed class OpportunityGateTests(E2EApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MoveOpportunity_BlockedByAMissingDeliverable_ThenAllowedOnceItExists()
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

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/opportunities/[0-9a-f-]{36}$"));
        await Expect(page.GetByTestId("opp-title")).ToHaveTextAsync("立体仓库一期");
        await Expect(page.GetByTestId("opp-stage")).ToContainTextAsync("需求分析");
        var needs = page.Locator("[data-testid=opp-checklist-item][data-code='deliverable:needs-analysis-confirmed']");
        await Expect(needs).ToHaveAttributeAsync("data-met", "false");
        await Expect(page.Locator("[data-testid=opp-checklist-item][data-code='deliverable:decision-maker-known']")).ToHaveAttributeAsync("data-met", "true");

        // Blocked: the dialog names the missing deliverable in Chinese; nothing moved.
        await page.GetByTestId("opp-move-next").ClickAsync();
        var gate = page.GetByTestId("gate-dialog");
        await Expect(gate).ToBeVisibleAsync();
        var missing = gate.GetByTestId("gate-missing-item");
        await Expect(missing).ToHaveCountAsync(1);
        await Expect(missing).ToContainTextAsync("客户已确认的需求分析报告");
        await Expect(page.GetByTestId("gate-override")).ToHaveCountAsync(0); // a rep cannot override
        await Screenshots.SaveAsync(page, "61-opportunity-gate-refused");
        await page.GetByTestId("gate-close").ClickAsync();
        await Expect(gate).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("opp-stage")).ToContainTextAsync("需求分析");

        // The customer confirms the needs analysis (recorded through the API), and the same move goes through.
        var now = app.Clock.GetUtcNow().UtcDateTime;
        using var analysis = await (await api.PostAsJsonAsync($"/api/v1/customers/{customerId}/needs-analyses",
            new { title = "立体仓库需求", meetingAt = now.AddHours(-3) }, Ct)).Content.ReadFromJsonAsync<JsonDocument>(Ct);
        var analysisId = analysis!.RootElement.GetProperty("id").GetGuid();
        (await api.PostAsJsonAsync($"/api/v1/customers/{customerId}/needs-analyses/{analysisId}/confirm",
            new { confirmedAt = now.AddHours(-1), how = "邮件确认", version = analysis.RootElement.GetProperty("version").GetInt32() }, Ct)).EnsureSuccessStatusCode();

        await page.ReloadAsync();
        await page.WaitUntilInteractiveAsync();
        await Expect(needs).ToHaveAttributeAsync("data-met", "true");
        await page.GetByTestId("opp-move-next").ClickAsync();
        await Expect(page.GetByTestId("opp-stage")).ToContainTextAsync("方案呈现");
        await Expect(page.GetByTestId("gate-dialog")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("opp-history-row").First).ToContainTextAsync("方案呈现");
        await Screenshots.SaveAsync(page, "62-opportunity-moved");
        session.AssertNoBrowserErrors();

        await using var db = await app.SystemDbAsync();
        var opportunity = await db.Opportunities.AsNoTracking().SingleAsync(o => o.CustomerId == customerId, Ct);
        Assert.Equal((80_000_000L, new DateOnly(2027, 3, 31), 30), (opportunity.AmountMinor, opportunity.ExpectedCloseDate, opportunity.Probability));
        var entries = await db.StageEntries.AsNoTracking().Where(e => e.OpportunityId == opportunity.Id).OrderBy(e => e.Kind).ToListAsync(Ct);
        Assert.Equal([StageEntryKind.Created, StageEntryKind.Forward], entries.Select(e => e.Kind));
        Assert.Equal(LifecycleStage.InOpportunity, (await db.Customers.AsNoTracking().SingleAsync(c => c.Id == customerId, Ct)).Stage);
    }
}
