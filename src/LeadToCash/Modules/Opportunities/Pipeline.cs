using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Opportunities;

/// <summary>A sales pipeline (one per product line if wanted): its stages in order, edited by an Admin.</summary>
public sealed class Pipeline : BusinessRecord
{
    public required string Name { get; set; }
    public string? NameEn { get; set; }
    public string? ProductLine { get; set; }

    /// <summary>New opportunities go here unless another pipeline is chosen; exactly one pipeline is the default.</summary>
    public bool IsDefault { get; set; }
    public bool IsActive { get; set; } = true;
    public int SortOrder { get; set; }
}

/// <summary>Open stages move forward through the gates; a deal ends in a Won or a Lost stage.</summary>
public enum StageKind
{
    Open = 0,
    Won = 1,
    Lost = 2,
}

/// <summary>A stage of a pipeline: its place, its default probability and whether it closes the deal.</summary>
public sealed class PipelineStage : BusinessRecord
{
    public Guid PipelineId { get; set; }
    public required string Name { get; set; }
    public string? NameEn { get; set; }
    public int SortOrder { get; set; }

    /// <summary>The probability (0–100 %) an opportunity takes on entering the stage, unless its owner overrode it.</summary>
    public int Probability { get; set; }
    public StageKind Kind { get; set; }
    public bool IsActive { get; set; } = true;
}

public enum RequirementKind
{
    /// <summary>A record that must exist (see <see cref="Deliverables"/>), checked by the system.</summary>
    Deliverable = 0,

    /// <summary>A field of the opportunity that must be filled (see <see cref="GateFields"/>).</summary>
    Field = 1,

    /// <summary>A plain item the owner ticks.</summary>
    Checklist = 2,
}

/// <summary>
/// One item of a stage's checklist (SOP): what must be true before an opportunity may leave the stage forward.
/// </summary>
public sealed class StageRequirement : BusinessRecord
{
    public Guid StageId { get; set; }
    public RequirementKind Kind { get; set; }

    /// <summary>The deliverable code (Kind Deliverable) or field name (Kind Field); null for checklist items.</summary>
    public string? Code { get; set; }

    /// <summary>What the checklist shows (Chinese, and English when given); defaults to the code's label.</summary>
    public string? Text { get; set; }
    public string? TextEn { get; set; }
    public int SortOrder { get; set; }
}

/// <summary>The deliverables (输出物) a gate can ask for; the system checks each from the records.</summary>
public static class Deliverables
{
    /// <summary>A needs analysis of the opportunity (or its customer) confirmed by the customer.</summary>
    public const string NeedsAnalysisConfirmed = "needs-analysis-confirmed";

    /// <summary>A quote of the opportunity approved (or sent or accepted).</summary>
    public const string QuoteApproved = "quote-approved";

    /// <summary>A quote of the opportunity accepted by the customer.</summary>
    public const string QuoteAccepted = "quote-accepted";

    /// <summary>Negotiation minutes of the opportunity with agreed terms.</summary>
    public const string NegotiationAgreed = "negotiation-agreed";

    /// <summary>A decision maker among the opportunity's contacts.</summary>
    public const string DecisionMakerKnown = "decision-maker-known";

    public static readonly IReadOnlyList<string> All = [NeedsAnalysisConfirmed, QuoteApproved, QuoteAccepted, NegotiationAgreed, DecisionMakerKnown];
}

/// <summary>The opportunity fields a gate can require.</summary>
public static class GateFields
{
    public const string Amount = "amount";
    public const string ExpectedCloseDate = "expectedCloseDate";
    public const string Contacts = "contacts";
    public const string Competitors = "competitors";
    public const string NextStep = "nextStep";

    public static readonly IReadOnlyList<string> All = [Amount, ExpectedCloseDate, Contacts, Competitors, NextStep];
}
