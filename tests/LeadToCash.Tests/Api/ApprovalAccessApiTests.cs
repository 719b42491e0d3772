using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Quotes;
using LeadToCash.Platform.Approvals;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.Tests.Api;

/// <summary>
/// Who may act on an approval: only the requester (or an Admin) withdraws it, wherever it is withdrawn from, and the records
/// say so to their pages.
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
}
