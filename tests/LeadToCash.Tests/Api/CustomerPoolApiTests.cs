using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.Pool;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static LeadToCash.Tests.Infrastructure.TestCustomers;
using static LeadToCash.Tests.Infrastructure.TestLeads;

namespace LeadToCash.Tests.Api;

/// <summary>The customer pool (公海) through the API: claim (with its concurrency guarantee and limit), release, assignment, team rules.</summary>
[DatabaseTest]
public sealed class CustomerPoolApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Sh1 = "上海销售一组";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClaimCustomer_TwoRepsAtTheSameMoment_ExactlyOneGetsItTheOtherHears409ClaimedBy()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
        for (var round = 0; round < 8; round++)
        {
            var customer = await AddPoolCustomerAsync(app, Sh1, $"公海客户{round}号贸易公司");

            var responses = await Task.WhenAll(
                rep.PostAsync($"/api/v1/customers/{customer.Id}/claim", null, Ct),
                rep2.PostAsync($"/api/v1/customers/{customer.Id}/claim", null, Ct));

            var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync(Ct)));
            Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.OK) == 1, string.Join("\n", bodies));
            Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.Conflict) == 1, string.Join("\n", bodies));
            var winner = await responses.Single(r => r.IsSuccessStatusCode).ReadAsync<CustomerDto>();
            var problem = await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).ExpectProblemAsync(HttpStatusCode.Conflict);
            Assert.Contains($"already been claimed by {winner.OwnerName}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            var stored = await ReloadCustomerAsync(app, customer.Id);
            Assert.Equal(winner.OwnerId, stored.OwnerId);
            Assert.Null(stored.PoolTeamId);
        }
    }

    [Fact]
    public async Task ClaimCustomer_FromTheTeamPool_OwnedFromNowWithTheCadenceStarted()
    {
        var customer = await AddPoolCustomerAsync(app, Sh1, "认领后开始跟进的客户");
        using var rep = await app.ClientForAsync("zhao.min@demo.test");

        var claimed = await (await rep.PostAsync($"/api/v1/customers/{customer.Id}/claim", null, Ct)).ExpectJsonAsync<CustomerDto>();

        Assert.Equal("赵敏", claimed.OwnerName);
        var stored = await ReloadCustomerAsync(app, customer.Id);
        Assert.Equal(Now(app), stored.OwnedSince);
        Assert.Null(stored.PoolTeamId);
        Assert.NotNull(stored.FollowUpDueAt); // a new owner's first follow-up is due the day they took the customer
        Assert.True(stored.FollowUpDueAt <= Now(app));
        var again = await rep.PostAsync($"/api/v1/customers/{customer.Id}/claim", null, Ct);
        Assert.Contains("You already own this customer.", (await again.ExpectProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClaimCustomer_OverTheTeamsClaimLimit_Returns409()
    {
        // Shanghai 2 only, so that the other tests' claims in Shanghai 1 are not limited.
        var customer = await AddPoolCustomerAsync(app, "上海销售二组", "限额之外的客户");
        await using (var db = await app.SystemDbAsync())
        {
            var owned = await db.Customers.CountAsync(c => c.Owner!.Email == "huang.lei@demo.test", Ct);
            db.CustomerPoolRules.Add(new CustomerPoolRule { TeamId = await TeamIdAsync(app, "上海销售二组"), ClaimLimit = owned });
            await db.SaveChangesAsync(Ct);
        }

        try
        {
            using var rep = await app.ClientForAsync("huang.lei@demo.test");

            var response = await rep.PostAsync($"/api/v1/customers/{customer.Id}/claim", null, Ct);

            var detail = (await response.ExpectProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString();
            Assert.Contains("the most your team allows", detail, StringComparison.Ordinal);
            Assert.Null((await ReloadCustomerAsync(app, customer.Id)).OwnerId);
        }
        finally
        {
            await using var db = await app.SystemDbAsync();
            db.CustomerPoolRules.RemoveRange(await db.CustomerPoolRules.ToListAsync(Ct));
            await db.SaveChangesAsync(Ct);
        }
    }

    [Fact]
    public async Task ClaimCustomer_OwnedBySomeoneInAnotherTeam_Returns404()
    {
        var customer = await AddOwnedCustomerAsync(app, DemoUsers.SouthRep, "深圳的已有客户");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsync($"/api/v1/customers/{customer.Id}/claim", null, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ReleaseCustomer_ByTheOwner_BackInTheirTeamPoolWithoutCadence()
    {
        var customer = await AddOwnedCustomerAsync(app, DemoUsers.Rep2, "要退回公海的客户");
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var notOwner = await rep.PostAsync($"/api/v1/customers/{customer.Id}/release", null, Ct);
        var released = await (await rep2.PostAsync($"/api/v1/customers/{customer.Id}/release", null, Ct)).ExpectJsonAsync<CustomerDto>();

        await notOwner.ExpectProblemAsync(HttpStatusCode.NotFound); // a colleague's customer is not visible to a rep
        Assert.Null(released.OwnerId);
        var stored = await ReloadCustomerAsync(app, customer.Id);
        Assert.Equal(await TeamIdAsync(app, Sh1), stored.PoolTeamId);
        Assert.Equal(Now(app), stored.ReturnedToPoolAt);
        Assert.Null(stored.FollowUpDueAt);
        // Now in the pool, the colleague sees it and may claim it.
        await (await rep.PostAsync($"/api/v1/customers/{customer.Id}/claim", null, Ct)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AssignCustomer_ManagerToARepOfTheirTeam_OwnerChangedAndBothTold()
    {
        var customer = await AddOwnedCustomerAsync(app, DemoUsers.Rep, "经理改派的客户");
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var rep2 = await UserIdAsync(app, DemoUsers.Rep2);

        var assigned = await (await manager.PostAsJsonAsync($"/api/v1/customers/{customer.Id}/assign", new AssignCustomerRequest(rep2), Ct))
            .ExpectJsonAsync<CustomerDto>();

        Assert.Equal(rep2, assigned.OwnerId);
        Assert.Equal(Now(app), (await ReloadCustomerAsync(app, customer.Id)).OwnedSince);
        var told = await NotificationsAboutAsync(app, customer.Id);
        Assert.Equal([(DemoUsers.Rep2, CustomerPoolNotifications.Assigned), (DemoUsers.Rep, CustomerPoolNotifications.Reassigned)],
            told.Select(n => (n.Email, n.Kind)));
    }

    [Fact]
    public async Task AssignCustomer_ToSomeoneOutsideTheManagersTeams_Returns403()
    {
        var customer = await AddOwnedCustomerAsync(app, DemoUsers.Rep, "不能跨团队分配的客户");
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var southRep = await UserIdAsync(app, DemoUsers.SouthRep);

        var response = await manager.PostAsJsonAsync($"/api/v1/customers/{customer.Id}/assign", new AssignCustomerRequest(southRep), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(await UserIdAsync(app, DemoUsers.Rep), (await ReloadCustomerAsync(app, customer.Id)).OwnerId);
    }

    [Fact]
    public async Task AssignCustomer_RepWithoutThePermission_Returns403()
    {
        var customer = await AddOwnedCustomerAsync(app, DemoUsers.Rep, "销售不能分配的客户");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync($"/api/v1/customers/{customer.Id}/assign",
            new AssignCustomerRequest(await UserIdAsync(app, DemoUsers.Rep2)), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task BulkAssignCustomers_VisibleAndHidden_AssignsTheVisibleAndNamesTheOthers()
    {
        var first = await AddPoolCustomerAsync(app, Sh1, "批量分配一号");
        var second = await AddOwnedCustomerAsync(app, DemoUsers.Rep, "批量分配二号");
        var hidden = await AddOwnedCustomerAsync(app, DemoUsers.SouthRep, "批量分配看不见的");
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var zhaoMin = await UserIdAsync(app, "zhao.min@demo.test");

        var result = await (await manager.PostAsJsonAsync("/api/v1/customers/bulk/assign",
            new BulkAssignCustomersRequest([first.Id, second.Id, hidden.Id], zhaoMin), Ct)).ExpectJsonAsync<CustomerBulkResult>();

        Assert.Equal(2, result.Succeeded);
        var failure = Assert.Single(result.Failed);
        Assert.Equal((hidden.Id, "notFound"), (failure.Id, failure.Error));
        Assert.Equal(zhaoMin, (await ReloadCustomerAsync(app, first.Id)).OwnerId);
        Assert.Equal(zhaoMin, (await ReloadCustomerAsync(app, second.Id)).OwnerId);
        Assert.NotEqual(zhaoMin, (await ReloadCustomerAsync(app, hidden.Id)).OwnerId);
    }

    [Fact]
    public async Task PoolRules_AdminSetsARegionRule_ItsTeamsInheritItUntilRemoved()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var east = await TeamIdAsync(app, "华东大区");
        var sh1 = await TeamIdAsync(app, Sh1);
        var before = await admin.GetJsonAsync<PoolRulesDto>("/api/v1/customer-pool/rules");
        Assert.Equal((30, 90, 100), (before.NoFollowUpDays, before.NoWonDealDays, before.ClaimLimit));

        var set = await (await admin.PutAsJsonAsync($"/api/v1/customer-pool/rules/{east}", new PutPoolRuleRequest(20, 60, 50), Ct))
            .ExpectJsonAsync<PoolRulesDto>();
        var ownRule = set.Teams.Single(t => t.TeamId == east);
        var inherited = set.Teams.Single(t => t.TeamId == sh1);
        var stale = await admin.PutAsJsonAsync($"/api/v1/customer-pool/rules/{east}", new PutPoolRuleRequest(21, 60, 50, ownRule.Version + 5), Ct);
        var removed = await (await admin.DeleteAsync($"/api/v1/customer-pool/rules/{east}", Ct)).ExpectJsonAsync<PoolRulesDto>();
        var again = await (await admin.PutAsJsonAsync($"/api/v1/customer-pool/rules/{east}", new PutPoolRuleRequest(25, 60, 50), Ct))
            .ExpectJsonAsync<PoolRulesDto>();
        await (await admin.DeleteAsync($"/api/v1/customer-pool/rules/{east}", Ct)).ExpectAsync(HttpStatusCode.OK);

        Assert.True(ownRule.HasOverride);
        Assert.Equal((20, 60, 50), (ownRule.NoFollowUpDays, ownRule.NoWonDealDays, ownRule.ClaimLimit));
        Assert.Equal((false, 20, east, "华东大区"), (inherited.HasOverride, inherited.NoFollowUpDays, inherited.InheritedFromTeamId, inherited.InheritedFromTeamName));
        await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal((false, 30, (Guid?)null), (removed.Teams.Single(t => t.TeamId == sh1).HasOverride, removed.Teams.Single(t => t.TeamId == sh1).NoFollowUpDays,
            removed.Teams.Single(t => t.TeamId == sh1).InheritedFromTeamId));
        Assert.Equal(25, again.Teams.Single(t => t.TeamId == sh1).NoFollowUpDays);
    }

    [Fact]
    public async Task PoolRules_ZeroDays_Returns400NamingTheField()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var response = await admin.PutAsJsonAsync($"/api/v1/customer-pool/rules/{await TeamIdAsync(app, Sh1)}", new PutPoolRuleRequest(0, 90, 100), Ct);

        await response.ExpectFieldErrorAsync("noFollowUpDays");
    }

    [Theory]
    [InlineData(DemoUsers.Manager)]
    [InlineData(DemoUsers.Rep)]
    public async Task PoolRules_NotAnAdmin_Returns403(string email)
    {
        using var client = await app.ClientForAsync(email);

        var response = await client.GetAsync("/api/v1/customer-pool/rules", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
