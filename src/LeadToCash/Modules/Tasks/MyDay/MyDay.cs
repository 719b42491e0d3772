using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Leads;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Tasks.MyDay;

/// <summary>A customer whose follow-up the grade's cadence asks for today or earlier.</summary>
public sealed record DueFollowUp(Guid CustomerId, string Name, CustomerGrade Grade, DateTime DueAt, DateTime? LastFollowUpAt,
    DateTime? NextFollowUpAt, CadenceState State, int DaysOverdue);

/// <summary>A manager's view of one person's follow-up rhythm and tasks.</summary>
public sealed record PersonFollowUps(Guid UserId, string DisplayName, int DueToday, int Overdue, int OverdueTasks);

/// <summary>An owned open lead whose first contact has not happened yet.</summary>
public sealed record LeadDeadline(Guid LeadId, string Name, LeadGrade? Grade, DateTime FirstTouchDueAt, SlaState Sla);

/// <summary>A needs analysis of one of the user's customers that the customer has not confirmed yet.</summary>
public sealed record UnconfirmedAnalysis(Guid Id, Guid CustomerId, string CustomerName, string Title, DateTime MeetingAt,
    DateTime ConfirmDueAt, DateTime? SentAt, bool IsOverdue);

/// <summary>
/// "My day" (我的一天): what the user has to do today. Sections the user has no permission for are null; lists are
/// capped at <see cref="MyDayHandler.SectionLimit"/> rows, the counts are complete.
/// </summary>
public sealed record MyDay(
    DateOnly Today,
    IReadOnlyList<TaskDto> Tasks,
    int TasksOverdue,
    IReadOnlyList<DueFollowUp>? FollowUps,
    int FollowUpsDueToday,
    int FollowUpsOverdue,
    IReadOnlyList<PersonFollowUps>? Team,
    IReadOnlyList<LeadDeadline>? Leads,
    IReadOnlyList<UnconfirmedAnalysis>? NeedsAnalyses);

