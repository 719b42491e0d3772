using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Receivables;
using LeadToCash.Modules.Receivables.Views;
using LeadToCash.Platform.Api;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.Tests.Api;

/// <summary>
/// The receivables views: aging buckets, outstanding and overdue by customer, owner and team, the collection rate, the
/// export and the customer summary, each within the caller's scope (reps their own, managers their teams', Finance all).
/// Today is 2026-11-25 in Shanghai.
/// </summary>
[DatabaseTest]
public sealed class ReceivablesViewsTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateOnly Today = new(2026, 11, 25);

    /// <summary>
    /// A contract of <paramref name="ownerEmail"/> of 15 000.00 with instalments 5, 45, 75 and 120 days overdue and one
    /// due in 10 days, 5.00 received on the first.
    /// </summary>
    private async Task<Contract> AgedContractAsync(string ownerEmail)
    {
        var contract = await TestContracts.AddSignedAsync(app, ownerEmail, 15_000_00);
        using var owner = await app.ClientForAsync(ownerEmail);
        await (await owner.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}/payment-plan", new PaymentPlanRequest(
        [
            new InstalmentRequest("一期", Today.AddDays(-120), AmountMinor: 4_000_00),
            new InstalmentRequest("二期", Today.AddDays(-75), AmountMinor: 3_000_00),
            new InstalmentRequest("三期", Today.AddDays(-45), AmountMinor: 2_000_00),
            new InstalmentRequest("四期", Today.AddDays(-5), AmountMinor: 1_000_00),
            new InstalmentRequest("五期", Today.AddDays(10), AmountMinor: 5_000_00),
        ]), Http.Json, Ct)).ExpectAsync(HttpStatusCode.OK);
        var read = await owner.GetJsonAsync<ContractReceivablesDto>($"/api/v1/contracts/{contract.Id}/receivables");
        using var finance = await app.ClientForAsync(DemoUsers.Finance);
        await (await finance.PostAsJsonAsync($"/api/v1/contracts/{contract.Id}/receipts", new ReceiptRequest(Today.AddDays(-3), 5_00, "bank-transfer",
            Allocations: [new AllocationRequest(read.Instalments[3].Id, 5_00)]), Http.Json, Ct)).ExpectAsync(HttpStatusCode.Created);
        return contract;
    }

    [Fact]
    public async Task Summary_OneCustomer_AgingBucketsAndCollectionRateAddUp()
    {
        var contract = await AgedContractAsync(DemoUsers.Rep);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var summary = await rep.GetJsonAsync<ReceivablesSummaryDto>($"/api/v1/receivables/summary?customerId={contract.CustomerId}&from=2026-11-01&to=2026-11-30");

        var t = summary.Totals;
        Assert.Equal(Today, summary.Today);
        Assert.Equal("CNY", summary.Currency);
        Assert.Equal(14_995_00, t.OutstandingMinor);
        Assert.Equal(5_000_00, t.NotDueMinor);
        Assert.Equal(995_00, t.Days0To30Minor);
        Assert.Equal(2_000_00, t.Days31To60Minor);
        Assert.Equal(3_000_00, t.Days61To90Minor);
        Assert.Equal(4_000_00, t.Over90DaysMinor);
        Assert.Equal(9_995_00, t.OverdueMinor);
        Assert.Equal(t.OutstandingMinor, t.NotDueMinor + t.OverdueMinor);
        Assert.Equal(5, t.Instalments);
        Assert.Equal(4, t.OverdueInstalments);
        // November: only the fourth instalment (1 000.00) fell due; 5.00 of it was collected.
        Assert.Equal(1_000_00, summary.Collection.DueMinor);
        Assert.Equal(5_00, summary.Collection.CollectedMinor);
        Assert.Equal(0.5m, summary.Collection.RatePercent);
        Assert.Equal(5_00, summary.Collection.ReceivedInPeriodMinor);
        var customer = Assert.Single(summary.ByCustomer);
        Assert.Equal(contract.CustomerId, customer.Id);
        Assert.Equal(t, customer.Figures);
        var owner = Assert.Single(summary.ByOwner);
        Assert.Equal("张伟", owner.Name);
        Assert.Contains(summary.ByTeam, team => team.Name == "上海销售一组" && team.Figures == t);
    }

    [Fact]
    public async Task Summary_Scope_RepsSeeOnlyTheirOwnManagersTheirTeamsFinanceAll()
    {
        var mine = await AgedContractAsync(DemoUsers.Rep);
        var colleague = await AgedContractAsync(DemoUsers.Rep2);

        async Task<HashSet<Guid?>> CustomersSeenByAsync(string email)
        {
            using var client = await app.ClientForAsync(email);
            var summary = await client.GetJsonAsync<ReceivablesSummaryDto>("/api/v1/receivables/summary");
            var instalments = await client.ListAllAsync<OutstandingInstalmentDto>("/api/v1/receivables/instalments");
            Assert.Equal(summary.Totals.Instalments, instalments.Count);
            Assert.Equal(summary.Totals.OutstandingMinor, instalments.Sum(i => i.OutstandingMinor));
            return [.. summary.ByCustomer.Select(c => c.Id)];
        }

        var rep = await CustomersSeenByAsync(DemoUsers.Rep);
        Assert.Contains(mine.CustomerId, rep);
        Assert.DoesNotContain(colleague.CustomerId, rep);
        foreach (var email in new[] { DemoUsers.Manager, DemoUsers.EastDirector, DemoUsers.Finance, DemoUsers.Admin })
        {
            var seen = await CustomersSeenByAsync(email);
            Assert.Contains(mine.CustomerId, seen);
            Assert.Contains(colleague.CustomerId, seen);
        }

        foreach (var email in new[] { DemoUsers.Manager2, DemoUsers.SouthRep })
        {
            var seen = await CustomersSeenByAsync(email);
            Assert.DoesNotContain(mine.CustomerId, seen);
            Assert.DoesNotContain(colleague.CustomerId, seen);
        }

        using var assistant = await app.ClientForAsync(DemoUsers.Assistant);
        await (await assistant.GetAsync("/api/v1/receivables/summary", Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Instalments_OverdueOnly_OldestFirstWithDaysAndBucket()
    {
        var contract = await AgedContractAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        var page = await manager.GetJsonAsync<ListPage<OutstandingInstalmentDto>>(
            $"/api/v1/receivables/instalments?overdueOnly=true&customerId={contract.CustomerId}&limit=3");

        Assert.Equal(4, page.Count);
        Assert.Equal([120, 75, 45], page.Items.Select(i => i.DaysOverdue));
        Assert.Equal(["90+", "61-90", "31-60"], page.Items.Select(i => i.Aging));
        Assert.Equal(contract.Number, page.Items[0].ContractNumber);
        Assert.Equal("张伟", page.Items[0].OwnerName);
        var rest = await manager.GetJsonAsync<ListPage<OutstandingInstalmentDto>>(
            $"/api/v1/receivables/instalments?overdueOnly=true&customerId={contract.CustomerId}&limit=3&cursor={Uri.EscapeDataString(page.NextCursor!)}");
        var last = Assert.Single(rest.Items);
        Assert.Equal(995_00, last.OutstandingMinor);
        Assert.Equal("0-30", last.Aging);
    }

    [Fact]
    public async Task Export_CsvAndXlsx_HaveTheVisibleOutstandingInstalments()
    {
        var contract = await AgedContractAsync(DemoUsers.Rep);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);

        var csv = await rep.GetStringAsync($"/api/v1/receivables/export?format=csv&customerId={contract.CustomerId}", Ct);
        var xlsx = await rep.GetAsync($"/api/v1/receivables/export?format=xlsx&customerId={contract.CustomerId}", Ct);
        var hidden = await rep2.GetStringAsync("/api/v1/receivables/export?format=csv", Ct);

        var rows = ExportFiles.ReadCsv(csv);
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal(contract.Number, r["Contract"]));
        Assert.Equal(["90+", "61-90", "31-60", "0-30", "not-due"], rows.Select(r => r["Aging"]));
        Assert.Equal(995.00m, decimal.Parse(rows[3]["Outstanding"], System.Globalization.CultureInfo.InvariantCulture));
        await xlsx.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        Assert.True((await xlsx.Content.ReadAsByteArrayAsync(Ct)).Length > 100);
        Assert.DoesNotContain(contract.Number, hidden, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomerReceivables_ReceivedOutstandingOverdueAndInvoiced()
    {
        var contract = await AgedContractAsync(DemoUsers.Rep);
        using var finance = await app.ClientForAsync(DemoUsers.Finance);
        await (await finance.PostAsJsonAsync($"/api/v1/contracts/{contract.Id}/invoices",
            new InvoiceRequest("FP-" + contract.Number, Today, 4_000_00, "vat-special"), Http.Json, Ct)).ExpectAsync(HttpStatusCode.Created);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);

        var summary = await rep.GetJsonAsync<CustomerReceivablesDto>($"/api/v1/customers/{contract.CustomerId}/receivables");

        var line = Assert.Single(summary.Lines);
        Assert.Equal(new CustomerReceivablesLine("CNY", 1, 15_000_00, 5_00, 14_995_00, 9_995_00, 4_000_00), line);
        await (await rep2.GetAsync($"/api/v1/customers/{contract.CustomerId}/receivables", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
