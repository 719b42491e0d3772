using System.Text.RegularExpressions;

namespace LeadToCash.Components.Shared;

// The receivables commands' refusals (Modules/Receivables), matched by KnownErrors.Messages.
public static partial class KnownErrors
{
    [GeneratedRegex(@"^The percentages add up to ([\d.]+)%, not 100%\.$")]
    private static partial Regex PlanPercentages();

    [GeneratedRegex(@"^The instalments add up to (\d+) minor units; the contract amount is (\d+) \((?:over|short) by (\d+)\)\.$")]
    private static partial Regex PlanTotal();

    [GeneratedRegex(@"^Instalment (\d+) \((.+)\) has received money; it cannot be removed from the plan\.$")]
    private static partial Regex PlanPaidRemoved();

    [GeneratedRegex(@"^Instalment (\d+) \((.+)\) has received money; its amount and due date cannot change\.$")]
    private static partial Regex PlanPaidChanged();

    [GeneratedRegex(@"^Only a signed contract gets a payment plan; this one is (\w+)\.$")]
    private static partial Regex PlanNotSigned();

    [GeneratedRegex(@"^(?:Receipts|Invoices) are recorded for signed contracts; this one is (\w+)\.$")]
    private static partial Regex ReceiptsNotSigned();

    [GeneratedRegex(@"^The allocation is more than the instalment still lacks \((\d+) minor units\)\.$")]
    private static partial Regex AllocationTooMuch();

    [GeneratedRegex(@"^The allocations add up to more than the receipt \((\d+) > (\d+) minor units\)\.$")]
    private static partial Regex AllocationsOverReceipt();

    [GeneratedRegex(@"^An invoice numbered (.+) is already recorded\.$")]
    private static partial Regex InvoiceNumberTaken();

    [GeneratedRegex(@"^The invoices would add up to (\d+) minor units, more than the contract amount (\d+)\.$")]
    private static partial Regex InvoicesOverAmount();
}
