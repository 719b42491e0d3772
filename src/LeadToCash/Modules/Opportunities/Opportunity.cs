using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Opportunities;

public enum OpportunityStatus
{
    Open = 0,
    Won = 1,
    Lost = 2,
}

/// <summary>
/// A deal (商机) with a customer moving through a pipeline's stages. Stage, owner and status change only through their
/// commands (move, assign, win, lose), which write the stage history.
/// </summary>
public sealed class Opportunity : BusinessRecord, IScopedRecord
{
    public const string RecordType = "opportunity";

    public Guid CustomerId { get; set; }
    public required string Name { get; set; }

    /// <summary>Expected value in minor units (分) of <see cref="Currency"/>; an accepted quote sets it.</summary>
    public long AmountMinor { get; set; }
    public string Currency { get; set; } = "CNY";
    public DateOnly? ExpectedCloseDate { get; set; }

    public Guid PipelineId { get; set; }
    public Guid StageId { get; set; }
    public DateTime StageEnteredAt { get; set; }

    /// <summary>0–100 %: the stage's unless <see cref="ProbabilityOverridden"/>.</summary>
    public int Probability { get; set; }
    public bool ProbabilityOverridden { get; set; }

    public OpportunityStatus Status { get; set; }
    public DateTime? ClosedAt { get; set; }

    /// <summary>Why a lost deal was lost: a code of the LostReasons option list (required to lose).</summary>
    public string? LostReason { get; set; }
    public string? LostToCompetitor { get; set; }

    /// <summary>The channel the deal came from (carried from the lead or customer).</summary>
    public string? SourceChannel { get; set; }
    public string? Competitors { get; set; }
    public string? NextStep { get; set; }
    public string? Description { get; set; }

    public Guid? OwnerId { get; set; }
    public AppUser? Owner { get; set; }

    /// <summary>Opportunities have no pool: always null.</summary>
    public Guid? PoolTeamId { get; set; }

    public Guid? SourceLeadId { get; set; }

    /// <summary>The main product of the deal (a catalogue product), when there is one; quotes carry the full lines.</summary>
    public Guid? ProductId { get; set; }

    /// <summary>The import row this deal came from (file hash + row) and its job, so re-running an import adds nothing twice.</summary>
    public string? ImportKey { get; set; }
    public Guid? ImportJobId { get; set; }
}

/// <summary>A contact of the customer involved in this deal.</summary>
public sealed class OpportunityContact
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OpportunityId { get; set; }
    public Guid ContactId { get; set; }
}

/// <summary>A ticked checklist item of a stage requirement (kind Checklist) on one opportunity.</summary>
public sealed class ChecklistTick
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OpportunityId { get; set; }
    public Guid RequirementId { get; set; }
    public DateTime TickedAt { get; set; }
    public Guid? TickedBy { get; set; }
}

/// <summary>How an opportunity came into a stage.</summary>
public enum StageEntryKind
{
    /// <summary>Created in the stage.</summary>
    Created = 0,

    /// <summary>Moved forward with every requirement met.</summary>
    Forward = 1,

    /// <summary>Moved forward by a manager over missing requirements (<see cref="StageEntry.OverrideReason"/>).</summary>
    Override = 2,

    /// <summary>Moved back to an earlier stage.</summary>
    Back = 3,

    /// <summary>Closed as won or lost.</summary>
    Closed = 4,

    /// <summary>Reopened after being closed.</summary>
    Reopened = 5,

    /// <summary>Written by an import of historical deals (not checked against the gates).</summary>
    Imported = 6,
}

/// <summary>
/// One stay of an opportunity in a stage: entered (when, by whom, how), exited (when, by whom). Time in stage and
/// conversion between stages are reported from these rows.
/// </summary>
public sealed class StageEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OpportunityId { get; set; }
    public Guid PipelineId { get; set; }
    public Guid StageId { get; set; }
    public Guid? FromStageId { get; set; }
    public StageEntryKind Kind { get; set; }
    public DateTime EnteredAt { get; set; }
    public Guid? EnteredBy { get; set; }
    public DateTime? ExitedAt { get; set; }
    public Guid? ExitedBy { get; set; }

    /// <summary>A manager's reason for moving over missing requirements, and what was missing (one per line).</summary>
    public string? OverrideReason { get; set; }
    public string? MissingRequirements { get; set; }
}
