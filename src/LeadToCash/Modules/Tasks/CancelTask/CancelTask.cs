using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Tasks.CancelTask;

public sealed class CancelTaskHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>The creator (or an Admin) cancels a task: it moves to the recycle bin with its history.</summary>
    public async Task HandleAsync(CurrentUser user, Guid id, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.TasksOwn);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var task = await TaskAccess.LoadVisibleAsync(db, id, ct);
        if (!TaskAccess.CanCancel(user, task))
        {
            throw new ForbiddenException("Only the task's creator can cancel it.");
        }

        Versioning.EnsureVersion(task.Version, version);
        db.Tasks.Remove(task);
        await db.SaveChangesAsync(ct);
    }
}

public static class CancelTaskEndpoint
{
    public static void MapCancelTask(this RouteGroupBuilder group) =>
        group.MapDelete("/{id:guid}", async (Guid id, int? version, CurrentUser user, CancelTaskHandler handler, HttpContext http,
                CancellationToken ct) =>
            {
                await handler.HandleAsync(user, id, VersionHeader.Required(version, http.Request), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Permissions.TasksOwn)
            .WithName("CancelTask")
            .WithSummary("The creator cancels a task (soft delete); send its version (?version= or If-Match).");
}
