namespace LeadToCash.Modules.Quotes;

/// <summary>A quote's totals in minor units: before discounts, the discounts, the tax on the discounted amount, and the total.</summary>
public readonly record struct QuoteTotals(long SubtotalMinor, long DiscountMinor, long NetMinor, long TaxMinor, long TotalMinor);

/// <summary>One line's figures as the arithmetic needs them.</summary>
public readonly record struct QuoteLineFigures(decimal Quantity, long UnitPriceMinor, decimal DiscountPercent);

/// <summary>
/// The arithmetic of quotes, in <see cref="decimal"/> on integer minor units (分).
/// <para>
/// The rounding rule: every amount is rounded once, to the whole minor unit, half away from zero
/// (<see cref="MidpointRounding.AwayFromZero"/>: 0.5 分 → 1 分, 2.5 → 3, never banker's rounding), at these points only:
/// a line's total = round(quantity × unit price × (1 − discount % / 100)); a line's amount before discount =
/// round(quantity × unit price); the subtotal is the sum of the lines' amounts before discount, the discount is that sum
/// less the sum of the line totals (so subtotal − discount is exactly what the lines add up to); the tax =
/// round(discounted amount × tax rate % / 100); the total = discounted amount + tax.
/// </para>
/// Quantities must be above zero, prices at least zero, discounts and tax rates between 0 and 100 %; amounts beyond
/// what a <see cref="long"/> holds throw <see cref="OverflowException"/>.
/// </summary>
public static class QuoteMath
{
    public static long LineGross(decimal quantity, long unitPriceMinor)
    {
        Check(quantity, unitPriceMinor, 0m);
        return Round(quantity * unitPriceMinor);
    }

    public static long LineTotal(decimal quantity, long unitPriceMinor, decimal discountPercent)
    {
        Check(quantity, unitPriceMinor, discountPercent);
        return Round(quantity * unitPriceMinor * (1m - (discountPercent / 100m)));
    }

    /// <summary>The unit price after the line's discount, unrounded (compared with a product's floor price).</summary>
    public static decimal NetUnitPrice(long unitPriceMinor, decimal discountPercent)
    {
        Check(1m, unitPriceMinor, discountPercent);
        return unitPriceMinor * (1m - (discountPercent / 100m));
    }

    public static long Tax(long netMinor, decimal taxRatePercent)
    {
        if (taxRatePercent is < 0m or > 100m)
        {
            throw new ArgumentOutOfRangeException(nameof(taxRatePercent), taxRatePercent, "The tax rate must be between 0 and 100 %.");
        }

        return Round(netMinor * taxRatePercent / 100m);
    }

    public static QuoteTotals Totals(IEnumerable<QuoteLineFigures> lines, decimal taxRatePercent)
    {
        long subtotal = 0;
        long net = 0;
        foreach (var line in lines)
        {
            subtotal = checked(subtotal + LineGross(line.Quantity, line.UnitPriceMinor));
            net = checked(net + LineTotal(line.Quantity, line.UnitPriceMinor, line.DiscountPercent));
        }

        var tax = Tax(net, taxRatePercent);
        return new QuoteTotals(subtotal, subtotal - net, net, tax, checked(net + tax));
    }

    // decimal → long throws OverflowException beyond the range of long.
    private static long Round(decimal amount) => (long)Math.Round(amount, 0, MidpointRounding.AwayFromZero);

    private static void Check(decimal quantity, long unitPriceMinor, decimal discountPercent)
    {
        if (quantity <= 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, "The quantity must be above zero.");
        }

        if (unitPriceMinor < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(unitPriceMinor), unitPriceMinor, "The unit price cannot be negative.");
        }

        if (discountPercent is < 0m or > 100m)
        {
            throw new ArgumentOutOfRangeException(nameof(discountPercent), discountPercent, "The discount must be between 0 and 100 %.");
        }
    }
}
