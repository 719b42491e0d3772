using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers.Pool;

/// <summary>A team's pool rules in force: its own override, the nearest one above it, or the company's.</summary>
public sealed record PoolRule(int NoFollowUpDays, int NoWonDealDays, int ClaimLimit, Guid? SetByTeamId);

/// <summary>
/// The customer pool (公海) rules of every team, read once per command or job run: the company defaults
/// (<see cref="CustomerSettings"/>) and the teams' overrides (<see cref="CustomerPoolRule"/>). A team without an
/// override follows the nearest team above it that has one, so a region can set the rule for all its groups.
/// </summary>
public sealed class PoolRulebook(CustomerSettings company, IReadOnlyDictionary<Guid, CustomerPoolRule> overrides, TeamTree tree)
{
    public CustomerSettings Company => company;

    public TeamTree Tree => tree;

    public IReadOnlyDictionary<Guid, CustomerPoolRule> Overrides => overrides;

    public static async Task<PoolRulebook> LoadAsync(AppDbContext db, CancellationToken ct)
    {
        var company = await db.CustomerSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new CustomerSettings();
        var overrides = await db.CustomerPoolRules.AsNoTracking().ToDictionaryAsync(r => r.TeamId, ct);
        var tree = await CurrentUserResolver.LoadTreeAsync(db, ct);
        return new PoolRulebook(company, overrides, tree);
    }

    public PoolRule For(Guid? teamId)
    {
        if (teamId is { } team)
        {
            foreach (var id in tree.PathToRoot(team))
            {
                if (overrides.TryGetValue(id, out var rule))
                {
                    return new PoolRule(rule.NoFollowUpDays, rule.NoWonDealDays, rule.ClaimLimit, id);
                }
            }
        }

        return new PoolRule(company.PoolNoFollowUpDays, company.PoolNoWonDealDays, company.ClaimLimit, null);
    }

    /// <summary>The shortest periods any team has: customers quieter than these are the ones worth a closer look.</summary>
    public (int NoFollowUpDays, int NoWonDealDays) Shortest() =>
        (overrides.Values.Select(r => r.NoFollowUpDays).Append(company.PoolNoFollowUpDays).Min(),
            overrides.Values.Select(r => r.NoWonDealDays).Append(company.PoolNoWonDealDays).Min());
}

/// <summary>
/// Ownership changes of a customer, one definition for claim, release, assignment, hand-over and the pool-return
/// job: who owns it, since when, which pool it waits in, and the follow-up cadence that follows from that.
/// </summary>
public static class CustomerPool
{
    public static string Link(Guid customerId) => $"/customers/{customerId}";

    /// <summary>Makes <paramref name="ownerId"/> the owner from <paramref name="now"/>: the pool clocks and the cadence start again.</summary>
    public static void TakeOwnership(Customer customer, Guid ownerId, DateTime now, CustomerRulebook rules)
    {
        customer.OwnerId = ownerId;
        customer.PoolTeamId = null;
        customer.OwnedSince = now;
        CustomerRules.RefreshCadence(customer, rules);
    }

    /// <summary>Puts a customer into <paramref name="poolTeamId"/>'s pool: no owner, no cadence.</summary>
    public static void ReturnToPool(Customer customer, Guid poolTeamId, DateTime now, CustomerRulebook rules)
    {
        customer.OwnerId = null;
        customer.PoolTeamId = poolTeamId;
        customer.OwnedSince = null;
        customer.ReturnedToPoolAt = now;
        CustomerRules.RefreshCadence(customer, rules);
    }

    /// <summary>When an owned customer is due back in the pool under <paramref name="rule"/>.</summary>
    public static DateTime ReturnAt(Customer customer, PoolRule rule) =>
        CustomerRules.PoolReturnAt(customer.OwnedSince ?? customer.CreatedAt, customer.LastFollowUpAt, customer.LastWonAt,
            rule.NoFollowUpDays, rule.NoWonDealDays);

    /// <summary>Whether the no-follow-up clock (rather than the no-won-deal one) is the one that ran out first.</summary>
    public static bool NoFollowUpFirst(Customer customer, PoolRule rule)
    {
        var since = customer.OwnedSince ?? customer.CreatedAt;
        var followUp = (customer.LastFollowUpAt is { } last && last > since ? last : since).AddDays(rule.NoFollowUpDays);
        var won = (customer.LastWonAt is { } w && w > since ? w : since).AddDays(rule.NoWonDealDays);
        return followUp <= won;
    }

    /// <summary>Whether <paramref name="user"/> leads <paramref name="teamId"/> (Admin: every team).</summary>
    public static bool Manages(CurrentUser user, Guid? teamId) =>
        user.IsAdmin || ((user.Roles.Contains(Roles.Manager) || user.Roles.Contains(Roles.Director))
            && teamId is { } team && user.SubtreeTeamIds.Contains(team));
}

/// <summary>The notifications of the customer pool; each has the resource "Notify.{kind}" in both languages.</summary>
public static class CustomerPoolNotifications
{
    public const string ReturnedNoFollowUp = "customer.pool-no-follow-up";
    public const string ReturnedNoWonDeal = "customer.pool-no-won-deal";
    public const string Assigned = "customer.assigned";
    public const string Reassigned = "customer.reassigned";

    public static readonly IReadOnlyList<string> All = [ReturnedNoFollowUp, ReturnedNoWonDeal, Assigned, Reassigned];
}
