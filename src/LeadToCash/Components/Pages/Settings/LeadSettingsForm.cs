using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Leads.Settings;

namespace LeadToCash.Components.Pages.Settings;

/// <summary>The lead rules page's model: the settings as people think of them (budget in yuan, digest as a time of day).</summary>
public sealed class LeadSettingsForm
{
    public DuplicateMode DuplicateMode { get; set; }
    public IReadOnlyCollection<string> TargetIndustries { get; set; } = [];
    public int IndustryPoints { get; set; }
    public decimal BudgetThresholdYuan { get; set; }
    public int BudgetPoints { get; set; }
    public int PurchaseWithinMonths { get; set; }
    public int TimeframePoints { get; set; }
    public int DecisionMakerPoints { get; set; }
    public int GradeAThreshold { get; set; }
    public int GradeBThreshold { get; set; }
    public int ScreeningMinutes { get; set; }
    public bool AssignAToSeniorReps { get; set; }
    public int SeniorMinMonths { get; set; }
    public bool SendCToPool { get; set; }
    public AssignmentStrategy Strategy { get; set; }
    public int ClaimLimit { get; set; }
    public int FirstTouchHoursA { get; set; }
    public int FirstTouchHoursB { get; set; }
    public int DueSoonMinutes { get; set; }
    public int EscalateAfterHours { get; set; }
    public int PoolReturnDays { get; set; }
    public TimeSpan? DigestTime { get; set; }

    public static LeadSettingsForm From(LeadSettingsDto s) => new()
    {
        DuplicateMode = s.DuplicateMode,
        TargetIndustries = [.. s.TargetIndustries],
        IndustryPoints = s.IndustryPoints,
        BudgetThresholdYuan = s.BudgetThresholdMinor / 100m,
        BudgetPoints = s.BudgetPoints,
        PurchaseWithinMonths = s.PurchaseWithinMonths,
        TimeframePoints = s.TimeframePoints,
        DecisionMakerPoints = s.DecisionMakerPoints,
        GradeAThreshold = s.GradeAThreshold,
        GradeBThreshold = s.GradeBThreshold,
        ScreeningMinutes = s.ScreeningMinutes,
        AssignAToSeniorReps = s.AssignAToSeniorReps,
        SeniorMinMonths = s.SeniorMinMonths,
        SendCToPool = s.SendCToPool,
        Strategy = s.Strategy,
        ClaimLimit = s.ClaimLimit,
        FirstTouchHoursA = s.FirstTouchHoursA,
        FirstTouchHoursB = s.FirstTouchHoursB,
        DueSoonMinutes = s.DueSoonMinutes,
        EscalateAfterHours = s.EscalateAfterHours,
        PoolReturnDays = s.PoolReturnDays,
        DigestTime = s.DigestTime.ToTimeSpan(),
    };

    /// <summary>The settings as the API takes them; yuan become 分, rounded half away from zero.</summary>
    public LeadSettingsDto ToDto(int version) => new(DuplicateMode, [.. TargetIndustries], IndustryPoints,
        (long)Math.Round(BudgetThresholdYuan * 100m, MidpointRounding.AwayFromZero), BudgetPoints, PurchaseWithinMonths,
        TimeframePoints, DecisionMakerPoints, GradeAThreshold, GradeBThreshold, ScreeningMinutes, AssignAToSeniorReps,
        SeniorMinMonths, SendCToPool, Strategy, ClaimLimit, FirstTouchHoursA, FirstTouchHoursB, DueSoonMinutes,
        EscalateAfterHours, PoolReturnDays, TimeOnly.FromTimeSpan(DigestTime ?? new TimeSpan(17, 0, 0)), version);

    /// <summary>The resource key of a field's label, by property name (for validation messages).</summary>
    public static string LabelKey(string property) => $"LeadRules.{property}";
}

/// <summary>The sample lead of the page's live example.</summary>
public sealed class SampleLead : ILeadQualification
{
    public string? Industry { get; set; } = "manufacturing";
    public decimal BudgetYuan { get; set; } = 200_000m;
    public int? PurchaseWithinMonths { get; set; } = 2;
    public bool DecisionMakerIdentified { get; set; }

    public long? BudgetMinor => (long)Math.Round(BudgetYuan * 100m, MidpointRounding.AwayFromZero);
}
