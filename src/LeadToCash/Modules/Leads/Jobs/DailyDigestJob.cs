using System.Globalization;
using LeadToCash.Modules.Company;
using LeadToCash.Modules.Notifications;
using LeadToCash.Modules.Options;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Jobs;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Leads.Jobs;

/// <summary>
/// Once a day, from <see cref="LeadSettings.DigestTime"/> in the company's time zone, tells each manager and director
/// about their team subtree: today's new leads by grade and by channel, and how many are overdue (first touch, and
/// screening). One per person per day (<see cref="Notification.DedupKey"/> "digest:yyyy-MM-dd", unique per user).
/// </summary>
public sealed class DailyDigestJob(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, ILogger<DailyDigestJob> logger)
    : IScheduledWork
{
    public static string DedupKeyFor(DateOnly day) => "digest:" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.OpenAsSystemAsync(ct);
        var settings = (await LeadDesk.RulebookAsync(db, ct)).Settings;
        var company = await db.CompanySettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new CompanySettings { Name = "" };
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(company.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(now, DateTimeKind.Utc), zone);
        if (TimeOnly.FromDateTime(local) < settings.DigestTime)
        {
            return 0;
        }

        var today = DateOnly.FromDateTime(local);
        var key = DedupKeyFor(today);
        var dayStart = TimeZoneInfo.ConvertTimeToUtc(today.ToDateTime(TimeOnly.MinValue), zone);
        var dayEnd = TimeZoneInfo.ConvertTimeToUtc(today.AddDays(1).ToDateTime(TimeOnly.MinValue), zone);

        var managers = await db.Users.AsNoTracking()
            .Where(u => u.IsActive && u.TeamId != null
                && db.UserRoles.Any(ur => ur.UserId == u.Id
                    && db.Roles.Any(r => r.Id == ur.RoleId && (r.Name == Roles.Manager || r.Name == Roles.Director)))
                && !db.Notifications.Any(n => n.UserId == u.Id && n.DedupKey == key))
            .OrderBy(u => u.Id)
            .Select(u => new { u.Id, TeamId = u.TeamId!.Value, u.PreferredCulture })
            .ToListAsync(ct);
        if (managers.Count == 0)
        {
            return 0;
        }

        var tree = await CurrentUserResolver.LoadTreeAsync(db, ct);
        var channels = await db.OptionItems.AsNoTracking().Where(o => o.ListKey == OptionLists.SourceChannels)
            .ToDictionaryAsync(o => o.Code, o => (o.LabelZh, o.LabelEn), ct);
        var done = 0;
        foreach (var manager in managers)
        {
            var teams = tree.SubtreeOf(manager.TeamId).ToList();
            var leads = db.Leads.AsNoTracking().Where(l => teams.Contains(l.TeamId));
            var created = await leads
                .Where(l => l.CreatedAt >= dayStart && l.CreatedAt < dayEnd && l.Status != LeadStatus.Merged)
                .Select(l => new { l.SourceChannel, Grade = l.Grade ?? l.SuggestedGrade })
                .ToListAsync(ct);
            var overdueFirstTouch = await leads.FirstTouchOverdue(now).CountAsync(ct);
            var overdueScreening = await leads.Open().CountAsync(l => l.ScreenedAt == null && l.ScreeningDueAt < now, ct);

            var chinese = (manager.PreferredCulture ?? company.DefaultCulture).StartsWith("zh", StringComparison.OrdinalIgnoreCase);
            var byGrade = string.Join(" · ", Enum.GetValues<LeadGrade>().Select(g => $"{g} {created.Count(c => c.Grade == g)}"));
            var byChannel = created.Count == 0 ? "—" : string.Join(" · ", created
                .GroupBy(c => c.SourceChannel)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{Label(g.Key, chinese)} {g.Count()}"));
            // Opens the lead list on today's leads of the same team subtree (the list's own filters).
            var day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var notification = Notify.Add(db, manager.Id, LeadNotificationKinds.Digest,
                $"/leads?teamId={manager.TeamId}&createdFrom={day}&createdTo={day}", null, null, now,
                day, Text(created.Count), byGrade, byChannel,
                Text(overdueFirstTouch), Text(overdueScreening));
            notification.DedupKey = key;
            // Another run that got here first has sent today's digest: the unique (user, key) index says so.
            if (await JobsSetup.TrySaveEachAsync(db, logger, nameof(Notification), manager.Id, ct, uniqueKeyGuards: true))
            {
                done++;
            }
        }

        return done;

        string Label(string code, bool chinese) =>
            channels.TryGetValue(code, out var label) ? (chinese ? label.LabelZh : label.LabelEn) : code;
    }

    private static string Text(int count) => count.ToString(CultureInfo.InvariantCulture);
}
