using System.Globalization;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Notifications;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.FollowUps.Jobs;

/// <summary>
/// On each working day from <see cref="SendAt"/> company time, tells every owner of customers due for a follow-up how
/// many are due today and how many are overdue, with a link to the follow-ups page. Once per person per day
/// (<see cref="Notification.DedupKey"/> "followups-due:yyyy-MM-dd", unique per user); nobody with nothing due hears anything.
/// </summary>
public sealed class FollowUpMorningReminderJob(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock,
    ILogger<FollowUpMorningReminderJob> logger) : IScheduledWork
{
    public const string Kind = "followups.due";
    public static readonly TimeOnly SendAt = new(8, 30);

    public static string DedupKeyFor(DateOnly day) => "followups-due:" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.OpenAsSystemAsync(ct);
        var calendar = (await CustomerRulebook.LoadAsync(db, ct)).Calendar;
        var today = calendar.LocalDate(now);
        var todayStart = calendar.StartOfDay(today);
        if (!calendar.IsWorkingDay(today) || now < todayStart + SendAt.ToTimeSpan())
        {
            return 0;
        }

        var key = DedupKeyFor(today);
        var tomorrowStart = calendar.StartOfDay(today.AddDays(1));
        var owners = await db.Customers.AsNoTracking()
            .Where(c => c.OwnerId != null && c.FollowUpDueAt != null && c.FollowUpDueAt < tomorrowStart
                && db.Users.Any(u => u.Id == c.OwnerId && u.IsActive)
                && !db.Notifications.Any(n => n.UserId == c.OwnerId && n.DedupKey == key))
            .GroupBy(c => c.OwnerId!.Value)
            .Select(g => new { OwnerId = g.Key, DueToday = g.Count(c => c.FollowUpDueAt >= todayStart), Overdue = g.Count(c => c.FollowUpDueAt < todayStart) })
            .OrderBy(x => x.OwnerId)
            .ToListAsync(ct);
        var done = 0;
        foreach (var owner in owners)
        {
            var notification = Notify.Add(db, owner.OwnerId, Kind, "/follow-ups", null, null, now,
                owner.DueToday.ToString(CultureInfo.InvariantCulture), owner.Overdue.ToString(CultureInfo.InvariantCulture));
            notification.DedupKey = key;
            // A run that got here first has told this person today: the unique (user, key) index says so.
            if (await JobsSetup.TrySaveEachAsync(db, logger, nameof(Notification), owner.OwnerId, ct, uniqueKeyGuards: true))
            {
                done++;
            }
        }

        return done;
    }
}
