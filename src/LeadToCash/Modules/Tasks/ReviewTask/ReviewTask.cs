using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Notifications;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Tasks.ReviewTask;

public sealed record VerifyTaskRequest(int? Version = null);

public sealed record ReturnTaskRequest(string Reason, int? Version = null);

/// <summary>A manager's review of a completed task: verified (closed), or returned with a reason (open again).</summary>
public sealed class ReviewTaskHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public async Task<TaskDto> VerifyAsync(CurrentUser user, Guid id, int version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.OpenAsync(user, ct);
        var task = await LoadForReviewAsync(db, user, id, version, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        task.Status = WorkTaskStatus.Verified;
        task.VerifiedAt = now;
        task.VerifiedBy = user.Id;
        if (task.OwnerId is { } assignee && assignee != user.Id)
        {
            Notify.Add(db, assignee, TaskNotifications.Verified, TaskRules.TaskLink(task.Id), WorkTask.RecordType, task.Id, now,
                task.Title, user.DisplayName);
        }

        await db.SaveChangesAsync(ct);
        return await TaskAccess.ReadAsync(db, user, task.Id, now, ct);
    }

    public async Task<TaskDto> ReturnAsync(CurrentUser user, Guid id, ReturnTaskRequest request, int version, CancellationToken ct = default)
    {
        var reason = TaskAccess.Clean(request.Reason);
        if (reason is null || reason.Length > 1000)
        {
            throw new ValidationException([new ValidationFailure("reason", "Say why the task is returned (at most 1000 characters).")]);
        }

        await using var db = await dbFactory.OpenAsync(user, ct);
        var task = await LoadForReviewAsync(db, user, id, version, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        task.Status = WorkTaskStatus.Returned;
        task.ReturnedAt = now;
        task.ReturnReason = reason;
        if (task.OwnerId is { } assignee && assignee != user.Id)
        {
            Notify.Add(db, assignee, TaskNotifications.Returned, TaskRules.TaskLink(task.Id), WorkTask.RecordType, task.Id, now,
                task.Title, user.DisplayName, reason);
        }

        await db.SaveChangesAsync(ct);
        return await TaskAccess.ReadAsync(db, user, task.Id, now, ct);
    }

    private static async Task<WorkTask> LoadForReviewAsync(AppDbContext db, CurrentUser user, Guid id, int version, CancellationToken ct)
    {
        user.Require(Permissions.TasksOwn);
        var task = await TaskAccess.LoadVisibleAsync(db, id, ct);
        var team = await TaskAccess.TeamOfAsync(db, task.OwnerId, ct);
        var reviewer = TaskAccess.Manages(user, team) || (task.CreatedBy == user.Id && TaskAccess.LeadsPeople(user));
        if (!reviewer)
        {
            throw new ForbiddenException("Only a manager of the assignee (or the creator, when a manager) can verify or return a task.");
        }

        if (task.Status != WorkTaskStatus.Done)
        {
            throw new ConflictException($"Only a done task can be verified or returned; this one is {task.Status.ToString().ToLowerInvariant()}.");
        }

        Versioning.EnsureVersion(task.Version, version);
        return task;
    }
}

public static class ReviewTaskEndpoints
{
    public static void MapReviewTask(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/verify", async (Guid id, VerifyTaskRequest? request, CurrentUser user, ReviewTaskHandler handler,
                HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.VerifyAsync(user, id, VersionHeader.Required(request?.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.TasksOwn)
            .WithName("VerifyTask")
            .WithSummary("A manager of the assignee (or the creator, when a manager) verifies a done task. Send the version (body or If-Match).");
        group.MapPost("/{id:guid}/return", async (Guid id, ReturnTaskRequest request, CurrentUser user, ReviewTaskHandler handler,
                HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.ReturnAsync(user, id, request, VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.TasksOwn)
            .WithName("ReturnTask")
            .WithSummary("A manager returns a done task with a reason; it is open again for the assignee, who is notified.");
    }
}
