using LeadToCash.Modules.Audit;
using LeadToCash.Modules.Customers;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Api;

/// <summary>A customer's history names the records its reference fields point at (parent company, owner, pool team).</summary>
[DatabaseTest]
public sealed class CustomerHistoryApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task History_ParentAndOwnerChanged_NamesThemWhereTheCallerMaySeeThem()
    {
        var customer = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.Rep, "历史命名子公司");
        var visibleParent = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.Rep2, "历史命名集团");
        var hiddenParent = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.SouthRep, "历史命名南方集团");
        var rep2 = await TestLeads.UserIdAsync(app, DemoUsers.Rep2);
        foreach (var change in new Action<Customer>[]
                 {
                     c => c.ParentId = visibleParent.Id,
                     c => c.ParentId = hiddenParent.Id,
                     c => c.OwnerId = rep2,
                 })
        {
            // History is newest first; a minute between the changes gives the two parent changes one order.
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            await using var db = await app.SystemDbAsync();
            change(await db.Customers.SingleAsync(c => c.Id == customer.Id, Ct));
            await db.SaveChangesAsync(Ct);
        }

        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var seenByManager = await manager.GetJsonAsync<List<HistoryEntryDto>>($"/api/v1/history/customer/{customer.Id}");
        var seenByAdmin = await admin.GetJsonAsync<List<HistoryEntryDto>>($"/api/v1/history/customer/{customer.Id}");

        // Newest first: the second parent change, then the first.
        var parents = seenByManager.Where(e => e.Field == nameof(Customer.ParentId)).ToList();
        Assert.Equal(2, parents.Count);
        Assert.Equal((visibleParent.Id.ToString(), hiddenParent.Id.ToString()), (parents[0].OldValue, parents[0].NewValue));
        // The Shanghai manager does not see the Shenzhen customer: its id stays, its name does not travel.
        Assert.Equal(("历史命名集团", (string?)null), (parents[0].OldName, parents[0].NewName));
        Assert.Equal(((string?)null, "历史命名集团"), (parents[1].OldName, parents[1].NewName));
        var owner = Assert.Single(seenByManager, e => e.Field == nameof(Customer.OwnerId));
        Assert.Equal(("张伟", "刘洋"), (owner.OldName, owner.NewName));
        Assert.Equal("历史命名南方集团", seenByAdmin.First(e => e.Field == nameof(Customer.ParentId)).NewName);
        Assert.All(seenByManager.Where(e => e.Field is not (nameof(Customer.ParentId) or nameof(Customer.OwnerId) or nameof(Customer.PoolTeamId))),
            e => Assert.Equal(((string?)null, (string?)null), (e.OldName, e.NewName)));
    }

    [Fact]
    public async Task History_CustomerReturnedToThePool_NamesTheFormerOwnerAndThePoolTeam()
    {
        var customer = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.Rep, "历史命名退回公海");
        var team = await TestCustomers.TeamIdAsync(app, "上海销售一组");
        await using (var db = await app.SystemDbAsync())
        {
            var tracked = await db.Customers.SingleAsync(c => c.Id == customer.Id, Ct);
            (tracked.OwnerId, tracked.PoolTeamId) = (null, team);
            await db.SaveChangesAsync(Ct);
        }

        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var history = await manager.GetJsonAsync<List<HistoryEntryDto>>($"/api/v1/history/customer/{customer.Id}");

        var owner = Assert.Single(history, e => e.Field == nameof(Customer.OwnerId));
        Assert.Equal(("张伟", (string?)null, (string?)null), (owner.OldName, owner.NewName, owner.NewValue));
        var pool = Assert.Single(history, e => e.Field == nameof(Customer.PoolTeamId));
        Assert.Equal("上海销售一组", pool.NewName);
    }
}
