using System.Globalization;
using LeadToCash.Modules.Notifications;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Leads.Jobs;

/// <summary>
/// Sends an owned open lead with no follow-up for <see cref="LeadSettings.PoolReturnDays"/> days back to its team's
/// pool (公海) and tells the former owner (<see cref="LeadRules.PoolReturnAt"/>).
/// </summary>
public sealed class PoolReturnJob(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, ILogger<PoolReturnJob> logger)
    : IScheduledWork
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        LeadSettings settings;
        await using (var db = await dbFactory.OpenAsSystemAsync(ct))
        {
            settings = (await LeadDesk.RulebookAsync(db, ct)).Settings;
        }

        // PoolReturnAt = max(assigned, last activity) + days; both before (now - days) is the same test, in SQL.
        var quietSince = now.AddDays(-settings.PoolReturnDays);
        var days = settings.PoolReturnDays.ToString(CultureInfo.InvariantCulture);
        var done = 0;
        Guid? after = null;
        while (true)
        {
            await using var db = await dbFactory.OpenAsSystemAsync(ct);
            var batch = await LeadJobQueries.NextBatchAsync(db, leads => leads.OwnedOpen()
                .Where(l => l.AssignedAt != null && l.AssignedAt <= quietSince && (l.LastActivityAt == null || l.LastActivityAt <= quietSince)),
                after, ct);
            if (batch.Count == 0)
            {
                return done;
            }

            foreach (var lead in batch.Where(l => LeadRules.PoolReturnAt(l.AssignedAt!.Value, l.LastActivityAt, settings) <= now))
            {
                var formerOwner = lead.OwnerId!.Value;
                LeadDesk.ReturnToPool(lead);
                Notify.Add(db, formerOwner, LeadNotificationKinds.ReturnedToPool, LeadDesk.LeadLink(lead.Id), Lead.RecordType, lead.Id, now,
                    LeadNotificationKinds.NameOf(lead), days);
                if (await JobsSetup.TrySaveEachAsync(db, logger, nameof(Lead), lead.Id, ct))
                {
                    done++;
                }
            }

            after = batch[^1].Id;
        }
    }
}
