using System.Globalization;
using LeadToCash.Modules.Notifications;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers.Pool;

/// <summary>
/// Sends owned customers with no follow-up for N days, or no won deal for M days (the owner's team's pool rules), back
/// to the pool of the owner's team, and tells the former owner why. Work comes from the database and the clock, in
/// batches in id order; a customer someone changed meanwhile is left to them (version check) and looked at next run.
/// </summary>
public sealed class CustomerPoolReturnJob(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, ILogger<CustomerPoolReturnJob> logger)
    : IScheduledWork
{
    public const int BatchSize = 100;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        PoolRulebook pools;
        CustomerRulebook rules;
        Dictionary<Guid, Guid?> teamOf;
        await using (var db = await dbFactory.OpenAsSystemAsync(ct))
        {
            pools = await PoolRulebook.LoadAsync(db, ct);
            rules = await CustomerRulebook.LoadAsync(db, ct);
            teamOf = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.TeamId, ct);
        }

        // A customer can be due only if it is quiet for at least the shortest period of any team (in SQL); the owner's
        // team's own rule decides (in memory).
        var (shortestFollowUp, shortestWon) = pools.Shortest();
        var noFollowUpSince = now.AddDays(-shortestFollowUp);
        var noWonSince = now.AddDays(-shortestWon);
        var done = 0;
        Guid? after = null;
        while (true)
        {
            await using var db = await dbFactory.OpenAsSystemAsync(ct);
            var query = db.Customers.Where(c => c.OwnerId != null
                && (((c.OwnedSince ?? c.CreatedAt) <= noFollowUpSince && (c.LastFollowUpAt == null || c.LastFollowUpAt <= noFollowUpSince))
                    || ((c.OwnedSince ?? c.CreatedAt) <= noWonSince && (c.LastWonAt == null || c.LastWonAt <= noWonSince))));
            if (after is { } last)
            {
                query = query.Where(c => c.Id.CompareTo(last) > 0);
            }

            var batch = await query.OrderBy(c => c.Id).Take(BatchSize).ToListAsync(ct);
            if (batch.Count == 0)
            {
                return done;
            }

            foreach (var customer in batch)
            {
                var formerOwner = customer.OwnerId!.Value;
                if (teamOf.GetValueOrDefault(formerOwner) is not { } team)
                {
                    continue; // someone without a team has no pool to send it to; nothing to do until they get one
                }

                var rule = pools.For(team);
                if (CustomerPool.ReturnAt(customer, rule) > now)
                {
                    continue;
                }

                var noFollowUp = CustomerPool.NoFollowUpFirst(customer, rule);
                CustomerPool.ReturnToPool(customer, team, now, rules);
                Notify.Add(db, formerOwner, noFollowUp ? CustomerPoolNotifications.ReturnedNoFollowUp : CustomerPoolNotifications.ReturnedNoWonDeal,
                    CustomerPool.Link(customer.Id), Customer.RecordType, customer.Id, now, customer.Name,
                    (noFollowUp ? rule.NoFollowUpDays : rule.NoWonDealDays).ToString(CultureInfo.InvariantCulture));
                if (await JobsSetup.TrySaveEachAsync(db, logger, nameof(Customer), customer.Id, ct))
                {
                    done++;
                }
            }

            after = batch[^1].Id;
        }
    }
}
