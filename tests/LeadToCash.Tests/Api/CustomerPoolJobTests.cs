using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.Pool;
using LeadToCash.Modules.Notifications;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using static LeadToCash.Tests.Infrastructure.TestCustomers;
using static LeadToCash.Tests.Infrastructure.TestLeads;

namespace LeadToCash.Tests.Api;

/// <summary>
/// The customer pool-return rule (no follow-up for N days, no won deal for M days, per team), run directly against the fake
/// clock as the scheduler would. Every test moves the clock forward only, from wherever it is.
/// </summary>
[DatabaseTest]
public sealed class CustomerPoolJobTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<int> RunAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CustomerPoolReturnJob>().RunAsync(Ct);
    }

    [Fact]
    public async Task PoolReturn_NoFollowUpFor31Days_BackInTheOwnersTeamPoolAndTheFormerOwnerTold()
    {
        var customer = await AddOwnedCustomerAsync(app, "wu.jing@demo.test", "三十天没跟进的客户");
        var since = customer.OwnedSince!.Value;
        Assert.NotNull(customer.FollowUpDueAt);

        app.Clock.SetUtcNow(since.AddDays(30).AddMinutes(-1));
        await RunAsync();
        Assert.NotNull((await ReloadCustomerAsync(app, customer.Id)).OwnerId);

        app.Clock.SetUtcNow(since.AddDays(31));
        var first = await RunAsync();
        var second = await RunAsync();

        Assert.True(first >= 1, $"The first run returned {first} customers.");
        Assert.Equal(0, second);
        var returned = await ReloadCustomerAsync(app, customer.Id);
        Assert.Null(returned.OwnerId);
        Assert.Equal(await TeamIdAsync(app, "上海销售二组"), returned.PoolTeamId);
        Assert.Equal(Now(app), returned.ReturnedToPoolAt);
        Assert.Null(returned.FollowUpDueAt);
        Assert.Null(returned.OwnedSince);
        var notification = Assert.Single(await NotificationsAboutAsync(app, customer.Id));
        Assert.Equal(("wu.jing@demo.test", CustomerPoolNotifications.ReturnedNoFollowUp), (notification.Email, notification.Kind));
        Assert.Equal(["三十天没跟进的客户", "30"], NotificationText.Args(notification.ArgsJson));
        await using var db = await app.SystemDbAsync();
        var history = await db.AuditEntries.SingleAsync(a => a.EntityId == customer.Id && a.Field == nameof(Customer.OwnerId), Ct);
        Assert.Null(history.ChangedBy); // the system
    }

    [Fact]
    public async Task PoolReturn_FollowUpWithinTheMonth_ClockRestartsFromIt()
    {
        var customer = await AddOwnedCustomerAsync(app, "zhou.tao@demo.test", "有跟进的客户", c => c.LastFollowUpAt = c.OwnedSince!.Value.AddDays(20));
        var lastFollowUp = customer.LastFollowUpAt!.Value;

        app.Clock.SetUtcNow(customer.OwnedSince!.Value.AddDays(31));
        await RunAsync();
        Assert.NotNull((await ReloadCustomerAsync(app, customer.Id)).OwnerId);

        app.Clock.SetUtcNow(lastFollowUp.AddDays(30).AddMinutes(1));
        await RunAsync();
        Assert.Null((await ReloadCustomerAsync(app, customer.Id)).OwnerId);
    }

    [Fact]
    public async Task PoolReturn_FollowedUpButNoWonDealFor90Days_BackInThePoolForThatReason()
    {
        var customer = await AddOwnedCustomerAsync(app, "huang.lei@demo.test", "常跟进未成交的客户", c => c.LastFollowUpAt = c.OwnedSince!.Value.AddDays(85));
        var since = customer.OwnedSince!.Value;

        app.Clock.SetUtcNow(since.AddDays(90).AddMinutes(-1));
        await RunAsync();
        Assert.NotNull((await ReloadCustomerAsync(app, customer.Id)).OwnerId);

        app.Clock.SetUtcNow(since.AddDays(90).AddMinutes(1));
        await RunAsync();

        Assert.Null((await ReloadCustomerAsync(app, customer.Id)).OwnerId);
        var notification = Assert.Single(await NotificationsAboutAsync(app, customer.Id));
        Assert.Equal(CustomerPoolNotifications.ReturnedNoWonDeal, notification.Kind);
        Assert.Equal(["常跟进未成交的客户", "90"], NotificationText.Args(notification.ArgsJson));
    }

    [Fact]
    public async Task PoolReturn_RegionRuleOf10Days_AppliesToItsTeamsOnly()
    {
        await using (var db = await app.SystemDbAsync())
        {
            db.CustomerPoolRules.Add(new CustomerPoolRule { TeamId = await TeamIdAsync(app, "华南大区"), NoFollowUpDays = 10, NoWonDealDays = 90 });
            await db.SaveChangesAsync(Ct);
        }

        try
        {
            var south = await AddOwnedCustomerAsync(app, DemoUsers.SouthRep, "华南十天规则客户");
            var east = await AddOwnedCustomerAsync(app, "zhou.tao@demo.test", "华东三十天规则客户");

            app.Clock.SetUtcNow(south.OwnedSince!.Value.AddDays(10).AddMinutes(1));
            await RunAsync();

            var returned = await ReloadCustomerAsync(app, south.Id);
            Assert.Null(returned.OwnerId);
            Assert.Equal(await TeamIdAsync(app, "深圳销售组"), returned.PoolTeamId);
            Assert.NotNull((await ReloadCustomerAsync(app, east.Id)).OwnerId);
            Assert.Equal(["华南十天规则客户", "10"], NotificationText.Args(Assert.Single(await NotificationsAboutAsync(app, south.Id)).ArgsJson));
        }
        finally
        {
            await using var db = await app.SystemDbAsync();
            db.CustomerPoolRules.RemoveRange(await db.CustomerPoolRules.ToListAsync(Ct));
            await db.SaveChangesAsync(Ct);
        }
    }

    [Fact]
    public async Task Scheduler_InTheApp_HasThePoolReturnJob()
    {
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Ct);

        var job = await scheduler.GetJobDetail(new JobKey("customers.pool-return"), Ct);

        Assert.NotNull(job);
        Assert.True(job.ConcurrentExecutionDisallowed);
        Assert.NotNull(await scheduler.GetTrigger(new TriggerKey("customers.pool-return"), Ct));
    }
}
