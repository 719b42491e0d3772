using System.Net;
using System.Net.Http.Json;
using System.Text;
using LeadToCash.Platform.Import;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.Tests.Security;

/// <summary>The opportunity import's doors: value matching only reaches what the importer may see, and jobs stay their owner's.</summary>
public sealed partial class ScopeMatrixTests
{
    private const string OpportunityImports = "/api/v1/opportunities/imports";

    [Fact]
    public async Task OpportunityImport_CustomerHiddenFromTheManager_IsNeitherSuggestedNorChoosableAndTheJobIsTheirsAlone()
    {
        var hidden = await HiddenFromRepAsync();
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        using var eastDirector = await app.ClientForAsync(DemoUsers.EastDirector);
        var file = Encoding.UTF8.GetBytes($"客户,阶段\n\"{hidden.Name}\",需求分析\n");

        var job = await TestImports.UploadOkAsync(manager, OpportunityImports, file, "deals.csv");

        var customer = Assert.Single(job.Values!.Single(v => v.Field == "customer").Values);
        Assert.Equal((hidden.Name, (string?)null, (string?)null), (customer.Value, customer.Suggested, customer.Target));
        Assert.Equal(RowOutcome.Rejected, Assert.Single(job.Preview!).Outcome);
        using var chosen = await manager.PostAsJsonAsync($"{OpportunityImports}/{job.Id}/start", new StartImportRequest(
            Values: new Dictionary<string, IReadOnlyDictionary<string, string?>> { ["customer"] = new Dictionary<string, string?> { [hidden.Name] = hidden.Id.ToString() } }),
            Http.Json, Ct);
        await chosen.ExpectProblemAsync(HttpStatusCode.BadRequest);

        // The door itself works: the Admin, who sees the customer, gets it suggested.
        var adminJob = await TestImports.UploadOkAsync(admin, OpportunityImports, file, "deals.csv");
        Assert.Equal(hidden.Id.ToString(), adminJob.Values!.Single(v => v.Field == "customer").Values.Single().Target);
        Assert.Equal(RowOutcome.Ready, Assert.Single(adminJob.Preview!).Outcome);

        // Another importer cannot see, preview or start the manager's job; the Admin can see it.
        await (await eastDirector.GetAsync($"{OpportunityImports}/{job.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await eastDirector.PostAsJsonAsync($"{OpportunityImports}/{job.Id}/preview", new StartImportRequest(), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await eastDirector.PostAsJsonAsync($"{OpportunityImports}/{job.Id}/start", new StartImportRequest(), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync($"{OpportunityImports}/{job.Id}", Ct)).ExpectAsync(HttpStatusCode.OK);
    }
}
