using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeadToCash.E2E.Infrastructure;
using LeadToCash.Modules.Contracts;
using LeadToCash.Platform.Approvals;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.E2E;

/// <summary>
/// From a won deal to cash: the rep makes the contract from the won opportunity (its accepted quote, ¥90,400.00, below
/// the ¥100,000 line, so two approval steps) and submits it; the manager and then Finance approve it from their inboxes;
/// the rep records the signing with the scan and sets a 30/60/10 payment plan whose first instalment fell due ten days
/// ago; Finance records a partial receipt against it; the manager's receivables show the rest of that instalment overdue.
/// </summary>
[Collection(E2EJourneysDefinition.Name)]
public sealed partial class ContractToCashJourneyTests(E2EApp app)
{
    private const string QuoteTitle = "输送线改造方案";
    private const string ScanName = "输送线改造合同-盖章版.pdf";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ContractJourney_ApprovedByManagerThenFinance_SignedAndPartlyPaid_OverdueInstalmentInManagersReceivables()
    {
        // A won deal: the rep's opportunity whose quote (¥80,000.00 + 13 % tax) the customer accepted; the manager
        // closes it as won (overriding the checklist the test does not walk through; OpportunityGateTests does).
        var customerName = $"苏州精益输送{Guid.NewGuid().ToString("N")[..6]}有限公司";
        using var api = await app.ApiClientForAsync(DemoUsers.Rep);
        using var customer = await (await api.PostAsJsonAsync("/api/v1/customers", new { name = customerName }, Ct))
            .Content.ReadFromJsonAsync<JsonDocument>(Ct);
        var customerId = customer!.RootElement.GetProperty("id").GetGuid();
        using var opportunity = await (await api.PostAsJsonAsync("/api/v1/opportunities",
            new { customerId, name = "输送线改造", amountMinor = 80_000_00L, expectedCloseDate = "2027-01-31" }, Ct))
            .Content.ReadFromJsonAsync<JsonDocument>(Ct);
        var opportunityId = opportunity!.RootElement.GetProperty("id").GetGuid();
        using var quote = await (await api.PostAsJsonAsync($"/api/v1/opportunities/{opportunityId}/quotes", new
        {
            title = QuoteTitle,
            lines = new object[] { new { description = "皮带输送线及控制系统", quantity = 1, unitPriceMinor = 80_000_00L } },
        }, Ct)).Content.ReadFromJsonAsync<JsonDocument>(Ct);
        var quoteId = quote!.RootElement.GetProperty("id").GetGuid();
        foreach (var command in new[] { "submit", "send", "accept" })
        {
            await ExpectOkAsync(await api.PostAsync($"/api/v1/quotes/{quoteId}/{command}", null, Ct));
        }

        using (var managerApi = await app.ApiClientForAsync(DemoUsers.Manager))
        {
            using var current = await managerApi.GetFromJsonAsync<JsonDocument>($"/api/v1/opportunities/{opportunityId}", Ct);
            await ExpectOkAsync(await managerApi.PostAsJsonAsync($"/api/v1/opportunities/{opportunityId}/win",
                new { overrideReason = "客户已盖章回传，合同在系统内补录", version = current!.RootElement.GetProperty("version").GetInt32() }, Ct));
        }

        var today = CompanyToday();
        var firstDue = today.AddDays(-10);

        // 1. The rep makes the contract from the won opportunity's page and submits it.
        await using var rep = await app.OpenAsync("zh-CN");
        var page = rep.Page;
        await page.SignInAsync(DemoUsers.Rep);
        await page.GotoAsync($"/opportunities/{opportunityId}");
        await page.WaitUntilInteractiveAsync();
        await Expect(page.GetByTestId("opp-status")).ToHaveTextAsync("赢单");
        await page.GetByTestId("opp-create-contract").ClickAsync();
        await Expect(page).ToHaveURLAsync(ContractUrl());
        var contractId = Guid.Parse(page.Url[^36..]);
        await page.WaitUntilInteractiveAsync();
        var heading = page.GetByTestId("contract-heading");
        await Expect(heading).ToContainTextAsync(QuoteTitle);
        var number = ContractNumber().Match(await heading.InnerTextAsync()).Value;
        Assert.NotEmpty(number);
        await Expect(Status(page)).ToHaveAttributeAsync("data-status", "Draft");
        await Expect(page.GetByTestId("contract-amount")).ToHaveTextAsync("¥90,400.00");
        await Expect(page.GetByTestId("contract-line")).ToContainTextAsync("皮带输送线及控制系统");
        await page.GetByTestId("contract-submit").ClickAsync();
        await Expect(Status(page)).ToHaveAttributeAsync("data-status", "InApproval");
        await Expect(page.GetByTestId("contract-approval-pending")).ToContainTextAsync("等待 李娜 审批");
        await Screenshots.SaveAsync(page, "80-contract-in-approval");

        // 2. Step 1, the rep's manager; step 2, anyone in Finance. Each finds it in the approvals inbox.
        await ApproveInInboxAsync(DemoUsers.Manager, number, "同意，按报价执行");
        await page.ReloadAsync();
        await page.WaitUntilInteractiveAsync();
        await Expect(Status(page)).ToHaveAttributeAsync("data-status", "InApproval");
        await Expect(page.GetByTestId("contract-approval-pending")).ToContainTextAsync("等待");
        await Expect(page.GetByTestId("contract-approval-pending")).Not.ToContainTextAsync("李娜");
        await ApproveInInboxAsync(DemoUsers.Finance, number, "付款条件已核对");
        await page.ReloadAsync();
        await page.WaitUntilInteractiveAsync();
        await Expect(Status(page)).ToHaveAttributeAsync("data-status", "Approved");
        await Expect(Status(page)).ToHaveTextAsync("已批准");
        await Expect(page.GetByTestId("contract-approval-pending")).ToHaveCountAsync(0);

        // 3. The rep records the signing: today's date and the stamped scan.
        await page.GetByTestId("contract-sign").ClickAsync();
        var sign = page.GetByTestId("contract-sign-dialog");
        var signDate = sign.Locator("input[data-testid=contract-sign-date]");
        await signDate.FillAsync(Iso(today));
        await signDate.PressAsync("Tab");
        await sign.Locator("input[type=file]")
            .SetInputFilesAsync(new FilePayload { Name = ScanName, MimeType = "application/pdf", Buffer = TestContracts.Pdf });
        await Expect(sign.GetByTestId("contract-sign-file-name")).ToHaveTextAsync(ScanName);
        await page.GetByTestId("contract-sign-save").ClickAsync();
        await Expect(sign).ToHaveCountAsync(0);
        await Expect(Status(page)).ToHaveAttributeAsync("data-status", "Signed");
        await Expect(Status(page)).ToHaveTextAsync("已签署");
        await Expect(page.GetByTestId("contract-signing-date")).ToHaveTextAsync(Iso(today));
        var file = page.GetByTestId("contract-file");
        await Expect(file).ToHaveCountAsync(1);
        await Expect(file).ToContainTextAsync(ScanName);
        var scan = await page.Context.APIRequest.GetAsync((await file.GetAttributeAsync("href"))!);
        Assert.True(scan.Ok, $"The scan's link answered {scan.Status}.");
        Assert.Equal(TestContracts.Pdf, await scan.BodyAsync());

        // 4. The rep sets the plan: 30/60/10, the advance due ten days ago (so overdue), the rest next months.
        var panel = page.GetByTestId("contract-receivables");
        await Expect(panel.GetByTestId("plan-empty")).ToBeVisibleAsync();
        await panel.GetByTestId("plan-edit").ClickAsync();
        var editor = panel.GetByTestId("plan-editor");
        await editor.GetByTestId("plan-template-30-60-10").ClickAsync();
        var rows = editor.GetByTestId("plan-row");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Nth(0).Locator("input[data-testid=plan-row-label]")).ToHaveValueAsync("预付款");
        var due = rows.Nth(0).Locator("input[data-testid=plan-row-due]");
        await due.FillAsync(Iso(firstDue));
        await due.PressAsync("Tab");
        await Expect(due).ToHaveValueAsync(Iso(firstDue));
        await Expect(editor.GetByTestId("plan-total")).ToHaveAttributeAsync("data-difference", "0");
        await Screenshots.SaveAsync(page, "81-contract-payment-plan");
        await editor.GetByTestId("plan-save").ClickAsync();
        await Expect(editor).ToHaveCountAsync(0);
        var instalments = panel.GetByTestId("instalment-row");
        await Expect(instalments).ToHaveCountAsync(3);
        await Expect(instalments.Nth(0)).ToContainTextAsync(Iso(firstDue));
        await Expect(instalments.Nth(0)).ToContainTextAsync("¥27,120.00");
        await Expect(instalments.Nth(1)).ToContainTextAsync("¥54,240.00");
        await Expect(instalments.Nth(2)).ToContainTextAsync("¥9,040.00");
        await Expect(instalments.Nth(0)).ToHaveAttributeAsync("data-state", "Overdue");
        await Expect(instalments.Nth(0).GetByTestId("instalment-state")).ToHaveTextAsync("逾期 10 天");
        await Expect(panel.GetByTestId("total-overdue")).ToHaveAttributeAsync("data-minor", "2712000");
        await Expect(panel.GetByTestId("receipt-new")).ToHaveCountAsync(0); // a rep does not record money
        rep.AssertNoBrowserErrors();

