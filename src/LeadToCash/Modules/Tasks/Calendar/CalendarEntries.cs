using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Tasks.Calendar;

public enum CalendarEntryKind
{
    Task = 0,

    /// <summary>A reminder task a follow-up's next date created.</summary>
    FollowUpReminder = 1,

    /// <summary>A customer's next planned follow-up (Customer.NextFollowUpAt) with no reminder task on that day.</summary>
    PlannedFollowUp = 2,
}

/// <summary>One item of a person's calendar. <see cref="Uid"/> stays the same for the same record across reads.</summary>
public sealed record CalendarEntry(
    string Uid,
    CalendarEntryKind Kind,
    Guid RecordId,
    string Title,
    DateTime At,
    WorkTaskStatus? Status,
    bool IsOverdue,
    string? RelatedName,
    string Link,
    string? Content,
    string? CompletionStandard,
    DateTime LastModified);

/// <summary>A person's calendar between two company dates (both included).</summary>
public sealed record CalendarView(Guid PersonId, DateOnly From, DateOnly To, IReadOnlyList<CalendarEntry> Entries);

/// <summary>What a calendar shows, read in a context scoped to the reader: one person's tasks and planned follow-ups.</summary>
public static class CalendarEntries
{
    public static async Task<List<CalendarEntry>> ReadAsync(AppDbContext db, Guid personId, DateTime fromUtc, DateTime toUtc,
        bool openTasksOnly, DateTime now, CompanyDay day, CancellationToken ct)
    {
        var tasks = db.Tasks.AsNoTracking().Where(t => t.OwnerId == personId && t.DueAt >= fromUtc && t.DueAt < toUtc);
        if (openTasksOnly)
        {
            tasks = tasks.Open();
        }

        var taskRows = await tasks.OrderBy(t => t.DueAt).ThenBy(t => t.Id).Take(2000).Select(TaskDto.Projection(db)).ToListAsync(ct);
        var entries = taskRows.Select(t => t.At(now, day)).Select(t => new CalendarEntry(
                $"task-{t.Id}@leadtocash",
                t.Kind == WorkTaskKind.FollowUpReminder ? CalendarEntryKind.FollowUpReminder : CalendarEntryKind.Task,
                t.Id, t.Title, t.DueAt, t.Status, t.IsOverdue, t.RelatedName, TaskRules.TaskLink(t.Id), t.Content, t.CompletionStandard,
                t.UpdatedAt))
            .ToList();

        // A reminder task already stands for the planned follow-up of its customer on that day.
        var reminded = taskRows.Where(t => t.Kind == WorkTaskKind.FollowUpReminder && t.RelatedId is not null)
            .Select(t => (t.RelatedId!.Value, day.DateOf(t.DueAt))).ToHashSet();
        var planned = await db.Customers.AsNoTracking()
            .Where(c => c.OwnerId == personId && c.NextFollowUpAt != null && c.NextFollowUpAt >= fromUtc && c.NextFollowUpAt < toUtc)
            .OrderBy(c => c.NextFollowUpAt).Take(2000)
            .Select(c => new { c.Id, c.Name, c.NextFollowUpAt, c.UpdatedAt })
            .ToListAsync(ct);
        foreach (var c in planned)
        {
            var at = DateTime.SpecifyKind(c.NextFollowUpAt!.Value, DateTimeKind.Utc);
            if (reminded.Contains((c.Id, day.DateOf(at))))
            {
                continue;
            }

            entries.Add(new CalendarEntry($"customer-{c.Id}-follow-up@leadtocash", CalendarEntryKind.PlannedFollowUp, c.Id, c.Name, at,
                null, false, c.Name, $"/customers/{c.Id}", null, null, DateTime.SpecifyKind(c.UpdatedAt, DateTimeKind.Utc)));
        }

        return [.. entries.OrderBy(e => e.At).ThenBy(e => e.Uid, StringComparer.Ordinal)];
    }
}

public sealed class CalendarHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxDays = 92;

    /// <summary>
    /// The calendar of <paramref name="personId"/> (default: the caller) from one company date to another: all their
    /// tasks due then and their customers' planned follow-ups. A manager may look at the people of their teams.
    /// </summary>
    public async Task<CalendarView> HandleAsync(CurrentUser user, Guid? personId, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        user.Require(Permissions.TasksOwn);
        if (to < from || to.DayNumber - from.DayNumber >= MaxDays)
        {
            throw new ValidationException([new ValidationFailure("to", $"to must be on or after from, at most {MaxDays} days later.")]);
        }

        await using var db = await dbFactory.OpenAsync(user, ct);
        var person = personId ?? user.Id;
        if (!await TaskPeopleHandler.MayViewAsync(db, user, person, ct))
        {
            throw new ForbiddenException("You may only see the calendars of the people in the teams you manage.");
        }

        var day = await CompanyDay.LoadAsync(db, ct);
        var entries = await CalendarEntries.ReadAsync(db, person, day.StartOf(from), day.StartOf(to.AddDays(1)), false,
            clock.GetUtcNow().UtcDateTime, day, ct);
        return new CalendarView(person, from, to, entries);
    }
}

public static class CalendarEndpoints
{
    public static void MapCalendar(this RouteGroupBuilder group) =>
        group.MapGet("/", async (DateOnly from, DateOnly to, Guid? userId, CurrentUser user, CalendarHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(user, userId, from, to, ct)))
            .RequireAuthorization(Permissions.TasksOwn)
            .WithName("Calendar")
            .WithSummary("A person's tasks and planned follow-ups between two company dates (?from=yyyy-MM-dd&to=yyyy-MM-dd, " +
                "both included, at most 92 days; &userId= a person of the caller's teams, default the caller).");
}
