using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Notifications;
using LeadToCash.Modules.Organization.HandOver;
using LeadToCash.Modules.Organization.Users;
using LeadToCash.Modules.Tasks;
using LeadToCash.Platform.Auth;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static LeadToCash.Tests.Infrastructure.TestLeads;

namespace LeadToCash.Tests.Api;

/// <summary>Hand-over (离职交接) of a person's open leads, customers and tasks, alone and when they are deactivated.</summary>
[DatabaseTest]
public sealed class HandOverTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Sh1 = "上海销售一组";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static int _people;

    /// <summary>What the deactivation answers: the user (only what is checked here) with the hand-over summary.</summary>
    private sealed record Deactivation(Guid Id, bool IsActive, HandOverSummaryDto HandOver);

    /// <summary>A new rep of Shanghai 1 with 2 open leads and a lost one, 3 customers, and 3 open tasks and a done one.</summary>
    private async Task<(Guid Id, string Name)> RepWithWorkAsync()
    {
        var n = Interlocked.Increment(ref _people);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var name = $"离职销售{n}";
        var person = await (await admin.PostAsJsonAsync("/api/v1/users", new CreateUserRequest($"leaver{n}@demo.test", name,
            "leaver-password-2026", await TestCustomers.TeamIdAsync(app, Sh1), [Roles.Rep]), Ct)).ExpectJsonAsync<UserDto>(HttpStatusCode.Created);
        await AddOwnedAsync(app, person.Email, $"{name}的线索甲");
        await AddOwnedAsync(app, person.Email, $"{name}的线索乙", LeadGrade.B);
        await AddOwnedAsync(app, person.Email, $"{name}的丢失线索", change: l => l.Status = LeadStatus.Disqualified);
        for (var i = 1; i <= 3; i++)
        {
            await TestCustomers.AddOwnedCustomerAsync(app, person.Email, $"{name}的客户{i}");
        }

        await using var db = await app.SystemDbAsync();
        foreach (var (title, status) in new[] { ("回访甲", WorkTaskStatus.Open), ("回访乙", WorkTaskStatus.Open), ("退回的任务", WorkTaskStatus.Returned),
                     ("已完成的任务", WorkTaskStatus.Done) })
        {
            db.Tasks.Add(new WorkTask { Title = $"{name}{title}", OwnerId = person.Id, Status = status, DueAt = Now(app).AddDays(1) });
        }

        await db.SaveChangesAsync(Ct);
        return (person.Id, name);
    }

    private async Task<(int Leads, int Customers, int Tasks)> OpenWorkOfAsync(Guid userId)
    {
        await using var db = await app.SystemDbAsync();
        return (await db.Leads.OwnedOpen().CountAsync(l => l.OwnerId == userId, Ct),
            await db.Customers.CountAsync(c => c.OwnerId == userId, Ct),
            await db.Tasks.CountAsync(t => t.OwnerId == userId && (t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.Returned), Ct));
    }

    [Fact]
    public async Task HandOver_ToTwoColleagues_SharedOutInTurnWithASummaryAndOneNotificationEach()
    {
        var (person, name) = await RepWithWorkAsync();
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var rep = await UserIdAsync(app, DemoUsers.Rep);
        var rep2 = await UserIdAsync(app, DemoUsers.Rep2);

        var preview = await manager.GetJsonAsync<HandOverPreviewDto>($"/api/v1/users/{person}/hand-over");
        var summary = await (await manager.PostAsJsonAsync($"/api/v1/users/{person}/hand-over", new HandOverRequest([rep, rep2]), Ct))
            .ExpectJsonAsync<HandOverSummaryDto>();

        Assert.Equal([("leads", 2), ("customers", 3), ("opportunities", 0), ("tasks", 3)], preview.Counts.Select(c => (c.Kind, c.Count)));
        Assert.Contains(preview.Candidates, c => c.Id == rep2);
        Assert.DoesNotContain(preview.Candidates, c => c.Id == person);
        Assert.Equal(8, summary.Total);
        Assert.Equal(
        [
            ("leads", "刘洋", 1), ("leads", "张伟", 1), ("customers", "刘洋", 1), ("customers", "张伟", 2), ("tasks", "刘洋", 1), ("tasks", "张伟", 2),
        ], summary.Lines.Select(l => (l.Kind, l.RecipientName!, l.Count)).OrderBy(l => l.Kind == "leads" ? 0 : l.Kind == "customers" ? 1 : 2).ThenBy(l => l.Item2, StringComparer.Ordinal));
        Assert.Equal((0, 0, 0), await OpenWorkOfAsync(person));
        await using var db = await app.SystemDbAsync();
        Assert.Equal(2, await db.Leads.CountAsync(l => l.OwnerId == person, Ct) + await db.Tasks.CountAsync(t => t.OwnerId == person, Ct));
        var moved = await db.Customers.Where(c => c.Name.StartsWith(name)).ToListAsync(Ct);
        Assert.All(moved, c => Assert.Equal(Now(app), c.OwnedSince));
        var told = await db.Notifications.Where(n => n.Kind == HandOverHandler.NotificationKind && n.ArgsJson.Contains(name)).ToListAsync(Ct);
        Assert.Equal([rep, rep2], told.Select(n => n.UserId).Order());
        Assert.Equal([name, "5"], NotificationText.Args(told.Single(n => n.UserId == rep).ArgsJson));
    }

    [Fact]
    public async Task HandOver_ToThePool_LeadsAndCustomersInTheTeamPoolTasksToTheManager()
    {
        var (person, name) = await RepWithWorkAsync();
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var managerId = await UserIdAsync(app, DemoUsers.Manager);

        var summary = await (await manager.PostAsJsonAsync($"/api/v1/users/{person}/hand-over", new HandOverRequest(ToPool: true), Ct))
            .ExpectJsonAsync<HandOverSummaryDto>();

        Assert.Equal((2, 3, 3), (summary.CountOf("leads"), summary.CountOf("customers"), summary.CountOf("tasks")));
        Assert.All(summary.Lines.Where(l => l.Kind != "tasks"), l => Assert.Null(l.RecipientId));
        Assert.Equal(managerId, summary.Lines.Single(l => l.Kind == "tasks").RecipientId);
        await using var db = await app.SystemDbAsync();
        var sh1 = await TestCustomers.TeamIdAsync(app, Sh1);
        Assert.Equal(3, await db.Customers.CountAsync(c => c.OwnerId == null && c.PoolTeamId == sh1 && c.ReturnedToPoolAt == Now(app)
            && c.Name.StartsWith(name + "的客户"), Ct));
        Assert.Equal((0, 0, 0), await OpenWorkOfAsync(person));
    }

    [Fact]
    public async Task HandOver_PersonOfAnotherManagersTeam_Returns403()
    {
        var (person, _) = await RepWithWorkAsync();
        using var manager2 = await app.ClientForAsync(DemoUsers.Manager2);

        var response = await manager2.PostAsJsonAsync($"/api/v1/users/{person}/hand-over", new HandOverRequest(ToPool: true), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal((2, 3, 3), await OpenWorkOfAsync(person));
    }

    [Fact]
    public async Task HandOver_RecipientOutsideTheManagersTeams_Returns400AndMovesNothing()
    {
        var (person, _) = await RepWithWorkAsync();
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        var response = await manager.PostAsJsonAsync($"/api/v1/users/{person}/hand-over",
            new HandOverRequest([await UserIdAsync(app, DemoUsers.Rep), await UserIdAsync(app, DemoUsers.SouthRep)]), Ct);

        var messages = await response.ExpectFieldErrorAsync("recipientIds");
        Assert.Contains(messages, m => m.Contains("not in the teams you manage", StringComparison.Ordinal));
        Assert.Equal((2, 3, 3), await OpenWorkOfAsync(person));
    }

    [Fact]
    public async Task HandOver_NeitherRecipientsNorPool_Returns400()
    {
        var (person, _) = await RepWithWorkAsync();
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        var response = await manager.PostAsJsonAsync($"/api/v1/users/{person}/hand-over", new HandOverRequest(), Ct);

        await response.ExpectFieldErrorAsync("recipientIds");
    }

    [Fact]
    public async Task HandOver_ByARep_Returns403()
    {
        var (person, _) = await RepWithWorkAsync();
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.GetAsync($"/api/v1/users/{person}/hand-over", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Deactivate_RepWithLeadsCustomersAndTasks_EveryRecordHasAnActiveOwnerOrIsInAPool()
    {
        var (person, _) = await RepWithWorkAsync();
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var deactivated = await (await admin.PostAsync($"/api/v1/users/{person}/deactivate", null, Ct)).ExpectJsonAsync<Deactivation>();

        Assert.False(deactivated.IsActive);
        Assert.Equal((2, 3, 3), (deactivated.HandOver.CountOf("leads"), deactivated.HandOver.CountOf("customers"), deactivated.HandOver.CountOf("tasks")));
        Assert.Equal(8, deactivated.HandOver.Total);
        Assert.Equal((0, 0, 0), await OpenWorkOfAsync(person));
        await using var db = await app.SystemDbAsync();
        var inactive = await db.Users.Where(u => !u.IsActive).Select(u => u.Id).ToListAsync(Ct);
        Assert.Contains(person, inactive);
        // Nothing anywhere is left with an inactive owner or with neither an owner nor a pool.
        Assert.Equal(0, await db.Customers.CountAsync(c => (c.OwnerId != null && inactive.Contains(c.OwnerId.Value)) || (c.OwnerId == null && c.PoolTeamId == null), Ct));
        Assert.Equal(0, await db.Leads.Open().CountAsync(l => (l.OwnerId != null && inactive.Contains(l.OwnerId.Value)) || (l.OwnerId == null && l.PoolTeamId == null), Ct));
        Assert.Equal(0, await db.Tasks.CountAsync(t => (t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.Returned)
            && (t.OwnerId == null || inactive.Contains(t.OwnerId.Value)), Ct));
    }

    [Fact]
    public async Task Deactivate_WithARecipient_EverythingGoesToThem()
    {
        var (person, _) = await RepWithWorkAsync();
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var zhaoMin = await UserIdAsync(app, "zhao.min@demo.test");
        var before = await OpenWorkOfAsync(zhaoMin);

        var deactivated = await (await admin.PostAsJsonAsync($"/api/v1/users/{person}/deactivate", new DeactivateUserRequest([zhaoMin]), Ct))
            .ExpectJsonAsync<Deactivation>();

        Assert.All(deactivated.HandOver.Lines, l => Assert.Equal(zhaoMin, l.RecipientId));
        var after = await OpenWorkOfAsync(zhaoMin);
        Assert.Equal((before.Leads + 2, before.Customers + 3, before.Tasks + 3), after);
    }
}
