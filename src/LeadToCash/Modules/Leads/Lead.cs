using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Leads;

public enum LeadGrade
{
    A = 0,
    B = 1,
    C = 2,
}

/// <summary>Where a lead stands in the process; stored, and changed only by the lead commands.</summary>
public enum LeadStatus
{
    /// <summary>Captured, waiting for screening (初筛).</summary>
    New = 0,

    /// <summary>Screened and unowned: in the team's public pool (公海), C leads in nurture.</summary>
    Pool = 1,

    /// <summary>Owned by a rep who has not yet logged a contact attempt.</summary>
    Assigned = 2,

    /// <summary>Owned and contacted at least once.</summary>
    Contacted = 3,
    Converted = 4,
    Disqualified = 5,

    /// <summary>Merged into another lead (<see cref="Lead.MergedIntoId"/>).</summary>
    Merged = 6,
}

/// <summary>
/// A potential customer from any channel. Unowned leads sit in the pool of their team (<see cref="PoolTeamId"/>),
/// which is how the "Scope" filter shows them to the team; owned leads follow their owner's team.
/// </summary>
public sealed class Lead : BusinessRecord, IScopedRecord
{
    public const string RecordType = "lead";

    public required string SourceChannel { get; set; }
    public DateTime CapturedAt { get; set; }
    public string? CompanyName { get; set; }
    public string? ContactName { get; set; }
    public string? Title { get; set; }
    public string? Mobile { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? WeChat { get; set; }
    public string? Industry { get; set; }
    public string? CompanySize { get; set; }
    public string? Region { get; set; }
    public long? BudgetMinor { get; set; }

    /// <summary>The customer expects to buy within this many months.</summary>
    public int? PurchaseWithinMonths { get; set; }
    public bool DecisionMakerIdentified { get; set; }
    public string? Need { get; set; }
    public string? Notes { get; set; }

    /// <summary>Free tags, comma-separated.</summary>
    public string? Tags { get; set; }

    // Normalised keys the duplicate check compares (see Duplicates/DuplicateKeys).
    public string? PhoneKey { get; set; }
    public string? EmailKey { get; set; }
    public string? CompanyKey { get; set; }

    // Pinyin readings of the company and contact names, computed on write (see Platform/Search).
    public string? Pinyin { get; set; }
    public string? PinyinInitials { get; set; }

    public LeadStatus Status { get; set; }

    /// <summary>The team the lead belongs to: its pool, and the reps the assignment rules choose from.</summary>
    public Guid TeamId { get; set; }
    public Guid? OwnerId { get; set; }
    public AppUser? Owner { get; set; }
    public Guid? PoolTeamId { get; set; }

    // Duplicate check: the first match found on capture.
    public Guid? DuplicateOfLeadId { get; set; }
    public Guid? DuplicateOfCustomerId { get; set; }
    public string? DuplicateField { get; set; }

    // Screening (初筛).
    public int Score { get; set; }
    public LeadGrade SuggestedGrade { get; set; }
    public LeadGrade? Grade { get; set; }
    public DateTime ScreeningDueAt { get; set; }
    public DateTime? ScreenedAt { get; set; }
    public Guid? ScreenedBy { get; set; }
    public string? GradeReason { get; set; }

    // Assignment and the first-touch SLA.
    public DateTime? AssignedAt { get; set; }
    public Guid? AssignedBy { get; set; }
    public DateTime? FirstTouchDueAt { get; set; }
    public DateTime? FirstTouchAt { get; set; }

    /// <summary>
    /// <see cref="SlaState.Met"/> or <see cref="SlaState.Missed"/> once the first touch is logged against a deadline,
    /// else null. The database computes it from the two times, so the lists can filter on it from an index.
    /// </summary>
    public SlaState? FirstTouchSla { get; private set; }

    /// <summary>Working minutes from assignment to the first contact attempt, for the timeliness report.</summary>
    public int? ResponseMinutes { get; set; }
    public DateTime? LastActivityAt { get; set; }
    public DateTime? ReminderSentAt { get; set; }
    public DateTime? EscalatedAt { get; set; }
    public DateTime? ScreeningAlertSentAt { get; set; }

    // Outcome.
    public string? DisqualifyReason { get; set; }
    public Guid? ConvertedCustomerId { get; set; }
    public DateTime? ConvertedAt { get; set; }
    public Guid? MergedIntoId { get; set; }

    // Provenance.
    public Guid? WebFormId { get; set; }
    public Guid? ImportJobId { get; set; }

    /// <summary>File hash and row number of an imported row: re-running an import skips rows already created.</summary>
    public string? ImportKey { get; set; }

    /// <summary>No way to reach the contact yet: incomplete, not invalid.</summary>
    public bool IsIncomplete => Mobile is null && Phone is null && Email is null && WeChat is null;
}

public enum LeadActivityKind
{
    Call = 0,
    Visit = 1,
    WeChat = 2,
    Email = 3,
    Other = 4,
}

public enum LeadActivityOutcome
{
    Reached = 0,
    NoAnswer = 1,
    Busy = 2,
    WrongNumber = 3,
    CallbackRequested = 4,
    NotInterested = 5,
    Sent = 6,
}

/// <summary>A contact attempt on a lead. The first one stops the first-touch clock.</summary>
public sealed class LeadActivity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid LeadId { get; set; }
    public LeadActivityKind Kind { get; set; }
    public LeadActivityOutcome Outcome { get; set; }
    public string? Notes { get; set; }
    public DateTime OccurredAt { get; set; }
    public Guid UserId { get; set; }
    public DateTime CreatedAt { get; set; }
}
