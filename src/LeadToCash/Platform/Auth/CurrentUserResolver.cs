using System.Security.Claims;
using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Auth;

/// <summary>
/// Resolves the current user once per request or Blazor circuit (a scoped service), from the <see cref="AccessCache"/>
/// when it holds them.
/// </summary>
public sealed class CurrentUserResolver(IDbContextFactory<AppDbContext> dbFactory, AccessCache? cache = null)
{
    private CurrentUser? _cached;

    public async Task<CurrentUser?> ResolveAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        if (CurrentUser.IdFrom(principal) is not { } userId)
        {
            return null;
        }

        if (_cached?.Id == userId)
        {
            return _cached;
        }

        if (cache?.User(userId) is { } known)
        {
            return _cached = known;
        }

        var generation = cache?.Generation ?? 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId && u.IsActive, ct);
        if (user is null)
        {
            return null;
        }

        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == userId
                           select r.Name!).ToListAsync(ct);
        var tree = await LoadTreeAsync(db, ct);
        var built = Build(user, roles, tree);
        if (built.Scope.OwnerTeamIds.Count > 0)
        {
            var teams = built.Scope.OwnerTeamIds;
            var owners = await db.Users.AsNoTracking()
                .Where(u => u.TeamId != null && teams.Contains(u.TeamId.Value))
                .Select(u => u.Id)
                .ToListAsync(ct);
            built = built with { Scope = built.Scope with { OwnerIds = owners } };
        }

        cache?.PutUser(built, generation);
        _cached = built;
        return _cached;
    }

    public static async Task<TeamTree> LoadTreeAsync(AppDbContext db, CancellationToken ct) =>
        new(await db.Teams.AsNoTracking()
            .Select(t => new TeamNode(t.Id, t.Name, t.ParentId, t.HeadUserId, t.Kind))
            .ToListAsync(ct));

    /// <summary>The scope rules of the foundation issue, as a pure function (unit-tested).</summary>
    public static CurrentUser Build(AppUser user, IReadOnlyCollection<string> roles, TeamTree tree)
    {
        var roleSet = roles.ToHashSet(StringComparer.Ordinal);
        var permissions = Permissions.ForRoles(roleSet);
        var seesAll = roleSet.Contains(Roles.Admin) || roleSet.Contains(Roles.Finance);

        var subtree = new HashSet<Guid>();
        if (user.TeamId is { } teamId)
        {
            subtree.UnionWith(tree.SubtreeOf(teamId));
        }

        foreach (var headed in tree.Teams.Where(t => t.HeadUserId == user.Id))
        {
            subtree.UnionWith(tree.SubtreeOf(headed.Id));
        }

        var leads = roleSet.Contains(Roles.Director) || roleSet.Contains(Roles.Manager);
        var ownerTeams = leads ? subtree.ToList() : [];

        // Everyone sees the pools of their own team and the teams above it; those who lead or assist a
        // team also see the pools below it.
        var pools = new HashSet<Guid>(user.TeamId is { } t ? tree.PathToRoot(t) : []);
        if (leads || roleSet.Contains(Roles.Assistant))
        {
            pools.UnionWith(subtree);
        }

        var scope = new DataScope(user.Id, seesAll, ownerTeams, pools.ToList());
        var teamName = user.TeamId is { } id ? tree.Find(id)?.Name : null;
        return new CurrentUser(user.Id, user.DisplayName, user.Email ?? "", user.TeamId, teamName, roleSet,
            permissions, scope, subtree.ToList());
    }
}
