using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeadToCash.E2E.Infrastructure;
using LeadToCash.Modules.Quotes;
using LeadToCash.Modules.Quotes.Workflow;
using LeadToCash.Platform.Approvals;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;

namespace LeadToCash.E2E;

/// <summary>
/// A quote from first draft to the customer's PDF: the rep writes v1 with a discount above the approval threshold and
/// submits it; their manager approves it with a comment from the approvals page; the customer turns v1 down, the rep
/// revises it into v2 (more units, a smaller discount, which needs no approval) and downloads v2 as a PDF through the
/// browser, which reads back with the quote's number, version and total.
/// </summary>
[Collection(E2EJourneysDefinition.Name)]
public sealed partial class QuoteApprovalJourneyTests(E2EApp app)
{
    private const string Title = "立体仓库二期方案";
    private const string Comment = "同意本次15%折扣，请尽快推动签约";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task QuoteJourney_DiscountApprovedByManager_RevisedToV2_PdfDownloadedWithV2Totals()
    {
        var customerName = $"无锡精密机械{Guid.NewGuid().ToString("N")[..6]}有限公司";
        using var api = await app.ApiClientForAsync(DemoUsers.Rep);
        using var customer = await (await api.PostAsJsonAsync("/api/v1/customers", new { name = customerName }, Ct))
            .Content.ReadFromJsonAsync<JsonDocument>(Ct);
        var customerId = customer!.RootElement.GetProperty("id").GetGuid();
        using var opportunity = await (await api.PostAsJsonAsync("/api/v1/opportunities",
            new { customerId, name = "立体仓库二期", amountMinor = 150_000_00L, expectedCloseDate = "2027-06-30" }, Ct))
            .Content.ReadFromJsonAsync<JsonDocument>(Ct);
        var opportunityId = opportunity!.RootElement.GetProperty("id").GetGuid();

        // The rep starts the quote from the opportunity page: v1, a draft.
        await using var rep = await app.OpenAsync("zh-CN");
        var page = rep.Page;
        await page.SignInAsync(DemoUsers.Rep);
        await page.GotoAsync($"/opportunities/{opportunityId}");
        await page.WaitUntilInteractiveAsync();
        var quotes = page.GetByTestId("opportunity-quotes");
        await Expect(quotes.GetByTestId("quotes-empty")).ToBeVisibleAsync();
        await quotes.GetByTestId("quote-new").ClickAsync();
        await quotes.Locator("input[data-testid=quote-new-title]").FillAsync(Title);
        await quotes.GetByTestId("quote-create").ClickAsync();
        await Expect(page).ToHaveURLAsync(QuoteUrl());
        var v1Url = page.Url;
        var heading = page.GetByTestId("quote-heading");
        await Expect(heading).ToContainTextAsync($"v1 · {Title}");
        var number = QuoteNumber().Match(await heading.InnerTextAsync()).Value;
        Assert.NotEmpty(number);
        await Expect(Status(page)).ToHaveAttributeAsync("data-status", "Draft");

        // One line: 10 units at ¥12,000.00 with 15 % off, above the 10 % the company allows without approval.
        await page.GetByTestId("quote-add-free").ClickAsync();
        var line = page.GetByTestId("quote-line").Nth(0);
        await FillLineAsync(line, "堆垛机及货架系统", "10", "12000", "15");
        await Expect(line.GetByTestId("quote-line-total")).ToHaveTextAsync("¥102,000.00");
        await Expect(page.GetByTestId("quote-total")).ToHaveTextAsync("¥115,260.00"); // + 13 % tax
        await page.GetByTestId("quote-submit").ClickAsync();
        await Expect(Status(page)).ToHaveAttributeAsync("data-status", "PendingApproval");
        var pending = page.GetByTestId("quote-approval-pending");
        await Expect(pending).ToContainTextAsync("等待 李娜 审批");
        await Expect(pending).ToContainTextAsync("第 1 行（堆垛机及货架系统）：折扣 15% 超过 10%");
        await Expect(page.GetByTestId("quote-send")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "70-quote-pending-approval");

        // The rep's manager finds the request in the approvals inbox, sees the quote's lines and approves with a comment.
        await using (var manager = await app.OpenAsync("zh-CN"))
        {
            var inbox = manager.Page;
            await inbox.SignInAsync(DemoUsers.Manager);
            await inbox.GetByTestId("nav-approvals").ClickAsync();
            await Expect(inbox).ToHaveURLAsync(new Regex("/approvals$"));
            var item = inbox.GetByTestId("approval-item").Filter(new() { HasText = number });
            await Expect(item).ToHaveCountAsync(1);
            await Expect(item.GetByTestId("approval-subject")).ToHaveTextAsync($"{number} v1 · {Title}");
            await Expect(item.GetByTestId("approval-reason")).ToContainTextAsync("折扣 15% 超过 10%");
            await Expect(item.GetByTestId("approval-lines")).ToContainTextAsync("堆垛机及货架系统");
            await Expect(item.GetByTestId("approval-lines")).ToContainTextAsync("¥115,260.00");
            await item.Locator("input[data-testid=approval-comment]").FillAsync(Comment);
            await Screenshots.SaveAsync(inbox, "71-quote-approval-inbox");
            await item.GetByTestId("approval-approve").ClickAsync();
            await Expect(item).ToHaveCountAsync(0);

            await inbox.GetByRole(AriaRole.Tab, new() { Name = "我已审批" }).ClickAsync();
            var decided = inbox.GetByTestId("approval-item").Filter(new() { HasText = number });
            await Expect(decided).ToContainTextAsync("已批准");
            await Expect(decided).ToContainTextAsync(Comment);
            manager.AssertNoBrowserErrors();
        }

        // Back with the rep: v1 is approved, with the manager's comment; it goes to the customer, who turns it down.
        await page.ReloadAsync();
        await page.WaitUntilInteractiveAsync();
        await Expect(Status(page)).ToHaveAttributeAsync("data-status", "Approved");
        await Expect(page.GetByTestId("quote-approval-approved")).ToContainTextAsync("已由 李娜 批准");
        await Expect(page.GetByTestId("quote-approval-approved")).ToContainTextAsync(Comment);
        await page.GetByTestId("quote-send").ClickAsync();
        await Expect(Status(page)).ToHaveAttributeAsync("data-status", "Sent");
        await page.Locator("input[data-testid=quote-response]").FillAsync("客户要求增加到12台并包含安装调试，折扣控制在8%以内");
        await page.GetByTestId("quote-reject").ClickAsync();
        await Expect(Status(page)).ToHaveAttributeAsync("data-status", "Rejected");

        // v2: a draft copy of v1; more units at 8 % off plus installation: within the threshold, approved on submitting.
        await page.GetByTestId("quote-revise").ClickAsync();
        await Expect(heading).ToContainTextAsync($"{number} v2 · {Title}");
        await Expect(page).ToHaveURLAsync(QuoteUrl());
        Assert.NotEqual(v1Url, page.Url);
        await Expect(Status(page)).ToHaveAttributeAsync("data-status", "Draft");
        line = page.GetByTestId("quote-line").Nth(0);
        await Expect(line.Locator("input[data-testid=quote-line-description]")).ToHaveValueAsync("堆垛机及货架系统");
        await FillLineAsync(line, null, "12", null, "8");
        await page.GetByTestId("quote-add-free").ClickAsync();
        await FillLineAsync(page.GetByTestId("quote-line").Nth(1), "安装调试服务", "1", "30000", "0");
        await Expect(line.GetByTestId("quote-line-total")).ToHaveTextAsync("¥132,480.00");
        // ¥174,000.00 − ¥11,520.00 = ¥162,480.00, + 13 % tax ¥21,122.40.
        await Expect(page.GetByTestId("quote-total")).ToHaveTextAsync("¥183,602.40");
        await page.GetByTestId("quote-submit").ClickAsync();
        await Expect(Status(page)).ToHaveAttributeAsync("data-status", "Approved");
        await Expect(page.GetByTestId("quote-approval-pending")).ToHaveCountAsync(0);
        var versions = page.GetByTestId("quote-version");
        await Expect(versions).ToHaveCountAsync(2);
        await Expect(versions.Nth(0).GetByTestId("quote-status")).ToHaveAttributeAsync("data-status", "Rejected");
        await Expect(versions.Nth(1).GetByTestId("quote-status")).ToHaveAttributeAsync("data-status", "Approved");
        var total = await page.GetByTestId("quote-total").InnerTextAsync();
        await Screenshots.SaveAsync(page, "72-quote-v2-approved");

        // The PDF of v2, downloaded by the browser and read back.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("quote-pdf").ClickAsync());
        Assert.Equal($"{number}-v2.pdf", download.SuggestedFilename);
        Assert.Null(await download.FailureAsync());
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync(), Ct);
        string text;
        using (var pdf = PdfDocument.Open(bytes))
        {
            text = string.Join("\n", pdf.GetPages().Select(p => p.Text)).Replace(" ", "", StringComparison.Ordinal);
        }

