using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Contracts;

#pragma warning disable CA1720 // "Signed" is the contract's status, not a type name.
public enum ContractStatus
{
    Draft = 0,
    InApproval = 1,
    Approved = 2,
    Rejected = 3,
    Signed = 4,
    Executing = 5,
    Completed = 6,
    Terminated = 7,
}
#pragma warning restore CA1720

/// <summary>
/// A contract (合同) with a customer: made from an opportunity (and usually its accepted quote, whose lines and amount it
/// carries) or on its own. It belongs to its owner like a customer does (scoped); its lines, signers, milestones and
/// payment plan are reached through it. Status changes only through its command handlers; it cannot change while in approval.
/// </summary>
public sealed class Contract : BusinessRecord, IScopedRecord
{
    public const string RecordType = "contract";

    /// <summary>HT-2026-0001: from the company's pattern (ContractSettings.NumberPattern), unique.</summary>
    public required string Number { get; set; }
    public required string Title { get; set; }
    public Guid CustomerId { get; set; }
    public Guid? OpportunityId { get; set; }
    public Guid? QuoteId { get; set; }

    public long AmountMinor { get; set; }
    public string Currency { get; set; } = "CNY";

    public DateOnly? SigningDate { get; set; }
    public DateOnly? StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public string? PaymentTerms { get; set; }
    public string? KeyClauses { get; set; }
    public string? Notes { get; set; }

    public Guid? OwnerId { get; set; }

    /// <summary>Always null: contracts are never in a pool.</summary>
    public Guid? PoolTeamId { get; set; }

    public ContractStatus Status { get; set; }

    /// <summary>The current (or last) approval request; earlier rounds stay in ApprovalRequests for the record.</summary>
    public Guid? ApprovalId { get; set; }

    /// <summary>When the signing was recorded and by whom (the signed scan is an attachment of the contract).</summary>
    public DateTime? SignedAt { get; set; }
    public Guid? SignedBy { get; set; }

    /// <summary>When the signed scan was attached: the contract is archived (our process: within 3 days of winning).</summary>
    public DateTime? ArchivedAt { get; set; }

    public DateTime? CompletedAt { get; set; }
    public DateTime? TerminatedAt { get; set; }
    public string? TerminationReason { get; set; }

    /// <summary>Sum of the receipts matched to the contract's instalments (kept by the receivables commands), minor units.</summary>
    public long ReceivedMinor { get; set; }

    /// <summary>Sum of the invoices recorded against the contract, minor units.</summary>
    public long InvoicedMinor { get; set; }
}

/// <summary>A contact of the customer who signs the contract.</summary>
public sealed class ContractSigner
{
    public Guid ContractId { get; set; }
    public Guid ContactId { get; set; }
}

/// <summary>A line of a contract, carried from the accepted quote or entered: quantity × unit price less the discount.</summary>
public sealed class ContractLine
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ContractId { get; set; }
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

/// <summary>A delivery milestone of a contract (shipped, installed, accepted by the customer…), planned and actual dates.</summary>
public sealed class ContractMilestone : BusinessRecord
{
    public Guid ContractId { get; set; }
    public int SortOrder { get; set; }
    public required string Name { get; set; }
    public DateOnly? PlannedDate { get; set; }
    public DateOnly? ActualDate { get; set; }
    public string? Notes { get; set; }
}

/// <summary>The company's contract rules, edited by an Admin (one row; absent means these defaults).</summary>
public sealed class ContractSettings : BusinessRecord
{
    /// <summary>{yyyy} the year, {seq:N} the running number with N digits (counted per rendered prefix), e.g. HT-{yyyy}-{seq:4}.</summary>
    public string NumberPattern { get; set; } = "HT-{yyyy}-{seq:4}";

    /// <summary>A won opportunity without a signed, archived contract after this many days reminds its owner.</summary>
    public int ArchiveWithinDays { get; set; } = 3;

    /// <summary>After signing: a satisfaction follow-up task this many days later…</summary>
    public int SatisfactionVisitDays { get; set; } = 3;

    /// <summary>…and a repeat-need follow-up this many days later.</summary>
    public int RepeatNeedDays { get; set; } = 30;

    /// <summary>An overdue instalment reminds its owner and their manager on the due date, then every this many days.</summary>
    public int OverdueReminderDays { get; set; } = 7;
}
