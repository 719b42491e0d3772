using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Customers;

/// <summary>How soon a customer is expected to buy: A within 30 days, B in 1–3 months, C long-term nurture.</summary>
public enum CustomerGrade
{
    A = 0,
    B = 1,
    C = 2,
}

/// <summary>Where a customer is in its life with us.</summary>
public enum LifecycleStage
{
    Prospect = 0,
    InOpportunity = 1,
    Customer = 2,
    RepeatCustomer = 3,
    Dormant = 4,
    Lost = 5,
}

/// <summary>A company we sell to: its facts, grade, stage, owner (or team pool) and the follow-up clocks.</summary>
public sealed class Customer : BusinessRecord, IScopedRecord
{
    public const string RecordType = "customer";

    public required string Name { get; set; }
    public string? Industry { get; set; }
    public string? Size { get; set; }
    public string? Region { get; set; }
    public string? Phone { get; set; }
    public string? Website { get; set; }
    public string? Address { get; set; }
    public string? SourceChannel { get; set; }
    public string? Notes { get; set; }
    public CustomerGrade Grade { get; set; } = CustomerGrade.C;
    public LifecycleStage Stage { get; set; } = LifecycleStage.Prospect;

    /// <summary>The group or head office this customer belongs to.</summary>
    public Guid? ParentId { get; set; }

    public Guid? OwnerId { get; set; }
    public AppUser? Owner { get; set; }
    public Guid? PoolTeamId { get; set; }

    /// <summary>When the current owner took the customer (claim, assignment, hand-over); starts the pool clocks.</summary>
    public DateTime? OwnedSince { get; set; }

    /// <summary>When the customer last went back to the pool (by rule or by release).</summary>
    public DateTime? ReturnedToPoolAt { get; set; }

    // The follow-up rhythm: the last contact, the next one the owner planned, and when the grade's cadence
    // next asks for one (last contact, or ownership start, plus the cadence days). Kept by the follow-up commands.
    public DateTime? LastFollowUpAt { get; set; }
    public DateTime? NextFollowUpAt { get; set; }
    public DateTime? FollowUpDueAt { get; set; }

    /// <summary>
    /// The last contact, or 1900-01-01 for a customer never contacted: computed by the database, so the list's
    /// "last contact" order has an index (never contacted sorts as longest without contact on both databases).
    /// </summary>
    public DateTime LastFollowUpSortKey { get; private set; }

    /// <summary>The last won deal (set by later features); the no-won-deal pool rule counts from it or ownership.</summary>
    public DateTime? LastWonAt { get; set; }

    // Normalised name and phone the duplicate check compares (kept current by the customer commands).
    public string? NameKey { get; set; }
    public string? PhoneKey { get; set; }

    // Pinyin readings of the name, computed on write, so "hwkj" finds 华为科技 (see Platform/Search).
    public string? Pinyin { get; set; }
    public string? PinyinInitials { get; set; }

    /// <summary>The import row this customer came from (file hash + row), so re-running an import adds nothing twice.</summary>
    public string? ImportKey { get; set; }

    /// <summary>The import job that created it: a restarted job counts its own earlier rows as created, not as duplicates.</summary>
    public Guid? ImportJobId { get; set; }
}

/// <summary>A tag on a customer: free (typed by a user) or system (derived, e.g. 制造业-中小企业-预算50万).</summary>
public sealed class CustomerTag
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CustomerId { get; set; }
    public required string Name { get; set; }
    public bool IsSystem { get; set; }
}
