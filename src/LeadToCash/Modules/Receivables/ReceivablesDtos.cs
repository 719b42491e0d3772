namespace LeadToCash.Modules.Receivables;

public enum InstalmentState
{
    /// <summary>Due later, nothing received yet.</summary>
    Open = 0,

    /// <summary>Part of it received, the rest not yet due.</summary>
    PartlyPaid = 1,

    /// <summary>Received in full.</summary>
    Paid = 2,

    /// <summary>Its due date has passed and part or all of it is still owed.</summary>
    Overdue = 3,
}

/// <summary>One instalment of the plan with what was received for it (minor units) and, when overdue, by how many days.</summary>
public sealed record InstalmentDto(
    Guid Id,
    int SeqNo,
    string Label,
    DateOnly DueDate,
    long AmountMinor,
    decimal? Percent,
    long ReceivedMinor,
    long OutstandingMinor,
    InstalmentState State,
    int DaysOverdue,
    DateTime? SettledAt,
    string? Notes);

/// <summary>The part of a receipt given to an instalment.</summary>
public sealed record AllocationDto(Guid InstalmentId, int SeqNo, string Label, long AmountMinor);

/// <summary>
/// A receipt (回款记录) with its matching; <see cref="IsOverpayment"/> flags money matched to no instalment (kept as
/// <see cref="UnallocatedMinor"/>).
/// </summary>
public sealed record ReceiptDto(
    Guid Id,
    DateOnly ReceivedOn,
    long AmountMinor,
    string Currency,
    string Method,
    string? Reference,
    string? Notes,
    long UnallocatedMinor,
    bool IsOverpayment,
    IReadOnlyList<AllocationDto> Allocations,
    string? RecordedByName,
    int Version);

/// <summary>An invoice issued against the contract (开票).</summary>
public sealed record InvoiceDto(Guid Id, string Number, DateOnly IssuedOn, long AmountMinor, string? Kind, string? Notes, string? RecordedByName,
    int Version);

/// <summary>
/// A contract's receivables: the plan, the receipts and invoices, and the totals (minor units of the contract's currency):
/// received (matched to instalments), outstanding (the amount less what was received), overdue (owed on instalments whose
/// due date has passed), unallocated (over-payments) and invoiced. The flags say what the caller may do.
/// </summary>
public sealed record ContractReceivablesDto(
    Guid ContractId,
    string Number,
    string Title,
    string Status,
    string Currency,
    long AmountMinor,
    long PlannedMinor,
    long ReceivedMinor,
    long OutstandingMinor,
    long OverdueMinor,
    long UnallocatedMinor,
    long InvoicedMinor,
    DateOnly Today,
    IReadOnlyList<InstalmentDto> Instalments,
    IReadOnlyList<ReceiptDto> Receipts,
    IReadOnlyList<InvoiceDto> Invoices,
    bool PlanOpen,
    bool CanEditPlan,
    bool CanRecordPayments,
    int Version);

/// <summary>
/// One instalment of the plan to write. An existing instalment keeps its id; give an amount in minor units or a percentage
/// of the contract amount (when every instalment is a percentage the last one takes the rounding remainder).
/// </summary>
public sealed record InstalmentRequest(
    string Label,
    DateOnly DueDate,
    long? AmountMinor = null,
    decimal? Percent = null,
    string? Notes = null,
    Guid? Id = null);

/// <summary>The whole plan: it replaces the earlier one; it must add up to the contract amount.</summary>
public sealed record PaymentPlanRequest(IReadOnlyList<InstalmentRequest> Instalments);

/// <summary>A part of the receipt for one instalment, when Finance matches it by hand.</summary>
public sealed record AllocationRequest(Guid InstalmentId, long AmountMinor);

/// <summary>
/// A receipt: the date, the amount in minor units of the contract's currency, the method (option list "payment-methods"),
/// the bank reference. Without allocations it is matched automatically, the oldest due instalment first.
/// </summary>
public sealed record ReceiptRequest(
    DateOnly ReceivedOn,
    long AmountMinor,
    string Method,
    string? Reference = null,
    string? Notes = null,
    IReadOnlyList<AllocationRequest>? Allocations = null,
    string? Currency = null,
    int? Version = null);

/// <summary>An invoice issued: number (unique), date, amount in minor units, kind (option list "invoice-kinds").</summary>
public sealed record InvoiceRequest(string Number, DateOnly IssuedOn, long AmountMinor, string? Kind = null, string? Notes = null);

/// <summary>A customer's receivables over the contracts the caller may see, per currency.</summary>
public sealed record CustomerReceivablesDto(Guid CustomerId, IReadOnlyList<CustomerReceivablesLine> Lines);

public sealed record CustomerReceivablesLine(string Currency, int Contracts, long AmountMinor, long ReceivedMinor, long OutstandingMinor,
    long OverdueMinor, long InvoicedMinor);