        // Finance records ¥10,000.00 received today; it goes to the oldest instalment, the advance.
        await using (var finance = await app.OpenAsync("zh-CN"))
        {
            var desk = finance.Page;
            await desk.SignInAsync(DemoUsers.Finance);
            await desk.GotoAsync($"/contracts/{contractId}");
            await desk.WaitUntilInteractiveAsync();
            var money = desk.GetByTestId("contract-receivables");
            await Expect(money.GetByTestId("instalment-row")).ToHaveCountAsync(3);
            await Expect(money.GetByTestId("plan-edit")).ToHaveCountAsync(0);
            await money.GetByTestId("receipt-new").ClickAsync();
            var form = money.GetByTestId("receipt-form");
            await Expect(form.Locator("input[data-testid=receipt-date]")).ToHaveValueAsync(Iso(today));
            await form.Locator("input[data-testid=receipt-amount]").FillAsync("10000");
            await form.Locator("input[data-testid=receipt-reference]").FillAsync("BANK-20261125-001");
            await money.GetByTestId("receipt-save").ClickAsync();
            await Expect(form).ToHaveCountAsync(0);
            var receipt = money.GetByTestId("receipt-row");
            await Expect(receipt).ToHaveCountAsync(1);
            await Expect(receipt).ToContainTextAsync("¥10,000.00");
            await Expect(receipt).ToContainTextAsync("#1 ¥10,000.00");
            var advance = money.GetByTestId("instalment-row").Nth(0);
            await Expect(advance).ToHaveAttributeAsync("data-state", "Overdue");
            await Expect(advance).ToContainTextAsync("¥17,120.00");
            await Expect(money.GetByTestId("total-received")).ToHaveAttributeAsync("data-minor", "1000000");
            await Expect(money.GetByTestId("total-outstanding")).ToHaveAttributeAsync("data-minor", "8040000");
            await Expect(money.GetByTestId("total-overdue")).ToHaveAttributeAsync("data-minor", "1712000");
            await Screenshots.SaveAsync(desk, "82-contract-partial-receipt");
            finance.AssertNoBrowserErrors();
        }