public sealed class MyDayHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public const int SectionLimit = 50;

    public async Task<MyDay> HandleAsync(CurrentUser user, CancellationToken ct = default)
    {
        user.Require(Permissions.TasksOwn);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var rules = await CustomerRulebook.LoadAsync(db, ct);
        var day = await CompanyDay.LoadAsync(db, ct);
        var today = day.DateOf(now);

        var mine = db.Tasks.AsNoTracking().Where(t => t.OwnerId == user.Id).DueByEndOf(today, day);
        var tasks = (await mine.OrderBy(t => t.DueAt).ThenBy(t => t.Id).Take(SectionLimit).Select(TaskDto.Projection(db)).ToListAsync(ct))
            .Select(t => t.At(now, day)).ToList();
        var tasksOverdue = await mine.CountAsync(t => t.DueAt < now, ct);

        IReadOnlyList<DueFollowUp>? followUps = null;
        int dueToday = 0, overdue = 0;
        IReadOnlyList<UnconfirmedAnalysis>? analyses = null;
        IReadOnlyList<PersonFollowUps>? team = null;
        if (user.Has(Permissions.CustomersRead))
        {
            var startOfToday = rules.Calendar.StartOfDay(today);
            var due = db.Customers.AsNoTracking()
                .Where(c => c.OwnerId == user.Id && c.FollowUpDueAt != null && c.FollowUpDueAt <= startOfToday);
            dueToday = await due.CountAsync(c => c.FollowUpDueAt == startOfToday, ct);
            overdue = await due.CountAsync(c => c.FollowUpDueAt < startOfToday, ct);
            followUps = (await due.OrderBy(c => c.FollowUpDueAt).ThenBy(c => c.Name).Take(SectionLimit)
                    .Select(c => new { c.Id, c.Name, c.Grade, c.FollowUpDueAt, c.LastFollowUpAt, c.NextFollowUpAt })
                    .ToListAsync(ct))
                .Select(c =>
                {
                    var dueAt = DateTime.SpecifyKind(c.FollowUpDueAt!.Value, DateTimeKind.Utc);
                    return new DueFollowUp(c.Id, c.Name, c.Grade, dueAt, Utc(c.LastFollowUpAt), Utc(c.NextFollowUpAt),
                        CustomerRules.Cadence(dueAt, now, rules.Calendar),
                        Math.Max(0, today.DayNumber - rules.Calendar.LocalDate(dueAt).DayNumber));
                })
                .ToList();

            analyses = (await db.NeedsAnalyses.AsNoTracking()
                    .Where(n => n.ConfirmedAt == null)
                    .Join(db.Customers.Where(c => c.OwnerId == user.Id), n => n.CustomerId, c => c.Id,
                        (n, c) => new { n.Id, n.CustomerId, CustomerName = c.Name, n.Title, n.MeetingAt, n.ConfirmDueAt, n.SentAt })
                    .OrderBy(n => n.ConfirmDueAt).Take(SectionLimit).ToListAsync(ct))
                .Select(n => new UnconfirmedAnalysis(n.Id, n.CustomerId, n.CustomerName, n.Title, Utc(n.MeetingAt), Utc(n.ConfirmDueAt),
                    Utc(n.SentAt), CustomerRules.IsConfirmOverdue(Utc(n.ConfirmDueAt), null, now)))
                .ToList();

            if (TaskAccess.LeadsPeople(user) || user.IsAdmin)
            {
                team = await TeamAsync(db, user, startOfToday, now, ct);
            }
        }

        IReadOnlyList<LeadDeadline>? leads = null;
        if (user.Has(Permissions.LeadsRead))
        {
            var settings = await db.LeadSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new LeadSettings();
            leads = (await db.Leads.AsNoTracking().OwnedOpen()
                    .Where(l => l.OwnerId == user.Id && l.FirstTouchAt == null && l.FirstTouchDueAt != null)
                    .OrderBy(l => l.FirstTouchDueAt).Take(SectionLimit)
                    .Select(l => new { l.Id, l.CompanyName, l.ContactName, l.Grade, l.FirstTouchDueAt })
                    .ToListAsync(ct))
                .Select(l => new LeadDeadline(l.Id, l.CompanyName ?? l.ContactName ?? "", l.Grade, Utc(l.FirstTouchDueAt!.Value),
                    LeadRules.Sla(Utc(l.FirstTouchDueAt!.Value), null, now, settings)))
                .ToList();
        }

        return new MyDay(today, tasks, tasksOverdue, followUps, dueToday, overdue, team, leads, analyses);
    }

    /// <summary>Per person of the manager's team subtree: follow-ups due today and overdue, overdue tasks.</summary>
    private static async Task<IReadOnlyList<PersonFollowUps>> TeamAsync(AppDbContext db, CurrentUser user, DateTime startOfToday,
        DateTime now, CancellationToken ct)
    {
        var teams = user.SubtreeTeamIds.ToList();
        var people = await db.Users.AsNoTracking()
            .Where(u => u.IsActive && u.Id != user.Id && u.TeamId != null && teams.Contains(u.TeamId.Value))
            .OrderBy(u => u.DisplayName).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct);
        var ids = people.Select(p => p.Id).ToList();
        var followUps = await db.Customers.AsNoTracking()
            .Where(c => c.OwnerId != null && ids.Contains(c.OwnerId.Value) && c.FollowUpDueAt != null && c.FollowUpDueAt <= startOfToday)
            .GroupBy(c => c.OwnerId)
            .Select(g => new { Owner = g.Key!.Value, Today = g.Count(c => c.FollowUpDueAt == startOfToday), Overdue = g.Count(c => c.FollowUpDueAt < startOfToday) })
            .ToListAsync(ct);
        var tasks = await db.Tasks.AsNoTracking().Open()
            .Where(t => t.OwnerId != null && ids.Contains(t.OwnerId.Value) && t.DueAt < now)
            .GroupBy(t => t.OwnerId)
            .Select(g => new { Owner = g.Key!.Value, Count = g.Count() })
            .ToListAsync(ct);
        return [.. people
            .Select(p =>
            {
                var f = followUps.FirstOrDefault(x => x.Owner == p.Id);
                return new PersonFollowUps(p.Id, p.DisplayName, f?.Today ?? 0, f?.Overdue ?? 0, tasks.FirstOrDefault(x => x.Owner == p.Id)?.Count ?? 0);
            })
            .OrderByDescending(p => p.Overdue).ThenByDescending(p => p.DueToday).ThenBy(p => p.DisplayName, StringComparer.Ordinal)];
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;
}

public static class MyDayEndpoint
{
    public static void MapMyDay(this RouteGroupBuilder api) =>
        api.MapGet("/my-day", async (CurrentUser user, MyDayHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(user, ct)))
            .RequireAuthorization(Permissions.TasksOwn)
            .WithTags("My day")
            .WithName("MyDay")
            .WithSummary("The caller's day: open tasks due today or earlier (overdue flagged), customers due or overdue for a " +
                "follow-up by their grade's cadence (managers: counts per person of their teams), owned leads awaiting the " +
                "first contact with their SLA state, and unconfirmed needs analyses of the caller's customers.");
}
