using LeadToCash.Modules.Opportunities.Settings;

namespace LeadToCash.Components.Pages.Settings;

/// <summary>The quote rules page's model (the settings as the page edits them).</summary>
public sealed class OpportunitySettingsForm
{
    public decimal DiscountApprovalPercent { get; set; }
    public decimal DefaultTaxRatePercent { get; set; }
    public string DefaultCurrency { get; set; } = "CNY";
    public int QuoteValidDays { get; set; }
    public string? DefaultQuoteTerms { get; set; }

    public static OpportunitySettingsForm From(OpportunitySettingsDto s) => new()
    {
        DiscountApprovalPercent = s.DiscountApprovalPercent,
        DefaultTaxRatePercent = s.DefaultTaxRatePercent,
        DefaultCurrency = s.DefaultCurrency,
        QuoteValidDays = s.QuoteValidDays,
        DefaultQuoteTerms = s.DefaultQuoteTerms,
    };

    public OpportunitySettingsDto ToDto(int version) => new(DiscountApprovalPercent, DefaultTaxRatePercent, DefaultCurrency, QuoteValidDays,
        string.IsNullOrWhiteSpace(DefaultQuoteTerms) ? null : DefaultQuoteTerms, version);

    /// <summary>The resource key of a field's label, by property name (for labels and validation messages).</summary>
    public static string LabelKey(string property) => $"OppSettings.{property}";
}
