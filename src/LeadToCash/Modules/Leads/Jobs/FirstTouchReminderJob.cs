using LeadToCash.Modules.Notifications;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Leads.Jobs;

/// <summary>
/// Reminds the owner once when an owned lead reaches its first-touch deadline untouched. The deadline was set in
/// working time at assignment (<see cref="LeadRules.FirstTouchDeadline"/>), so nobody is reminded on a day off.
/// </summary>
public sealed class FirstTouchReminderJob(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, ILogger<FirstTouchReminderJob> logger)
    : IScheduledWork
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var done = 0;
        Guid? after = null;
        while (true)
        {
            await using var db = await dbFactory.OpenAsSystemAsync(ct);
            var batch = await LeadJobQueries.NextBatchAsync(db, leads => leads.OwnedOpen()
                .Where(l => l.FirstTouchAt == null && l.FirstTouchDueAt != null && l.FirstTouchDueAt <= now && l.ReminderSentAt == null), after, ct);
            if (batch.Count == 0)
            {
                return done;
            }

            foreach (var lead in batch)
            {
                lead.ReminderSentAt = now;
                Notify.Add(db, lead.OwnerId!.Value, LeadNotificationKinds.SlaReminder, LeadDesk.LeadLink(lead.Id), Lead.RecordType, lead.Id,
                    now, LeadNotificationKinds.NameOf(lead));
                if (await JobsSetup.TrySaveEachAsync(db, logger, nameof(Lead), lead.Id, ct))
                {
                    done++;
                }
            }

            after = batch[^1].Id;
        }
    }
}
