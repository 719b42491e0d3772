using System.Globalization;
using LeadToCash.Modules.Notifications;
using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Leads.Jobs;

/// <summary>
/// Escalates an owned lead with no contact attempt <see cref="LeadSettings.EscalateAfterHours"/> (calendar) hours after
/// assignment to the owner's manager: the head of the owner's team, or of the team above when the owner heads it.
/// Marks it escalated (the lead list's escalated filter) even when nobody is above the owner.
/// </summary>
public sealed class EscalationJob(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, ILogger<EscalationJob> logger)
    : IScheduledWork
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        LeadSettings settings;
        TeamTree tree;
        await using (var db = await dbFactory.OpenAsSystemAsync(ct))
        {
            settings = (await LeadDesk.RulebookAsync(db, ct)).Settings;
            tree = await CurrentUserResolver.LoadTreeAsync(db, ct);
        }

        var assignedBefore = now.AddHours(-settings.EscalateAfterHours);
        var hours = settings.EscalateAfterHours.ToString(CultureInfo.InvariantCulture);
        var done = 0;
        Guid? after = null;
        while (true)
        {
            await using var db = await dbFactory.OpenAsSystemAsync(ct);
            var batch = await LeadJobQueries.NextBatchAsync(db, leads => leads.OwnedOpen()
                .Where(l => l.FirstTouchAt == null && l.LastActivityAt == null && l.EscalatedAt == null
                    && l.AssignedAt != null && l.AssignedAt <= assignedBefore), after, ct);
            if (batch.Count == 0)
            {
                return done;
            }

            var ownerIds = batch.Select(l => l.OwnerId!.Value).Distinct().ToList();
            var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id))
                .Select(u => new { u.Id, u.TeamId, u.DisplayName })
                .ToDictionaryAsync(u => u.Id, ct);
            foreach (var lead in batch)
            {
                var owner = owners.GetValueOrDefault(lead.OwnerId!.Value);
                lead.EscalatedAt = now;
                if (owner is not null && tree.ManagerOf(owner.Id, owner.TeamId) is { } manager)
                {
                    Notify.Add(db, manager, LeadNotificationKinds.Escalated, LeadDesk.LeadLink(lead.Id), Lead.RecordType, lead.Id, now,
                        LeadNotificationKinds.NameOf(lead), owner.DisplayName, hours);
                }

                if (await JobsSetup.TrySaveEachAsync(db, logger, nameof(Lead), lead.Id, ct))
                {
                    done++;
                }
            }

            after = batch[^1].Id;
        }
    }
}
