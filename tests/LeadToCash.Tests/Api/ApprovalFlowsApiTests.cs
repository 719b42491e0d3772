using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Quotes;
using LeadToCash.Platform.Approvals;
using LeadToCash.Platform.Auth;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Api;

/// <summary>
/// The approval engine through the API: an Admin's flow chooses the steps by the document's amount; relative, named and role
/// steps; delegation while away; withdrawal and a new round; two approvers deciding one step at once.
/// </summary>
[DatabaseTest]
public sealed class ApprovalFlowsApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task QuoteFlow_LargeTotal_ManagerThenDirectorThenAnyoneInFinanceDecideInOrder()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        await CreateFlowAsync(admin, new ApprovalFlowRequest(Quote.RecordType, "大额报价", 10,
            [new FlowStepDto(ApproverKind.Manager), new FlowStepDto(ApproverKind.Director), new FlowStepDto(ApproverKind.Role, RoleName: Roles.Finance)],
            [new FlowConditionDto("amount", ConditionOperator.AtLeast, 100_000m)]));
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var director = await app.ClientForAsync(DemoUsers.EastDirector);
        using var finance = await app.ClientForAsync(DemoUsers.Finance);

        var small = await SubmitQuoteAsync(rep, "小额流程", unitPrice: 1_000_000);
        var large = await SubmitQuoteAsync(rep, "大额流程", unitPrice: 20_000_000);

        Assert.Single((await rep.GetJsonAsync<ApprovalDto>($"/api/v1/approvals/{small.Approval!.Id}")).Steps);
        var approval = await rep.GetJsonAsync<ApprovalDto>($"/api/v1/approvals/{large.Approval!.Id}");
        Assert.Equal(["manager", "director", Roles.Finance], approval.Steps.Select(s => s.Role));
        Assert.Equal(await TestLeads.UserIdAsync(app, DemoUsers.EastDirector), approval.Steps[1].ApproverId);
        await (await director.PostAsJsonAsync($"/api/v1/approvals/{approval.Id}/approve", new ApprovalDecisionRequest(), Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        await ApproveAsync(manager, approval.Id);
        Assert.Contains(await director.GetJsonAsync<List<ApprovalDto>>("/api/v1/approvals?mine=pending"), a => a.Id == approval.Id);
        await ApproveAsync(director, approval.Id);
        Assert.Contains(await finance.GetJsonAsync<List<ApprovalDto>>("/api/v1/approvals?mine=pending"), a => a.Id == approval.Id);
        var done = await ApproveAsync(finance, approval.Id);

        Assert.Equal(ApprovalStatus.Approved, done.Status);
        Assert.Equal(await TestLeads.UserIdAsync(app, DemoUsers.Finance), done.Steps[2].DecidedBy);
        Assert.Equal(QuoteStatus.Approved, (await rep.GetJsonAsync<QuoteDto>($"/api/v1/quotes/{large.Id}")).Status);
        await using var db = await app.SystemDbAsync();
        var financeId = await TestLeads.UserIdAsync(app, DemoUsers.Finance);
        Assert.True(await db.Notifications.AnyAsync(n => n.UserId == financeId && n.Kind == ApprovalFlowEngine.RequestedKind && n.RecordId == large.Id, Ct));
    }

    [Fact]
    public async Task Delegation_WhileAway_TheDelegateDecidesForTheApproverAndNotAfterItEnds()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var director = await app.ClientForAsync(DemoUsers.Director);
        var directorId = await TestLeads.UserIdAsync(app, DemoUsers.Director);
        await (await manager.PostAsJsonAsync("/api/v1/approvals/delegations", new DelegationRequest(await TestLeads.UserIdAsync(app, DemoUsers.Manager),
            app.Clock.GetUtcNow().UtcDateTime.AddDays(3)), Ct)).ExpectFieldErrorAsync("toUserId");
        var delegation = await (await manager.PostAsJsonAsync("/api/v1/approvals/delegations",
            new DelegationRequest(directorId, app.Clock.GetUtcNow().UtcDateTime.AddDays(3), Reason: "出差"), Ct)).ExpectJsonAsync<DelegationDto>(HttpStatusCode.Created);
        await (await manager.PostAsJsonAsync("/api/v1/approvals/delegations",
            new DelegationRequest(directorId, app.Clock.GetUtcNow().UtcDateTime.AddDays(5)), Ct)).ExpectProblemAsync(HttpStatusCode.Conflict);
        var first = await SubmitQuoteAsync(rep, "委托审批", unitPrice: 1_000_000);

        Assert.Contains(await director.GetJsonAsync<List<ApprovalDto>>("/api/v1/approvals?mine=pending"), a => a.Id == first.Approval!.Id);
        var decided = await ApproveAsync(director, first.Approval!.Id);
        Assert.Equal((await TestLeads.UserIdAsync(app, DemoUsers.Manager), directorId), (decided.Steps[0].ApproverId, decided.Steps[0].DecidedBy));
        Assert.True(delegation.IsActive);

        await (await manager.DeleteAsync($"/api/v1/approvals/delegations/{delegation.Id}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        var second = await SubmitQuoteAsync(rep, "委托结束", unitPrice: 1_000_000);
        Assert.DoesNotContain(await director.GetJsonAsync<List<ApprovalDto>>("/api/v1/approvals?mine=pending"), a => a.Id == second.Approval!.Id);
        await (await director.PostAsJsonAsync($"/api/v1/approvals/{second.Approval!.Id}/approve", new ApprovalDecisionRequest(), Ct))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(await manager.GetJsonAsync<List<DelegationDto>>("/api/v1/approvals/delegations"));
    }

    [Fact]
    public async Task Withdraw_ThenResubmit_StartsANewRoundAndKeepsTheOldOne()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var quote = await SubmitQuoteAsync(rep, "撤回重提", unitPrice: 1_000_000);
        await (await manager.PostAsync($"/api/v1/approvals/{quote.Approval!.Id}/withdraw", null, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        var withdrawn = await (await rep.PostAsync($"/api/v1/approvals/{quote.Approval.Id}/withdraw", null, Ct)).ExpectJsonAsync<ApprovalDto>();
        Assert.Equal(ApprovalStatus.Cancelled, withdrawn.Status);
        Assert.Equal(QuoteStatus.Draft, (await rep.GetJsonAsync<QuoteDto>($"/api/v1/quotes/{quote.Id}")).Status);
        await (await rep.PostAsync($"/api/v1/approvals/{quote.Approval.Id}/withdraw", null, Ct)).ExpectProblemAsync(HttpStatusCode.Conflict);

        var again = await (await rep.PostAsync($"/api/v1/quotes/{quote.Id}/submit", null, Ct)).ExpectJsonAsync<QuoteDto>();
        var rounds = await manager.GetJsonAsync<List<ApprovalDto>>($"/api/v1/approvals/records/{Quote.RecordType}/{quote.Id}");

        Assert.Equal([(2, ApprovalStatus.Pending), (1, ApprovalStatus.Cancelled)], rounds.Select(r => (r.Round, r.Status)));
        Assert.Equal(again.Approval!.Id, rounds[0].Id);
        using var otherTeam = await app.ClientForAsync(DemoUsers.Manager2);
        Assert.Empty(await otherTeam.GetJsonAsync<List<ApprovalDto>>($"/api/v1/approvals/records/{Quote.RecordType}/{quote.Id}"));
    }

    [Fact]
    public async Task Decide_TwoApproversOnTheSameStepAtOnce_OnlyOneSucceeds()
    {
        var manager = await TestLeads.UserIdAsync(app, DemoUsers.Manager);
        var requester = await TestLeads.UserIdAsync(app, DemoUsers.Rep);
        await using var scope = app.Services.CreateAsyncScope();
        var approvals = scope.ServiceProvider.GetRequiredService<ApprovalService>();
        Guid id;
        await using (var db = await app.SystemDbAsync())
        {
            id = approvals.Start(db, "contract", Guid.CreateVersion7(), "两人同时审批", requester,
                [new ApprovalStepSpec(Guid.Empty, Roles.Finance, Roles.Finance), new ApprovalStepSpec(manager, "manager")]).Id;
            await db.SaveChangesAsync(Ct);
        }

        await using var first = await app.SystemDbAsync();
        await using var second = await app.SystemDbAsync();
        var financeA = new ApprovalActor(Guid.CreateVersion7(), new HashSet<string> { Roles.Finance });
        var financeB = new ApprovalActor(Guid.CreateVersion7(), new HashSet<string> { Roles.Finance });
        await approvals.DecideAsync(first, financeA, id, approve: true, "同意", Ct);
        await approvals.DecideAsync(second, financeB, id, approve: false, "不同意", Ct);

        await first.SaveChangesAsync(Ct);
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync(Ct));
        await using var check = await app.SystemDbAsync();
        var step = await check.ApprovalSteps.SingleAsync(s => s.RequestId == id && s.StepNo == 1, Ct);
        Assert.Equal((ApprovalStatus.Approved, financeA.Id), (step.Status, step.DecidedBy));
        Assert.Equal(2, (await check.ApprovalRequests.SingleAsync(r => r.Id == id, Ct)).CurrentStep);
    }

    [Fact]
    public async Task Flows_AdminOnlyAndValidated_ListedByTypeWithTheirConditionFields()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        await (await manager.GetAsync("/api/v1/approval-flows", Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        var types = await admin.GetJsonAsync<List<ApprovalDocumentTypeDto>>("/api/v1/approval-flows/document-types");
        Assert.Equal(["amount", "discount"], types.Single(t => t.DocumentType == Quote.RecordType).Fields);
        await (await admin.PostAsJsonAsync("/api/v1/approval-flows", new ApprovalFlowRequest(Quote.RecordType, "坏流程", 1,
            [new FlowStepDto(ApproverKind.Role, RoleName: "Nobody")], [new FlowConditionDto("colour", ConditionOperator.AtLeast, 1m)]), Ct))
            .ExpectFieldErrorAsync("steps[0].roleName");
        await (await admin.PostAsJsonAsync("/api/v1/approval-flows", new ApprovalFlowRequest("spaceship", "坏流程", 1, []), Ct))
            .ExpectFieldErrorAsync("documentType");

        var flow = await CreateFlowAsync(admin, new ApprovalFlowRequest(Quote.RecordType, "指定审批人", 500,
            [new FlowStepDto(ApproverKind.User, await TestLeads.UserIdAsync(app, DemoUsers.Director))]));
        var renamed = await (await admin.PutAsJsonAsync($"/api/v1/approval-flows/{flow.Id}", new ApprovalFlowRequest(Quote.RecordType, "指定总监审批", 500,
            [new FlowStepDto(ApproverKind.User, await TestLeads.UserIdAsync(app, DemoUsers.Director)), new FlowStepDto(ApproverKind.Manager)],
            Version: flow.Version), Ct)).ExpectJsonAsync<ApprovalFlowDto>();

        Assert.Equal(("指定总监审批", 2, "王立华"), (renamed.Name, renamed.Steps.Count, renamed.Steps[0].UserName));
        await (await admin.PutAsJsonAsync($"/api/v1/approval-flows/{flow.Id}", new ApprovalFlowRequest(Quote.RecordType, "旧版本", 500,
            [new FlowStepDto(ApproverKind.Manager)], Version: flow.Version), Ct)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await admin.DeleteAsync($"/api/v1/approval-flows/{flow.Id}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        Assert.DoesNotContain(await admin.GetJsonAsync<List<ApprovalFlowDto>>("/api/v1/approval-flows"), f => f.Id == flow.Id);
    }

    private static async Task<ApprovalFlowDto> CreateFlowAsync(HttpClient admin, ApprovalFlowRequest request) =>
        await (await admin.PostAsJsonAsync("/api/v1/approval-flows", request, Ct)).ExpectJsonAsync<ApprovalFlowDto>(HttpStatusCode.Created);

    private static async Task<ApprovalDto> ApproveAsync(HttpClient client, Guid id) =>
        await (await client.PostAsJsonAsync($"/api/v1/approvals/{id}/approve", new ApprovalDecisionRequest(), Ct)).ExpectJsonAsync<ApprovalDto>();

    /// <summary>A quote of one line with a 15 % discount (above the 10 % threshold), submitted: it waits for approval.</summary>
    private async Task<QuoteDto> SubmitQuoteAsync(HttpClient rep, string name, long unitPrice)
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, name);
        var quote = await (await rep.PostAsJsonAsync($"/api/v1/opportunities/{opportunity.Id}/quotes", new CreateQuoteRequest(name,
            [new QuoteLineRequest(Description: "系统", Quantity: 1, UnitPriceMinor: unitPrice, DiscountPercent: 15m)]), Http.Json, Ct))
            .ExpectJsonAsync<QuoteDto>(HttpStatusCode.Created);
        var submitted = await (await rep.PostAsync($"/api/v1/quotes/{quote.Id}/submit", null, Ct)).ExpectJsonAsync<QuoteDto>();
        Assert.Equal(QuoteStatus.PendingApproval, submitted.Status);
        return submitted;
    }
}
