using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Tasks;
using LeadToCash.Modules.Tasks.CreateTask;
using LeadToCash.Modules.Tasks.MyDay;
using LeadToCash.Platform.Api;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Api;

/// <summary>"My day" through the API, and the roll-over of overdue tasks on the fake clock.</summary>
[DatabaseTest]
public sealed class MyDayApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MyDay_CustomersDueByCadence_ListsDueTodayAndOverdueOfTheRepOnly()
    {
        var today = TestTasks.StartOfDay(app);
        var dueToday = await TestTasks.OwnedCustomerAsync(app, DemoUsers.Rep, 0, c => c.FollowUpDueAt = today);
        var overdue = await TestTasks.OwnedCustomerAsync(app, DemoUsers.Rep, 1, c => c.FollowUpDueAt = TestTasks.StartOfDay(app, -2));
        var upcoming = await TestTasks.OwnedCustomerAsync(app, DemoUsers.Rep, 2, c => c.FollowUpDueAt = TestTasks.StartOfDay(app, 1));
        var colleagues = await TestTasks.OwnedCustomerAsync(app, DemoUsers.Rep2, 0, c => c.FollowUpDueAt = TestTasks.StartOfDay(app, -1));
        var repId = await TestLeads.UserIdAsync(app, DemoUsers.Rep);
        int expectedToday, expectedOverdue;
        await using (var db = await app.SystemDbAsync())
        {
            expectedToday = await db.Customers.CountAsync(c => c.OwnerId == repId && c.FollowUpDueAt == today, Ct);
            expectedOverdue = await db.Customers.CountAsync(c => c.OwnerId == repId && c.FollowUpDueAt < today, Ct);
        }

        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var day = await rep.GetJsonAsync<MyDay>("/api/v1/my-day");

        var followUps = day.FollowUps!;
        Assert.Equal(CadenceState.DueToday, followUps.Single(f => f.CustomerId == dueToday.Id).State);
        var late = followUps.Single(f => f.CustomerId == overdue.Id);
        Assert.Equal(CadenceState.Overdue, late.State);
        Assert.Equal(2, late.DaysOverdue);
        Assert.DoesNotContain(followUps, f => f.CustomerId == upcoming.Id || f.CustomerId == colleagues.Id);
        Assert.Equal(expectedToday, day.FollowUpsDueToday);
        Assert.Equal(expectedOverdue, day.FollowUpsOverdue);
        Assert.Null(day.Team);
    }

    [Fact]
    public async Task MyDay_Manager_SeesCountsPerPersonOfTheTeam()
    {
        await TestTasks.OwnedCustomerAsync(app, "zhao.min@demo.test", 0, c => c.FollowUpDueAt = TestTasks.StartOfDay(app, -3));
        await TestTasks.OwnedCustomerAsync(app, "zhao.min@demo.test", 1, c => c.FollowUpDueAt = TestTasks.StartOfDay(app));
        var zhaoId = await TestLeads.UserIdAsync(app, "zhao.min@demo.test");
        var today = TestTasks.StartOfDay(app);
        int dueToday, overdue;
        await using (var db = await app.SystemDbAsync())
        {
            dueToday = await db.Customers.CountAsync(c => c.OwnerId == zhaoId && c.FollowUpDueAt == today, Ct);
            overdue = await db.Customers.CountAsync(c => c.OwnerId == zhaoId && c.FollowUpDueAt < today, Ct);
        }

        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var day = await manager.GetJsonAsync<MyDay>("/api/v1/my-day");

        var zhao = Assert.Single(day.Team!, p => p.UserId == zhaoId);
        Assert.Equal((dueToday, overdue), (zhao.DueToday, zhao.Overdue));
        Assert.True(zhao.Overdue >= 1 && zhao.DueToday >= 1);
        Assert.DoesNotContain(day.Team!, p => p.DisplayName == "何芸");
    }

    [Fact]
    public async Task MyDay_OwnedLeadAwaitingFirstTouch_IsListedWithItsSlaState()
    {
        var lead = await TestLeads.AddOwnedAsync(app, DemoUsers.Rep, "首联科技有限公司");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var day = await rep.GetJsonAsync<MyDay>("/api/v1/my-day");

        var listed = Assert.Single(day.Leads!, l => l.LeadId == lead.Id);
        Assert.Equal("首联科技有限公司", listed.Name);
        Assert.Equal(DateTime.SpecifyKind(lead.FirstTouchDueAt!.Value, DateTimeKind.Utc), listed.FirstTouchDueAt);
        Assert.Contains(listed.Sla, new[] { SlaState.OnTrack, SlaState.DueSoon });
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
        Assert.DoesNotContain((await rep2.GetJsonAsync<MyDay>("/api/v1/my-day")).Leads!, l => l.LeadId == lead.Id);
    }

    [Fact]
    public async Task MyDay_NeedsAnalysisUnconfirmedPast24Hours_IsListedAsOverdue()
    {
        var customer = await TestTasks.OwnedCustomerAsync(app, DemoUsers.Rep, 3);
        var now = TestLeads.Now(app);
        var late = Analysis(customer.Id, "Late analysis", now.AddHours(-30));
        var recent = Analysis(customer.Id, "Fresh analysis", now.AddHours(-2));
        var confirmed = Analysis(customer.Id, "Confirmed analysis", now.AddHours(-50));
        confirmed.ConfirmedAt = now.AddHours(-40);
        await using (var db = await app.SystemDbAsync())
        {
            db.NeedsAnalyses.AddRange(late, recent, confirmed);
            await db.SaveChangesAsync(Ct);
        }

        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var day = await rep.GetJsonAsync<MyDay>("/api/v1/my-day");

        var analyses = day.NeedsAnalyses!;
        Assert.True(analyses.Single(a => a.Id == late.Id).IsOverdue);
        Assert.False(analyses.Single(a => a.Id == recent.Id).IsOverdue);
        Assert.Equal(customer.Name, analyses.Single(a => a.Id == late.Id).CustomerName);
        Assert.DoesNotContain(analyses, a => a.Id == confirmed.Id);
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
        Assert.DoesNotContain((await rep2.GetJsonAsync<MyDay>("/api/v1/my-day")).NeedsAnalyses!, a => a.Id == late.Id);
    }

    private static NeedsAnalysis Analysis(Guid customerId, string title, DateTime meetingAt) => new()
    {
        CustomerId = customerId,
        Title = title,
        MeetingAt = meetingAt,
        ConfirmDueAt = CustomerRules.ConfirmDueAt(meetingAt, new CustomerSettings()),
    };

    [Fact]
    public async Task MyDay_FinanceWithoutCustomersOrLeads_HasOnlyTheTaskSection()
    {
        using var finance = await app.ClientForAsync(DemoUsers.Finance);

        var day = await finance.GetJsonAsync<MyDay>("/api/v1/my-day");

        Assert.NotNull(day.Tasks);
        Assert.NotNull(day.FollowUps); // finance may read customers, but owns none
        Assert.Empty(day.FollowUps);
        Assert.Null(day.Leads);
    }

    [Fact]
    public async Task TodaysTasks_OverdueTask_RollsOverToTheNextDayFlaggedOverdue()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep2);
        var dueToday = await rep.CreateTaskAsync(new CreateTaskRequest("Roll me over", TestTasks.TodayAt(app, 17)));
        var dueTomorrow = await rep.CreateTaskAsync(new CreateTaskRequest("Tomorrow's call", TestTasks.TodayAt(app, 10, days: 1)));
        var done = await rep.CreateTaskAsync(new CreateTaskRequest("Finished today", TestTasks.TodayAt(app, 12)));
        await (await rep.PostAsync($"/api/v1/tasks/{done.Id}/complete",
            System.Net.Http.Json.JsonContent.Create(new { note = "ok", version = done.Version }), Ct)).ExpectAsync(System.Net.HttpStatusCode.OK);

        var before = await rep.GetJsonAsync<ListPage<TaskDto>>("/api/v1/tasks?assignee=me&due=today");
        Assert.Contains(before.Items, t => t.Id == dueToday.Id && !t.IsOverdue);
        Assert.DoesNotContain(before.Items, t => t.Id == dueTomorrow.Id || t.Id == done.Id);

        app.Clock.Advance(TimeSpan.FromDays(1));
        using var nextDay = await app.ClientForAsync(DemoUsers.Rep2);
        var after = await nextDay.GetJsonAsync<ListPage<TaskDto>>("/api/v1/tasks?assignee=me&due=today");
        var overdue = await nextDay.GetJsonAsync<ListPage<TaskDto>>("/api/v1/tasks?assignee=me&due=overdue");
        var day = await nextDay.GetJsonAsync<MyDay>("/api/v1/my-day");

        var rolled = Assert.Single(after.Items, t => t.Id == dueToday.Id);
        Assert.True(rolled.IsOverdue);
        Assert.Equal(1, rolled.DaysOverdue);
        Assert.Contains(after.Items, t => t.Id == dueTomorrow.Id);
        Assert.DoesNotContain(after.Items, t => t.Id == done.Id);
        Assert.Contains(overdue.Items, t => t.Id == dueToday.Id);
        Assert.DoesNotContain(overdue.Items, t => t.Id == dueTomorrow.Id); // due at 10:00, now 09:00
        Assert.Equal([dueToday.Id, dueTomorrow.Id], day.Tasks.Where(t => t.Id == dueToday.Id || t.Id == dueTomorrow.Id).Select(t => t.Id));
        Assert.True(day.Tasks.Single(t => t.Id == dueToday.Id).IsOverdue);
        Assert.True(day.TasksOverdue >= 1);

        app.Clock.Advance(TimeSpan.FromDays(2));
        using var later = await app.ClientForAsync(DemoUsers.Rep2);
        var stillThere = (await later.GetJsonAsync<MyDay>("/api/v1/my-day")).Tasks.Single(t => t.Id == dueToday.Id);
        Assert.Equal(3, stillThere.DaysOverdue);
    }
}