        Assert.Contains($"{number}v2", text, StringComparison.Ordinal);
        Assert.Contains(Title, text, StringComparison.Ordinal);
        Assert.Contains(customerName, text, StringComparison.Ordinal);
        Assert.Contains("安装调试服务", text, StringComparison.Ordinal);
        Assert.Equal("¥183,602.40", total);
        foreach (var amount in new[] { "¥174,000.00", "¥11,520.00", "¥162,480.00", "¥21,122.40", total })
        {
            Assert.Contains(amount, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain($"{number}v1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("¥115,260.00", text, StringComparison.Ordinal);
        rep.AssertNoBrowserErrors();

        // The records: v1 decided by the customer after its approval, v2 approved without one; the rep was told.
        await using var db = await app.SystemDbAsync();
        var written = await db.Quotes.AsNoTracking().Where(q => q.OpportunityId == opportunityId).OrderBy(q => q.VersionNo).ToListAsync(Ct);
        Assert.Equal([(number, 1, QuoteStatus.Rejected), (number, 2, QuoteStatus.Approved)],
            written.Select(q => (q.Number, q.VersionNo, q.Status)));
        Assert.Equal((115_260_00L, 183_602_40L), (written[0].TotalMinor, written[1].TotalMinor));
        Assert.Null(written[1].ApprovalId);
        var approval = await db.ApprovalRequests.AsNoTracking().SingleAsync(r => r.Id == written[0].ApprovalId, Ct);
        Assert.Equal((Quote.RecordType, written[0].Id, ApprovalStatus.Approved), (approval.RecordType, approval.RecordId, approval.Status));
        var managerId = await db.Users.AsNoTracking().Where(u => u.Email == DemoUsers.Manager).Select(u => u.Id).SingleAsync(Ct);
        var step = await db.ApprovalSteps.AsNoTracking().SingleAsync(s => s.RequestId == approval.Id, Ct);
        Assert.Equal((managerId, ApprovalStatus.Approved, Comment), (step.ApproverId, step.Status, step.Comment));
        var repId = await db.Users.AsNoTracking().Where(u => u.Email == DemoUsers.Rep).Select(u => u.Id).SingleAsync(Ct);
        Assert.True(await db.Notifications.AsNoTracking()
            .AnyAsync(n => n.UserId == repId && n.Kind == QuoteNotifications.Approved && n.RecordId == written[0].Id, Ct));
    }

    [GeneratedRegex("/quotes/[0-9a-f-]{36}$")]
    private static partial Regex QuoteUrl();

    [GeneratedRegex(@"Q-\d{4}-\d{4,}")]
    private static partial Regex QuoteNumber();

    /// <summary>The status of the quote version the page shows (the chip beside its heading).</summary>
    private static ILocator Status(IPage page) => page.Locator(".page-header [data-testid=quote-status]");

    private static async Task FillLineAsync(ILocator line, string? description, string quantity, string? unitPrice, string discount)
    {
        if (description is not null)
        {
            await line.Locator("input[data-testid=quote-line-description]").FillAsync(description);
        }

        await line.Locator("input[data-testid=quote-line-quantity]").FillAsync(quantity);
        if (unitPrice is not null)
        {
            await line.Locator("input[data-testid=quote-line-price]").FillAsync(unitPrice);
        }

        await line.Locator("input[data-testid=quote-line-discount]").FillAsync(discount);
    }
}
