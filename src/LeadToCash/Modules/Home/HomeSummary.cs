using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Home;

public sealed record RecentCustomer(Guid Id, string Name, string? Region, string? OwnerName, DateTime UpdatedAt);

public sealed record TeamMember(Guid Id, string DisplayName, string? TeamName, IReadOnlyList<string> Roles);

/// <summary>
/// The lead figures of the user's scope: open leads they own, first contacts past their deadline, leads waiting for
/// screening, and the response timeliness of the last 30 days (share of leads whose first-contact deadline fell in
/// that time that were contacted in time; null when none did).
/// </summary>
public sealed record LeadFigures(int MyOpen, int OverdueFirstTouch, int AwaitingScreening, int? TimelinessPercent, int TimelinessBase);

public sealed record HomeSummary(
    string? ManagerName,
    int VisibleCustomers,
    int MyCustomers,
    int PoolCustomers,
    int TeamCustomers,
    int SharedWithMe,
    IReadOnlyList<RecentCustomer> Recent,
    IReadOnlyList<TeamMember> TeamMembers,
    LeadFigures? Leads = null);

/// <summary>What the signed-in user's home page shows: who they are and the records of their scope.</summary>
public sealed class HomeSummaryHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public async Task<HomeSummary> HandleAsync(CurrentUser user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.OpenAsync(user, ct);
        var tree = await CurrentUserResolver.LoadTreeAsync(db, ct);
        var managerId = tree.ManagerOf(user.Id, user.TeamId);
        var managerName = managerId is { } m ? await db.Users.Where(u => u.Id == m).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) : null;

        var visible = 0;
        var mine = 0;
        var pool = 0;
        var team = 0;
        var shared = 0;
        IReadOnlyList<RecentCustomer> recent = [];
        if (user.Has(Permissions.CustomersRead))
        {
            var customers = db.Customers.AsNoTracking();
            visible = await customers.CountAsync(ct);
            mine = await customers.CountAsync(c => c.OwnerId == user.Id, ct);
            pool = await customers.CountAsync(c => c.OwnerId == null, ct);
            var teams = user.SubtreeTeamIds.ToList();
            team = await customers.CountAsync(c => c.Owner != null && c.Owner.TeamId != null && teams.Contains(c.Owner.TeamId.Value), ct);
            shared = await customers.CountAsync(c => db.Collaborators.Any(s => s.RecordId == c.Id && s.UserId == user.Id), ct);
            recent = await customers
                .OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id)
                .Take(8)
                .Select(c => new RecentCustomer(c.Id, c.Name, c.Region, c.Owner != null ? c.Owner.DisplayName : null,
                    DateTime.SpecifyKind(c.UpdatedAt, DateTimeKind.Utc)))
                .ToListAsync(ct);
        }

        IReadOnlyList<TeamMember> members = [];
        if (user.Roles.Contains(Roles.Manager) || user.Roles.Contains(Roles.Director))
        {
            var teams = user.SubtreeTeamIds.ToList();
            var people = await db.Users.AsNoTracking()
                .Where(u => u.IsActive && u.TeamId != null && teams.Contains(u.TeamId.Value) && u.Id != user.Id)
                .OrderBy(u => u.DisplayName)
                .Select(u => new { u.Id, u.DisplayName, u.TeamId })
                .ToListAsync(ct);
            var ids = people.Select(p => p.Id).ToList();
            var roles = (await (from ur in db.UserRoles
                                join r in db.Roles on ur.RoleId equals r.Id
                                where ids.Contains(ur.UserId)
                                select new { ur.UserId, r.Name }).ToListAsync(ct)).ToLookup(r => r.UserId, r => r.Name!);
            members = people.Select(p => new TeamMember(p.Id, p.DisplayName, p.TeamId is { } t ? tree.Find(t)?.Name : null,
                Roles.All.Where(r => roles[p.Id].Contains(r)).ToList())).ToList();
        }

        var leads = user.Has(Permissions.LeadsRead) ? await LeadFiguresAsync(db, user, ct) : null;
        return new HomeSummary(managerName, visible, mine, pool, team, shared, recent, members, leads);
    }

    private async Task<LeadFigures> LeadFiguresAsync(AppDbContext db, CurrentUser user, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now.AddDays(-30);
        var leads = db.Leads.AsNoTracking();
        var myOpen = await leads.OwnedOpen().CountAsync(l => l.OwnerId == user.Id, ct);
        var overdue = await leads.FirstTouchOverdue(now).CountAsync(ct);
        var awaiting = await leads.Open().CountAsync(l => l.ScreenedAt == null, ct);
        var due = leads.Where(l => l.FirstTouchDueAt >= since && l.FirstTouchDueAt <= now
            || (l.FirstTouchDueAt >= since && l.FirstTouchAt != null));
        var total = await due.CountAsync(ct);
        var met = await due.CountAsync(l => l.FirstTouchAt != null && l.FirstTouchAt <= l.FirstTouchDueAt, ct);
        return new LeadFigures(myOpen, overdue, awaiting, total == 0 ? null : (int)Math.Round(100.0 * met / total), total);
    }
}

public static class HomeModule
{
    public static IServiceCollection AddHome(this IServiceCollection services) => services.AddScoped<HomeSummaryHandler>();

    public static void MapHome(this RouteGroupBuilder api) =>
        api.MapGet("/home", async (CurrentUser user, HomeSummaryHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(user, ct)))
            .RequireAuthorization(Permissions.ProfileRead)
            .WithTags("Home")
            .WithName("HomeSummary")
            .WithSummary("The caller's home page figures: their manager, the customers of their scope, their team.");
}
