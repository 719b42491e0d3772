using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Opportunities;

/// <summary>Minutes of one negotiation meeting (谈判纪要): who came, the terms agreed, open items, next steps.</summary>
public sealed class NegotiationMinutes : BusinessRecord
{
    public const string RecordType = "negotiation";

    public Guid OpportunityId { get; set; }
    public DateTime MeetingAt { get; set; }

    /// <summary>Who attended, as written (ours and theirs).</summary>
    public required string Attendees { get; set; }

    // The terms agreed so far; "agreed terms" for the gate means at least the price or the payment terms.
    public long? AgreedPriceMinor { get; set; }
    public string? PaymentTerms { get; set; }
    public string? Delivery { get; set; }
    public string? Liability { get; set; }
    public string? OtherTerms { get; set; }
    public string? NextSteps { get; set; }
}

/// <summary>An open item of a negotiation, with the person who owns it.</summary>
public sealed class MinutesOpenItem
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MinutesId { get; set; }
    public required string Text { get; set; }
    public string? OwnerName { get; set; }
    public Guid? OwnerUserId { get; set; }
    public DateOnly? DueDate { get; set; }
    public bool IsDone { get; set; }
}

/// <summary>
/// Our bottom lines for a negotiation (底线): seen only by the opportunity's owner and their managers. Kept apart from
/// the minutes and never written to the change history, so no list, export, search or timeline can carry them.
/// </summary>
public sealed class NegotiationBottomLine
{
    public Guid MinutesId { get; set; }
    public long? PriceFloorMinor { get; set; }
    public string? AcceptablePaymentTerms { get; set; }
    public DateTime UpdatedAt { get; set; }
    public Guid? UpdatedBy { get; set; }
}

public enum PlaybookKind
{
    /// <summary>话术: what to say at this stage.</summary>
    TalkTrack = 0,

    /// <summary>An objection and the answer to it.</summary>
    Objection = 1,

    /// <summary>A success case to tell.</summary>
    SuccessCase = 2,
}

/// <summary>An entry of a stage's playbook, edited by managers, shown beside the opportunity.</summary>
public sealed class PlaybookEntry : BusinessRecord
{
    public Guid StageId { get; set; }
    public PlaybookKind Kind { get; set; }

    /// <summary>The talk track's title, the objection ("价格太高"), or the case's customer.</summary>
    public required string Title { get; set; }

    /// <summary>The talk track, the answer to the objection, or the story of the case.</summary>
    public required string Body { get; set; }
    public string? Tags { get; set; }
    public int SortOrder { get; set; }
}
