using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Quotes;

public enum QuoteStatus
{
    Draft = 0,
    PendingApproval = 1,
    Approved = 2,
    Sent = 3,
    Accepted = 4,
    Rejected = 5,

    /// <summary>A later version took its place before it was sent.</summary>
    Superseded = 6,
}

/// <summary>
/// One version of a quote (方案报价) for an opportunity: v1, v2… share the <see cref="Number"/>; every version stays
/// readable. Totals are in minor units, computed by QuoteMath from the lines.
/// </summary>
public sealed class Quote : BusinessRecord
{
    public const string RecordType = "quote";

    public Guid OpportunityId { get; set; }

    /// <summary>Q-2026-0001: the same for every version of one quote.</summary>
    public required string Number { get; set; }
    public int VersionNo { get; set; } = 1;
    public required string Title { get; set; }
    public QuoteStatus Status { get; set; }
    public string Currency { get; set; } = "CNY";
    public decimal TaxRatePercent { get; set; }
    public DateOnly? ValidUntil { get; set; }
    public string? Terms { get; set; }
    public string? Notes { get; set; }

    public long SubtotalMinor { get; set; }
    public long DiscountMinor { get; set; }
    public long TaxMinor { get; set; }
    public long TotalMinor { get; set; }

    /// <summary>The largest line discount, kept for lists and the approval rule.</summary>
    public decimal MaxDiscountPercent { get; set; }

    public Guid? ApprovalId { get; set; }
    public DateTime? SentAt { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? CustomerResponse { get; set; }
}

/// <summary>A line of a quote version: a catalogue product or free text, quantity × unit price less the discount.</summary>
public sealed class QuoteLine
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid QuoteId { get; set; }
    public int SortOrder { get; set; }
    public Guid? ProductId { get; set; }
    public string? ProductCode { get; set; }
    public required string Description { get; set; }
    public string? Unit { get; set; }
    public decimal Quantity { get; set; }
    public long UnitPriceMinor { get; set; }
    public decimal DiscountPercent { get; set; }
    public long LineTotalMinor { get; set; }
}
