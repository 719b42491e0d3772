namespace LeadToCash.Modules.Receivables;

/// <summary>The option lists receivables use (their defaults are in Modules/Options/DefaultOptions).</summary>
public static class ReceivablesOptions
{
    public const string PaymentMethods = Options.OptionLists.PaymentMethods;
    public const string InvoiceKinds = Options.OptionLists.InvoiceKinds;
}
