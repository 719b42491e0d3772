using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Options;

/// <summary>One entry of a configurable list (source channels, industries, lost reasons, ...).</summary>
public sealed class OptionItem : BusinessRecord
{
    public required string ListKey { get; set; }
    public required string Code { get; set; }
    public required string LabelZh { get; set; }
    public required string LabelEn { get; set; }
    public int SortOrder { get; set; }
    public bool IsActive { get; set; } = true;
}

public static class OptionLists
{
    public const string SourceChannels = "source-channels";
    public const string Industries = "industries";
    public const string CompanySizes = "company-sizes";
    public const string LostReasons = "lost-reasons";
    public const string PaymentMethods = "payment-methods";
    public const string InvoiceKinds = "invoice-kinds";

    public static readonly IReadOnlyList<string> All = [SourceChannels, Industries, CompanySizes, LostReasons, PaymentMethods, InvoiceKinds];
}
