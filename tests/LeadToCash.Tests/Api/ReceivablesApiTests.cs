using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Receivables;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Api;

/// <summary>
/// A signed contract's payment plan, receipts (matching edge cases) and invoices through the API, with the sums the
/// contract keeps (ReceivedMinor, InvoicedMinor).
/// </summary>
[DatabaseTest]
public sealed class ReceivablesApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateOnly Dec1 = new(2026, 12, 1);

    private static PaymentPlanRequest Template(params decimal[] percents) =>
        new([.. percents.Select((p, i) => new InstalmentRequest($"第{i + 1}期", Dec1.AddMonths(i), Percent: p))]);

    private async Task<(Contract Contract, ContractReceivablesDto Plan)> PlannedAsync(long amount, params decimal[] percents)
    {
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, amount);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var plan = await (await rep.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}/payment-plan", Template(percents), Http.Json, Ct))
            .ExpectJsonAsync<ContractReceivablesDto>();
        return (contract, plan);
    }

    private async Task<ReceiptDto> ReceiveAsync(Guid contractId, long amount, DateOnly? on = null, IReadOnlyList<AllocationRequest>? allocations = null)
    {
        using var finance = await app.ClientForAsync(DemoUsers.Finance);
        return await (await finance.PostAsJsonAsync($"/api/v1/contracts/{contractId}/receipts",
            new ReceiptRequest(on ?? new DateOnly(2026, 11, 20), amount, "bank-transfer", "BANK-REF", Allocations: allocations), Http.Json, Ct))
            .ExpectJsonAsync<ReceiptDto>(HttpStatusCode.Created);
    }

    private async Task<ContractReceivablesDto> ReadAsync(Guid contractId, string email = DemoUsers.Finance)
    {
        using var client = await app.ClientForAsync(email);
        return await client.GetJsonAsync<ContractReceivablesDto>($"/api/v1/contracts/{contractId}/receivables");
    }

    [Fact]
    public async Task SetPlan_Template306010_SplitsTheAmountAndAddsUp()
    {
        var (contract, plan) = await PlannedAsync(100_001, 30m, 60m, 10m);

        Assert.Equal([30_000L, 60_001L, 10_000L], plan.Instalments.Select(i => i.AmountMinor)); // 30000.3, 60000.6 → 60001, rest 10000
        Assert.Equal([1, 2, 3], plan.Instalments.Select(i => i.SeqNo));
        Assert.Equal([30m, 60m, 10m], plan.Instalments.Select(i => i.Percent));
        Assert.Equal(contract.AmountMinor, plan.PlannedMinor);
        Assert.Equal(contract.AmountMinor, plan.OutstandingMinor);
        Assert.Equal(0, plan.OverdueMinor);
        Assert.True(plan.CanEditPlan);
        Assert.All(plan.Instalments, i => Assert.Equal(InstalmentState.Open, i.State));
    }

    [Fact]
    public async Task SetPlan_AmountsNotAddingUp_Returns400NamingInstalments()
    {
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 10_000);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var messages = await (await rep.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}/payment-plan", new PaymentPlanRequest(
        [
            new InstalmentRequest("预付款", Dec1, AmountMinor: 3_000),
            new InstalmentRequest("尾款", Dec1.AddMonths(1), AmountMinor: 6_999),
        ]), Http.Json, Ct)).ExpectFieldErrorAsync("instalments");

        Assert.Contains(messages, m => m.Contains("short by 1", StringComparison.Ordinal));
        Assert.Empty((await ReadAsync(contract.Id)).Instalments);
    }

    [Theory]
    [InlineData(new[] { 30.0, 60.0 }, "instalments")]
    [InlineData(new[] { 0.0, 100.0 }, "instalments[0].percent")]
    [InlineData(new[] { 101.0 }, "instalments[0].percent")]
    public async Task SetPlan_BadPercentages_Returns400NamingTheField(double[] percents, string field)
    {
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 10_000);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        await (await rep.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}/payment-plan", Template([.. percents.Select(p => (decimal)p)]), Http.Json, Ct))
            .ExpectFieldErrorAsync(field);
    }

    [Fact]
    public async Task SetPlan_AmountAndPercentBoth_Returns400()
    {
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 10_000);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        await (await rep.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}/payment-plan",
            new PaymentPlanRequest([new InstalmentRequest("全款", Dec1, AmountMinor: 10_000, Percent: 100m)]), Http.Json, Ct))
            .ExpectFieldErrorAsync("instalments[0].amountMinor");
    }

    [Theory]
    [InlineData(ContractStatus.Draft)]
    [InlineData(ContractStatus.InApproval)]
    [InlineData(ContractStatus.Terminated)]
    public async Task SetPlan_ContractNotSigned_Returns409(ContractStatus status)
    {
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 10_000, status: status);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        await (await rep.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}/payment-plan", Template(100m), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task SetPlan_FinanceOrRepOfAnotherTeam_IsRefused()
    {
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 10_000);
        using var finance = await app.ClientForAsync(DemoUsers.Finance);
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        await (await finance.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}/payment-plan", Template(100m), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await rep2.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}/payment-plan", Template(100m), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        // The rep's manager may write it.
        await (await manager.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}/payment-plan", Template(100m), Http.Json, Ct))
            .ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SetPlan_PaidInstalmentChangedOrRemoved_Returns409AndUnpaidOnesMayChange()
    {
        var (contract, plan) = await PlannedAsync(10_000, 30m, 60m, 10m);
        await ReceiveAsync(contract.Id, 1_000); // part of the first instalment
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var first = plan.Instalments[0];
        var url = $"/api/v1/contracts/{contract.Id}/payment-plan";

        var changed = new PaymentPlanRequest([new InstalmentRequest(first.Label, first.DueDate, AmountMinor: 4_000, Id: first.Id),
            new InstalmentRequest("尾款", Dec1.AddMonths(2), AmountMinor: 6_000)]);
        var moved = new PaymentPlanRequest([new InstalmentRequest(first.Label, first.DueDate.AddDays(1), AmountMinor: 3_000, Id: first.Id),
            new InstalmentRequest("尾款", Dec1.AddMonths(2), AmountMinor: 7_000)]);
        var removed = new PaymentPlanRequest([new InstalmentRequest("全款", Dec1, AmountMinor: 10_000)]);
        await (await rep.PutAsJsonAsync(url, changed, Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await rep.PutAsJsonAsync(url, moved, Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await rep.PutAsJsonAsync(url, removed, Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.Conflict);

        // The paid instalment kept, the other two merged into one and renamed.
        var kept = new PaymentPlanRequest([new InstalmentRequest("预付款（已收部分）", first.DueDate, AmountMinor: 3_000, Id: first.Id),
            new InstalmentRequest("尾款", Dec1.AddMonths(2), AmountMinor: 7_000)]);
        var after = await (await rep.PutAsJsonAsync(url, kept, Http.Json, Ct)).ExpectJsonAsync<ContractReceivablesDto>();

        Assert.Equal(2, after.Instalments.Count);
        Assert.Equal(first.Id, after.Instalments[0].Id);
        Assert.Equal(1_000, after.Instalments[0].ReceivedMinor);
        Assert.Equal("预付款（已收部分）", after.Instalments[0].Label);
        Assert.Equal(1_000, after.ReceivedMinor);
    }

    [Fact]
    public async Task RecordReceipt_PartialPayment_MatchesTheOldestDueInstalment()
    {
        var (contract, _) = await PlannedAsync(10_000, 30m, 60m, 10m);

        var receipt = await ReceiveAsync(contract.Id, 2_000);

        var after = await ReadAsync(contract.Id);
        Assert.Equal(0, receipt.UnallocatedMinor);
        Assert.False(receipt.IsOverpayment);
        Assert.Equal(1, Assert.Single(receipt.Allocations).SeqNo);
        Assert.Equal([2_000L, 0L, 0L], after.Instalments.Select(i => i.ReceivedMinor));
        Assert.Equal(InstalmentState.PartlyPaid, after.Instalments[0].State);
        Assert.Equal(2_000, after.ReceivedMinor);
        Assert.Equal(8_000, after.OutstandingMinor);
        Assert.Equal(2_000, (await TestContracts.ReloadAsync(app, contract.Id)).ReceivedMinor);
    }

    [Fact]
    public async Task RecordReceipt_OverSeveralInstalments_SettlesThemInDueOrder()
    {
        var (contract, _) = await PlannedAsync(10_000, 30m, 60m, 10m);
        await ReceiveAsync(contract.Id, 1_000);

        var receipt = await ReceiveAsync(contract.Id, 8_500);

        var after = await ReadAsync(contract.Id);
        Assert.Equal([(1, 2_000L), (2, 6_000L), (3, 500L)], receipt.Allocations.Select(a => (a.SeqNo, a.AmountMinor)));
        Assert.Equal([3_000L, 6_000L, 500L], after.Instalments.Select(i => i.ReceivedMinor));
        Assert.Equal([InstalmentState.Paid, InstalmentState.Paid, InstalmentState.PartlyPaid], after.Instalments.Select(i => i.State));
        Assert.NotNull(after.Instalments[0].SettledAt);
        Assert.Null(after.Instalments[2].SettledAt);
        Assert.Equal(9_500, after.ReceivedMinor);
    }

    [Fact]
    public async Task RecordReceipt_OverPayment_KeptUnallocatedAndFlagged()
    {
        var (contract, _) = await PlannedAsync(10_000, 50m, 50m);

        var receipt = await ReceiveAsync(contract.Id, 10_250);

        var after = await ReadAsync(contract.Id);
        Assert.Equal(250, receipt.UnallocatedMinor);
        Assert.True(receipt.IsOverpayment);
        Assert.Equal(10_000, after.ReceivedMinor);
        Assert.Equal(250, after.UnallocatedMinor);
        Assert.Equal(0, after.OutstandingMinor);
        Assert.All(after.Instalments, i => Assert.Equal(InstalmentState.Paid, i.State));
    }

    [Fact]
    public async Task RecordReceipt_NoPlanYet_UnallocatedUntilThePlanIsSet()
    {
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 10_000);
        var receipt = await ReceiveAsync(contract.Id, 4_000);
        Assert.Equal(4_000, receipt.UnallocatedMinor);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var plan = await (await rep.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}/payment-plan", Template(30m, 70m), Http.Json, Ct))
            .ExpectJsonAsync<ContractReceivablesDto>();

        Assert.Equal([3_000L, 1_000L], plan.Instalments.Select(i => i.ReceivedMinor));
        Assert.Equal(0, plan.UnallocatedMinor);
        Assert.Equal(4_000, plan.ReceivedMinor);
    }

    [Fact]
    public async Task RecordReceipt_ExplicitAllocations_KeptAsGiven()
    {
        var (contract, plan) = await PlannedAsync(10_000, 30m, 60m, 10m);

        var receipt = await ReceiveAsync(contract.Id, 1_500,
            allocations: [new AllocationRequest(plan.Instalments[2].Id, 1_000), new AllocationRequest(plan.Instalments[1].Id, 400)]);

        var after = await ReadAsync(contract.Id);
        Assert.Equal([0L, 400L, 1_000L], after.Instalments.Select(i => i.ReceivedMinor));
        Assert.Equal(100, receipt.UnallocatedMinor);
        Assert.Equal(1_400, after.ReceivedMinor);
    }

    [Fact]
    public async Task RecordReceipt_ExplicitAllocationAboveWhatIsOwed_Returns400NamingTheAllocation()
    {
        var (contract, plan) = await PlannedAsync(10_000, 30m, 60m, 10m);
        using var finance = await app.ClientForAsync(DemoUsers.Finance);

        await (await finance.PostAsJsonAsync($"/api/v1/contracts/{contract.Id}/receipts", new ReceiptRequest(Dec1, 5_000, "bank-transfer",
                Allocations: [new AllocationRequest(plan.Instalments[0].Id, 3_001)]), Http.Json, Ct))
            .ExpectFieldErrorAsync("allocations[0].amountMinor");
        Assert.Empty((await ReadAsync(contract.Id)).Receipts);
    }

    [Fact]
    public async Task RecordReceipt_BadInput_Returns400NamingTheField()
    {
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 10_000);
        using var finance = await app.ClientForAsync(DemoUsers.Finance);
        var url = $"/api/v1/contracts/{contract.Id}/receipts";

        await (await finance.PostAsJsonAsync(url, new ReceiptRequest(Dec1, 100, "bitcoin"), Http.Json, Ct)).ExpectFieldErrorAsync("method");
        await (await finance.PostAsJsonAsync(url, new ReceiptRequest(Dec1, 0, "cash"), Http.Json, Ct)).ExpectFieldErrorAsync("amountMinor");
        await (await finance.PostAsJsonAsync(url, new ReceiptRequest(Dec1, 100, "cash", Currency: "USD"), Http.Json, Ct)).ExpectFieldErrorAsync("currency");
    }

    [Fact]
    public async Task RecordReceipt_RepOrManager_Returns403AndDraftContract409()
    {
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 10_000);
        var draft = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 10_000, status: ContractStatus.Draft);
        var request = new ReceiptRequest(Dec1, 100, "cash");

        foreach (var email in new[] { DemoUsers.Rep, DemoUsers.Manager })
        {
            using var client = await app.ClientForAsync(email);
            await (await client.PostAsJsonAsync($"/api/v1/contracts/{contract.Id}/receipts", request, Http.Json, Ct))
                .ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        using var finance = await app.ClientForAsync(DemoUsers.Finance);
        await (await finance.PostAsJsonAsync($"/api/v1/contracts/{draft.Id}/receipts", request, Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task DeleteReceipt_FreesItsInstalmentsAndOverPaymentFlowsIntoThem()
    {
        var (contract, _) = await PlannedAsync(10_000, 50m, 50m);
        var first = await ReceiveAsync(contract.Id, 5_000, new DateOnly(2026, 11, 1));
        var second = await ReceiveAsync(contract.Id, 6_000, new DateOnly(2026, 11, 2)); // 5000 matched, 1000 over
        Assert.Equal(1_000, second.UnallocatedMinor);
        using var finance = await app.ClientForAsync(DemoUsers.Finance);

        await (await finance.DeleteAsync($"/api/v1/receipts/{first.Id}?version={first.Version}", Ct)).ExpectAsync(HttpStatusCode.NoContent);

        var after = await ReadAsync(contract.Id);
        var remaining = Assert.Single(after.Receipts);
        Assert.Equal(0, remaining.UnallocatedMinor);
        // The second receipt kept its 5 000 on the second instalment; its 1 000 over-payment now pays the freed first one.
        Assert.Equal([1_000L, 5_000L], after.Instalments.Select(i => i.ReceivedMinor));
        Assert.Equal(6_000, after.ReceivedMinor);
        Assert.Equal(6_000, (await TestContracts.ReloadAsync(app, contract.Id)).ReceivedMinor);
        Assert.Null(after.Instalments[0].SettledAt);
        Assert.NotNull(after.Instalments[1].SettledAt);
    }

    [Fact]
    public async Task CorrectReceipt_AmountLowered_RematchesAndStaleVersionIs409()
    {
        var (contract, _) = await PlannedAsync(10_000, 50m, 50m);
        var receipt = await ReceiveAsync(contract.Id, 7_000);
        using var finance = await app.ClientForAsync(DemoUsers.Finance);

        var corrected = await (await finance.PutAsJsonAsync($"/api/v1/receipts/{receipt.Id}",
            new ReceiptRequest(receipt.ReceivedOn, 700, "cash", "改正", Version: receipt.Version), Http.Json, Ct)).ExpectJsonAsync<ReceiptDto>();

        var after = await ReadAsync(contract.Id);
        Assert.Equal(700, corrected.AmountMinor);
        Assert.Equal("cash", corrected.Method);
        Assert.Equal([700L, 0L], after.Instalments.Select(i => i.ReceivedMinor));
        Assert.Equal(700, after.ReceivedMinor);
        await (await finance.PutAsJsonAsync($"/api/v1/receipts/{receipt.Id}",
            new ReceiptRequest(receipt.ReceivedOn, 800, "cash", Version: receipt.Version), Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task RecordReceipt_TwoAtOnce_BothCountAndNothingIsLost()
    {
        var (contract, _) = await PlannedAsync(10_000, 50m, 50m);
        using var finance = await app.ClientForAsync(DemoUsers.Finance);

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => finance.PostAsJsonAsync($"/api/v1/contracts/{contract.Id}/receipts",
            new ReceiptRequest(Dec1, 3_000, "bank-transfer"), Http.Json, Ct)));

        var created = responses.Count(r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var after = await ReadAsync(contract.Id);
        Assert.Equal(created, after.Receipts.Count);
        Assert.Equal(created * 3_000L, after.ReceivedMinor);
        Assert.Equal(after.ReceivedMinor, after.Instalments.Sum(i => i.ReceivedMinor));
    }

    [Fact]
    public async Task Invoices_RecordAndDelete_KeepInvoicedMinorAndRefuseDuplicatesAndExcess()
    {
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 10_000);
        using var finance = await app.ClientForAsync(DemoUsers.Finance);
        var url = $"/api/v1/contracts/{contract.Id}/invoices";
        var number = "FP-" + contract.Number;

        var invoice = await (await finance.PostAsJsonAsync(url, new InvoiceRequest(number, Dec1, 6_000, "vat-special"), Http.Json, Ct))
            .ExpectJsonAsync<InvoiceDto>(HttpStatusCode.Created);
        await (await finance.PostAsJsonAsync(url, new InvoiceRequest(number, Dec1, 1_000), Http.Json, Ct)).ExpectFieldErrorAsync("number");
        await (await finance.PostAsJsonAsync(url, new InvoiceRequest(number + "-2", Dec1, 4_001), Http.Json, Ct)).ExpectFieldErrorAsync("amountMinor");
        await (await finance.PostAsJsonAsync(url, new InvoiceRequest(number + "-3", Dec1, 100, "gift-card"), Http.Json, Ct)).ExpectFieldErrorAsync("kind");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        await (await rep.PostAsJsonAsync(url, new InvoiceRequest(number + "-4", Dec1, 100), Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(6_000, (await ReadAsync(contract.Id)).InvoicedMinor);
        Assert.Equal(6_000, (await TestContracts.ReloadAsync(app, contract.Id)).InvoicedMinor);

        await (await finance.DeleteAsync($"/api/v1/invoices/{invoice.Id}?version={invoice.Version}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(0, (await TestContracts.ReloadAsync(app, contract.Id)).InvoicedMinor);
        // The number is free again once the wrong invoice is deleted.
        await (await finance.PostAsJsonAsync(url, new InvoiceRequest(number, Dec1, 10_000, "vat-general"), Http.Json, Ct))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(10_000, (await ReadAsync(contract.Id)).InvoicedMinor);
    }

    [Fact]
    public async Task ReadReceivables_OverdueInstalment_CountsDaysAndTheOverdueTotal()
    {
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 10_000);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        // Today is 2026-11-25 in Shanghai: the first instalment fell due ten days ago.
        await (await rep.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}/payment-plan", new PaymentPlanRequest(
        [
            new InstalmentRequest("预付款", new DateOnly(2026, 11, 15), AmountMinor: 4_000),
            new InstalmentRequest("尾款", new DateOnly(2026, 12, 15), AmountMinor: 6_000),
        ]), Http.Json, Ct)).ExpectAsync(HttpStatusCode.OK);
        await ReceiveAsync(contract.Id, 1_500);

        var read = await ReadAsync(contract.Id, DemoUsers.Rep);

        Assert.Equal(new DateOnly(2026, 11, 25), read.Today);
        Assert.Equal(InstalmentState.Overdue, read.Instalments[0].State);
        Assert.Equal(10, read.Instalments[0].DaysOverdue);
        Assert.Equal(2_500, read.OverdueMinor);
        Assert.Equal(8_500, read.OutstandingMinor);
        Assert.False(read.CanRecordPayments);
        Assert.True((await ReadAsync(contract.Id)).CanRecordPayments);
    }

    [Fact]
    public async Task PaymentMethodsAndInvoiceKinds_AreOptionLists()
    {
        using var finance = await app.ClientForAsync(DemoUsers.Finance);

        var methods = await finance.GetJsonAsync<List<System.Text.Json.JsonElement>>("/api/v1/options/payment-methods");
        var kinds = await finance.GetJsonAsync<List<System.Text.Json.JsonElement>>("/api/v1/options/invoice-kinds");

        Assert.Contains(methods, m => m.GetProperty("code").GetString() == "bank-transfer");
        Assert.Contains(kinds, m => m.GetProperty("code").GetString() == "vat-special");
        await using var db = await app.SystemDbAsync();
        Assert.True(await db.OptionItems.AnyAsync(o => o.ListKey == "payment-methods" && o.Code == "acceptance-bill", Ct));
    }
}
