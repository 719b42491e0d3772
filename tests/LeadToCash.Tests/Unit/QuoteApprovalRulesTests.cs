using LeadToCash.Modules.Quotes;

namespace LeadToCash.Tests.Unit;

/// <summary>When a quote needs approval: a discount above the threshold, or a net unit price below the product's floor.</summary>
public sealed class QuoteApprovalRulesTests
{
    private static readonly Guid Product = Guid.CreateVersion7();

    private static QuoteLine Line(int order, decimal discount, long price = 10_000, Guid? product = null) => new()
    {
        SortOrder = order, Description = $"line {order}", Quantity = 1, UnitPriceMinor = price, DiscountPercent = discount, ProductId = product,
    };

    [Fact]
    public void Check_DiscountAtTheThreshold_NeedsNoApproval() =>
        Assert.Empty(QuoteApprovalRules.Check([Line(0, 10m)], new Dictionary<Guid, long>(), 10m));

    [Fact]
    public void Check_DiscountJustAboveTheThreshold_NamesTheLineAndTheRule()
    {
        var hit = Assert.Single(QuoteApprovalRules.Check([Line(0, 5m), Line(1, 10.01m)], new Dictionary<Guid, long>(), 10m));

        Assert.Equal((2, QuoteRule.Discount, 10.01m, 10m), (hit.LineNo, hit.Rule, hit.Value, hit.Limit));
    }

    [Fact]
    public void Check_ThresholdFromSettings_IsTheOneApplied()
    {
        Assert.Single(QuoteApprovalRules.Check([Line(0, 15m)], new Dictionary<Guid, long>(), 10m));
        Assert.Empty(QuoteApprovalRules.Check([Line(0, 15m)], new Dictionary<Guid, long>(), 20m));
    }

    [Fact]
    public void Check_NetUnitPriceBelowTheFloor_FiresEvenWithASmallDiscount()
    {
        var floors = new Dictionary<Guid, long> { [Product] = 9_600 };

        var hit = Assert.Single(QuoteApprovalRules.Check([Line(0, 5m, product: Product)], floors, 10m));

        Assert.Equal((QuoteRule.FloorPrice, 9_500m, 9_600m), (hit.Rule, hit.Value, hit.Limit));
    }

    [Fact]
    public void Check_NetUnitPriceAtTheFloor_NeedsNoApproval()
    {
        var floors = new Dictionary<Guid, long> { [Product] = 9_500 };

        Assert.Empty(QuoteApprovalRules.Check([Line(0, 5m, product: Product)], floors, 10m));
    }

    [Fact]
    public void Check_BothRulesOnOneLine_ReportsBoth()
    {
        var floors = new Dictionary<Guid, long> { [Product] = 9_000 };

        var hits = QuoteApprovalRules.Check([Line(0, 20m, product: Product)], floors, 10m);

        Assert.Equal([QuoteRule.Discount, QuoteRule.FloorPrice], hits.Select(h => h.Rule));
    }
}
