using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Receivables;

/// <summary>
/// One instalment of a signed contract's payment plan (回款计划): due date and amount; the instalments of a contract add up
/// to its amount. Reached through its visible contract (not scoped itself).
/// </summary>
public sealed class PaymentInstalment : BusinessRecord
{
    public const string RecordType = "instalment";

    public Guid ContractId { get; set; }

    /// <summary>1, 2, 3… in due order.</summary>
    public int SeqNo { get; set; }

    /// <summary>What the instalment is for, e.g. "预付款 Advance", "到货款 On delivery", "质保金 Retention".</summary>
    public required string Label { get; set; }
    public DateOnly DueDate { get; set; }
    public long AmountMinor { get; set; }

    /// <summary>The share of the contract amount when the plan was made from percentages (e.g. 30/60/10), for display.</summary>
    public decimal? Percent { get; set; }

    /// <summary>Sum of the receipt allocations to this instalment, minor units (kept by the receipt commands).</summary>
    public long ReceivedMinor { get; set; }

    /// <summary>When the received amount first reached the instalment's amount.</summary>
    public DateTime? SettledAt { get; set; }

    /// <summary>The company date of the last overdue reminder sent for it.</summary>
    public DateOnly? LastRemindedOn { get; set; }
    public string? Notes { get; set; }
}

/// <summary>Money received from the customer (回款记录), recorded by Finance against a contract and matched to its instalments.</summary>
public sealed class PaymentReceipt : BusinessRecord
{
    public const string RecordType = "receipt";

    public Guid ContractId { get; set; }
    public DateOnly ReceivedOn { get; set; }
    public long AmountMinor { get; set; }
    public string Currency { get; set; } = "CNY";

    /// <summary>Code from the option list "payment-methods" (bank transfer, acceptance bill, cash, …).</summary>
    public required string Method { get; set; }
    public string? Reference { get; set; }
    public string? Notes { get; set; }

    /// <summary>The part of the amount not matched to any instalment (an over-payment when the plan is fully paid).</summary>
    public long UnallocatedMinor { get; set; }
}

/// <summary>The part of a receipt that pays an instalment: one receipt may pay several, one instalment be paid by several.</summary>
public sealed class ReceiptAllocation
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ReceiptId { get; set; }
    public Guid InstalmentId { get; set; }
    public long AmountMinor { get; set; }
}

/// <summary>An invoice issued to the customer (开票) against a contract.</summary>
public sealed class Invoice : BusinessRecord
{
    public const string RecordType = "invoice";

    public Guid ContractId { get; set; }
    public required string Number { get; set; }
    public DateOnly IssuedOn { get; set; }
    public long AmountMinor { get; set; }

    /// <summary>Code from the option list "invoice-kinds" (VAT special 专票, VAT general 普票, …).</summary>
    public string? Kind { get; set; }
    public string? Notes { get; set; }
}
