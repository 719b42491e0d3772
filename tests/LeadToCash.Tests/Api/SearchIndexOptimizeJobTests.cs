using System.Net;
using LeadToCash.Modules.Search;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LeadToCash.Tests.Infrastructure.TestLeads;

namespace LeadToCash.Tests.Api;

/// <summary>
/// The nightly upkeep of the search index, run directly against the fake clock as the scheduler would. Every test moves
/// the clock forward only, from wherever it is.
/// </summary>
[DatabaseTest]
public sealed class SearchIndexOptimizeJobTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<int> RunAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SearchIndexOptimizeJob>().RunAsync(Ct);
    }

    /// <summary>Moves the clock forward to the next <paramref name="hour"/>:<paramref name="minute"/> in Shanghai (the demo company's zone).</summary>
    private void MoveToNext(int hour, int minute)
    {
        var now = ToShanghai(Now(app));
        var next = now.Date.AddHours(hour).AddMinutes(minute);
        SetShanghai(app, next > now ? next : next.AddDays(1));
    }

    private async Task<bool> OnSqliteAsync()
    {
        await using var db = await app.SystemDbAsync();
        return db.Database.IsSqlite();
    }

    [Fact]
    public async Task Optimize_AtNight_MergesEverySqliteSearchTableAndSearchStillFindsChangedRecords()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        // Writes that leave segments and tombstones behind: a new customer, a renamed one, a deleted one.
        var added = await TestCustomers.CreateAsync(admin, "夜间整理索引新客户");
        var renamed = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.Rep, "夜间整理旧名称");
        var deleted = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.Rep, "夜间整理将删除客户");
        await using (var db = await app.SystemDbAsync())
        {
            (await db.Customers.SingleAsync(c => c.Id == renamed.Id, Ct)).Name = "夜间整理改名客户";
            db.Customers.Remove(await db.Customers.SingleAsync(c => c.Id == deleted.Id, Ct));
            await db.SaveChangesAsync(Ct);
        }

        MoveToNext(3, 20);
        var optimized = await RunAsync();

        Assert.Equal(await OnSqliteAsync() ? Enum.GetValues<SearchSource>().Length : 0, optimized);
        // Signed in again: the clock jumped by up to a day, past the first sign-in's expiry.
        using var searcher = await app.ClientForAsync(DemoUsers.Admin);
        var results = await searcher.GetJsonAsync<SearchResults>("/api/v1/search?q=" + WebUtility.UrlEncode("夜间整理"));
        Assert.Equal(["夜间整理改名客户", "夜间整理索引新客户"], results.Customers.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Contains(results.Customers, c => c.Id == added.Id);
        if (await OnSqliteAsync())
        {
            // The planner's statistics were written for the customers.
            await using var db = await app.SystemDbAsync();
            var analyzed = await db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM sqlite_stat1 WHERE tbl = 'Customers'").SingleAsync(Ct);
            Assert.True(analyzed > 0);
        }

        // A second run the same night (a restart) finds one segment per table and changes nothing.
        Assert.Equal(optimized, await RunAsync());
    }

    [Fact]
    public async Task Optimize_OutsideTheNightHour_DoesNothing()
    {
        MoveToNext(4, 0);
        var atFour = await RunAsync();
        MoveToNext(14, 30);
        var afternoon = await RunAsync();
        MoveToNext(2, 59);
        var justBefore = await RunAsync();

        Assert.Equal((0, 0, 0), (atFour, afternoon, justBefore));
    }
}
