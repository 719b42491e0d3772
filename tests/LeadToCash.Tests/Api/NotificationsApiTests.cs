using System.Net;
using LeadToCash.Modules.Notifications;
using LeadToCash.Modules.Notifications.Inbox;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Api;

/// <summary>The notification centre's API, and the bus that tells open pages about saved notifications.</summary>
[DatabaseTest]
public sealed class NotificationsApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private NotificationBus Bus => app.Services.GetRequiredService<NotificationBus>();

    private async Task<Guid> UserIdAsync(string email)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
    }

    /// <summary>Adds notifications for <paramref name="email"/> one minute apart, the last one now.</summary>
    private async Task<List<Notification>> NotifyAsync(string email, params string[] companies)
    {
        var userId = await UserIdAsync(email);
        await using var db = await app.SystemDbAsync();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var added = companies
            .Select((company, i) => Notify.Add(db, userId, "lead.assigned", $"/leads/{Guid.CreateVersion7()}", "lead", null,
                now.AddMinutes(i - companies.Length + 1), company))
            .ToList();
        await db.SaveChangesAsync(Ct);
        return added;
    }

    [Fact]
    public async Task List_OwnNotifications_NewestFirstInTheCallersLanguageAndNoOneElses()
    {
        await NotifyAsync("zhao.min@demo.test", "宁波海通机械", "苏州云帆软件");
        await NotifyAsync(DemoUsers.Rep2, "别人的线索");
        using var zhao = await app.ClientForAsync("zhao.min@demo.test");

        var page = await zhao.GetJsonAsync<ListPage<NotificationDto>>("/api/v1/notifications");

        Assert.Equal(2, page.Count);
        Assert.Equal(["New lead assigned to you: 苏州云帆软件", "New lead assigned to you: 宁波海通机械"], page.Items.Select(n => n.Message));
        Assert.All(page.Items, n => Assert.Null(n.ReadAt));
        Assert.Equal(DateTimeKind.Utc, page.Items[0].CreatedAt.Kind);
        Assert.StartsWith("/leads/", page.Items[0].Link, StringComparison.Ordinal);

        zhao.DefaultRequestHeaders.AcceptLanguage.Clear();
        zhao.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        var chinese = await zhao.GetJsonAsync<ListPage<NotificationDto>>("/api/v1/notifications");
        Assert.Equal("新线索分配给您：苏州云帆软件", chinese.Items[0].Message);
    }

    [Fact]
    public async Task List_LimitAndCursor_PagesWithoutOverlap()
    {
        await NotifyAsync("huang.lei@demo.test", "一", "二", "三", "四", "五");
        using var client = await app.ClientForAsync("huang.lei@demo.test");

        var first = await client.GetJsonAsync<ListPage<NotificationDto>>("/api/v1/notifications?limit=2");
        var second = await client.GetJsonAsync<ListPage<NotificationDto>>($"/api/v1/notifications?limit=2&cursor={first.NextCursor}");
        var third = await client.GetJsonAsync<ListPage<NotificationDto>>($"/api/v1/notifications?limit=2&cursor={second.NextCursor}");

        Assert.Equal(["五", "四", "三", "二", "一"], first.Items.Concat(second.Items).Concat(third.Items).Select(n => n.Args[0]));
        Assert.Null(third.NextCursor);
        Assert.Equal(5, first.Count);
    }

    [Fact]
    public async Task MarkRead_OwnNotification_CountDropsAndUnreadFilterLeavesItOut()
    {
        var added = await NotifyAsync("wu.jing@demo.test", "甲", "乙", "丙");
        using var client = await app.ClientForAsync("wu.jing@demo.test");
        Assert.Equal(3, (await client.GetJsonAsync<UnreadCountDto>("/api/v1/notifications/unread-count")).Count);

        var read = await (await client.PostAsync($"/api/v1/notifications/{added[1].Id}/read", null, Ct)).ExpectJsonAsync<NotificationDto>();

        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, read.ReadAt);
        Assert.Equal(2, (await client.GetJsonAsync<UnreadCountDto>("/api/v1/notifications/unread-count")).Count);
        var unread = await client.GetJsonAsync<ListPage<NotificationDto>>("/api/v1/notifications?unread=true");
        Assert.Equal(["丙", "甲"], unread.Items.Select(n => n.Args[0]));
        var readOnes = await client.GetJsonAsync<ListPage<NotificationDto>>("/api/v1/notifications?unread=false");
        Assert.Equal(added[1].Id, Assert.Single(readOnes.Items).Id);
    }

    [Fact]
    public async Task MarkRead_AnotherUsersNotification_Returns404AndLeavesItUnread()
    {
        var theirs = (await NotifyAsync("zhou.tao@demo.test", "别人的")).Single();
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsync($"/api/v1/notifications/{theirs.Id}/read", null, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        await using var db = await app.SystemDbAsync();
        Assert.Null(await db.Notifications.Where(n => n.Id == theirs.Id).Select(n => n.ReadAt).SingleAsync(Ct));
    }

    [Fact]
    public async Task MarkAllRead_CallersUnread_AllReadOthersUntouchedAndOpenPagesTold()
    {
        await NotifyAsync("guo.peng@demo.test", "一", "二");
        await NotifyAsync("he.yun@demo.test", "别人的");
        var guo = await UserIdAsync("guo.peng@demo.test");
        var told = new TaskCompletionSource<NotificationsChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = Bus.Subscribe(guo, change =>
        {
            told.TrySetResult(change);
            return Task.CompletedTask;
        });
        using var client = await app.ClientForAsync("guo.peng@demo.test");

        var marked = await (await client.PostAsync("/api/v1/notifications/read-all", null, Ct)).ExpectJsonAsync<MarkedReadDto>();

        Assert.Equal(2, marked.Count);
        Assert.Equal(0, (await client.GetJsonAsync<UnreadCountDto>("/api/v1/notifications/unread-count")).Count);
        using var heYun = await app.ClientForAsync("he.yun@demo.test");
        Assert.Equal(1, (await heYun.GetJsonAsync<UnreadCountDto>("/api/v1/notifications/unread-count")).Count);
        Assert.Empty((await told.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct)).Added);
    }

    [Fact]
    public async Task Notifications_WithoutSignIn_Return401()
    {
        using var anonymous = app.AnonymousClient();

        var response = await anonymous.GetAsync("/api/v1/notifications", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Save_NewNotification_PublishedToItsReaderAfterTheSave()
    {
        var userId = await UserIdAsync("ma.xiaoli@demo.test");
        using var reader = new BusReader(Bus, userId);
        await using var db = await app.SystemDbAsync();
        var notification = Notify.Add(db, userId, "lead.screening-overdue", "/leads/x", "lead", null, app.Clock.GetUtcNow().UtcDateTime, "深圳华测");
        Assert.Empty(await reader.DeliveredSoFarAsync()); // not before it is saved

        await db.SaveChangesAsync(Ct);

        var change = await reader.NextAsync();
        Assert.Equal(notification.Id, Assert.Single(change.Added).Id);
    }

    [Fact]
    public async Task Save_InsideRolledBackTransaction_PublishesNothing()
    {
        var userId = await UserIdAsync("marketing@demo.test");
        using var reader = new BusReader(Bus, userId);
        await using var db = await app.SystemDbAsync();
        await using (var transaction = await db.Database.BeginTransactionAsync(Ct))
        {
            Notify.Add(db, userId, "lead.assigned", null, null, null, app.Clock.GetUtcNow().UtcDateTime, "回滚");
            await db.SaveChangesAsync(Ct);
            Assert.Empty(await reader.DeliveredSoFarAsync());
            await transaction.RollbackAsync(Ct);
        }

        Assert.Empty(await reader.DeliveredSoFarAsync());
        await using var check = await app.SystemDbAsync();
        Assert.False(await check.Notifications.AnyAsync(n => n.UserId == userId && n.ArgsJson.Contains("回滚"), Ct));
    }

    [Fact]
    public async Task Save_InsideCommittedTransaction_PublishedAtCommit()
    {
        var userId = await UserIdAsync("finance@demo.test");
        using var reader = new BusReader(Bus, userId);
        await using var db = await app.SystemDbAsync();
        await using var transaction = await db.Database.BeginTransactionAsync(Ct);
        Notify.Add(db, userId, "lead.assigned", null, null, null, app.Clock.GetUtcNow().UtcDateTime, "提交");
        await db.SaveChangesAsync(Ct);
        Assert.Empty(await reader.DeliveredSoFarAsync()); // not before the commit

        await transaction.CommitAsync(Ct);

        Assert.Single((await reader.NextAsync()).Added);
    }

    /// <summary>
    /// What the bus delivered to one user. The bus delivers asynchronously, so "nothing so far" is asked by publishing
    /// a marker (an empty change) and waiting for it: a change published before the marker has been delivered with it.
    /// </summary>
    private sealed class BusReader : IDisposable
    {
        private readonly NotificationBus _bus;
        private readonly Guid _userId;
        private readonly System.Threading.Channels.Channel<NotificationsChanged> _changes =
            System.Threading.Channels.Channel.CreateUnbounded<NotificationsChanged>();
        private readonly IDisposable _subscription;

        public BusReader(NotificationBus bus, Guid userId)
        {
            (_bus, _userId) = (bus, userId);
            _subscription = bus.Subscribe(userId, change => _changes.Writer.WriteAsync(change).AsTask());
        }

        public async Task<NotificationsChanged> NextAsync()
        {
            while (true)
            {
                var change = await _changes.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);
                if (change.Added.Count > 0)
                {
                    return change;
                }
            }
        }

        public async Task<List<NotificationsChanged>> DeliveredSoFarAsync()
        {
            _bus.Publish(_userId, []);
            var delivered = new List<NotificationsChanged>();
            while (true)
            {
                var change = await _changes.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);
                if (change.Added.Count == 0)
                {
                    // The marker; a real change racing it would have been published first: read what is queued.
                    while (_changes.Reader.TryRead(out var queued))
                    {
                        if (queued.Added.Count > 0)
                        {
                            delivered.Add(queued);
                        }
                    }

                    return delivered;
                }

                delivered.Add(change);
            }
        }

        public void Dispose() => _subscription.Dispose();
    }
}
