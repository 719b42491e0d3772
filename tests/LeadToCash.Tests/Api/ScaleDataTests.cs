using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Organization;
using LeadToCash.Modules.Quotes;
using LeadToCash.Platform.Cli;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Api;

/// <summary>The benchmark data set goes into an empty database on either provider through the bulk write path.</summary>
[DatabaseTest]
public sealed class ScaleDataTests(EmptyAppFactory app) : IClassFixture<EmptyAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SeedScale_SmallIntoEmptyDatabase_FillsEveryTableConsistentlyAndSignsIn()
    {
        var size = ScaleSize.Find("small")!;
        using var scope = app.Services.CreateScope();
        var seeder = new ScaleData(app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(),
            scope.ServiceProvider.GetRequiredService<RoleManager<AppRole>>(), app.Clock, TextWriter.Null);

        var exit = await seeder.RunAsync(size, Ct);

        Assert.Equal(0, exit);
        await using var db = await app.SystemDbAsync();
        Assert.Equal(size.Customers, await db.Customers.CountAsync(Ct));
        Assert.Equal(size.Customers * size.ContactsPerCustomer, await db.Contacts.CountAsync(Ct));
        Assert.Equal(size.Leads, await db.Leads.CountAsync(Ct));
        Assert.Equal(size.FollowUps, await db.FollowUps.CountAsync(Ct));
        Assert.Equal(size.Opportunities, await db.Opportunities.CountAsync(Ct));
        Assert.Equal(size.Contracts, await db.Contracts.CountAsync(Ct));
        Assert.Equal(3 * size.Contracts, await db.PaymentInstalments.CountAsync(Ct));
        Assert.Equal(await db.ReceiptAllocations.SumAsync(a => a.AmountMinor, Ct), await db.Contracts.SumAsync(c => c.ReceivedMinor, Ct));
        Assert.Equal(size.QuoteLines, await db.QuoteLines.CountAsync(Ct));
        Assert.Equal(size.AuditRows, await db.AuditEntries.CountAsync(Ct));
        await AssertStageHistoryAsync(db, size);
        await AssertQuotesAgreeWithLinesAndStagesAsync(db, size);
        await AssertCreatedRowsAndFieldChangesAsync(db, size);
        using var manager = await app.ClientForAsync("manager1@scale.test", ScaleData.Password);
        var page = await manager.GetJsonAsync<LeadToCash.Platform.Api.ListPage<CustomerDto>>("/api/v1/customers?limit=5");
        Assert.NotEmpty(page.Items);
    }

    private static async Task AssertStageHistoryAsync(AppDbContext db, ScaleSize size)
    {
        // Created in the first stage, then one stay per stage passed; the open stay is the opportunity's current stage.
        Assert.Equal(size.Opportunities, await db.StageEntries.CountAsync(e => e.Kind == StageEntryKind.Created && e.FromStageId == null, Ct));
        Assert.True(await db.StageEntries.CountAsync(Ct) > 2 * size.Opportunities);
        Assert.Equal(size.Opportunities, await db.StageEntries.CountAsync(e => e.ExitedAt == null
            && db.Opportunities.Any(o => o.Id == e.OpportunityId && o.StageId == e.StageId && o.StageEnteredAt == e.EnteredAt), Ct));
        Assert.Equal(0, await db.StageEntries.CountAsync(e => e.ExitedAt != null && e.ExitedAt < e.EnteredAt, Ct));
        Assert.Equal(0, await db.StageEntries.CountAsync(e => e.Kind != StageEntryKind.Created && e.FromStageId == null, Ct));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == nameof(Opportunity) && a.Field == nameof(Opportunity.StageId), Ct));
    }

    private static async Task AssertQuotesAgreeWithLinesAndStagesAsync(AppDbContext db, ScaleSize size)
    {
        var quotes = await db.Quotes.AsNoTracking().ToListAsync(Ct);
        var lines = (await db.QuoteLines.AsNoTracking().ToListAsync(Ct)).ToLookup(l => l.QuoteId);
        Assert.True(quotes.Count > size.Opportunities / 2);
        foreach (var quote in quotes)
        {
            var own = lines[quote.Id].ToList();
            Assert.NotEmpty(own);
            Assert.All(own, l => Assert.Equal(QuoteMath.LineTotal(l.Quantity, l.UnitPriceMinor, l.DiscountPercent), l.LineTotalMinor));
            var totals = QuoteMath.Totals(own.Select(l => new QuoteLineFigures(l.Quantity, l.UnitPriceMinor, l.DiscountPercent)), quote.TaxRatePercent);
            Assert.Equal((totals.SubtotalMinor, totals.DiscountMinor, totals.TaxMinor, totals.TotalMinor),
                (quote.SubtotalMinor, quote.DiscountMinor, quote.TaxMinor, quote.TotalMinor));
            Assert.Equal(quote.SubtotalMinor - quote.DiscountMinor, own.Sum(l => l.LineTotalMinor));
        }

        // The status fits the stage: a won deal has an accepted quote, whose total is the deal's amount.
        Assert.Equal(0, await db.Opportunities.CountAsync(o => o.Status == OpportunityStatus.Won
            && !db.Quotes.Any(q => q.OpportunityId == o.Id && q.Status == QuoteStatus.Accepted), Ct));
        Assert.Equal(0, await db.Quotes.CountAsync(q => q.Status == QuoteStatus.Accepted
            && db.Opportunities.Any(o => o.Id == q.OpportunityId && o.AmountMinor != q.TotalMinor), Ct));
        Assert.Equal(0, await db.Quotes.CountAsync(q => q.Status == QuoteStatus.Accepted
            && db.Opportunities.Any(o => o.Id == q.OpportunityId && o.Status == OpportunityStatus.Open && o.Probability < 80), Ct));
    }

    private async Task AssertCreatedRowsAndFieldChangesAsync(AppDbContext db, ScaleSize size)
    {
        Assert.Equal(size.Customers, await db.AuditEntries.CountAsync(a => a.EntityType == nameof(Customer) && a.Action == AuditAction.Created, Ct));
        Assert.Equal(size.Opportunities, await db.AuditEntries.CountAsync(a => a.EntityType == nameof(Opportunity) && a.Action == AuditAction.Created, Ct));
        var changes = await db.AuditEntries.Where(a => a.Action == AuditAction.Updated).ToListAsync(Ct);
        Assert.True(changes.Count > size.AuditRows / 5);
        Assert.Contains(changes, a => a.EntityType == nameof(Lead) && a.Field == nameof(Lead.Status) && a.OldValue == nameof(LeadStatus.New));
        Assert.Contains(changes, a => a.EntityType == nameof(Customer) && a.Field == nameof(Customer.OwnerId));
        Assert.Contains(changes, a => a.EntityType == nameof(Customer) && a.Field == nameof(Customer.Grade) && a.NewValue == "A");
        Assert.Contains(changes, a => a.EntityType == nameof(Quote) && a.Field == nameof(Quote.Status) && a.NewValue == "Accepted");
        // By a person, never later than the clock.
        Assert.All(changes.Where(a => a.Field != nameof(Customer.PoolTeamId) && a.Field != nameof(Customer.OwnerId)), a => Assert.NotNull(a.ChangedBy));
        Assert.All(changes, a => Assert.True(a.ChangedAt <= app.Clock.GetUtcNow().UtcDateTime, $"{a.EntityType}.{a.Field} at {a.ChangedAt:O}"));
    }
}
