using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.FollowUps;

/// <summary>Which follow-ups the due list shows.</summary>
public enum FollowUpDueState
{
    /// <summary>Due today and overdue together.</summary>
    All = 0,
    DueToday = 1,
    Overdue = 2,
}

/// <summary>An owned customer whose grade's cadence asks for a follow-up today or earlier.</summary>
public sealed record FollowUpDueItem(
    Guid CustomerId,
    string CustomerName,
    CustomerGrade Grade,
    Guid? OwnerId,
    string? OwnerName,
    DateTime? LastFollowUpAt,
    DateTime? NextFollowUpAt,
    DateTime DueAt,
    CadenceState State,
    int DaysOverdue);

public sealed record FollowUpDueCounts(int DueToday, int Overdue);

/// <summary>One rep's follow-ups due today and overdue (a manager's view of their people).</summary>
public sealed record RepFollowUpsDue(Guid UserId, string DisplayName, Guid? TeamId, string? TeamName, int DueToday, int Overdue);

/// <summary>
/// The follow-ups the cadence asks for (跟进提醒): owned customers the caller can see whose <see cref="Customer.FollowUpDueAt"/>
/// is today (company date) or earlier. The state derives from that date and the clock alone, so nothing runs at
/// midnight. Used by the follow-ups page, My day and the API.
/// </summary>
public sealed class FollowUpsDueHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public static readonly IReadOnlyList<SortField<Customer>> SortFields =
    [
        Keyset.Field<Customer, DateTime?>("dueAt", c => c.FollowUpDueAt),
        Keyset.Field<Customer, string>("name", c => c.Name),
    ];

    public static FollowUpDueState ParseState(string? state) => state?.Trim().ToLowerInvariant() switch
    {
        null or "" or "all" => FollowUpDueState.All,
        "duetoday" or "due-today" => FollowUpDueState.DueToday,
        "overdue" => FollowUpDueState.Overdue,
        _ => throw new ValidationException([new ValidationFailure("state", "state must be dueToday, overdue or all.")]),
    };

    /// <summary>The customers due, most overdue first (?sort=dueAt|name); <paramref name="ownerId"/> narrows to one owner.</summary>
    public async Task<ListPage<FollowUpDueItem>> ListAsync(CurrentUser user, FollowUpDueState state, Guid? ownerId, ListRequest page,
        CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var rules = await CustomerRulebook.LoadAsync(db, ct);
        var (today, tomorrow) = Today(rules);
        var query = Due(db, ownerId, tomorrow);
        query = state switch
        {
            FollowUpDueState.DueToday => query.Where(c => c.FollowUpDueAt >= today),
            FollowUpDueState.Overdue => query.Where(c => c.FollowUpDueAt < today),
            _ => query,
        };
        var rows = await Keyset.PageAsync(query, page, SortFields, c => c.Id,
            c => new Row(c.Id, c.Name, c.Grade, c.OwnerId, c.Owner != null ? c.Owner.DisplayName : null, c.LastFollowUpAt,
                c.NextFollowUpAt, c.FollowUpDueAt!.Value), ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var localToday = rules.Calendar.LocalDate(now);
        var items = rows.Items.Select(r => new FollowUpDueItem(r.Id, r.Name, r.Grade, r.OwnerId, r.OwnerName, Utc(r.LastFollowUpAt),
                Utc(r.NextFollowUpAt), Utc(r.DueAt)!.Value, CustomerRules.Cadence(r.DueAt, now, rules.Calendar),
                Math.Max(0, localToday.DayNumber - rules.Calendar.LocalDate(r.DueAt).DayNumber)))
            .ToList();
        return new ListPage<FollowUpDueItem>(items, rows.NextCursor, rows.Count, rows.CountCapped);
    }

    /// <summary>How many follow-ups are due today and overdue (for My day and badges).</summary>
    public async Task<FollowUpDueCounts> CountsAsync(CurrentUser user, Guid? ownerId, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var (today, tomorrow) = Today(await CustomerRulebook.LoadAsync(db, ct));
        var query = Due(db, ownerId, tomorrow);
        return new FollowUpDueCounts(await query.CountAsync(c => c.FollowUpDueAt >= today, ct), await query.CountAsync(c => c.FollowUpDueAt < today, ct));
    }

    /// <summary>Per rep of the manager's team subtree (every team for the Admin): follow-ups due today and overdue.</summary>
    public async Task<IReadOnlyList<RepFollowUpsDue>> ByRepAsync(CurrentUser user, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersRead);
        user.Require(Permissions.CustomersAssign);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var (today, tomorrow) = Today(await CustomerRulebook.LoadAsync(db, ct));
        var teams = user.SubtreeTeamIds.ToList();
        var people = await db.Users.AsNoTracking()
            .Where(u => u.IsActive && u.TeamId != null && teams.Contains(u.TeamId.Value))
            .Select(u => new
            {
                u.Id,
                u.DisplayName,
                u.TeamId,
                IsRep = db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Rep)),
            })
            .ToListAsync(ct);
        var peopleIds = people.Select(p => p.Id).ToList();
        var counts = await Due(db, null, tomorrow)
            .Where(c => peopleIds.Contains(c.OwnerId!.Value))
            .GroupBy(c => c.OwnerId!.Value)
            .Select(g => new { OwnerId = g.Key, DueToday = g.Count(c => c.FollowUpDueAt >= today), Overdue = g.Count(c => c.FollowUpDueAt < today) })
            .ToDictionaryAsync(x => x.OwnerId, ct);
        var teamNames = await db.Teams.AsNoTracking().Where(t => teams.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        return people
            .Where(p => p.IsRep || counts.ContainsKey(p.Id))
            .Select(p => new RepFollowUpsDue(p.Id, p.DisplayName, p.TeamId, p.TeamId is { } t ? teamNames.GetValueOrDefault(t) : null,
                counts.TryGetValue(p.Id, out var c) ? c.DueToday : 0, counts.TryGetValue(p.Id, out var o) ? o.Overdue : 0))
            .OrderByDescending(r => r.Overdue).ThenByDescending(r => r.DueToday).ThenBy(r => r.DisplayName, StringComparer.Ordinal)
            .ToList();
    }

    private static IQueryable<Customer> Due(AppDbContext db, Guid? ownerId, DateTime tomorrow)
    {
        var query = db.Customers.AsNoTracking().Where(c => c.OwnerId != null && c.FollowUpDueAt != null && c.FollowUpDueAt < tomorrow);
        return ownerId is { } owner ? query.Where(c => c.OwnerId == owner) : query;
    }

    private (DateTime Today, DateTime Tomorrow) Today(CustomerRulebook rules)
    {
        var date = rules.Calendar.LocalDate(clock.GetUtcNow().UtcDateTime);
        return (rules.Calendar.StartOfDay(date), rules.Calendar.StartOfDay(date.AddDays(1)));
    }

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;

    private sealed record Row(Guid Id, string Name, CustomerGrade Grade, Guid? OwnerId, string? OwnerName, DateTime? LastFollowUpAt,
        DateTime? NextFollowUpAt, DateTime DueAt);
}
