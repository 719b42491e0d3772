namespace LeadToCash.Modules.Quotes;

/// <summary>Which approval rule a line broke.</summary>
public enum QuoteRule
{
    /// <summary>The line's discount is above the company's threshold (OpportunitySettings.DiscountApprovalPercent).</summary>
    Discount = 0,

    /// <summary>The line's unit price after its discount is below the product's floor price.</summary>
    FloorPrice = 1,
}

/// <summary>One reason a quote needs approval: the line (1-based), the rule, the line's value and the limit it crossed.</summary>
public sealed record QuoteRuleHit(int LineNo, string Description, QuoteRule Rule, decimal Value, decimal Limit);

/// <summary>
/// When a quote needs its owner's manager's approval before it can be sent: any line's discount above the threshold, or
/// any line's net unit price (after the discount) below its product's floor price. No hit: the quote is approved as it is.
/// </summary>
public static class QuoteApprovalRules
{
    /// <param name="lines">The quote's lines.</param>
    /// <param name="floorPrices">Floor prices (minor units) of the lines' products, by product id; products without one are absent.</param>
    /// <param name="discountThresholdPercent">Discounts strictly above this need approval.</param>
    public static IReadOnlyList<QuoteRuleHit> Check(IReadOnlyList<QuoteLine> lines, IReadOnlyDictionary<Guid, long> floorPrices,
        decimal discountThresholdPercent)
    {
        var hits = new List<QuoteRuleHit>();
        foreach (var (line, index) in lines.OrderBy(l => l.SortOrder).Select((l, i) => (l, i)))
        {
            if (line.DiscountPercent > discountThresholdPercent)
            {
                hits.Add(new QuoteRuleHit(index + 1, line.Description, QuoteRule.Discount, line.DiscountPercent, discountThresholdPercent));
            }

            if (line.ProductId is { } product && floorPrices.TryGetValue(product, out var floor))
            {
                var net = QuoteMath.NetUnitPrice(line.UnitPriceMinor, line.DiscountPercent);
                if (net < floor)
                {
                    hits.Add(new QuoteRuleHit(index + 1, line.Description, QuoteRule.FloorPrice, net, floor));
                }
            }
        }

        return hits;
    }
}
