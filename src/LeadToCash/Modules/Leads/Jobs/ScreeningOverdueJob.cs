using LeadToCash.Modules.Notifications;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Leads.Jobs;

/// <summary>
/// Tells the assistants and managers of a lead's team, once, that an open lead is still unscreened past its screening
/// deadline (counted in working time at capture); a team with neither tells its head.
/// </summary>
public sealed class ScreeningOverdueJob(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, ILogger<ScreeningOverdueJob> logger)
    : IScheduledWork
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var recipientsByTeam = new Dictionary<Guid, IReadOnlyList<Guid>>();
        var done = 0;
        Guid? after = null;
        while (true)
        {
            await using var db = await dbFactory.OpenAsSystemAsync(ct);
            var batch = await LeadJobQueries.NextBatchAsync(db, leads => leads.Open()
                .Where(l => l.ScreenedAt == null && l.ScreeningDueAt <= now && l.ScreeningAlertSentAt == null), after, ct);
            if (batch.Count == 0)
            {
                return done;
            }

            foreach (var lead in batch)
            {
                if (!recipientsByTeam.TryGetValue(lead.TeamId, out var recipients))
                {
                    recipientsByTeam[lead.TeamId] = recipients = await RecipientsAsync(db, lead.TeamId, ct);
                }

                lead.ScreeningAlertSentAt = now;
                foreach (var recipient in recipients)
                {
                    Notify.Add(db, recipient, LeadNotificationKinds.ScreeningOverdue, LeadDesk.LeadLink(lead.Id), Lead.RecordType, lead.Id, now,
                        LeadNotificationKinds.NameOf(lead));
                }

                if (await JobsSetup.TrySaveEachAsync(db, logger, nameof(Lead), lead.Id, ct))
                {
                    done++;
                }
            }

            after = batch[^1].Id;
        }
    }

    /// <summary>The team's active assistants and managers; else its head.</summary>
    internal static async Task<IReadOnlyList<Guid>> RecipientsAsync(AppDbContext db, Guid teamId, CancellationToken ct)
    {
        var screeners = await db.Users.AsNoTracking()
            .Where(u => u.TeamId == teamId && u.IsActive
                && db.UserRoles.Any(ur => ur.UserId == u.Id
                    && db.Roles.Any(r => r.Id == ur.RoleId && (r.Name == Roles.Assistant || r.Name == Roles.Manager))))
            .OrderBy(u => u.Id)
            .Select(u => u.Id)
            .ToListAsync(ct);
        if (screeners.Count > 0)
        {
            return screeners;
        }

        var head = await db.Teams.AsNoTracking().Where(t => t.Id == teamId).Select(t => t.HeadUserId).FirstOrDefaultAsync(ct);
        return head is { } id ? [id] : [];
    }
}
