using System.Globalization;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Notifications;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Receivables.Jobs;

/// <summary>
/// Instalments still owed remind the contract's owner and their manager (the head of the owner's team, or of the team
/// above when the owner heads it): on the due date, then every <see cref="ContractSettings.OverdueReminderDays"/> days
/// while anything is owed. The instalment remembers the company date of its last reminder (saved with the version
/// check), so a second run on the same day, or on two nodes, sends nothing more.
/// </summary>
public sealed class OverdueReminderJob(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, ILogger<OverdueReminderJob> logger)
    : IScheduledWork
{
    public const string DueKind = "receivables.due";
    public const string OverdueKind = "receivables.overdue";
    private const int Batch = 500;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.OpenAsSystemAsync(ct);
        var today = await ReceivablesStore.CompanyTodayAsync(db, now, ct);
        var every = await db.ContractSettings.AsNoTracking().Select(s => (int?)s.OverdueReminderDays).FirstOrDefaultAsync(ct) ?? 7;
        var remindedBefore = today.AddDays(-Math.Max(1, every) + 1);
        var due = await (from i in db.PaymentInstalments
                         where i.ReceivedMinor < i.AmountMinor && i.DueDate <= today
                             && (i.LastRemindedOn == null || i.LastRemindedOn < remindedBefore)
                         join c in db.Contracts on i.ContractId equals c.Id
                         where c.OwnerId != null && (c.Status == ContractStatus.Signed || c.Status == ContractStatus.Executing
                             || c.Status == ContractStatus.Completed)
                         orderby i.DueDate, i.Id
                         select new { Instalment = i, c.Number, c.Currency, OwnerId = c.OwnerId!.Value })
            .Take(Batch).ToListAsync(ct);
        if (due.Count == 0)
        {
            return 0;
        }

        var ownerIds = due.Select(d => d.OwnerId).Distinct().ToList();
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).Select(u => new { u.Id, u.TeamId, u.IsActive })
            .ToDictionaryAsync(u => u.Id, ct);
        var teams = await db.Teams.AsNoTracking().Select(t => new { t.Id, t.ParentId, t.HeadUserId }).ToDictionaryAsync(t => t.Id, ct);
        var activeHeads = (await db.Users.AsNoTracking().Where(u => u.IsActive).Select(u => u.Id).ToListAsync(ct)).ToHashSet();

        Guid? ManagerOf(Guid ownerId)
        {
            var team = owners.GetValueOrDefault(ownerId)?.TeamId;
            for (var guard = 0; team is { } id && teams.TryGetValue(id, out var node) && guard < 20; guard++)
            {
                if (node.HeadUserId is { } head && head != ownerId && activeHeads.Contains(head))
                {
                    return head;
                }

                team = node.ParentId;
            }

            return null;
        }

        var done = 0;
        foreach (var item in due)
        {
            var instalment = item.Instalment;
            var owed = new Platform.Money.Money(instalment.AmountMinor - instalment.ReceivedMinor, item.Currency).Format(CultureInfo.InvariantCulture);
            var days = today.DayNumber - instalment.DueDate.DayNumber;
            var kind = days == 0 ? DueKind : OverdueKind;
            var link = $"/contracts/{instalment.ContractId}";
            var args = new[] { item.Number, instalment.Label, owed, instalment.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                days.ToString(CultureInfo.InvariantCulture) };
            if (owners.GetValueOrDefault(item.OwnerId)?.IsActive == true)
            {
                Notify.Add(db, item.OwnerId, kind, link, Contract.RecordType, instalment.ContractId, now, args);
            }

            if (ManagerOf(item.OwnerId) is { } manager)
            {
                Notify.Add(db, manager, kind, link, Contract.RecordType, instalment.ContractId, now, args);
            }

            instalment.LastRemindedOn = today;
            if (await JobsSetup.TrySaveEachAsync(db, logger, nameof(PaymentInstalment), instalment.Id, ct))
            {
                done++;
            }
        }

        return done;
    }
}
