using LeadToCash.Modules.Quotes;

namespace LeadToCash.Components.Pages.Quotes;

/// <summary>A line in the quote editor: prices in major units (元) as typed; the total is computed as the API will.</summary>
internal sealed class QuoteLineEdit
{
    public Guid? ProductId { get; set; }
    public string? ProductCode { get; set; }
    public string Description { get; set; } = "";
    public string? Unit { get; set; }
    public decimal Quantity { get; set; } = 1;
    public decimal UnitPrice { get; set; }
    public decimal DiscountPercent { get; set; }

    public static QuoteLineEdit From(QuoteLineDto line, string currency) => new()
    {
        ProductId = line.ProductId,
        ProductCode = line.ProductCode,
        Description = line.Description,
        Unit = line.Unit,
        Quantity = line.Quantity,
        UnitPrice = QuoteMoney.Major(line.UnitPriceMinor, currency),
        DiscountPercent = line.DiscountPercent,
    };

    public QuoteLineRequest ToRequest(string currency) =>
        new(ProductId, Description, Quantity, QuoteMoney.Minor(UnitPrice, currency), DiscountPercent, Unit);

    public QuoteLineFigures Figures(string currency) => new(Quantity, QuoteMoney.Minor(UnitPrice, currency), DiscountPercent);

    /// <summary>The line's total, or null while a value is out of range (the form shows the field error).</summary>
    public long? Total(string currency)
    {
        try
        {
            return QuoteMath.LineTotal(Quantity, QuoteMoney.Minor(UnitPrice, currency), DiscountPercent);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            return null;
        }
    }
}
