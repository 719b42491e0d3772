using LeadToCash.Modules.Leads;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>Lead rows written straight to the database (through the system scope), for the time-driven lead rules.</summary>
public static class TestLeads
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Shanghai wall-clock time (UTC+8, no daylight saving) as UTC.</summary>
    public static DateTime Shanghai(DateTime local) => DateTime.SpecifyKind(local.AddHours(-8), DateTimeKind.Utc);

    public static DateTime ToShanghai(DateTime utc) => DateTime.SpecifyKind(utc.AddHours(8), DateTimeKind.Unspecified);

    public static DateTime Now(AppFactory app) => app.Clock.GetUtcNow().UtcDateTime;

    /// <summary>Moves the fake clock forward to <paramref name="local"/> Shanghai time.</summary>
    public static void SetShanghai(AppFactory app, DateTime local) => app.Clock.SetUtcNow(new DateTimeOffset(Shanghai(local)));

    public static async Task<Guid> UserIdAsync(AppFactory app, string email)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
    }

    /// <summary>A screened lead of the owner's team, assigned to them now by the rules' clock (deadline in working time).</summary>
    public static async Task<Lead> AddOwnedAsync(AppFactory app, string ownerEmail, string company, LeadGrade grade = LeadGrade.A,
        string channel = "trade-show", Action<Lead>? change = null)
    {
        await using var db = await app.SystemDbAsync();
        var owner = await db.Users.SingleAsync(u => u.Email == ownerEmail, Ct);
        var rules = await LeadDesk.RulebookAsync(db, Ct);
        var now = Now(app);
        var lead = new Lead
        {
            SourceChannel = channel,
            CompanyName = company,
            CapturedAt = now,
            TeamId = owner.TeamId!.Value,
            SuggestedGrade = grade,
            Grade = grade,
            ScreeningDueAt = LeadRules.ScreeningDeadline(now, rules.Settings, rules.Calendar),
            ScreenedAt = now,
            Status = LeadStatus.Pool,
        };
        LeadDesk.StartOwnership(lead, owner.Id, null, now, rules);
        change?.Invoke(lead);
        db.Leads.Add(lead);
        await db.SaveChangesAsync(Ct);
        return lead;
    }

    /// <summary>A new, unscreened lead waiting in the pool of <paramref name="teamName"/>, captured now.</summary>
    public static async Task<Lead> AddUnscreenedAsync(AppFactory app, string teamName, string company, LeadGrade suggested = LeadGrade.B,
        string channel = "website-form")
    {
        await using var db = await app.SystemDbAsync();
        var teamId = await db.Teams.Where(t => t.Name == teamName).Select(t => t.Id).SingleAsync(Ct);
        var rules = await LeadDesk.RulebookAsync(db, Ct);
        var now = Now(app);
        var lead = new Lead
        {
            SourceChannel = channel,
            CompanyName = company,
            CapturedAt = now,
            TeamId = teamId,
            PoolTeamId = teamId,
            SuggestedGrade = suggested,
            ScreeningDueAt = LeadRules.ScreeningDeadline(now, rules.Settings, rules.Calendar),
            Status = LeadStatus.New,
        };
        db.Leads.Add(lead);
        await db.SaveChangesAsync(Ct);
        return lead;
    }

    public static async Task<Lead> ReloadAsync(AppFactory app, Guid id)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Leads.AsNoTracking().SingleAsync(l => l.Id == id, Ct);
    }

    /// <summary>The notifications about a record, with their readers' e-mail addresses.</summary>
    public static async Task<List<(string Email, string Kind, string ArgsJson)>> NotificationsAboutAsync(AppFactory app, Guid recordId)
    {
        await using var db = await app.SystemDbAsync();
        var rows = await db.Notifications.AsNoTracking()
            .Where(n => n.RecordId == recordId)
            .Join(db.Users, n => n.UserId, u => u.Id, (n, u) => new { u.Email, n.Kind, n.ArgsJson })
            .ToListAsync(Ct);
        return [.. rows.Select(r => (r.Email!, r.Kind, r.ArgsJson)).OrderBy(r => r.Item1, StringComparer.Ordinal)];
    }
}
