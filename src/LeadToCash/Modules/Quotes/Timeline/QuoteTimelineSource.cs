using System.Globalization;
using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Money;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Quotes.Timeline;

/// <summary>
/// The customer's quotes on its timeline: each version created (with its total), sent, accepted or rejected. Only quotes of
/// opportunities the caller can see; a customer has few, so they are read whole and filtered to the window.
/// </summary>
internal sealed class QuoteTimelineSource : ICustomerTimelineSource
{
    public async Task<TimelineSlice> ReadAsync(AppDbContext db, Guid customerId, TimelineWindow window, CancellationToken ct)
    {
        // From the customer's opportunities to their quotes (both by index): a filter on every quote for an opportunity of
        // the customer made SQLite read all quotes.
        var quotes = await (from o in db.Opportunities.AsNoTracking()
                            where o.CustomerId == customerId
                            join q in db.Quotes.AsNoTracking() on o.Id equals q.OpportunityId
                            select new { q.Id, q.Number, q.VersionNo, q.Title, q.Currency, q.TotalMinor, q.CreatedAt, q.CreatedBy, q.SentAt, q.DecidedAt,
                                q.Status, q.CustomerResponse })
            .ToListAsync(ct);
        if (quotes.Count == 0)
        {
            return TimelineSlice.Empty;
        }

        var people = quotes.Select(q => q.CreatedBy).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var entries = new List<TimelineEntry>();
        foreach (var quote in quotes)
        {
            var summary = $"{quote.Number} v{quote.VersionNo} · {quote.Title}";
            var total = new Money(quote.TotalMinor, quote.Currency).Format(CultureInfo.CurrentCulture);
            var link = $"/quotes/{quote.Id}";
            var author = quote.CreatedBy is { } by ? names.GetValueOrDefault(by) : null;
            entries.Add(new TimelineEntry(Utc(quote.CreatedAt), "QuoteCreated", summary, total, link, quote.CreatedBy, author, quote.Id));
            if (quote.SentAt is { } sent)
            {
                entries.Add(new TimelineEntry(Utc(sent), "QuoteSent", summary, total, link, RecordId: quote.Id));
            }

            if (quote.DecidedAt is { } decided && quote.Status is QuoteStatus.Accepted or QuoteStatus.Rejected)
            {
                entries.Add(new TimelineEntry(Utc(decided), quote.Status == QuoteStatus.Accepted ? "QuoteAccepted" : "QuoteRejected", summary,
                    quote.CustomerResponse ?? total, link, RecordId: quote.Id));
            }
        }

        return new TimelineSlice([.. entries.Where(e => window.Contains(e.At))]);
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
