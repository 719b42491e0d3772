using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Tasks;

/// <summary>
/// A person's open (and returned, so open again) tasks in a hand-over: tasks have no pool, so they go to the colleagues
/// round-robin, or, when the records go to the pool without colleagues, to the person's manager.
/// </summary>
public sealed class TaskHandOverPart : IHandOverPart
{
    public const string KindName = "tasks";

    public string Kind => KindName;

    public int Order => 90;

    public bool HasPool => false;

    public Task<int> CountAsync(AppDbContext db, Guid userId, CancellationToken ct) =>
        Open(db, userId).CountAsync(ct);

    public async Task MoveAsync(HandOverMove move, CancellationToken ct)
    {
        var tasks = await Open(move.Db, move.FromUserId).OrderBy(t => t.DueAt).ThenBy(t => t.Id).ToListAsync(ct);
        foreach (var task in tasks)
        {
            var to = move.Next(Kind);
            task.OwnerId = to.Id;
            move.Moved(Kind, to.Id);
        }
    }

    private static IQueryable<WorkTask> Open(AppDbContext db, Guid userId) =>
        db.Tasks.Where(t => t.OwnerId == userId && (t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.Returned));
}

public static class TaskHandOverModule
{
    /// <summary>Registers the tasks' part of the hand-over.</summary>
    public static IServiceCollection AddTaskHandOver(this IServiceCollection services) =>
        services.AddScoped<IHandOverPart, TaskHandOverPart>();
}
