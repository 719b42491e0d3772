using LeadToCash.Modules.Company;

namespace LeadToCash.Modules.Leads;

/// <summary>Where a lead's first-touch clock stands.</summary>
public enum SlaState
{
    /// <summary>No clock: unassigned, in the nurture pool, or closed before anyone was due to call.</summary>
    None = 0,
    OnTrack = 1,
    DueSoon = 2,
    Overdue = 3,
    Met = 4,
    Missed = 5,
}

/// <summary>The company's lead rules as pure functions of a lead and the settings; every path uses these.</summary>
public static class LeadRules
{
    /// <summary>The score (0–100 with the default points) and the grade it suggests.</summary>
    public static (int Score, LeadGrade Grade) Score(ILeadQualification lead, LeadSettings settings)
    {
        var score = 0;
        if (lead.Industry is { } industry && settings.TargetIndustryCodes.Contains(industry, StringComparer.Ordinal))
        {
            score += settings.IndustryPoints;
        }

        if (lead.BudgetMinor is { } budget && budget >= settings.BudgetThresholdMinor)
        {
            score += settings.BudgetPoints;
        }

        if (lead.PurchaseWithinMonths is { } months && months <= settings.PurchaseWithinMonths)
        {
            score += settings.TimeframePoints;
        }

        if (lead.DecisionMakerIdentified)
        {
            score += settings.DecisionMakerPoints;
        }

        var grade = score >= settings.GradeAThreshold ? LeadGrade.A
            : score >= settings.GradeBThreshold ? LeadGrade.B
            : LeadGrade.C;
        return (score, grade);
    }

    /// <summary>
    /// Working time a rep has for the first touch of a lead of this grade. C leads have no deadline while they wait in
    /// nurture; once someone takes one, B's applies.
    /// </summary>
    public static TimeSpan FirstTouchAllowance(LeadGrade grade, LeadSettings settings) =>
        TimeSpan.FromHours(grade == LeadGrade.A ? settings.FirstTouchHoursA : settings.FirstTouchHoursB);

    public static DateTime FirstTouchDeadline(DateTime assignedAt, LeadGrade grade, LeadSettings settings, WorkingCalendar calendar) =>
        calendar.AddWorkingTime(assignedAt, FirstTouchAllowance(grade, settings));

    public static DateTime ScreeningDeadline(DateTime capturedAt, LeadSettings settings, WorkingCalendar calendar) =>
        calendar.AddWorkingTime(capturedAt, TimeSpan.FromMinutes(settings.ScreeningMinutes));

    public static SlaState Sla(DateTime? dueAt, DateTime? touchedAt, DateTime now, LeadSettings settings)
    {
        if (dueAt is not { } due)
        {
            return SlaState.None;
        }

        if (touchedAt is { } touched)
        {
            return touched <= due ? SlaState.Met : SlaState.Missed;
        }

        return now > due ? SlaState.Overdue
            : now >= due.AddMinutes(-settings.DueSoonMinutes) ? SlaState.DueSoon
            : SlaState.OnTrack;
    }

    /// <summary>Escalation to the owner's manager: no contact attempt this long after assignment (calendar time).</summary>
    public static DateTime EscalationAt(DateTime assignedAt, LeadSettings settings) => assignedAt.AddHours(settings.EscalateAfterHours);

    /// <summary>When an owned lead without a follow-up goes back to the pool (calendar days since the last activity).</summary>
    public static DateTime PoolReturnAt(DateTime assignedAt, DateTime? lastActivityAt, LeadSettings settings) =>
        (lastActivityAt is { } last && last > assignedAt ? last : assignedAt).AddDays(settings.PoolReturnDays);

    public static bool IsOpen(LeadStatus status) => status is LeadStatus.New or LeadStatus.Pool or LeadStatus.Assigned or LeadStatus.Contacted;
}

/// <summary>What the score rules read from a lead.</summary>
public interface ILeadQualification
{
    string? Industry { get; }
    long? BudgetMinor { get; }
    int? PurchaseWithinMonths { get; }
    bool DecisionMakerIdentified { get; }
}
