using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Quotes;
using LeadToCash.Platform.Approvals;
using LeadToCash.Platform.Errors;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Api;

/// <summary>
/// Discount approval: the rules (threshold from the settings, floor price), the owner's manager as approver, the inbox, the
/// decisions and the notifications; and the generic approval chain with two steps.
/// </summary>
[DatabaseTest]
public sealed class QuoteApprovalTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SubmitQuote_DiscountAboveThreshold_WaitsForTheOwnersManagerWhoApprovesAndTheRepIsTold()
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "折扣审批商机");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var quote = await CreateAsync(rep, opportunity.Id, [Free("系统", 2, 100_000, 15m), Free("服务", 1, 10_000)]);

        var submitted = await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{quote.Id}/submit");

        Assert.Equal(QuoteStatus.PendingApproval, submitted.Status);
        Assert.Equal(("李娜", ApprovalStatus.Pending), (submitted.Approval!.ApproverName, submitted.Approval.Status));
        Assert.Contains("15", submitted.Approval.Reason, StringComparison.Ordinal);
        Assert.Contains("10", submitted.Approval.Reason, StringComparison.Ordinal);
        Assert.Contains("Line 1", submitted.Approval.Reason, StringComparison.Ordinal);
        await (await rep.PostAsync($"/api/v1/quotes/{quote.Id}/send", null, Ct)).ExpectProblemAsync(HttpStatusCode.Conflict);

        var inbox = await manager.GetJsonAsync<List<ApprovalDto>>("/api/v1/approvals?mine=pending");
        var item = Assert.Single(inbox, a => a.RecordId == quote.Id);
        Assert.Equal((Quote.RecordType, 1, "manager"), (item.RecordType, item.CurrentStep, item.Steps.Single().Role));
        Assert.Equal(quote.TotalMinor, item.Subject!.AmountMinor);
        var detail = await manager.GetJsonAsync<ApprovalDto>($"/api/v1/approvals/{item.Id}");
        var lines = ((System.Text.Json.JsonElement)detail.Subject!.Detail!).GetProperty("lines");
        Assert.Equal(("系统", 2), (lines[0].GetProperty("description").GetString(), lines.GetArrayLength()));
        Assert.Equal(item.Id, (await rep.GetJsonAsync<ApprovalDto>($"/api/v1/approvals/{item.Id}")).Id);
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
        await (await rep2.GetAsync($"/api/v1/approvals/{item.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);

        var approved = await (await manager.PostAsJsonAsync($"/api/v1/approvals/{item.Id}/approve", new ApprovalDecisionRequest("同意，本季度冲量"), Http.Json, Ct))
            .ExpectJsonAsync<ApprovalDto>();

        Assert.Equal(ApprovalStatus.Approved, approved.Status);
        var after = await rep.GetJsonAsync<QuoteDto>($"/api/v1/quotes/{quote.Id}");
        Assert.Equal(QuoteStatus.Approved, after.Status);
        Assert.Equal(QuoteStatus.Sent, (await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{quote.Id}/send")).Status);
        Assert.DoesNotContain(await manager.GetJsonAsync<List<ApprovalDto>>("/api/v1/approvals?mine=pending"), a => a.Id == item.Id);
        await using var db = await app.SystemDbAsync();
        var repId = await TestLeads.UserIdAsync(app, DemoUsers.Rep);
        var managerId = await TestLeads.UserIdAsync(app, DemoUsers.Manager);
        Assert.True(await db.Notifications.AnyAsync(n => n.UserId == managerId && n.Kind == ApprovalFlowEngine.RequestedKind && n.RecordId == quote.Id, Ct));
        var told = await db.Notifications.SingleAsync(n => n.UserId == repId && n.Kind == "quote.approved" && n.RecordId == quote.Id, Ct);
        Assert.Contains("同意，本季度冲量", told.ArgsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApprovalReason_IsShownInEachReadersLanguage_NotTheRequesters()
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "双语审批商机");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var quote = await CreateAsync(rep, opportunity.Id, [Free("系统", 1, 100_000, 12.5m)]);
        var submitted = await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{quote.Id}/submit");
        Assert.Equal("Line 1 (系统): discount 12.5 % is above 10 %", submitted.Approval!.Reason);

        using var inChinese = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/approvals/{submitted.Approval.Id}");
        inChinese.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("zh-CN"));
        var read = await (await manager.SendAsync(inChinese, Ct)).ExpectJsonAsync<ApprovalDto>();

        Assert.Equal("第 1 行（系统）：折扣 12.5% 超过 10%", read.Reason);
        Assert.Equal(submitted.Approval.Reason, (await manager.GetJsonAsync<ApprovalDto>($"/api/v1/approvals/{submitted.Approval.Id}")).Reason);
    }

    [Fact]
    public async Task RejectApproval_WithComment_SendsTheQuoteBackToDraftWithTheCommentShown()
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "驳回审批商机");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var quote = await CreateAsync(rep, opportunity.Id, [Free("系统", 1, 100_000, 30m)]);
        var submitted = await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{quote.Id}/submit");
        var approvalId = submitted.Approval!.Id;

        await (await manager.PostAsJsonAsync($"/api/v1/approvals/{approvalId}/reject", new ApprovalDecisionRequest(), Http.Json, Ct))
            .ExpectFieldErrorAsync("comment");
        await (await rep.PostAsJsonAsync($"/api/v1/approvals/{approvalId}/approve", new ApprovalDecisionRequest(), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        var rejected = await (await manager.PostAsJsonAsync($"/api/v1/approvals/{approvalId}/reject", new ApprovalDecisionRequest("折扣过大，最多 20%"), Http.Json, Ct))
            .ExpectJsonAsync<ApprovalDto>();

        Assert.Equal(ApprovalStatus.Rejected, rejected.Status);
        var back = await rep.GetJsonAsync<QuoteDto>($"/api/v1/quotes/{quote.Id}");
        Assert.Equal((QuoteStatus.Draft, ApprovalStatus.Rejected, "折扣过大，最多 20%"), (back.Status, back.Approval!.Status, back.Approval.Comment));
        await (await manager.PostAsJsonAsync($"/api/v1/approvals/{approvalId}/approve", new ApprovalDecisionRequest(), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        await using var db = await app.SystemDbAsync();
        var repId = await TestLeads.UserIdAsync(app, DemoUsers.Rep);
        Assert.True(await db.Notifications.AnyAsync(n => n.UserId == repId && n.Kind == "quote.approval-rejected" && n.RecordId == quote.Id, Ct));

        // Fixed and submitted again: a new request.
        var fixedQuote = await (await rep.PutAsJsonAsync($"/api/v1/quotes/{quote.Id}", new UpdateQuoteRequest(back.Title, [Free("系统", 1, 100_000, 8m)],
            Version: back.Version), Http.Json, Ct)).ExpectJsonAsync<QuoteDto>();
        Assert.Equal(QuoteStatus.Approved, (await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{fixedQuote.Id}/submit")).Status);
    }

    [Fact]
    public async Task SubmitQuote_ThresholdRaisedInTheSettings_SameDiscountNeedsNoApproval()
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep2, "阈值设置商机");
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
        var low = await CreateAsync(rep2, opportunity.Id, [Free("系统", 1, 100_000, 15m)]);
        Assert.Equal(QuoteStatus.PendingApproval, (await PostAsync<QuoteDto>(rep2, $"/api/v1/quotes/{low.Id}/submit")).Status);

        await using (var db = await app.SystemDbAsync())
        {
            var settings = await db.OpportunitySettings.FirstOrDefaultAsync(Ct);
            if (settings is null)
            {
                db.OpportunitySettings.Add(new OpportunitySettings { DiscountApprovalPercent = 20m });
            }
            else
            {
                settings.DiscountApprovalPercent = 20m;
            }

            await db.SaveChangesAsync(Ct);
        }

        try
        {
            var again = await CreateAsync(rep2, opportunity.Id, [Free("系统", 1, 100_000, 15m)]);
            Assert.Equal(QuoteStatus.Approved, (await PostAsync<QuoteDto>(rep2, $"/api/v1/quotes/{again.Id}/submit")).Status);
        }
        finally
        {
            await using var db = await app.SystemDbAsync();
            (await db.OpportunitySettings.FirstAsync(Ct)).DiscountApprovalPercent = 10m;
            await db.SaveChangesAsync(Ct);
        }
    }

    [Fact]
    public async Task SubmitQuote_NetPriceBelowTheProductsFloor_NeedsApprovalNamingTheFloor()
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "底价商机");
        var product = await QuoteTestData.AddProductAsync(app, "FLOOR-1", 100_000, floorPriceMinor: 96_000);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var quote = await CreateAsync(rep, opportunity.Id, [new QuoteLineRequest(product.Id, Quantity: 1, DiscountPercent: 5m)]);

        var submitted = await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{quote.Id}/submit");

        Assert.Equal(QuoteStatus.PendingApproval, submitted.Status);
        Assert.Contains("floor", submitted.Approval!.Reason, StringComparison.Ordinal);
        Assert.Contains("960.00", submitted.Approval.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitQuote_ManagersOwnDeal_GoesToTheHeadOfTheTeamAbove()
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Manager, "经理自己的商机");
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var eastDirector = await app.ClientForAsync(DemoUsers.EastDirector);
        var quote = await CreateAsync(manager, opportunity.Id, [Free("系统", 1, 100_000, 25m)]);

        await PostAsync<QuoteDto>(manager, $"/api/v1/quotes/{quote.Id}/submit");

        Assert.DoesNotContain(await manager.GetJsonAsync<List<ApprovalDto>>("/api/v1/approvals?mine=pending"), a => a.RecordId == quote.Id);
        Assert.Contains(await eastDirector.GetJsonAsync<List<ApprovalDto>>("/api/v1/approvals?mine=pending"), a => a.RecordId == quote.Id);
        Assert.Contains(await manager.GetJsonAsync<List<ApprovalDto>>("/api/v1/approvals?mine=requested"), a => a.RecordId == quote.Id);
    }

    [Fact]
    public async Task ReviseQuote_PendingApproval_WithdrawsTheRequest()
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "撤回审批商机");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var quote = await CreateAsync(rep, opportunity.Id, [Free("系统", 1, 100_000, 25m)]);
        var submitted = await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{quote.Id}/submit");

        await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{quote.Id}/revise", HttpStatusCode.Created);

        Assert.Equal(QuoteStatus.Superseded, (await rep.GetJsonAsync<QuoteDto>($"/api/v1/quotes/{quote.Id}")).Status);
        Assert.DoesNotContain(await manager.GetJsonAsync<List<ApprovalDto>>("/api/v1/approvals?mine=pending"), a => a.Id == submitted.Approval!.Id);
        await (await manager.PostAsJsonAsync($"/api/v1/approvals/{submitted.Approval!.Id}/approve", new ApprovalDecisionRequest(), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task ApprovalChain_TwoSteps_AdvancesInOrderAndOnlyTheCurrentApproverDecides()
    {
        var first = await TestLeads.UserIdAsync(app, DemoUsers.Manager);
        var second = await TestLeads.UserIdAsync(app, DemoUsers.Director);
        var requester = await TestLeads.UserIdAsync(app, DemoUsers.Rep);
        await using var scope = app.Services.CreateAsyncScope();
        var approvals = scope.ServiceProvider.GetRequiredService<ApprovalService>();
        Guid id;
        await using (var db = await app.SystemDbAsync())
        {
            id = approvals.Start(db, "contract", Guid.CreateVersion7(), "合同金额超过 100 万", requester,
                [new ApprovalStepSpec(first, "manager"), new ApprovalStepSpec(second, "director")]).Id;
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = await app.SystemDbAsync())
        {
            await Assert.ThrowsAsync<ForbiddenException>(() => approvals.DecideAsync(db, second, id, approve: true, null, Ct));
            var step1 = await approvals.DecideAsync(db, first, id, approve: true, "可以", Ct);
            Assert.Equal((false, ApprovalStatus.Pending, 2), (step1.Finished, step1.Request.Status, step1.Request.CurrentStep));
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = await app.SystemDbAsync())
        {
            await Assert.ThrowsAsync<ForbiddenException>(() => approvals.DecideAsync(db, first, id, approve: true, null, Ct));
            var step2 = await approvals.DecideAsync(db, second, id, approve: true, null, Ct);
            Assert.Equal((true, ApprovalStatus.Approved), (step2.Finished, step2.Request.Status));
            await db.SaveChangesAsync(Ct);
            Assert.Equal([ApprovalStatus.Approved, ApprovalStatus.Approved],
                await db.ApprovalSteps.Where(s => s.RequestId == id).OrderBy(s => s.StepNo).Select(s => s.Status).ToListAsync(Ct));
            await Assert.ThrowsAsync<ConflictException>(() => approvals.DecideAsync(db, second, id, approve: true, null, Ct));
        }
    }

    [Fact]
    public async Task ApprovalChain_FirstStepRejects_EndsTheRequestAndCancelsTheRest()
    {
        var first = await TestLeads.UserIdAsync(app, DemoUsers.Manager);
        var second = await TestLeads.UserIdAsync(app, DemoUsers.Director);
        await using var scope = app.Services.CreateAsyncScope();
        var approvals = scope.ServiceProvider.GetRequiredService<ApprovalService>();
        await using var db = await app.SystemDbAsync();
        var request = approvals.Start(db, "contract", Guid.CreateVersion7(), "付款条件特殊", first,
            [new ApprovalStepSpec(first, "manager"), new ApprovalStepSpec(second, "finance")]);
        await db.SaveChangesAsync(Ct);

        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => approvals.DecideAsync(db, first, request.Id, approve: false, " ", Ct));
        var outcome = await approvals.DecideAsync(db, first, request.Id, approve: false, "付款周期太长", Ct);
        await db.SaveChangesAsync(Ct);

        Assert.Equal((true, ApprovalStatus.Rejected, 1), (outcome.Finished, outcome.Request.Status, outcome.Request.CurrentStep));
        Assert.Equal([ApprovalStatus.Rejected, ApprovalStatus.Cancelled],
            await db.ApprovalSteps.Where(s => s.RequestId == request.Id).OrderBy(s => s.StepNo).Select(s => s.Status).ToListAsync(Ct));
    }

    private static QuoteLineRequest Free(string description, decimal quantity, long price, decimal discount = 0) =>
        new(Description: description, Quantity: quantity, UnitPriceMinor: price, DiscountPercent: discount);

    private static async Task<QuoteDto> CreateAsync(HttpClient client, Guid opportunityId, IReadOnlyList<QuoteLineRequest> lines) =>
        await (await client.PostAsJsonAsync($"/api/v1/opportunities/{opportunityId}/quotes", new CreateQuoteRequest("审批测试方案", lines), Http.Json, Ct))
            .ExpectJsonAsync<QuoteDto>(HttpStatusCode.Created);

    private static async Task<T> PostAsync<T>(HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await client.PostAsync(url, null, Ct)).ExpectJsonAsync<T>(expected);
}
