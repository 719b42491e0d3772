using LeadToCash.Modules.Quotes;

namespace LeadToCash.Tests.Unit;

/// <summary>The quote arithmetic: decimal on minor units, rounded half away from zero once per amount.</summary>
public sealed class QuoteMathTests
{
    [Fact]
    public void LineTotal_ThreeAt33Point33With12Point5PercentOff_RoundsTheExactAmountOnce()
    {
        // 3 × 33.33 = 99.99; × 0.875 = 87.49125 → 87.49
        Assert.Equal(8749, QuoteMath.LineTotal(3m, 3333, 12.5m));
        Assert.Equal(9999, QuoteMath.LineGross(3m, 3333));
    }

    [Theory]
    [InlineData(0.5, 1, 0, 1)] // half a fen rounds up, away from zero
    [InlineData(2.5, 1, 0, 3)] // not banker's rounding (which gives 2)
    [InlineData(1.5, 1, 0, 2)]
    [InlineData(0.1, 3, 0, 0)]
    [InlineData(1, 99, 50, 50)] // 49.5 → 50
    [InlineData(1, 101, 50, 51)] // 50.5 → 51
    [InlineData(7, 14286, 0, 100002)]
    public void LineTotal_Midpoints_RoundHalfAwayFromZero(decimal quantity, long price, decimal discount, long expected) =>
        Assert.Equal(expected, QuoteMath.LineTotal(quantity, price, discount));

    [Fact]
    public void Totals_TenthsAndFifths_AddUpExactlyUnlikeBinaryFloatingPoint()
    {
        // 0.1 + 0.2 in double is 0.30000000000000004; quantities of 0.1 and 0.2 of one yuan are exactly 30 fen here.
        Assert.NotEqual(0.3, 0.1 + 0.2);
        var totals = QuoteMath.Totals([new(0.1m, 100, 0m), new(0.2m, 100, 0m)], 0m);

        Assert.Equal(new QuoteTotals(30, 0, 30, 0, 30), totals);
    }

    [Fact]
    public void Totals_DiscountedLinesWithTax_TaxIsOnTheDiscountedAmount()
    {
        // 3 × 33.33 at 12.5 % off = 87.49; 2 × 100.00 at 10 % = 180.00; net 267.49; 13 % tax = 34.7737 → 34.77.
        var totals = QuoteMath.Totals([new(3m, 3333, 12.5m), new(2m, 10000, 10m)], 13m);

        Assert.Equal(new QuoteTotals(SubtotalMinor: 29999, DiscountMinor: 3250, NetMinor: 26749, TaxMinor: 3477, TotalMinor: 30226), totals);
        Assert.Equal(totals.SubtotalMinor - totals.DiscountMinor, totals.NetMinor);
    }

    [Fact]
    public void Totals_HundredPercentDiscount_LineIsFreeAndTheDiscountIsItsFullPrice()
    {
        var totals = QuoteMath.Totals([new(4m, 12_345, 100m)], 13m);

        Assert.Equal(new QuoteTotals(49_380, 49_380, 0, 0, 0), totals);
    }

    [Fact]
    public void Totals_LargeAmounts_StayExact()
    {
        // 1,000,000 units at ¥9,999,999.99 = 999,999,999,000,000 fen (about ¥10 trillion), 6 % tax.
        var totals = QuoteMath.Totals([new(1_000_000m, 999_999_999, 0m)], 6m);

        Assert.Equal(999_999_999_000_000, totals.SubtotalMinor);
        Assert.Equal(59_999_999_940_000, totals.TaxMinor);
        Assert.Equal(1_059_999_998_940_000, totals.TotalMinor);
    }

    [Fact]
    public void Totals_BeyondWhatALongHolds_Throws() =>
        Assert.Throws<OverflowException>(() => QuoteMath.Totals([new(1_000_000_000m, 10_000_000_000_000, 0m)], 0m));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void LineTotal_ZeroOrNegativeQuantity_IsRefused(decimal quantity) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => QuoteMath.LineTotal(quantity, 100, 0m));

    [Theory]
    [InlineData(-0.01)]
    [InlineData(100.01)]
    public void LineTotal_DiscountOutside0To100_IsRefused(decimal discount) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => QuoteMath.LineTotal(1m, 100, discount));

    [Fact]
    public void LineTotal_NegativePrice_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => QuoteMath.LineTotal(1m, -1, 0m));

    [Fact]
    public void Tax_HalfAFen_RoundsAwayFromZero()
    {
        Assert.Equal(1, QuoteMath.Tax(10, 5m)); // 0.5 → 1
        Assert.Equal(13, QuoteMath.Tax(100, 12.5m)); // 12.5 → 13
        Assert.Throws<ArgumentOutOfRangeException>(() => QuoteMath.Tax(100, 101m));
    }

    [Fact]
    public void NetUnitPrice_IsUnrounded()
    {
        Assert.Equal(49_999.5m, QuoteMath.NetUnitPrice(99_999, 50m));
    }
}
