using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Contracts;
using LeadToCash.Platform.Api;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Security;

/// <summary>
/// The contract doors: every one answers 404 to someone who cannot see the contract (a rep of the same team, a rep and a
/// manager of another region) and opens for those who can (the owner, the managers above, Finance, Admin); Finance reads
/// but cannot edit; only managers and directors terminate.
/// </summary>
public sealed partial class ScopeMatrixTests
{
    [Fact]
    public async Task Contracts_OutsideTheScope_EveryDoorAnswers404AndOpensForTheOwnerManagersFinanceAndAdmin()
    {
        Guid customerId;
        await using (var db = await app.SystemDbAsync())
        {
            customerId = await db.Customers.Where(c => c.Owner!.Email == DemoUsers.Rep).OrderBy(c => c.Name).Select(c => c.Id).FirstAsync(Ct);
        }

        using var owner = await app.ClientForAsync(DemoUsers.Rep);
        var contract = await TestContracts.CreateAsync(owner, new CreateContractRequest(CustomerId: customerId, Title: "范围矩阵合同", AmountMinor: 10_000));
        var milestone = await (await owner.PostAsJsonAsync($"/api/v1/contracts/{contract.Id}/milestones", new ContractMilestoneRequest("发货"), Http.Json, Ct))
            .ExpectJsonAsync<ContractMilestoneDto>(HttpStatusCode.Created);
        var reads = new[] { $"/api/v1/contracts/{contract.Id}", $"/api/v1/contracts/{contract.Id}/milestones", $"/api/v1/history/contract/{contract.Id}" };
        var writes = new (string Url, object? Body)[]
        {
            ($"/api/v1/contracts/{contract.Id}/submit", null), ($"/api/v1/contracts/{contract.Id}/withdraw", null),
            ($"/api/v1/contracts/{contract.Id}/start", null), ($"/api/v1/contracts/{contract.Id}/complete", null),
            ($"/api/v1/contracts/{contract.Id}/milestones", new ContractMilestoneRequest("越权")),
        };

        foreach (var outsider in new[] { DemoUsers.Rep2, DemoUsers.SouthRep, DemoUsers.Manager2, "manager3@demo.test", "south.director@demo.test" })
        {
            using var client = await app.ClientForAsync(outsider);
            foreach (var url in reads)
            {
                await (await client.GetAsync(url, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
            }

            foreach (var (url, body) in writes)
            {
                await (await client.PostAsJsonAsync(url, body, Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
            }

            await (await client.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}", new UpdateContractRequest("越权", 1, Version: contract.Version), Http.Json, Ct))
                .ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await client.DeleteAsync($"/api/v1/contracts/{contract.Id}/milestones/{milestone.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
            Assert.DoesNotContain((await client.GetJsonAsync<ListPage<ContractListItem>>("/api/v1/contracts?limit=200")).Items, c => c.Id == contract.Id);
            if (!outsider.Contains("rep", StringComparison.Ordinal) && outsider != DemoUsers.SouthRep)
            {
                await (await client.PostAsJsonAsync($"/api/v1/contracts/{contract.Id}/terminate", new TerminateContractRequest("越权"), Http.Json, Ct))
                    .ExpectProblemAsync(HttpStatusCode.NotFound);
            }
        }

        foreach (var insider in new[] { DemoUsers.Rep, DemoUsers.Manager, DemoUsers.EastDirector, DemoUsers.Director, DemoUsers.Finance, DemoUsers.Admin })
        {
            using var client = await app.ClientForAsync(insider);
            foreach (var url in reads)
            {
                await (await client.GetAsync(url, Ct)).ExpectAsync(HttpStatusCode.OK);
            }
        }

        // Finance sees every contract but edits none; the rep cannot terminate.
        using var finance = await app.ClientForAsync(DemoUsers.Finance);
        await (await finance.PostAsync($"/api/v1/contracts/{contract.Id}/submit", null, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await finance.PostAsJsonAsync("/api/v1/contracts", new CreateContractRequest(CustomerId: customerId, Title: "财务"), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await owner.PostAsJsonAsync($"/api/v1/contracts/{contract.Id}/terminate", new TerminateContractRequest("不行"), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        Assert.Equal(ContractStatus.Terminated, (await TestContracts.PostAsync(manager, $"/api/v1/contracts/{contract.Id}/terminate",
            new TerminateContractRequest("范围测试结束"))).Status);
    }
}
