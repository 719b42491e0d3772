using LeadToCash.Modules.Search;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Security;

/// <summary>
/// The bulk doors, which hand out many records at once: the lead export and the global search leave out a lead of another
/// team or region and carry it for its owner and the managers above; the contract export likewise for contracts.
/// </summary>
public sealed partial class ScopeMatrixTests
{
    private static readonly string[] OtherTeamsAndRegions = [DemoUsers.SouthRep, DemoUsers.Manager2, "manager3@demo.test", "south.director@demo.test"];

    [Fact]
    public async Task ExportLeadsAndSearch_LeadOfTheRep_OnlyForTheOwnerAndTheManagersAbove()
    {
        var tag = "范围导出线索" + Guid.NewGuid().ToString("N")[..6];
        var lead = await TestLeads.AddOwnedAsync(app, DemoUsers.Rep, tag + "有限公司");
        var export = $"/api/v1/leads/export?format=csv&q={Uri.EscapeDataString(tag)}";
        var search = "/api/v1/search?limit=50&q=" + Uri.EscapeDataString(tag);

        foreach (var outsider in OtherTeamsAndRegions)
        {
            using var client = await app.ClientForAsync(outsider);
            var csv = await client.GetStringAsync(export, Ct);
            Assert.Empty(ExportFiles.ReadCsv(csv));
            Assert.DoesNotContain(tag, csv, StringComparison.Ordinal);
            Assert.Empty((await client.GetJsonAsync<SearchResults>(search)).Leads);
        }

        foreach (var insider in new[] { DemoUsers.Rep, DemoUsers.Manager, DemoUsers.EastDirector, DemoUsers.Director, DemoUsers.Admin })
        {
            using var client = await app.ClientForAsync(insider);
            Assert.Equal(lead.Id.ToString(), Assert.Single(ExportFiles.ReadCsv(await client.GetStringAsync(export, Ct)))["Id"]);
            Assert.Equal(lead.Id, Assert.Single((await client.GetJsonAsync<SearchResults>(search)).Leads).Id);
        }
    }

    [Fact]
    public async Task ExportContracts_ContractOfTheRep_OnlyForTheOwnerTheManagersAboveAndFinance()
    {
        Guid customerId;
        await using (var db = await app.SystemDbAsync())
        {
            customerId = await db.Customers.Where(c => c.Owner!.Email == DemoUsers.Rep).OrderBy(c => c.Name).Select(c => c.Id).FirstAsync(Ct);
        }

        var title = "范围导出合同" + Guid.NewGuid().ToString("N")[..6];
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 20_000_00, customerId: customerId, title: title);
        var export = $"/api/v1/contracts/export?format=csv&q={Uri.EscapeDataString(title)}";

        foreach (var outsider in OtherTeamsAndRegions.Append(DemoUsers.Rep2))
        {
            using var client = await app.ClientForAsync(outsider);
            var csv = await client.GetStringAsync(export, Ct);
            Assert.Empty(ExportFiles.ReadCsv(csv));
            Assert.DoesNotContain(contract.Number, csv, StringComparison.Ordinal);
        }

        foreach (var insider in new[] { DemoUsers.Rep, DemoUsers.Manager, DemoUsers.Director, DemoUsers.Finance, DemoUsers.Admin })
        {
            using var client = await app.ClientForAsync(insider);
            Assert.Equal(contract.Number, Assert.Single(ExportFiles.ReadCsv(await client.GetStringAsync(export, Ct)))["Number"]);
        }
    }
}
