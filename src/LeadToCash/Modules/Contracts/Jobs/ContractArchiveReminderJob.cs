using System.Globalization;
using LeadToCash.Modules.Notifications;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Contracts.Workflow;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Contracts.Jobs;

/// <summary>
/// Our process asks for the signed contract of a won deal to be archived within <see cref="ContractSettings.ArchiveWithinDays"/>
/// days: a won opportunity without a signed, archived contract after that long reminds its owner, once per opportunity
/// (<see cref="Notification.DedupKey"/> "contract-archive:{opportunity id}", unique per user).
/// </summary>
public sealed class ContractArchiveReminderJob(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock,
    ILogger<ContractArchiveReminderJob> logger) : IScheduledWork
{
    public static string DedupKeyFor(Guid opportunityId) => "contract-archive:" + opportunityId.ToString("N");

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.OpenAsSystemAsync(ct);
        var settings = await ContractStore.SettingsAsync(db, ct);
        var wonBefore = now.AddDays(-settings.ArchiveWithinDays);
        var due = await db.Opportunities.AsNoTracking()
            .Where(o => o.Status == OpportunityStatus.Won && o.ClosedAt != null && o.ClosedAt <= wonBefore && o.OwnerId != null
                && db.Users.Any(u => u.Id == o.OwnerId && u.IsActive)
                && !db.Contracts.Any(c => c.OpportunityId == o.Id && c.SignedAt != null && c.ArchivedAt != null
                    && c.Status != ContractStatus.Terminated))
            .Select(o => new { o.Id, o.Name, OwnerId = o.OwnerId!.Value, o.ClosedAt })
            .OrderBy(o => o.ClosedAt)
            .ToListAsync(ct);
        var done = 0;
        foreach (var opportunity in due)
        {
            var key = DedupKeyFor(opportunity.Id);
            if (await db.Notifications.AnyAsync(n => n.UserId == opportunity.OwnerId && n.DedupKey == key, ct))
            {
                continue;
            }

            var days = (int)(now - opportunity.ClosedAt!.Value).TotalDays;
            var notification = Notify.Add(db, opportunity.OwnerId, ContractNotifications.ArchiveOverdue, $"/opportunities/{opportunity.Id}",
                Opportunity.RecordType, opportunity.Id, now, opportunity.Name, days.ToString(CultureInfo.InvariantCulture));
            notification.DedupKey = key;
            // A run that got here first has told the owner: the unique (user, key) index says so.
            if (await JobsSetup.TrySaveEachAsync(db, logger, nameof(Notification), opportunity.Id, ct, uniqueKeyGuards: true))
            {
                done++;
            }
        }

        return done;
    }
}
