using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.FollowUps;
using LeadToCash.Modules.FollowUps.Jobs;
using LeadToCash.Modules.FollowUps.LogFollowUp;
using LeadToCash.Modules.Notifications;
using LeadToCash.Modules.Notifications.Inbox;
using LeadToCash.Platform.Api;
using LeadToCash.Tests.Components;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LeadToCash.Tests.Infrastructure.TestLeads;

namespace LeadToCash.Tests.Api;

/// <summary>
/// Customers arranged on a database of their own against the fake clock (Wednesday 25 November 2026, 09:00 in Shanghai):
/// the due lists, the managers' view per rep, and how a day passing and a follow-up move customers between them.
/// </summary>
[DatabaseTest]
public sealed class FollowUpsDueTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DueLists_RepsManagersAndAdmin_SeeTheirScopeAndTheListsFollowTheClock()
    {
        // 张伟: A contacted yesterday (due today), C owned for 20 days and never contacted (overdue 20 days), B contacted
        // today (upcoming). 刘洋: A contacted on Monday (due Tuesday: overdue 1 day). 何芸 (Shenzhen): overdue.
        var dueToday = await ArrangeAsync(DemoUsers.Rep, 0, CustomerGrade.A, lastFollowUp: Shanghai(new DateTime(2026, 11, 24, 10, 0, 0)));
        var neverContacted = await ArrangeAsync(DemoUsers.Rep, 1, CustomerGrade.C, ownedSince: Shanghai(new DateTime(2026, 11, 5, 15, 0, 0)));
        await ArrangeAsync(DemoUsers.Rep, 2, CustomerGrade.B, lastFollowUp: Shanghai(new DateTime(2026, 11, 25, 8, 0, 0)));
        var rep2Overdue = await ArrangeAsync(DemoUsers.Rep2, 0, CustomerGrade.A, lastFollowUp: Shanghai(new DateTime(2026, 11, 23, 16, 0, 0)));
        var south = await ArrangeAsync(DemoUsers.SouthRep, 0, CustomerGrade.A, lastFollowUp: Shanghai(new DateTime(2026, 11, 20, 16, 0, 0)));
        var repId = await UserIdAsync(app, DemoUsers.Rep);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var today = await rep.GetJsonAsync<ListPage<FollowUpDueItem>>($"/api/v1/follow-ups/due?state=dueToday&ownerId={repId}");
        var overdue = await rep.GetJsonAsync<ListPage<FollowUpDueItem>>($"/api/v1/follow-ups/due?state=overdue&ownerId={repId}");
        var both = await rep.GetJsonAsync<ListPage<FollowUpDueItem>>("/api/v1/follow-ups/due");
        var counts = await rep.GetJsonAsync<FollowUpDueCounts>($"/api/v1/follow-ups/due/counts?ownerId={repId}");

        var item = Assert.Single(today.Items);
        Assert.Equal((dueToday, CustomerGrade.A, CadenceState.DueToday, 0, "张伟"), (item.CustomerId, item.Grade, item.State, item.DaysOverdue, item.OwnerName));
        Assert.Equal(Shanghai(new DateTime(2026, 11, 24, 10, 0, 0)), item.LastFollowUpAt);
        Assert.Equal(Shanghai(new DateTime(2026, 11, 25, 0, 0, 0)), item.DueAt);
        var late = Assert.Single(overdue.Items);
        Assert.Equal((neverContacted, CadenceState.Overdue, 20, (DateTime?)null), (late.CustomerId, late.State, late.DaysOverdue, late.LastFollowUpAt));
        Assert.Equal([neverContacted, dueToday], both.Items.Select(i => i.CustomerId)); // most overdue first
        Assert.Equal(new FollowUpDueCounts(1, 1), counts);

        var teamOverdue = await manager.GetJsonAsync<ListPage<FollowUpDueItem>>("/api/v1/follow-ups/due?state=overdue");
        Assert.Equal([neverContacted, rep2Overdue], teamOverdue.Items.Select(i => i.CustomerId));
        Assert.Equal(1, teamOverdue.Items[1].DaysOverdue);
        var byRep = await manager.GetJsonAsync<List<RepFollowUpsDue>>("/api/v1/follow-ups/due/by-rep");
        Assert.Equal([("张伟", 1, 1), ("刘洋", 0, 1), ("李娜", 0, 0), ("赵敏", 0, 0)],
            byRep.Select(r => (r.DisplayName, r.DueToday, r.Overdue)));
        Assert.All(byRep, r => Assert.Equal("上海销售一组", r.TeamName));
        await (await rep.GetAsync("/api/v1/follow-ups/due/by-rep", Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var everyone = await admin.GetJsonAsync<List<RepFollowUpsDue>>("/api/v1/follow-ups/due/by-rep");
        Assert.Contains(everyone, r => r.DisplayName == "何芸" && r.Overdue == 1);
        Assert.Contains(south, (await admin.ListAllAsync<FollowUpDueItem>("/api/v1/follow-ups/due?state=overdue", limit: 2)).Select(i => i.CustomerId));
        await (await rep.GetAsync("/api/v1/follow-ups/due?state=someday", Ct)).ExpectFieldErrorAsync("state");

        // Thursday: yesterday's "due today" is overdue by a day; nothing is due today.
        SetShanghai(app, new DateTime(2026, 11, 26, 9, 0, 0));
        using var repThursday = await app.ClientForAsync(DemoUsers.Rep);
        var thursday = await repThursday.GetJsonAsync<ListPage<FollowUpDueItem>>($"/api/v1/follow-ups/due?ownerId={repId}");
        Assert.Equal([(neverContacted, 21), (dueToday, 1)], thursday.Items.Select(i => (i.CustomerId, i.DaysOverdue)));
        Assert.All(thursday.Items, i => Assert.Equal(CadenceState.Overdue, i.State));

        // A follow-up takes the customer off the list until its grade's rhythm comes round again.
        await (await repThursday.PostAsJsonAsync($"/api/v1/customers/{neverContacted}/follow-ups",
            new LogFollowUpRequest(FollowUpMethod.Phone, "Finally reached the buyer"), Http.Json, Ct)).ExpectAsync(HttpStatusCode.Created);
        var after = await repThursday.GetJsonAsync<ListPage<FollowUpDueItem>>($"/api/v1/follow-ups/due?ownerId={repId}");
        Assert.Equal([dueToday], after.Items.Select(i => i.CustomerId));
        var customer = await TestFollowUps.CustomerAsync(app, neverContacted);
        Assert.Equal(Shanghai(new DateTime(2026, 12, 7, 0, 0, 0)), customer.FollowUpDueAt); // C: 7 working days after Thursday
    }

    [Fact]
    public async Task Handler_UsedByMyDay_CountsWithoutAnEndpoint()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<FollowUpsDueHandler>();
        var user = await TestFollowUps.CurrentUserAsync(app, "zhao.min@demo.test");

        var counts = await handler.CountsAsync(user, user.Id, Ct);

        Assert.Equal(new FollowUpDueCounts(0, 0), counts);
    }

    private async Task<Guid> ArrangeAsync(string ownerEmail, int index, CustomerGrade grade, DateTime? lastFollowUp = null, DateTime? ownedSince = null)
    {
        var customer = await TestFollowUps.OwnedCustomerAsync(app, ownerEmail, index, grade, ownedSince ?? Shanghai(new DateTime(2026, 10, 1, 10, 0, 0)));
        await using var db = await app.SystemDbAsync();
        var stored = await db.Customers.SingleAsync(c => c.Id == customer.Id, Ct);
        stored.LastFollowUpAt = lastFollowUp;
        CustomerRules.RefreshCadence(stored, await CustomerRulebook.LoadAsync(db, Ct));
        await db.SaveChangesAsync(Ct);
        return customer.Id;
    }
}

