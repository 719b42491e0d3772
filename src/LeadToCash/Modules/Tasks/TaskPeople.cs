using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Tasks;

public sealed record TaskPerson(Guid Id, string DisplayName, string? TeamName);

/// <summary>
/// The people whose tasks and calendar a user may pick: themselves, and with tasks.assign the active people of their
/// team subtree (an Admin: everyone active).
/// </summary>
public sealed class TaskPeopleHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<IReadOnlyList<TaskPerson>> ListAsync(CurrentUser user, CancellationToken ct = default)
    {
        user.Require(Permissions.TasksOwn);
        if (!user.Has(Permissions.TasksAssign))
        {
            return [new TaskPerson(user.Id, user.DisplayName, user.TeamName)];
        }

        await using var db = await dbFactory.OpenAsync(user, ct);
        var teams = user.SubtreeTeamIds.ToList();
        var admin = user.IsAdmin;
        var people = await db.Users.AsNoTracking()
            .Where(u => u.IsActive && (u.Id == user.Id || admin || (u.TeamId != null && teams.Contains(u.TeamId.Value))))
            .OrderBy(u => u.DisplayName)
            .Select(u => new { u.Id, u.DisplayName, u.TeamId })
            .ToListAsync(ct);
        var teamNames = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        return [.. people
            .OrderBy(p => p.Id != user.Id)
            .Select(p => new TaskPerson(p.Id, p.DisplayName, p.TeamId is { } t ? teamNames.GetValueOrDefault(t) : null))];
    }

    /// <summary>Whether <paramref name="user"/> may look at <paramref name="personId"/>'s tasks and calendar.</summary>
    public static async Task<bool> MayViewAsync(AppDbContext db, CurrentUser user, Guid personId, CancellationToken ct)
    {
        if (personId == user.Id || user.IsAdmin)
        {
            return true;
        }

        var team = await TaskAccess.TeamOfAsync(db, personId, ct);
        return TaskAccess.Manages(user, team);
    }
}