        // 5. The manager's receivables: the customer's line, then (filtered to it) the figures and the overdue instalment.
        await using (var manager = await app.OpenAsync("zh-CN"))
        {
            var view = manager.Page;
            await view.SignInAsync(DemoUsers.Manager);
            await view.GetByTestId("nav-receivables").ClickAsync();
            await Expect(view).ToHaveURLAsync(new Regex("/receivables$"));
            var line = view.GetByTestId("by-customer-row").Filter(new() { HasText = customerName });
            await Expect(line).ToHaveCountAsync(1);
            await Expect(line.Locator("td").Nth(1)).ToHaveTextAsync("¥80,400.00");
            await Expect(line.Locator("td").Nth(2)).ToHaveTextAsync("¥17,120.00");
            await Expect(line.Locator("td").Nth(3)).ToHaveTextAsync("¥17,120.00"); // 0–30 days
            await line.GetByText(customerName).ClickAsync();
            await Expect(view.GetByTestId("receivables-filter-chip")).ToContainTextAsync(customerName);
            await Expect(view.GetByTestId("receivables-outstanding")).ToHaveTextAsync("¥80,400.00");
            await Expect(view.GetByTestId("receivables-overdue")).ToHaveTextAsync("¥17,120.00");
            await Expect(view.GetByTestId("receivables-not-due")).ToHaveTextAsync("¥63,280.00");
            await Expect(view.GetByTestId("aging-0-30")).ToHaveAttributeAsync("data-minor", "1712000");
            await view.GetByRole(AriaRole.Tab, new() { Name = "逾期明细" }).ClickAsync();
            var overdue = view.GetByTestId("overdue-row");
            await Expect(overdue).ToHaveCountAsync(1);
            await Expect(overdue).ToHaveAttributeAsync("data-aging", "0-30");
            var cells = overdue.Locator("td");
            await Expect(cells.Nth(0)).ToHaveTextAsync(number);
            await Expect(cells.Nth(1)).ToHaveTextAsync(customerName);
            await Expect(cells.Nth(2)).ToHaveTextAsync("张伟");
            await Expect(cells.Nth(3)).ToHaveTextAsync("#1 预付款");
            await Expect(cells.Nth(4)).ToHaveTextAsync(Iso(firstDue));
            await Expect(cells.Nth(5)).ToHaveTextAsync("¥17,120.00");
            await Expect(cells.Nth(6)).ToHaveTextAsync("10");
            await Screenshots.SaveAsync(view, "83-receivables-overdue");
            manager.AssertNoBrowserErrors();
        }

