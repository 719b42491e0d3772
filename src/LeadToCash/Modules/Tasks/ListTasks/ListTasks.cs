using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Tasks.ListTasks;

/// <summary>Which open tasks by due time: today's (incl. overdue ones), overdue, or the next seven days (incl. overdue).</summary>
public enum TaskDueFilter
{
    Today = 0,
    Overdue = 1,
    Week = 2,
}

/// <summary>Who a task list is about.</summary>
public enum TaskPersonFilter
{
    Anyone = 0,
    Me = 1,
    Others = 2,
    Person = 3,
}

public sealed record TaskFilter(
    TaskPersonFilter Assignee = TaskPersonFilter.Anyone,
    Guid? AssigneeId = null,
    TaskPersonFilter Creator = TaskPersonFilter.Anyone,
    Guid? CreatorId = null,
    IReadOnlyList<WorkTaskStatus>? Statuses = null,
    TaskDueFilter? Due = null,
    Guid? RelatedId = null,
    WorkTaskKind? Kind = null)
{
    public IQueryable<WorkTask> Apply(IQueryable<WorkTask> query, Guid me, DateTime now, CompanyDay day)
    {
        query = Assignee switch
        {
            TaskPersonFilter.Me => query.Where(t => t.OwnerId == me),
            TaskPersonFilter.Others => query.Where(t => t.OwnerId != me),
            TaskPersonFilter.Person => query.Where(t => t.OwnerId == AssigneeId),
            _ => query,
        };
        query = Creator switch
        {
            TaskPersonFilter.Me => query.Where(t => t.CreatedBy == me),
            TaskPersonFilter.Others => query.Where(t => t.CreatedBy != me),
            TaskPersonFilter.Person => query.Where(t => t.CreatedBy == CreatorId),
            _ => query,
        };
        if (Statuses is { Count: > 0 })
        {
            var statuses = Statuses.Distinct().ToList();
            query = query.Where(t => statuses.Contains(t.Status));
        }

        if (Due is { } due)
        {
            var today = day.DateOf(now);
            query = due switch
            {
                TaskDueFilter.Today => query.DueByEndOf(today, day),
                TaskDueFilter.Overdue => query.Open().Where(t => t.DueAt < now),
                _ => query.DueByEndOf(today.AddDays(6), day),
            };
        }

        if (RelatedId is { } related)
        {
            query = query.Where(t => t.RelatedId == related);
        }

        if (Kind is { } kind)
        {
            query = query.Where(t => t.Kind == kind);
        }

        return query;
    }
}

public sealed class ListTasksHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public static readonly IReadOnlyList<SortField<WorkTask>> SortFields =
    [
        Keyset.Field<WorkTask, DateTime>("dueAt", t => t.DueAt),
        Keyset.Field<WorkTask, DateTime>("createdAt", t => t.CreatedAt),
        Keyset.Field<WorkTask, DateTime>("updatedAt", t => t.UpdatedAt),
    ];

    public async Task<ListPage<TaskDto>> HandleAsync(CurrentUser user, TaskFilter filter, ListRequest page, CancellationToken ct = default)
    {
        user.Require(Permissions.TasksOwn);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var day = await CompanyDay.LoadAsync(db, ct);
        var query = filter.Apply(db.Tasks.AsNoTracking(), user.Id, now, day);
        var found = await Keyset.PageAsync(query, page, SortFields, t => t.Id, TaskDto.Projection(db), ct);
        return found with { Items = [.. found.Items.Select(t => t.At(now, day))] };
    }

    public async Task<TaskDto> GetAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.TasksOwn);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await TaskAccess.ReadAsync(db, user, id, clock.GetUtcNow().UtcDateTime, ct);
    }
}

/// <summary>The task list's query string.</summary>
public sealed record TaskQuery(
    string? Assignee = null,
    string? CreatedBy = null,
    string[]? Status = null,
    string? Due = null,
    Guid? RelatedId = null,
    string? Kind = null,
    int? Limit = null,
    string? Cursor = null,
    string? Sort = null)
{
    public ListRequest Page => new(Limit, Cursor, Sort);

    public TaskFilter ToFilter()
    {
        var failures = new List<ValidationFailure>();
        var (assignee, assigneeId) = Person("assignee", Assignee, failures);
        var (creator, creatorId) = Person("createdBy", CreatedBy, failures);
        var statuses = new List<WorkTaskStatus>();
        foreach (var part in (Status ?? []).SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (string.Equals(part, "active", StringComparison.OrdinalIgnoreCase))
            {
                statuses.AddRange([WorkTaskStatus.Open, WorkTaskStatus.Returned]);
            }
            else if (Enum.TryParse<WorkTaskStatus>(part, true, out var status) && !int.TryParse(part, out _))
            {
                statuses.Add(status);
            }
            else
            {
                failures.Add(new ValidationFailure("status", "status must be open, done, verified, returned or active (open and returned)."));
            }
        }

        TaskDueFilter? due = null;
        if (!string.IsNullOrWhiteSpace(Due))
        {
            if (Enum.TryParse<TaskDueFilter>(Due.Trim(), true, out var parsed) && !int.TryParse(Due, out _))
            {
                due = parsed;
            }
            else
            {
                failures.Add(new ValidationFailure("due", "due must be today, overdue or week."));
            }
        }

        WorkTaskKind? kind = null;
        if (!string.IsNullOrWhiteSpace(Kind))
        {
            if (Enum.TryParse<WorkTaskKind>(Kind.Trim(), true, out var parsed) && !int.TryParse(Kind, out _))
            {
                kind = parsed;
            }
            else
            {
                failures.Add(new ValidationFailure("kind", "kind must be task or followUpReminder."));
            }
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }

        return new TaskFilter(assignee, assigneeId, creator, creatorId, statuses, due, RelatedId, kind);
    }

    private static (TaskPersonFilter, Guid?) Person(string field, string? value, List<ValidationFailure> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return (TaskPersonFilter.Anyone, null);
        }

        var text = value.Trim();
        if (string.Equals(text, "me", StringComparison.OrdinalIgnoreCase))
        {
            return (TaskPersonFilter.Me, null);
        }

        if (string.Equals(text, "others", StringComparison.OrdinalIgnoreCase))
        {
            return (TaskPersonFilter.Others, null);
        }

        if (Guid.TryParse(text, out var id))
        {
            return (TaskPersonFilter.Person, id);
        }

        failures.Add(new ValidationFailure(field, $"{field} must be me, others or a user id."));
        return (TaskPersonFilter.Anyone, null);
    }
}

public static class ListTasksEndpoints
{
    public static void MapListTasks(this RouteGroupBuilder group)
    {
        group.MapGet("/", async ([AsParameters] TaskQuery query, CurrentUser user, ListTasksHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(user, query.ToFilter(), query.Page, ct)))
            .RequireAuthorization(Permissions.TasksOwn)
            .WithName("ListTasks")
            .WithSummary("Tasks the caller may see: ?assignee=me|others|{userId}&createdBy=me|others|{userId}" +
                "&status=open,done,verified,returned,active&due=today|overdue|week (today = open tasks due today or earlier)" +
                "&relatedId=&kind=task|followUpReminder&limit=&cursor=&sort=(dueAt|createdAt|updatedAt, - for descending; default dueAt).");
        group.MapGet("/{id:guid}", async (Guid id, CurrentUser user, ListTasksHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.GetAsync(user, id, ct)))
            .RequireAuthorization(Permissions.TasksOwn)
            .WithName("GetTask")
            .WithSummary("One task with its evidence files and what the caller may do with it.");
    }
}
