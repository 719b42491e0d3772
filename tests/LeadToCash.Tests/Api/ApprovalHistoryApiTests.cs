using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LeadToCash.Modules.Audit;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Quotes;
using LeadToCash.Platform.Approvals;
using LeadToCash.Platform.Auth;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.Tests.Api;

/// <summary>
/// Every approval step is in the record's history: rounds submitted, steps decided (by the approver, a role holder or a
/// delegate, with the comment), rounds withdrawn, merged with the field changes newest first; only for those who see the record.
/// </summary>
[DatabaseTest]
public sealed class ApprovalHistoryApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ContractHistory_DelegateApprovesFinanceRejectsAndRepResubmits_ShowsEachEventInOrderWithNamesAndComment()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var director = await app.ClientForAsync(DemoUsers.Director);
        using var finance = await app.ClientForAsync(DemoUsers.Finance);
        var repId = await TestLeads.UserIdAsync(app, DemoUsers.Rep);
        var managerId = await TestLeads.UserIdAsync(app, DemoUsers.Manager);
        var directorId = await TestLeads.UserIdAsync(app, DemoUsers.Director);
        var financeId = await TestLeads.UserIdAsync(app, DemoUsers.Finance);
        // ¥50,000: the demo flow below ¥100,000 — the owner's manager (李娜), then anyone in Finance.
        var contract = await TestContracts.DraftForNewCustomerAsync(app, rep, DemoUsers.Rep, "审批历史合同", amountMinor: 5_000_000);
        var delegation = await (await manager.PostAsJsonAsync("/api/v1/approvals/delegations",
            new DelegationRequest(directorId, TestLeads.Now(app).AddDays(2), Reason: "出差"), Http.Json, Ct)).ExpectJsonAsync<DelegationDto>(HttpStatusCode.Created);

        var first = (await TestContracts.PostAsync(rep, $"/api/v1/contracts/{contract.Id}/submit")).Approvals.Single().Id;
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await (await director.PostAsJsonAsync($"/api/v1/approvals/{first}/approve", new ApprovalDecisionRequest("替李娜审批：同意"), Http.Json, Ct))
            .ExpectAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await (await finance.PostAsJsonAsync($"/api/v1/approvals/{first}/reject", new ApprovalDecisionRequest("付款条件需改为预付 30%"), Http.Json, Ct))
            .ExpectAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = (await TestContracts.PostAsync(rep, $"/api/v1/contracts/{contract.Id}/submit")).Approvals[^1].Id;
        await (await manager.DeleteAsync($"/api/v1/approvals/delegations/{delegation.Id}", Ct)).ExpectAsync(HttpStatusCode.NoContent);

        var history = await rep.GetJsonAsync<List<HistoryEntryDto>>($"/api/v1/history/contract/{contract.Id}");

        var events = history.Where(h => h.Kind == HistoryEntryKind.Approval).ToList();
        Assert.Equal(["approval.submitted", "approval.rejected", "approval.approved", "approval.submitted"], events.Select(e => e.Field));
        Assert.Equal([(second, 2), (first, 1), (first, 1), (first, 1)], events.Select(e => (e.Approval!.RequestId, e.Approval.Round)));
        Assert.Equal([(repId, "张伟"), (financeId, "钱芳"), (directorId, "王立华"), (repId, "张伟")], events.Select(e => (e.ChangedBy!.Value, e.ChangedByName!)));
        var rejected = events[1].Approval!;
        Assert.Equal((2, Roles.Finance, null, "付款条件需改为预付 30%", false),
            (rejected.StepNo!.Value, rejected.ApproverRole, rejected.ApproverName, rejected.Comment, rejected.DecidedByDelegate));
        Assert.Equal("付款条件需改为预付 30%", events[1].NewValue);
        var approved = events[2].Approval!;
        Assert.Equal((1, managerId, "李娜", "替李娜审批：同意", true),
            (approved.StepNo!.Value, approved.ApproverId!.Value, approved.ApproverName, approved.Comment, approved.DecidedByDelegate));
        Assert.Equal($"Contract {contract.Number} (审批历史合同), amount ¥50,000.00", events[3].Approval!.Reason);
        Assert.Equal(events[3].Approval!.Reason, events[3].NewValue);
        // One list, newest first: the field changes and the approval events side by side.
        Assert.Equal(history.OrderByDescending(h => h.ChangedAt).Select(h => h.Id), history.Select(h => h.Id));
        Assert.True(history.FindIndex(h => h.Field == nameof(Contract.Status) && h.NewValue == nameof(ContractStatus.Rejected))
            < history.FindIndex(h => h.Field == "approval.rejected"));
        Assert.Contains(history, h => h.Kind == HistoryEntryKind.Change && h.Action == Platform.Data.AuditAction.Created);

        // The reason in the reader's language.
        using var inChinese = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/history/contract/{contract.Id}");
        inChinese.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("zh-CN"));
        var chinese = await (await finance.SendAsync(inChinese, Ct)).ExpectJsonAsync<List<HistoryEntryDto>>();
        Assert.Equal($"合同 {contract.Number}（审批历史合同），金额 ¥50,000.00", chinese.First(h => h.Field == "approval.submitted").Approval!.Reason);

        foreach (var outsider in new[] { DemoUsers.Rep2, DemoUsers.Manager2 })
        {
            using var client = await app.ClientForAsync(outsider);
            await (await client.GetAsync($"/api/v1/history/contract/{contract.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task QuoteHistory_RejectedThenResubmittedAndWithdrawn_ShowsTheRoundsAndOnlyToThoseWhoSeeTheDeal()
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "报价审批历史商机");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var quote = await (await rep.PostAsJsonAsync($"/api/v1/opportunities/{opportunity.Id}/quotes", new CreateQuoteRequest("历史方案",
            [new QuoteLineRequest(Description: "系统", Quantity: 1, UnitPriceMinor: 100_000, DiscountPercent: 25m)]), Http.Json, Ct))
            .ExpectJsonAsync<QuoteDto>(HttpStatusCode.Created);
        var first = (await (await rep.PostAsync($"/api/v1/quotes/{quote.Id}/submit", null, Ct)).ExpectJsonAsync<QuoteDto>()).Approval!.Id;
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        await (await manager.PostAsJsonAsync($"/api/v1/approvals/{first}/reject", new ApprovalDecisionRequest("折扣最多 20%"), Http.Json, Ct))
            .ExpectAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        var second = (await (await rep.PostAsync($"/api/v1/quotes/{quote.Id}/submit", null, Ct)).ExpectJsonAsync<QuoteDto>()).Approval!.Id;
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        await (await rep.PostAsync($"/api/v1/approvals/{second}/withdraw", null, Ct)).ExpectAsync(HttpStatusCode.OK);

        var history = await manager.GetJsonAsync<List<HistoryEntryDto>>($"/api/v1/history/quote/{quote.Id}");

        var events = history.Where(h => h.Kind == HistoryEntryKind.Approval).ToList();
        Assert.Equal([ApprovalEventKind.Withdrawn, ApprovalEventKind.Submitted, ApprovalEventKind.Rejected, ApprovalEventKind.Submitted],
            events.Select(e => e.Approval!.Event));
        Assert.Equal([2, 2, 1, 1], events.Select(e => e.Approval!.Round));
        Assert.Equal(["张伟", "张伟", "李娜", "张伟"], events.Select(e => e.ChangedByName));
        Assert.Equal(("李娜", "折扣最多 20%"), (events[2].Approval!.ApproverName, events[2].Approval!.Comment));
        Assert.Equal("Line 1 (系统): discount 25 % is above 10 %", events[3].Approval!.Reason);
        Assert.Contains(history, h => h.Kind == HistoryEntryKind.Change && h.Field == nameof(Quote.Status) && h.NewValue == nameof(QuoteStatus.PendingApproval));

        foreach (var outsider in new[] { DemoUsers.Rep2, DemoUsers.Manager2 })
        {
            using var client = await app.ClientForAsync(outsider);
            await (await client.GetAsync($"/api/v1/history/quote/{quote.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        }
    }
}
