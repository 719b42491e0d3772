using FluentValidation;
using LeadToCash.Modules.Notifications;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Tasks.CreateTask;

/// <summary>A new task; without an assignee it is the caller's own. Due time in UTC.</summary>
public sealed record CreateTaskRequest(
    string Title,
    DateTime DueAt,
    string? Content = null,
    string? RelatedType = null,
    Guid? RelatedId = null,
    Guid? AssigneeId = null,
    string? CompletionStandard = null) : ITaskFields;

public sealed class CreateTaskHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private static readonly TaskFieldsValidator Validator = new();

    public async Task<TaskDto> HandleAsync(CurrentUser user, CreateTaskRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.TasksOwn);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var assignee = request.AssigneeId ?? user.Id;
        await TaskAccess.CheckAssigneeAsync(db, user, assignee, ct);
        await TaskAccess.CheckRelatedAsync(db, request.RelatedType, request.RelatedId, ct);

        var now = clock.GetUtcNow().UtcDateTime;
        var task = new WorkTask
        {
            Title = request.Title.Trim(),
            Content = TaskAccess.Clean(request.Content),
            Kind = WorkTaskKind.Task,
            RelatedType = request.RelatedId is null ? null : request.RelatedType,
            RelatedId = request.RelatedId,
            DueAt = TaskAccess.AsUtc(request.DueAt),
            OwnerId = assignee,
            CompletionStandard = TaskAccess.Clean(request.CompletionStandard),
            Status = WorkTaskStatus.Open,
        };
        db.Tasks.Add(task);
        if (assignee != user.Id)
        {
            Notify.Add(db, assignee, TaskNotifications.Assigned, TaskRules.TaskLink(task.Id), WorkTask.RecordType, task.Id, now,
                task.Title, user.DisplayName);
        }

        await db.SaveChangesAsync(ct);
        return await TaskAccess.ReadAsync(db, user, task.Id, now, ct);
    }
}

public static class CreateTaskEndpoint
{
    public static void MapCreateTask(this RouteGroupBuilder group) =>
        group.MapPost("/", async (CreateTaskRequest request, CurrentUser user, CreateTaskHandler handler, CancellationToken ct) =>
            {
                var created = await handler.HandleAsync(user, request, ct);
                return TypedResults.Created($"/api/v1/tasks/{created.Id}", created);
            })
            .RequireAuthorization(Permissions.TasksOwn)
            .WithName("CreateTask")
            .WithSummary("A new task: title, content, due time (UTC), related customer or lead (visible to the caller), completion " +
                "standard and assignee (default: the caller; someone else needs tasks.assign and a person of the caller's teams).");
}
