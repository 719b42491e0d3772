using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Products;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>Opportunities and products for the quote tests, written straight to the database (the opportunity commands are not needed).</summary>
public static class QuoteTestData
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// An open opportunity of <paramref name="ownerEmail"/> in the default pipeline's first stage, for a new customer of
    /// theirs, or for <paramref name="customerId"/> (tests that count the demo customers must not add one).
    /// </summary>
    public static async Task<Opportunity> AddOpportunityAsync(AppFactory app, string ownerEmail, string name, string currency = "CNY",
        Guid? customerId = null)
    {
        var customer = customerId is { } known
            ? new { Id = known }
            : new { (await TestCustomers.AddOwnedCustomerAsync(app, ownerEmail, $"{name} 客户")).Id };
        await using var db = await app.SystemDbAsync();
        var owner = await db.Users.SingleAsync(u => u.Email == ownerEmail, Ct);
        var pipeline = await db.Pipelines.SingleAsync(p => p.IsDefault, Ct);
        var stage = await db.PipelineStages.Where(s => s.PipelineId == pipeline.Id).OrderBy(s => s.SortOrder).FirstAsync(Ct);
        var opportunity = new Opportunity
        {
            CustomerId = customer.Id,
            Name = name,
            AmountMinor = 100_000_00,
            Currency = currency,
            PipelineId = pipeline.Id,
            StageId = stage.Id,
            StageEnteredAt = app.Clock.GetUtcNow().UtcDateTime,
            Probability = stage.Probability,
            OwnerId = owner.Id,
        };
        db.Opportunities.Add(opportunity);
        await db.SaveChangesAsync(Ct);
        return opportunity;
    }

    public static async Task<Product> AddProductAsync(AppFactory app, string code, long listPriceMinor, long? floorPriceMinor = null, string name = "")
    {
        await using var db = await app.SystemDbAsync();
        var product = new Product
        {
            Code = code,
            CodeKey = code.ToUpperInvariant(),
            Name = name.Length > 0 ? name : $"产品 {code}",
            Unit = "台",
            ListPriceMinor = listPriceMinor,
            FloorPriceMinor = floorPriceMinor,
        };
        db.Products.Add(product);
        await db.SaveChangesAsync(Ct);
        return product;
    }

    public static async Task<Opportunity> ReloadOpportunityAsync(AppFactory app, Guid id)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Opportunities.AsNoTracking().SingleAsync(o => o.Id == id, Ct);
    }
}
