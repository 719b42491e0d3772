using LeadToCash.Platform.Data;

namespace LeadToCash.Platform.Approvals;

/// <summary>Who decides a step of a flow, relative to the requester or named.</summary>
public enum ApproverKind
{
    /// <summary>The requester's manager (head of their team, or of the nearest team above when they head their own).</summary>
    Manager = 0,

    /// <summary>The manager of the requester's manager.</summary>
    Director = 1,

    /// <summary>A named person (<see cref="ApprovalFlowStep.UserId"/>).</summary>
    User = 2,

    /// <summary>Anyone holding a role (<see cref="ApprovalFlowStep.RoleName"/>, e.g. Finance).</summary>
    Role = 3,
}

public enum ConditionOperator
{
    /// <summary>The field's value is at least the condition's value (≥).</summary>
    AtLeast = 0,

    /// <summary>The field's value is below the condition's value (&lt;).</summary>
    Below = 1,
}

/// <summary>
/// An approval flow an Admin defines for a document type (contract, quote discount, …): ordered steps, and the conditions
/// that choose it. For a request, the active flows of the type are tried by <see cref="Priority"/> (lowest first); the
/// first whose every condition holds is used.
/// </summary>
public sealed class ApprovalFlow : BusinessRecord
{
    public required string DocumentType { get; set; }
    public required string Name { get; set; }
    public int Priority { get; set; }
    public bool IsActive { get; set; } = true;
}

/// <summary>One step of a flow, in order (1, 2, …).</summary>
public sealed class ApprovalFlowStep
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid FlowId { get; set; }
    public int StepNo { get; set; }
    public ApproverKind Kind { get; set; }
    public Guid? UserId { get; set; }
    public string? RoleName { get; set; }
}

/// <summary>
/// A condition on a field of the document (e.g. "amount" ≥ 100000, in major units of the document's currency;
/// "discount" ≥ 20 percent). The document type says which fields it offers.
/// </summary>
public sealed class ApprovalFlowCondition
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid FlowId { get; set; }
    public required string Field { get; set; }
    public ConditionOperator Operator { get; set; }
    public decimal Value { get; set; }
}

/// <summary>While away, an approver lets a colleague decide in their place (from/to, both UTC); every decision names both.</summary>
public sealed class ApprovalDelegation : BusinessRecord
{
    public Guid FromUserId { get; set; }
    public Guid ToUserId { get; set; }
    public DateTime StartsAt { get; set; }
    public DateTime EndsAt { get; set; }
    public string? Reason { get; set; }
    public DateTime? RevokedAt { get; set; }
}
