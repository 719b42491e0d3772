using LeadToCash.Modules.Company;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Notifications;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Matching;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Leads;

/// <summary>A lead or customer that a new lead's phone, e-mail or company name matches.</summary>
public sealed record DuplicateMatch(string RecordType, Guid Id, string Name, string Field, string? OwnerName);

/// <summary>The rules and the calendar a lead command works with, read once per command.</summary>
public sealed record LeadRulebook(LeadSettings Settings, WorkingCalendar Calendar);

/// <summary>
/// The parts of the lead process every channel shares (manual entry, website forms, import, the background jobs):
/// the rulebook, the duplicate check, capture (keys, score, screening deadline, automatic confirmation) and the
/// assignment rules. The duplicate check and the rep roster read across scopes: a duplicate or a rep's open leads count
/// whoever can see them (reviewed in the scope-bypass allow-list); they return only names.
/// </summary>
public sealed class LeadDesk(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    public static async Task<LeadRulebook> RulebookAsync(AppDbContext db, CancellationToken ct)
    {
        var settings = await db.LeadSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new LeadSettings();
        var company = await db.CompanySettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new CompanySettings { Name = "" };
        var holidays = await db.Holidays.AsNoTracking().ToListAsync(ct);
        return new LeadRulebook(settings, WorkingCalendar.From(company, holidays));
    }

    /// <summary>The first existing lead or customer matching the keys (phone, then e-mail, then company name).</summary>
    public async Task<DuplicateMatch?> FindDuplicateAsync(string? phoneKey, string? emailKey, string? companyKey,
        Guid? exceptLeadId, CancellationToken ct, bool customersOnly = false)
    {
        if (phoneKey is null && emailKey is null && companyKey is null)
        {
            return null;
        }

        await using var db = await dbFactory.OpenAsSystemAsync(ct);
        var leads = db.Leads.AsNoTracking().Where(l => l.Id != exceptLeadId && l.Status != LeadStatus.Merged);
        foreach (var (field, key) in new[] { ("phone", phoneKey), ("email", emailKey), ("company", companyKey) })
        {
            if (key is null)
            {
                continue;
            }

            var lead = customersOnly ? null : await (field switch
                {
                    "phone" => leads.Where(l => l.PhoneKey == key),
                    "email" => leads.Where(l => l.EmailKey == key),
                    _ => leads.Where(l => l.CompanyKey == key),
                })
                .OrderBy(l => l.CreatedAt)
                .Select(l => new DuplicateMatch(Lead.RecordType, l.Id, l.CompanyName ?? l.ContactName ?? "", field, l.Owner == null ? null : l.Owner.DisplayName))
                .FirstOrDefaultAsync(ct);
            if (lead is not null)
            {
                return lead;
            }

            if (field == "email")
            {
                continue;
            }

            var customers = db.Customers.AsNoTracking();
            var customer = await (field == "phone" ? customers.Where(c => c.PhoneKey == key) : customers.Where(c => c.NameKey == key))
                .OrderBy(c => c.CreatedAt)
                .Select(c => new DuplicateMatch(Customer.RecordType, c.Id, c.Name, field, c.Owner == null ? null : c.Owner.DisplayName))
                .FirstOrDefaultAsync(ct);
            if (customer is not null)
            {
                return customer;
            }
        }

        return null;
    }

    /// <summary>Fills a new lead's derived fields from its captured fields: keys, score, suggested grade, deadlines.</summary>
    public static void Derive(Lead lead, LeadRulebook rules)
    {
        lead.PhoneKey = DuplicateKeys.Phone(lead.Mobile) ?? DuplicateKeys.Phone(lead.Phone);
        lead.EmailKey = DuplicateKeys.Email(lead.Email);
        lead.CompanyKey = DuplicateKeys.Company(lead.CompanyName);
        (lead.Score, lead.SuggestedGrade) = LeadRules.Score(lead.AsQualification(), rules.Settings);
    }

    /// <summary>
    /// A new lead as captured: unowned leads wait in their team's pool for screening, unless the team lets the rules
    /// confirm grades, in which case the assignment rules place it at once. Adds it (and any notifications) to
    /// <paramref name="db"/>; the caller saves.
    /// </summary>
    public async Task<Lead> CaptureAsync(AppDbContext db, Lead lead, LeadRulebook rules, CancellationToken ct)
    {
        var now = Now;
        if (lead.CapturedAt == default)
        {
            lead.CapturedAt = now;
        }

        Derive(lead, rules);
        lead.ScreeningDueAt = LeadRules.ScreeningDeadline(now, rules.Settings, rules.Calendar);
        if (lead.OwnerId is { } owner)
        {
            StartOwnership(lead, owner, null, now, rules);
        }
        else
        {
            lead.Status = LeadStatus.New;
            lead.PoolTeamId = lead.TeamId;
        }

        db.Leads.Add(lead);
        var autoConfirm = await db.Teams.AsNoTracking().Where(t => t.Id == lead.TeamId).Select(t => t.AutoConfirmLeadGrades).FirstOrDefaultAsync(ct);
        if (autoConfirm)
        {
            lead.Grade = lead.SuggestedGrade;
            lead.ScreenedAt = now;
            if (lead.OwnerId is null)
            {
                await AssignByRulesAsync(db, lead, rules, ct);
            }
            else
            {
                lead.FirstTouchDueAt = LeadRules.FirstTouchDeadline(lead.AssignedAt!.Value, lead.Grade.Value, rules.Settings, rules.Calendar);
            }
        }

        return lead;
    }

    /// <summary>Makes <paramref name="ownerId"/> the owner from now: the first-touch clock starts (none for ungraded C).</summary>
    public static void StartOwnership(Lead lead, Guid ownerId, Guid? assignedBy, DateTime now, LeadRulebook rules)
    {
        lead.OwnerId = ownerId;
        lead.PoolTeamId = null;
        lead.AssignedAt = now;
        lead.AssignedBy = assignedBy;
        lead.ReminderSentAt = null;
        lead.EscalatedAt = null;
        if (lead.Status is LeadStatus.New or LeadStatus.Pool)
        {
            lead.Status = lead.FirstTouchAt is null ? LeadStatus.Assigned : LeadStatus.Contacted;
        }

        lead.FirstTouchDueAt = lead.FirstTouchAt is null
            ? LeadRules.FirstTouchDeadline(now, lead.Grade ?? lead.SuggestedGrade, rules.Settings, rules.Calendar)
            : lead.FirstTouchDueAt;
    }

    /// <summary>Puts a lead back into its team's pool: no owner, no clock.</summary>
    public static void ReturnToPool(Lead lead)
    {
        lead.OwnerId = null;
        lead.PoolTeamId = lead.TeamId;
        lead.AssignedAt = null;
        lead.AssignedBy = null;
        lead.ReminderSentAt = null;
        lead.EscalatedAt = null;
        if (lead.FirstTouchAt is null)
        {
            lead.FirstTouchDueAt = null;
        }

        lead.Status = lead.ScreenedAt is null ? LeadStatus.New : LeadStatus.Pool;
    }

    /// <summary>
    /// The assignment rules for a screened, unowned lead: A to senior reps, B to the other reps (each falling back to
    /// the rest of the team when none is available), C to the nurture pool; only active, available reps of the lead's
    /// team; round-robin or least open leads. Returns the chosen rep, or null when the lead stays in the pool.
    /// </summary>
    public async Task<Guid?> AssignByRulesAsync(AppDbContext db, Lead lead, LeadRulebook rules, CancellationToken ct)
    {
        var grade = lead.Grade ?? lead.SuggestedGrade;
        if (grade == LeadGrade.C && rules.Settings.SendCToPool)
        {
            ReturnToPool(lead);
            return null;
        }

        var roster = await RosterAsync(lead.TeamId, ct);
        var rep = PickRep(roster, grade, rules.Settings, Now);
        if (rep is null)
        {
            ReturnToPool(lead);
            return null;
        }

        StartOwnership(lead, rep.Value, null, Now, rules);
        Notify.Add(db, rep.Value, "lead.assigned", LeadLink(lead.Id), Lead.RecordType, lead.Id, Now, lead.CompanyName ?? lead.ContactName ?? "");
        return rep;
    }

    /// <summary>Who owns a lead now, whoever may see it: a rep who lost a claim is told who won.</summary>
    public async Task<(Guid? OwnerId, Guid TeamId)?> OwnerOfAsync(Guid leadId, CancellationToken ct)
    {
        await using var db = await dbFactory.OpenAsSystemAsync(ct);
        var lead = await db.Leads.AsNoTracking().Where(l => l.Id == leadId).Select(l => new { l.OwnerId, l.TeamId }).FirstOrDefaultAsync(ct);
        return lead is null ? null : (lead.OwnerId, lead.TeamId);
    }

    public static string LeadLink(Guid id) => $"/leads/{id}";

    /// <summary>A team's reps who may get leads, with what round-robin and least-open-leads compare.</summary>
    public async Task<IReadOnlyList<RosterRep>> RosterAsync(Guid teamId, CancellationToken ct)
    {
        await using var db = await dbFactory.OpenAsSystemAsync(ct);
        var reps = await db.Users.AsNoTracking()
            .Where(u => u.TeamId == teamId && u.IsActive && !u.UnavailableForLeads
                && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Rep)))
            .Select(u => new
            {
                u.Id,
                u.HireDate,
                LastAssignedAt = db.Leads.Where(l => l.OwnerId == u.Id && l.AssignedAt != null).Max(l => l.AssignedAt),
                OpenLeads = db.Leads.Count(l => l.OwnerId == u.Id && (l.Status == LeadStatus.Assigned || l.Status == LeadStatus.Contacted)),
            })
            .ToListAsync(ct);
        return [.. reps.Select(r => new RosterRep(r.Id, r.HireDate, r.LastAssignedAt, r.OpenLeads))];
    }

    /// <summary>Pure choice of the rep for a grade from a roster (see <see cref="AssignByRulesAsync"/>).</summary>
    public static Guid? PickRep(IReadOnlyList<RosterRep> roster, LeadGrade grade, LeadSettings settings, DateTime now)
    {
        if (roster.Count == 0)
        {
            return null;
        }

        var seniorSince = DateOnly.FromDateTime(now).AddMonths(-settings.SeniorMinMonths);
        bool IsSenior(RosterRep r) => r.HireDate is { } hired && hired <= seniorSince;
        var preferred = !settings.AssignAToSeniorReps ? roster
            : grade == LeadGrade.A ? roster.Where(IsSenior).ToList()
            : roster.Where(r => !IsSenior(r)).ToList();
        var candidates = preferred.Count > 0 ? preferred : roster;
        var ordered = settings.Strategy == AssignmentStrategy.LeastOpenLeads
            ? candidates.OrderBy(r => r.OpenLeads).ThenBy(r => r.LastAssignedAt ?? DateTime.MinValue)
            : candidates.OrderBy(r => r.LastAssignedAt ?? DateTime.MinValue).ThenBy(r => r.OpenLeads);
        return ordered.ThenBy(r => r.UserId).First().UserId;
    }
}

public sealed record RosterRep(Guid UserId, DateOnly? HireDate, DateTime? LastAssignedAt, int OpenLeads);

internal static class LeadQualificationExtensions
{
    public static ILeadQualification AsQualification(this Lead lead) =>
        new Qualification(lead.Industry, lead.BudgetMinor, lead.PurchaseWithinMonths, lead.DecisionMakerIdentified);

    private sealed record Qualification(string? Industry, long? BudgetMinor, int? PurchaseWithinMonths, bool DecisionMakerIdentified)
        : ILeadQualification;
}
