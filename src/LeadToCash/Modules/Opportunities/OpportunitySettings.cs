using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Opportunities;

/// <summary>The company's quote rules, edited by an Admin (one row; absent means these defaults).</summary>
public sealed class OpportunitySettings : BusinessRecord
{
    /// <summary>A line discount above this percentage needs the owner's manager's approval before the quote is sent.</summary>
    public decimal DiscountApprovalPercent { get; set; } = 10m;

    /// <summary>Chinese VAT on most goods; each quote may change it.</summary>
    public decimal DefaultTaxRatePercent { get; set; } = 13m;
    public string DefaultCurrency { get; set; } = "CNY";
    public int QuoteValidDays { get; set; } = 30;
    public string? DefaultQuoteTerms { get; set; }
}
