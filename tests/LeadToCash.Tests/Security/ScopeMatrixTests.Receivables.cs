using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Opportunities.UpdateOpportunity;
using LeadToCash.Modules.Receivables;
using LeadToCash.Modules.Receivables.Views;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Security;

/// <summary>
/// The receivables doors: a contract's plan, receipts and invoices answer 404 to whoever cannot see the contract (a rep of
/// the same team, people of other teams and regions) and open for the owner, the managers above and Finance; Finance
/// records receipts and invoices but cannot change opportunities or payment plans; reps see only their own receivables.
/// </summary>
public sealed partial class ScopeMatrixTests
{
    [Fact]
    public async Task Receivables_ContractOutsideTheScope_EveryDoorAnswers404AndOpensForOwnerManagersAndFinance()
    {
        Guid customerId;
        await using (var db = await app.SystemDbAsync())
        {
            customerId = await db.Customers.Where(c => c.Owner!.Email == DemoUsers.Rep).OrderBy(c => c.Name).Select(c => c.Id).FirstAsync(Ct);
        }

        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 10_000, customerId: customerId);
        using var owner = await app.ClientForAsync(DemoUsers.Rep);
        var plan = await (await owner.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}/payment-plan", new PaymentPlanRequest(
            [new InstalmentRequest("全款", new DateOnly(2026, 11, 1), AmountMinor: 10_000)]), Http.Json, Ct)).ExpectJsonAsync<ContractReceivablesDto>();
        using var finance = await app.ClientForAsync(DemoUsers.Finance);
        var receipt = await (await finance.PostAsJsonAsync($"/api/v1/contracts/{contract.Id}/receipts",
            new ReceiptRequest(new DateOnly(2026, 11, 2), 1_000, "bank-transfer"), Http.Json, Ct)).ExpectJsonAsync<ReceiptDto>(HttpStatusCode.Created);
        var invoice = await (await finance.PostAsJsonAsync($"/api/v1/contracts/{contract.Id}/invoices",
            new InvoiceRequest("SCOPE-" + contract.Number, new DateOnly(2026, 11, 2), 1_000), Http.Json, Ct)).ExpectJsonAsync<InvoiceDto>(HttpStatusCode.Created);

        foreach (var outsider in new[] { DemoUsers.Rep2, DemoUsers.SouthRep, DemoUsers.Manager2, "manager3@demo.test", "south.director@demo.test" })
        {
            using var client = await app.ClientForAsync(outsider);
            await (await client.GetAsync($"/api/v1/contracts/{contract.Id}/receivables", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await client.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}/payment-plan", new PaymentPlanRequest(
                [new InstalmentRequest("越权", new DateOnly(2026, 12, 1), Percent: 100m)]), Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await client.GetAsync($"/api/v1/customers/{customerId}/receivables", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
            var summary = await client.GetJsonAsync<ReceivablesSummaryDto>($"/api/v1/receivables/summary?customerId={customerId}");
            Assert.Equal(0, summary.Totals.Instalments);
            Assert.DoesNotContain(contract.Number, await client.GetStringAsync("/api/v1/receivables/export?format=csv", Ct), StringComparison.Ordinal);
        }

        foreach (var insider in new[] { DemoUsers.Rep, DemoUsers.Manager, DemoUsers.EastDirector, DemoUsers.Director, DemoUsers.Finance, DemoUsers.Admin })
        {
            using var client = await app.ClientForAsync(insider);
            var read = await client.GetJsonAsync<ContractReceivablesDto>($"/api/v1/contracts/{contract.Id}/receivables");
            Assert.Equal(1_000, read.ReceivedMinor);
            var summary = await client.GetJsonAsync<ReceivablesSummaryDto>($"/api/v1/receivables/summary?customerId={customerId}");
            Assert.Equal(9_000, summary.Totals.OverdueMinor);
        }

        // Receipts and invoices: only Finance (and the Admin) record them; everyone else who sees the contract gets 403.
        foreach (var email in new[] { DemoUsers.Rep, DemoUsers.Manager, DemoUsers.Director })
        {
            using var client = await app.ClientForAsync(email);
            await (await client.PostAsJsonAsync($"/api/v1/contracts/{contract.Id}/receipts", new ReceiptRequest(new DateOnly(2026, 11, 3), 1, "cash"),
                Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
            await (await client.PutAsJsonAsync($"/api/v1/receipts/{receipt.Id}", new ReceiptRequest(new DateOnly(2026, 11, 3), 1, "cash",
                Version: receipt.Version), Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
            await (await client.DeleteAsync($"/api/v1/receipts/{receipt.Id}?version={receipt.Version}", Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
            await (await client.DeleteAsync($"/api/v1/invoices/{invoice.Id}?version={invoice.Version}", Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        await (await admin.PostAsJsonAsync($"/api/v1/contracts/{contract.Id}/receipts", new ReceiptRequest(new DateOnly(2026, 11, 3), 1, "cash"),
            Http.Json, Ct)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(plan.Instalments[0].Id, (await admin.GetJsonAsync<ContractReceivablesDto>($"/api/v1/contracts/{contract.Id}/receivables")).Instalments[0].Id);
    }

    [Fact]
    public async Task Finance_RecordsReceiptsButCannotEditOpportunitiesOrPaymentPlans()
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "财务范围商机",
            customerId: await ReadCustomerOfAsync(DemoUsers.Rep));
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 10_000, customerId: opportunity.CustomerId);
        using var finance = await app.ClientForAsync(DemoUsers.Finance);

        await (await finance.GetAsync($"/api/v1/opportunities/{opportunity.Id}", Ct)).ExpectAsync(HttpStatusCode.OK);
        await (await finance.PutAsJsonAsync($"/api/v1/opportunities/{opportunity.Id}",
            new UpdateOpportunityRequest("改名", Version: opportunity.Version), Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await finance.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}/payment-plan", new PaymentPlanRequest(
            [new InstalmentRequest("全款", new DateOnly(2026, 12, 1), Percent: 100m)]), Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await finance.PostAsJsonAsync($"/api/v1/contracts/{contract.Id}/receipts",
            new ReceiptRequest(new DateOnly(2026, 11, 2), 500, "bank-transfer"), Http.Json, Ct)).ExpectAsync(HttpStatusCode.Created);
    }

    private async Task<Guid> ReadCustomerOfAsync(string email)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Customers.Where(c => c.Owner!.Email == email).OrderBy(c => c.Name).Select(c => c.Id).Skip(1).FirstAsync(Ct);
    }
}
