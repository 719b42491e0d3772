using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Leads;

public enum DuplicateMode
{
    /// <summary>Capture the lead and flag the match.</summary>
    Warn = 0,

    /// <summary>Refuse a lead that matches an existing lead or customer.</summary>
    Block = 1,
}

public enum AssignmentStrategy
{
    RoundRobin = 0,
    LeastOpenLeads = 1,
}

/// <summary>
/// The company's lead rules, edited by an Admin: scoring into A/B/C, screening, assignment, first-touch SLA,
/// escalation, pool return and the daily digest. One row; history records every change.
/// </summary>
public sealed class LeadSettings : BusinessRecord
{
    public DuplicateMode DuplicateMode { get; set; } = DuplicateMode.Warn;

    // Score rules: each met criterion adds its points; the thresholds turn the score into a grade.
    public string TargetIndustries { get; set; } = "manufacturing,software";
    public int IndustryPoints { get; set; } = 25;
    public long BudgetThresholdMinor { get; set; } = 100_000_00;
    public int BudgetPoints { get; set; } = 25;
    public int PurchaseWithinMonths { get; set; } = 3;
    public int TimeframePoints { get; set; } = 25;
    public int DecisionMakerPoints { get; set; } = 25;
    public int GradeAThreshold { get; set; } = 75;
    public int GradeBThreshold { get; set; } = 50;

    /// <summary>Working minutes within which a new lead should be screened.</summary>
    public int ScreeningMinutes { get; set; } = 30;

    // Assignment: A to senior reps, B to the other reps, C to the nurture pool.
    public bool AssignAToSeniorReps { get; set; } = true;
    public int SeniorMinMonths { get; set; } = 12;
    public bool SendCToPool { get; set; } = true;
    public AssignmentStrategy Strategy { get; set; } = AssignmentStrategy.RoundRobin;

    /// <summary>Most open leads a rep may hold by claiming from the pool; 0 = no limit.</summary>
    public int ClaimLimit { get; set; } = 30;

    // First touch, counted in working time from assignment; escalation and pool return in calendar time.
    public int FirstTouchHoursA { get; set; } = 2;
    public int FirstTouchHoursB { get; set; } = 24;
    public int DueSoonMinutes { get; set; } = 30;
    public int EscalateAfterHours { get; set; } = 48;
    public int PoolReturnDays { get; set; } = 7;
    public TimeOnly DigestTime { get; set; } = new(17, 0);

    public IReadOnlyList<string> TargetIndustryCodes =>
        TargetIndustries.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>A website form that posts leads to the public intake endpoint with its key.</summary>
public sealed class WebForm : BusinessRecord
{
    public required string Name { get; set; }
    public required string SourceChannel { get; set; }

    /// <summary>The public key in the intake URL; random, not guessable.</summary>
    public required string Key { get; set; }

    /// <summary>Origins (scheme://host[:port]) allowed to post from a browser, one per line.</summary>
    public string AllowedOrigins { get; set; } = "";

    /// <summary>The team whose pool receives the leads.</summary>
    public Guid TeamId { get; set; }
    public bool IsActive { get; set; } = true;
    public int SubmissionCount { get; set; }
    public DateTime? LastSubmissionAt { get; set; }
}