/// <summary>The 08:30 reminder of follow-ups due, on a database of its own (the clock only moves forward).</summary>
[DatabaseTest]
public sealed class FollowUpMorningReminderTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MorningReminder_FromHalfPastEightOnWorkingDays_OncePerOwnerWithTheirCounts()
    {
        // For Thursday 26 November: 张伟 has one due today (A contacted on Wednesday) and one overdue; 刘洋 one overdue;
        // 赵敏 one upcoming only.
        await ArrangeAsync(DemoUsers.Rep, 0, CustomerGrade.A, Shanghai(new DateTime(2026, 11, 25, 10, 0, 0)));
        await ArrangeAsync(DemoUsers.Rep, 1, CustomerGrade.A, Shanghai(new DateTime(2026, 11, 20, 10, 0, 0)));
        await ArrangeAsync(DemoUsers.Rep2, 0, CustomerGrade.B, Shanghai(new DateTime(2026, 11, 20, 10, 0, 0)));
        await ArrangeAsync("zhao.min@demo.test", 0, CustomerGrade.C, Shanghai(new DateTime(2026, 11, 25, 10, 0, 0)));

        SetShanghai(app, new DateTime(2026, 11, 26, 8, 29, 0));
        Assert.Equal(0, await RunAsync());

        SetShanghai(app, new DateTime(2026, 11, 26, 8, 30, 0));
        var sent = await RunAsync();
        SetShanghai(app, new DateTime(2026, 11, 26, 8, 45, 0));
        var again = await RunAsync();

        Assert.Equal(2, sent);
        Assert.Equal(0, again);
        var rep = Assert.Single(await RemindersOfAsync(DemoUsers.Rep));
        Assert.Equal(("followups-due:2026-11-26", "/follow-ups"), (rep.DedupKey, rep.Link));
        Assert.Equal(["1", "1"], NotificationText.Args(rep.ArgsJson));
        Assert.Equal(["0", "1"], NotificationText.Args(Assert.Single(await RemindersOfAsync(DemoUsers.Rep2)).ArgsJson));
        Assert.Empty(await RemindersOfAsync("zhao.min@demo.test"));

        using var reader = await app.ClientForAsync(DemoUsers.Rep);
        var inbox = await reader.GetJsonAsync<ListPage<NotificationDto>>("/api/v1/notifications?limit=5");
        Assert.Equal("Follow-up reminder: 1 customers due today, 1 overdue", inbox.Items[0].Message);

        // Saturday is not a working day; Monday brings a new reminder.
        SetShanghai(app, new DateTime(2026, 11, 28, 9, 0, 0));
        Assert.Equal(0, await RunAsync());
        SetShanghai(app, new DateTime(2026, 11, 30, 8, 31, 0));
        Assert.Equal(2, await RunAsync()); // 张伟's and 刘洋's are overdue; 赵敏's C customer is not due until 4 December
        Assert.Equal(["followups-due:2026-11-26", "followups-due:2026-11-30"], (await RemindersOfAsync(DemoUsers.Rep)).Select(n => n.DedupKey));
    }

    [Theory]
    [InlineData("en-US", "Follow-up reminder: 2 customers due today, 5 overdue")]
    [InlineData("zh-CN", "跟进提醒：今天到期 2 个客户，已逾期 5 个")]
    public void ReminderText_BothLanguages_ReadsAsASentence(string culture, string expected)
    {
        using var _ = ComponentServices.Culture(culture);

        Assert.Equal(expected, NotificationText.Render(ComponentServices.Strings(), FollowUpMorningReminderJob.Kind, ["2", "5"]));
    }

    private async Task<int> RunAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<FollowUpMorningReminderJob>().RunAsync(Ct);
    }

    private async Task<List<Notification>> RemindersOfAsync(string email)
    {
        var userId = await UserIdAsync(app, email);
        await using var db = await app.SystemDbAsync();
        return await db.Notifications.AsNoTracking()
            .Where(n => n.UserId == userId && n.Kind == FollowUpMorningReminderJob.Kind)
            .OrderBy(n => n.CreatedAt)
            .ToListAsync(Ct);
    }

    private async Task ArrangeAsync(string ownerEmail, int index, CustomerGrade grade, DateTime lastFollowUp)
    {
        var customer = await TestFollowUps.OwnedCustomerAsync(app, ownerEmail, index, grade, Shanghai(new DateTime(2026, 10, 1, 10, 0, 0)));
        await using var db = await app.SystemDbAsync();
        var stored = await db.Customers.SingleAsync(c => c.Id == customer.Id, Ct);
        stored.LastFollowUpAt = lastFollowUp;
        CustomerRules.RefreshCadence(stored, await CustomerRulebook.LoadAsync(db, Ct));
        await db.SaveChangesAsync(Ct);
    }
}
