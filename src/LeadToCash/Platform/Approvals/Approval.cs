using LeadToCash.Platform.Data;

namespace LeadToCash.Platform.Approvals;

public enum ApprovalStatus
{
    Pending = 0,
    Approved = 1,
    Rejected = 2,
    Cancelled = 3,
}

/// <summary>
/// A request for approval of a record (a quote's discount; later a contract): its steps are decided in order, each by
/// its approver; the request is approved when the last step is, rejected when any step is.
/// </summary>
public sealed class ApprovalRequest : BusinessRecord
{
    public required string RecordType { get; set; }
    public Guid RecordId { get; set; }

    /// <summary>What is asked for and why, as plain text (e.g. "Line 1 (GTX): discount 15 % is above 10 %").</summary>
    public required string Reason { get; set; }

    /// <summary>The same reason as UI strings with arguments (JSON of <see cref="ApprovalReasonPart"/>), shown in each reader's language.</summary>
    public string? ReasonParts { get; set; }
    public Guid RequestedBy { get; set; }
    public DateTime RequestedAt { get; set; }
    public ApprovalStatus Status { get; set; }
    public int CurrentStep { get; set; }
    public DateTime? DecidedAt { get; set; }

    /// <summary>1 for the first submission of the record, 2 for the resubmission after a withdrawal or rejection, …</summary>
    public int Round { get; set; } = 1;

    /// <summary>The flow that chose the steps (null: steps given by the caller).</summary>
    public Guid? FlowId { get; set; }
}

/// <summary>One step of an approval: who decides, and what they decided.</summary>
public sealed class ApprovalStep
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RequestId { get; set; }
    public int StepNo { get; set; }

    /// <summary>What the step is (e.g. "manager", "finance"), for the approver's inbox and later chains.</summary>
    public string Role { get; set; } = "manager";
    public Guid ApproverId { get; set; }

    /// <summary>A role step: anyone holding this role decides (then <see cref="ApproverId"/> is empty).</summary>
    public string? ApproverRole { get; set; }
    public ApprovalStatus Status { get; set; }
    public string? Comment { get; set; }
    public DateTime? DecidedAt { get; set; }

    /// <summary>Who decided: the approver, a holder of the role, or the approver's delegate.</summary>
    public Guid? DecidedBy { get; set; }
}
