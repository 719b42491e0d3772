using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Leads.Jobs;
using LeadToCash.Modules.Notifications;
using LeadToCash.Platform.Jobs;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;
using static LeadToCash.Tests.Infrastructure.TestLeads;

namespace LeadToCash.Tests.Api;

/// <summary>
/// The time-driven lead rules (first-touch reminder, escalation, screening overdue, pool return), run directly against
/// the fake clock as the scheduler would run them. Every test moves the clock forward only, from wherever it is.
/// </summary>
[DatabaseTest]
public sealed class LeadJobsTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<int> RunAsync<TJob>() where TJob : IScheduledWork
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TJob>().RunAsync(Ct);
    }

    private DateTime NextShanghai(DayOfWeek day, TimeOnly time)
    {
        var local = ToShanghai(Now(app));
        var date = DateOnly.FromDateTime(local).AddDays(((int)day - (int)local.DayOfWeek + 7) % 7);
        var next = date.ToDateTime(time);
        return next > local ? next : next.AddDays(7);
    }

    [Fact]
    public async Task FirstTouchReminder_AssignedFriday1750_NotRemindedOverTheWeekendRemindedMondayAfterDeadline()
    {
        var friday = NextShanghai(DayOfWeek.Friday, new TimeOnly(17, 50));
        SetShanghai(app, friday);
        var lead = await AddOwnedAsync(app, DemoUsers.Rep, "周五傍晚的线索", LeadGrade.A);
        // 2 working hours: 10 minutes on Friday, then Monday from 09:00.
        Assert.Equal(friday.AddDays(3).Date.AddHours(10).AddMinutes(50), ToShanghai(lead.FirstTouchDueAt!.Value));

        SetShanghai(app, friday.AddDays(1).Date.AddHours(10));
        await RunAsync<FirstTouchReminderJob>();
        SetShanghai(app, friday.AddDays(3).Date.AddHours(10).AddMinutes(49));
        await RunAsync<FirstTouchReminderJob>();
        Assert.Null((await ReloadAsync(app, lead.Id)).ReminderSentAt);
        Assert.Empty(await NotificationsAboutAsync(app, lead.Id));

        SetShanghai(app, friday.AddDays(3).Date.AddHours(10).AddMinutes(51));
        await RunAsync<FirstTouchReminderJob>();
        await RunAsync<FirstTouchReminderJob>();

        var reminded = await ReloadAsync(app, lead.Id);
        Assert.Equal(Now(app), reminded.ReminderSentAt);
        var notification = Assert.Single(await NotificationsAboutAsync(app, lead.Id));
        Assert.Equal((DemoUsers.Rep, LeadNotificationKinds.SlaReminder), (notification.Email, notification.Kind));
        await using var db = await app.SystemDbAsync();
        var history = await db.AuditEntries.SingleAsync(a => a.EntityId == lead.Id && a.Field == nameof(Lead.ReminderSentAt), Ct);
        Assert.Null(history.ChangedBy); // the system
    }

    [Fact]
    public async Task FirstTouchReminder_TouchedBeforeTheDeadline_NoReminder()
    {
        var lead = await AddOwnedAsync(app, DemoUsers.Rep2, "已联系的线索", LeadGrade.A, change: l =>
        {
            l.FirstTouchAt = Now(app).AddMinutes(5);
            l.LastActivityAt = l.FirstTouchAt;
            l.Status = LeadStatus.Contacted;
        });

        app.Clock.Advance(TimeSpan.FromDays(3));
        await RunAsync<FirstTouchReminderJob>();

        Assert.Null((await ReloadAsync(app, lead.Id)).ReminderSentAt);
        Assert.Empty(await NotificationsAboutAsync(app, lead.Id));
    }

    [Fact]
    public async Task Escalation_NoContactAttempt48HoursAfterAssignment_OwnersManagerToldOnce()
    {
        var lead = await AddOwnedAsync(app, "zhao.min@demo.test", "无人跟进的线索", LeadGrade.B);

        app.Clock.Advance(TimeSpan.FromHours(47));
        await RunAsync<EscalationJob>();
        Assert.Null((await ReloadAsync(app, lead.Id)).EscalatedAt);

        app.Clock.Advance(TimeSpan.FromHours(1.5));
        await RunAsync<EscalationJob>();
        await RunAsync<EscalationJob>();

        Assert.Equal(Now(app), (await ReloadAsync(app, lead.Id)).EscalatedAt);
        var notification = Assert.Single(await NotificationsAboutAsync(app, lead.Id));
        Assert.Equal(DemoUsers.Manager, notification.Email); // 李娜 heads 上海销售一组
        Assert.Equal(LeadNotificationKinds.Escalated, notification.Kind);
        Assert.Equal(["无人跟进的线索", "赵敏", "48"], NotificationText.Args(notification.ArgsJson));
    }

    [Fact]
    public async Task Escalation_OwnerHeadsTheTeam_GoesToTheHeadOfTheTeamAbove()
    {
        var lead = await AddOwnedAsync(app, DemoUsers.Manager, "组长自己的线索", LeadGrade.B);

        app.Clock.Advance(TimeSpan.FromHours(49));
        await RunAsync<EscalationJob>();

        Assert.Equal(DemoUsers.EastDirector, Assert.Single(await NotificationsAboutAsync(app, lead.Id)).Email);
    }

    [Fact]
    public async Task Escalation_ContactAttemptLogged_NotEscalated()
    {
        var lead = await AddOwnedAsync(app, "huang.lei@demo.test", "打过电话没接通", LeadGrade.B,
            change: l => l.LastActivityAt = Now(app).AddHours(1));

        app.Clock.Advance(TimeSpan.FromHours(60));
        await RunAsync<EscalationJob>();

        Assert.Null((await ReloadAsync(app, lead.Id)).EscalatedAt);
        Assert.Empty(await NotificationsAboutAsync(app, lead.Id));
    }

    [Fact]
    public async Task ScreeningOverdue_UnscreenedPastDeadline_AssistantsAndManagersOfTheTeamToldOnce()
    {
        var lead = await AddUnscreenedAsync(app, "上海销售一组", "等待初筛的线索");

        app.Clock.Advance(TimeSpan.FromDays(5)); // past 30 working minutes whatever the day and hour
        await RunAsync<ScreeningOverdueJob>();
        await RunAsync<ScreeningOverdueJob>();

        Assert.Equal(Now(app), (await ReloadAsync(app, lead.Id)).ScreeningAlertSentAt);
        var told = await NotificationsAboutAsync(app, lead.Id);
        Assert.Equal([DemoUsers.Assistant, DemoUsers.Manager], told.Select(n => n.Email));
        Assert.All(told, n => Assert.Equal(LeadNotificationKinds.ScreeningOverdue, n.Kind));
    }

    [Fact]
    public async Task ScreeningOverdue_BeforeTheDeadline_NobodyTold()
    {
        var monday = NextShanghai(DayOfWeek.Monday, new TimeOnly(10, 0));
        SetShanghai(app, monday);
        var lead = await AddUnscreenedAsync(app, "深圳销售组", "刚进来的线索");

        SetShanghai(app, monday.AddMinutes(29));
        await RunAsync<ScreeningOverdueJob>();
        Assert.Empty(await NotificationsAboutAsync(app, lead.Id));

        SetShanghai(app, monday.AddMinutes(31));
        await RunAsync<ScreeningOverdueJob>();
        Assert.Equal(["ma.xiaoli@demo.test", "manager3@demo.test"], (await NotificationsAboutAsync(app, lead.Id)).Select(n => n.Email));
    }

    [Fact]
    public async Task ScreeningOverdue_TeamWithoutAssistantsOrManagers_ItsHeadTold()
    {
        var lead = await AddUnscreenedAsync(app, "华东大区", "大区直接收到的线索");

        app.Clock.Advance(TimeSpan.FromDays(5));
        await RunAsync<ScreeningOverdueJob>();

        Assert.Equal(DemoUsers.EastDirector, Assert.Single(await NotificationsAboutAsync(app, lead.Id)).Email);
    }

    [Fact]
    public async Task PoolReturn_NoFollowUpFor7Days_BackInTheTeamPoolAndTheFormerOwnerTold()
    {
        var lead = await AddOwnedAsync(app, "wu.jing@demo.test", "七天没跟进的线索", LeadGrade.B);
        var assignedAt = lead.AssignedAt!.Value;

        app.Clock.SetUtcNow(assignedAt.AddDays(7).AddMinutes(-1));
        await RunAsync<PoolReturnJob>();
        Assert.NotNull((await ReloadAsync(app, lead.Id)).OwnerId);

        app.Clock.SetUtcNow(assignedAt.AddDays(7).AddMinutes(1));
        await RunAsync<PoolReturnJob>();
        await RunAsync<PoolReturnJob>();

        var returned = await ReloadAsync(app, lead.Id);
        Assert.Null(returned.OwnerId);
        Assert.Equal(returned.TeamId, returned.PoolTeamId);
        Assert.Equal(LeadStatus.Pool, returned.Status);
        Assert.Null(returned.AssignedAt);
        var notification = Assert.Single(await NotificationsAboutAsync(app, lead.Id));
        Assert.Equal(("wu.jing@demo.test", LeadNotificationKinds.ReturnedToPool), (notification.Email, notification.Kind));
        Assert.Equal(["七天没跟进的线索", "7"], NotificationText.Args(notification.ArgsJson));
    }

    [Fact]
    public async Task PoolReturn_FollowUpWithinTheWeek_ClockRestartsFromIt()
    {
        var lead = await AddOwnedAsync(app, "zhou.tao@demo.test", "有跟进的线索", LeadGrade.B, change: l =>
        {
            l.FirstTouchAt = Now(app).AddDays(3);
            l.LastActivityAt = l.FirstTouchAt;
            l.Status = LeadStatus.Contacted;
        });
        var lastActivity = lead.LastActivityAt!.Value;

        app.Clock.SetUtcNow(lead.AssignedAt!.Value.AddDays(8));
        await RunAsync<PoolReturnJob>();
        Assert.NotNull((await ReloadAsync(app, lead.Id)).OwnerId);

        app.Clock.SetUtcNow(lastActivity.AddDays(7).AddMinutes(1));
        await RunAsync<PoolReturnJob>();
        Assert.Null((await ReloadAsync(app, lead.Id)).OwnerId);
    }

    [Fact]
    public async Task FirstTouchReminder_TwoRunsAtOnce_EveryLeadRemindedExactlyOnce()
    {
        var leads = new List<Lead>();
        for (var i = 0; i < 12; i++)
        {
            leads.Add(await AddOwnedAsync(app, i % 2 == 0 ? "he.yun@demo.test" : "guo.peng@demo.test", $"并发提醒 {i}", LeadGrade.A));
        }

        app.Clock.Advance(TimeSpan.FromDays(4));
        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(RunAsync<FirstTouchReminderJob>, Ct)));

        foreach (var lead in leads)
        {
            Assert.Single(await NotificationsAboutAsync(app, lead.Id));
            Assert.NotNull((await ReloadAsync(app, lead.Id)).ReminderSentAt);
        }

        Assert.True(runs.Sum() >= leads.Count, $"The runs reported {runs.Sum()} reminders for {leads.Count} leads.");
    }

    [Fact]
    public async Task Scheduler_InTheApp_HasEveryLeadJobWithATriggerButIsNotStartedInTests()
    {
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Ct);

        foreach (var name in new[] { "leads.first-touch-reminder", "leads.escalation", "leads.screening-overdue", "leads.pool-return", "leads.daily-digest" })
        {
            var job = await scheduler.GetJobDetail(new JobKey(name), Ct);
            Assert.True(job is not null, $"No job {name}.");
            Assert.True(job.ConcurrentExecutionDisallowed);
            Assert.NotNull(await scheduler.GetTrigger(new TriggerKey(name), Ct));
        }

        Assert.DoesNotContain(app.Services.GetServices<IHostedService>(), s => s is QuartzHostedService);
    }
}
