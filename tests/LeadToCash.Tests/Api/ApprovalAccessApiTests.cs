using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Quotes;
using LeadToCash.Platform.Approvals;
using LeadToCash.Platform.Auth;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.Tests.Api;

/// <summary>
/// Who may act on an approval: only the requester (or an Admin) withdraws it, wherever it is withdrawn from, and the records
/// say so to their pages; an approver outside the record's data scope (a delegate, a role holder of another team) decides
/// on its essentials in the inbox while the record stays closed to them, and to everyone else.
/// </summary>
[DatabaseTest]
public sealed class ApprovalAccessApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithdrawContract_TheOwnersManager_IsRefusedAndTheRequesterWithdraws()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var contract = await TestContracts.DraftForNewCustomerAsync(app, rep, DemoUsers.Rep, "撤回权限合同", amountMinor: 5_000_000);
        var submitted = await TestContracts.PostAsync(rep, $"/api/v1/contracts/{contract.Id}/submit");

        var seenByManager = await manager.GetJsonAsync<ContractDto>($"/api/v1/contracts/{contract.Id}");
        Assert.Equal((true, false), (seenByManager.CanChange, seenByManager.Approvals[^1].CanWithdraw));
        Assert.True(submitted.Approvals[^1].CanWithdraw);
        await (await manager.PostAsync($"/api/v1/contracts/{contract.Id}/withdraw", null, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(ContractStatus.InApproval, (await TestContracts.ReloadAsync(app, contract.Id)).Status);

        var withdrawn = await TestContracts.PostAsync(rep, $"/api/v1/contracts/{contract.Id}/withdraw");

        Assert.Equal((ContractStatus.Draft, ApprovalStatus.Cancelled, false),
            (withdrawn.Status, withdrawn.Approvals[^1].Status, withdrawn.Approvals[^1].CanWithdraw));
    }

    [Fact]
    public async Task QuoteApproval_CanWithdraw_OnlyForTheRequesterWhilePending()
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "撤回权限商机");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var quote = await (await rep.PostAsJsonAsync($"/api/v1/opportunities/{opportunity.Id}/quotes", new CreateQuoteRequest("撤回方案",
            [new QuoteLineRequest(Description: "系统", Quantity: 1, UnitPriceMinor: 100_000, DiscountPercent: 25m)]), Http.Json, Ct))
            .ExpectJsonAsync<QuoteDto>(HttpStatusCode.Created);
        var submitted = await (await rep.PostAsync($"/api/v1/quotes/{quote.Id}/submit", null, Ct)).ExpectJsonAsync<QuoteDto>();

        Assert.True(submitted.Approval!.CanWithdraw);
        var seenByManager = await manager.GetJsonAsync<QuoteDto>($"/api/v1/quotes/{quote.Id}");
        Assert.Equal((true, false), (seenByManager.CanChange, seenByManager.Approval!.CanWithdraw));
        await (await manager.PostAsync($"/api/v1/approvals/{submitted.Approval.Id}/withdraw", null, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await rep.PostAsync($"/api/v1/approvals/{submitted.Approval.Id}/withdraw", null, Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.False((await rep.GetJsonAsync<QuoteDto>($"/api/v1/quotes/{quote.Id}")).Approval!.CanWithdraw);
    }

    [Fact]
    public async Task DelegateFromAnotherTeam_SeesTheContractsEssentialsInTheInboxAndApproves_TheRecordStaysClosed()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var delegate2 = await app.ClientForAsync(DemoUsers.Manager2);
        using var outsider = await app.ClientForAsync("manager3@demo.test");
        var customer = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.Rep, "委托外组客户");
        var contract = await TestContracts.CreateAsync(rep, new CreateContractRequest(CustomerId: customer.Id, Title: "委托外组合同",
            Lines: [new ContractLineRequest("智能网关", 2, 1_500_000, Unit: "台"), new ContractLineRequest("实施服务", 1, 2_000_000)]));
        var delegation = await (await manager.PostAsJsonAsync("/api/v1/approvals/delegations",
            new DelegationRequest(await TestLeads.UserIdAsync(app, DemoUsers.Manager2), TestLeads.Now(app).AddDays(2), Reason: "休假"), Http.Json, Ct))
            .ExpectJsonAsync<DelegationDto>(HttpStatusCode.Created);
        var approvalId = (await TestContracts.PostAsync(rep, $"/api/v1/contracts/{contract.Id}/submit")).Approvals[^1].Id;

        await (await delegate2.GetAsync($"/api/v1/contracts/{contract.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        var item = Assert.Single(await delegate2.GetJsonAsync<List<ApprovalDto>>("/api/v1/approvals?mine=pending"), a => a.RecordId == contract.Id);
        Assert.Equal(($"{contract.Number} · 委托外组合同", null, "委托外组客户", 5_000_000L, "CNY"),
            (item.Subject!.Title, item.Subject.Link, item.Subject.CustomerName, item.Subject.AmountMinor!.Value, item.Subject.Currency));
        Assert.Contains(contract.Number, item.Reason, StringComparison.Ordinal);
        var read = await delegate2.GetJsonAsync<ApprovalDto>($"/api/v1/approvals/{approvalId}");
        Assert.Equal([("智能网关", 2m, 3_000_000L), ("实施服务", 1m, 2_000_000L)],
            read.Subject!.Lines!.Select(l => (l.Description, l.Quantity, l.LineTotalMinor)));
        Assert.Null(read.Subject.Detail);
        Assert.Null(read.Subject.Link);

        foreach (var stranger in new[] { outsider, await app.ClientForAsync(DemoUsers.Rep2) })
        {
            using (stranger)
            {
                await (await stranger.GetAsync($"/api/v1/approvals/{approvalId}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
                await (await stranger.PostAsJsonAsync($"/api/v1/approvals/{approvalId}/approve", new ApprovalDecisionRequest(), Http.Json, Ct))
                    .ExpectProblemAsync(HttpStatusCode.NotFound);
                await (await stranger.GetAsync($"/api/v1/contracts/{contract.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
                Assert.DoesNotContain(await stranger.GetJsonAsync<List<ApprovalDto>>("/api/v1/approvals?mine=pending"), a => a.RecordId == contract.Id);
            }
        }

        var decided = await (await delegate2.PostAsJsonAsync($"/api/v1/approvals/{approvalId}/approve", new ApprovalDecisionRequest("代李娜同意"), Http.Json, Ct))
            .ExpectJsonAsync<ApprovalDto>();

        Assert.Equal((2, await TestLeads.UserIdAsync(app, DemoUsers.Manager2), "代李娜同意"),
            (decided.CurrentStep, decided.Steps[0].DecidedBy!.Value, decided.Steps[0].Comment));
        Assert.Contains(await delegate2.GetJsonAsync<List<ApprovalDto>>("/api/v1/approvals?mine=decided"), a => a.Id == approvalId && a.Subject!.Link is null);
        await (await delegate2.GetAsync($"/api/v1/contracts/{contract.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await delegate2.GetAsync($"/api/v1/history/contract/{contract.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(ContractStatus.InApproval, (await TestContracts.ReloadAsync(app, contract.Id)).Status);
        // The rep reads who decided, for whom.
        var history = await rep.GetJsonAsync<List<Modules.Audit.HistoryEntryDto>>($"/api/v1/history/contract/{contract.Id}");
        Assert.Contains(history, h => h.Field == "approval.approved" && h.ChangedByName == "杨帆" && h.Approval!.ApproverName == "李娜" && h.Approval.DecidedByDelegate);

        await (await manager.DeleteAsync($"/api/v1/approvals/delegations/{delegation.Id}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task RoleHolderOfAnotherTeam_DecidesTheLastStepOnTheEssentials_TheQuoteIsApproved()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        await (await admin.PostAsJsonAsync("/api/v1/approval-flows", new ApprovalFlowRequest(Quote.RecordType, "超大额报价：任一经理", 1,
            [new FlowStepDto(ApproverKind.Role, RoleName: Roles.Manager)], [new FlowConditionDto("amount", ConditionOperator.AtLeast, 5_000_000m)]), Ct))
            .ExpectAsync(HttpStatusCode.Created);
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "角色审批外组商机");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var otherManager = await app.ClientForAsync("manager3@demo.test");
        var quote = await (await rep.PostAsJsonAsync($"/api/v1/opportunities/{opportunity.Id}/quotes", new CreateQuoteRequest("超大额方案",
            [new QuoteLineRequest(Description: "整线改造", Quantity: 1, UnitPriceMinor: 800_000_000, DiscountPercent: 25m)]), Http.Json, Ct))
            .ExpectJsonAsync<QuoteDto>(HttpStatusCode.Created);
        var submitted = await (await rep.PostAsync($"/api/v1/quotes/{quote.Id}/submit", null, Ct)).ExpectJsonAsync<QuoteDto>();
        Assert.Equal(QuoteStatus.PendingApproval, submitted.Status);

        await (await otherManager.GetAsync($"/api/v1/quotes/{quote.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        var item = Assert.Single(await otherManager.GetJsonAsync<List<ApprovalDto>>("/api/v1/approvals?mine=pending"), a => a.RecordId == quote.Id);
        Assert.Equal((Roles.Manager, null, submitted.CustomerName), (item.Steps[0].ApproverRole, item.Subject!.Link, item.Subject.CustomerName));
        await (await otherManager.PostAsJsonAsync($"/api/v1/approvals/{item.Id}/approve", new ApprovalDecisionRequest("同意"), Http.Json, Ct))
            .ExpectAsync(HttpStatusCode.OK);

        var approved = await rep.GetJsonAsync<QuoteDto>($"/api/v1/quotes/{quote.Id}");
        Assert.Equal((QuoteStatus.Approved, ApprovalStatus.Approved), (approved.Status, approved.Approval!.Status));
        Assert.Contains(await TestLeads.NotificationsAboutAsync(app, quote.Id), n => n.Email == DemoUsers.Rep && n.Kind == "quote.approved");
        await (await otherManager.GetAsync($"/api/v1/quotes/{quote.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
