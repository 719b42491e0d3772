using FluentValidation;
using LeadToCash.Modules.Notifications;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Tasks.UpdateTask;

/// <summary>The task's fields as they should be; a null assignee keeps the current one.</summary>
public sealed record UpdateTaskRequest(
    string Title,
    DateTime DueAt,
    string? Content = null,
    string? RelatedType = null,
    Guid? RelatedId = null,
    Guid? AssigneeId = null,
    string? CompletionStandard = null,
    int? Version = null) : ITaskFields;

public sealed class UpdateTaskHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private static readonly TaskFieldsValidator Validator = new();

    /// <summary>The creator or a manager of the assignee changes an open task; the status is not theirs to set here.</summary>
    public async Task<TaskDto> HandleAsync(CurrentUser user, Guid id, UpdateTaskRequest request, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.TasksOwn);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var task = await TaskAccess.LoadVisibleAsync(db, id, ct);
        var team = await TaskAccess.TeamOfAsync(db, task.OwnerId, ct);
        if (!TaskRules.IsOpen(task.Status))
        {
            throw new ConflictException($"This task is {task.Status.ToString().ToLowerInvariant()}; only open tasks can be changed.");
        }

        if (!TaskAccess.CanEdit(user, task, team))
        {
            throw new ForbiddenException("Only the task's creator or the assignee's manager can change it.");
        }

        Versioning.EnsureVersion(task.Version, version);
        if (request.AssigneeId is { } assignee && assignee != task.OwnerId)
        {
            await TaskAccess.CheckAssigneeAsync(db, user, assignee, ct);
            task.OwnerId = assignee;
            if (assignee != user.Id)
            {
                Notify.Add(db, assignee, TaskNotifications.Assigned, TaskRules.TaskLink(task.Id), WorkTask.RecordType, task.Id,
                    clock.GetUtcNow().UtcDateTime, request.Title.Trim(), user.DisplayName);
            }
        }

        if (request.RelatedId != task.RelatedId || (request.RelatedId is not null && request.RelatedType != task.RelatedType))
        {
            await TaskAccess.CheckRelatedAsync(db, request.RelatedType, request.RelatedId, ct);
        }

        task.Title = request.Title.Trim();
        task.Content = TaskAccess.Clean(request.Content);
        task.DueAt = TaskAccess.AsUtc(request.DueAt);
        task.RelatedType = request.RelatedId is null ? null : request.RelatedType;
        task.RelatedId = request.RelatedId;
        task.CompletionStandard = TaskAccess.Clean(request.CompletionStandard);
        await db.SaveChangesAsync(ct);
        return await TaskAccess.ReadAsync(db, user, task.Id, clock.GetUtcNow().UtcDateTime, ct);
    }

}

public static class UpdateTaskEndpoint
{
    public static void MapUpdateTask(this RouteGroupBuilder group) =>
        group.MapPut("/{id:guid}", async (Guid id, UpdateTaskRequest request, CurrentUser user, UpdateTaskHandler handler,
                HttpContext http, CancellationToken ct) =>
            {
                var updated = await handler.HandleAsync(user, id, request, VersionHeader.Required(request.Version, http.Request), ct);
                http.Response.Headers.ETag = $"\"{updated.Version}\"";
                return TypedResults.Ok(updated);
            })
            .RequireAuthorization(Permissions.TasksOwn)
            .WithName("UpdateTask")
            .WithSummary("Change an open task (its creator or the assignee's manager): title, content, due time, related record, " +
                "completion standard, assignee. Send the version (body or If-Match).");
}