        // The records: two approval steps decided by the two people, the signed scan filed, the money matched.
        await using var db = await app.SystemDbAsync();
        var contract = await db.Contracts.AsNoTracking().SingleAsync(c => c.Id == contractId, Ct);
        Assert.Equal((opportunityId, quoteId, ContractStatus.Signed, 90_400_00L, 10_000_00L),
            (contract.OpportunityId, contract.QuoteId, contract.Status, contract.AmountMinor, contract.ReceivedMinor));
        Assert.Equal(today, contract.SigningDate);
        var approval = await db.ApprovalRequests.AsNoTracking().SingleAsync(r => r.Id == contract.ApprovalId, Ct);
        Assert.Equal(ApprovalStatus.Approved, approval.Status);
        var deciders = await db.ApprovalSteps.AsNoTracking().Where(s => s.RequestId == approval.Id).OrderBy(s => s.StepNo)
            .Join(db.Users, s => s.DecidedBy ?? s.ApproverId, u => u.Id, (s, u) => new { s.Status, u.Email })
            .ToListAsync(Ct);
        Assert.Equal([(ApprovalStatus.Approved, DemoUsers.Manager), (ApprovalStatus.Approved, DemoUsers.Finance)],
            deciders.Select(d => (d.Status, d.Email)));
        Assert.Equal(ScanName, await db.Attachments.AsNoTracking().Where(a => a.RecordId == contractId).Select(a => a.FileName).SingleAsync(Ct));
        var plan = await db.PaymentInstalments.AsNoTracking().Where(i => i.ContractId == contractId).OrderBy(i => i.SeqNo).ToListAsync(Ct);
        Assert.Equal([(firstDue, 27_120_00L, 10_000_00L), (today.AddMonths(1), 54_240_00L, 0L), (today.AddMonths(2), 9_040_00L, 0L)],
            plan.Select(i => (i.DueDate, i.AmountMinor, i.ReceivedMinor)));
    }

    [GeneratedRegex("/contracts/[0-9a-f-]{36}$")]
    private static partial Regex ContractUrl();

    [GeneratedRegex(@"^\S+(?= · )")]
    private static partial Regex ContractNumber();

    private static async Task ExpectOkAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        }
    }

    private static ILocator Status(IPage page) => page.Locator(".page-header [data-testid=contract-status]");

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The demo company's date (Asia/Shanghai) on the app's clock.</summary>
    private DateOnly CompanyToday() => DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(8));

    /// <summary>Signs in as <paramref name="email"/>, finds the contract's request in the approvals inbox and approves it with a comment.</summary>
    private async Task ApproveInInboxAsync(string email, string number, string comment)
    {
        await using var session = await app.OpenAsync("zh-CN");
        var inbox = session.Page;
        await inbox.SignInAsync(email);
        await inbox.GetByTestId("nav-approvals").ClickAsync();
        await Expect(inbox).ToHaveURLAsync(new Regex("/approvals$"));
        var item = inbox.GetByTestId("approval-item").Filter(new() { HasText = number });
        await Expect(item).ToHaveCountAsync(1);
        await Expect(item.GetByTestId("approval-subject")).ToHaveTextAsync($"{number} · {QuoteTitle}");
        await item.Locator("input[data-testid=approval-comment]").FillAsync(comment);
        await item.GetByTestId("approval-approve").ClickAsync();
        await Expect(item).ToHaveCountAsync(0);
        await inbox.GetByRole(AriaRole.Tab, new() { Name = "我已审批" }).ClickAsync();
        var decided = inbox.GetByTestId("approval-item").Filter(new() { HasText = number });
        await Expect(decided).ToContainTextAsync("已批准");
        await Expect(decided).ToContainTextAsync(comment);
        session.AssertNoBrowserErrors();
    }
}
