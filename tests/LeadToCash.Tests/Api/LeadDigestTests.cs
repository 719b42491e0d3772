using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Leads.Jobs;
using LeadToCash.Modules.Notifications;
using LeadToCash.Modules.Notifications.Inbox;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LeadToCash.Tests.Infrastructure.TestLeads;

namespace LeadToCash.Tests.Api;

/// <summary>The managers' daily lead digest, on its own database so that its counts are exactly the leads made here.</summary>
[DatabaseTest]
public sealed class LeadDigestTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<int> RunDigestAsync() => Digests.RunAsync(app);

    private Task<List<Notification>> DigestsOfAsync(string email) => Digests.OfAsync(app, email);

    [Fact]
    public async Task Digest_AtTheDigestTime_OncePerManagerPerDayWithTodaysLeadsAndTheOverdueOnes()
    {
        // Wednesday 25 November 2026, 09:00 in Shanghai. Team 上海销售二组 (manager2) gets three leads today.
        await AddOwnedAsync(app, "huang.lei@demo.test", "宁波海通机械", LeadGrade.A); // due 11:00, never touched: overdue
        await AddOwnedAsync(app, "wu.jing@demo.test", "苏州云帆软件", LeadGrade.A, change: l =>
        {
            l.FirstTouchAt = Now(app).AddMinutes(20);
            l.Status = LeadStatus.Contacted;
        });
        await AddUnscreenedAsync(app, "上海销售二组", "杭州启明", LeadGrade.B, channel: "referral"); // screening due 09:30
        await AddOwnedAsync(app, DemoUsers.Rep, "另一组的线索", LeadGrade.C); // 上海销售一组: not manager2's

        SetShanghai(app, new DateTime(2026, 11, 25, 16, 59, 0));
        await RunDigestAsync();
        Assert.Empty(await DigestsOfAsync(DemoUsers.Manager2));

        SetShanghai(app, new DateTime(2026, 11, 25, 17, 0, 0));
        var sent = await RunDigestAsync();
        SetShanghai(app, new DateTime(2026, 11, 25, 17, 1, 0));
        var again = await RunDigestAsync();

        var digest = Assert.Single(await DigestsOfAsync(DemoUsers.Manager2));
        Assert.Equal("digest:2026-11-25", digest.DedupKey);
        await using (var db = await app.SystemDbAsync())
        {
            var sh2 = await db.Teams.Where(t => t.Name == "上海销售二组").Select(t => t.Id).SingleAsync(Ct);
            Assert.Equal($"/leads?teamId={sh2}&createdFrom=2026-11-25&createdTo=2026-11-25", digest.Link);
        }

        Assert.Equal(["2026-11-25", "3", "A 2 · B 1 · C 0", "展会 2 · 客户转介绍 1", "1", "1"], NotificationText.Args(digest.ArgsJson));
        Assert.Equal(0, again);
        Assert.True(sent >= 3, $"Only {sent} digests sent."); // the managers and directors above them too
        Assert.Single(await DigestsOfAsync(DemoUsers.EastDirector)); // 华东大区 includes both Shanghai teams
        Assert.Equal(["2026-11-25", "4", "A 2 · B 1 · C 1", "展会 3 · 客户转介绍 1", "1", "1"],
            NotificationText.Args(Assert.Single(await DigestsOfAsync(DemoUsers.EastDirector)).ArgsJson));
        Assert.Empty(await DigestsOfAsync(DemoUsers.Rep));
        Assert.Empty(await DigestsOfAsync(DemoUsers.Assistant));

        // The next day: nothing before 17:00, a new digest after it.
        SetShanghai(app, new DateTime(2026, 11, 26, 16, 30, 0));
        await RunDigestAsync();
        Assert.Single(await DigestsOfAsync(DemoUsers.Manager2));
        SetShanghai(app, new DateTime(2026, 11, 26, 17, 30, 0));
        await RunDigestAsync();
        var second = (await DigestsOfAsync(DemoUsers.Manager2))[^1];
        Assert.Equal("digest:2026-11-26", second.DedupKey);
        Assert.Equal(["2026-11-26", "0", "A 0 · B 0 · C 0", "—", "1", "1"], NotificationText.Args(second.ArgsJson));

        // What the manager reads, in English.
        using var manager = await app.ClientForAsync(DemoUsers.Manager2);
        var page = await manager.GetJsonAsync<ListPage<NotificationDto>>("/api/v1/notifications?limit=5");
        Assert.Equal("Lead digest for 2026-11-26: 0 new today (by grade: A 0 · B 0 · C 0; by channel: —); " +
            "1 past the first-touch deadline, 1 overdue for screening", page.Items[0].Message);
    }
}

/// <summary>Overlapping digest runs, on a database of their own (the clock only moves forward).</summary>
[DatabaseTest]
public sealed class LeadDigestConcurrencyTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<int> RunDigestAsync() => Digests.RunAsync(app);

    private Task<List<Notification>> DigestsOfAsync(string email) => Digests.OfAsync(app, email);

    [Fact]
    public async Task Digest_TwoRunsAtOnce_StillOnePerManager()
    {
        SetShanghai(app, new DateTime(2026, 11, 27, 17, 5, 0));

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(RunDigestAsync, Ct)));

        Assert.Single(await DigestsOfAsync("manager3@demo.test"), n => n.DedupKey == "digest:2026-11-27");
        Assert.Single(await DigestsOfAsync(DemoUsers.Manager), n => n.DedupKey == "digest:2026-11-27");
    }
}

internal static class Digests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<int> RunAsync(AppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DailyDigestJob>().RunAsync(Ct);
    }

    public static async Task<List<Notification>> OfAsync(AppFactory app, string email)
    {
        var userId = await UserIdAsync(app, email);
        await using var db = await app.SystemDbAsync();
        return await db.Notifications.AsNoTracking()
            .Where(n => n.UserId == userId && n.Kind == LeadNotificationKinds.Digest)
            .OrderBy(n => n.CreatedAt)
            .ToListAsync(Ct);
    }
}
