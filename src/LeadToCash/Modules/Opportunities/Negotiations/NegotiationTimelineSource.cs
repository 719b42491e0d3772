using System.Globalization;
using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Localization;
using LeadToCash.Platform.Money;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Modules.Opportunities.Negotiations;

/// <summary>
/// Puts the negotiation minutes of the customer's deals on its timeline (kind "Negotiation"): who attended, and the
/// terms agreed. Only minutes of opportunities the caller can see; bottom lines are never read here.
/// </summary>
internal sealed class NegotiationTimelineSource(IStringLocalizer<SharedResource> strings) : ICustomerTimelineSource
{
    public async Task<TimelineSlice> ReadAsync(AppDbContext db, Guid customerId, TimelineWindow window, CancellationToken ct)
    {
        var query = from m in db.NegotiationMinutes.AsNoTracking()
                    join o in db.Opportunities on m.OpportunityId equals o.Id
                    where o.CustomerId == customerId
                    select new MinutesRow
                    {
                        Id = m.Id,
                        OpportunityId = o.Id,
                        OpportunityName = o.Name,
                        Currency = o.Currency,
                        MeetingAt = m.MeetingAt,
                        Attendees = m.Attendees,
                        AgreedPriceMinor = m.AgreedPriceMinor,
                        PaymentTerms = m.PaymentTerms,
                        Delivery = m.Delivery,
                        Liability = m.Liability,
                        AuthorId = m.CreatedBy,
                        AuthorName = db.Users.Where(u => u.Id == m.CreatedBy).Select(u => u.DisplayName).FirstOrDefault(),
                    };
        var (rows, completeFrom) = await window.NewestAsync(query, m => m.MeetingAt, ct);
        return new TimelineSlice(rows
            .Select(m => new TimelineEntry(DateTime.SpecifyKind(m.MeetingAt, DateTimeKind.Utc), "Negotiation",
                $"{m.OpportunityName}: {m.Attendees}", Terms(m), $"/opportunities/{m.OpportunityId}/negotiations", m.AuthorId, m.AuthorName, m.Id))
            .ToList(), completeFrom);
    }

    private string? Terms(MinutesRow m)
    {
        var parts = new List<string>();
        if (m.AgreedPriceMinor is { } price)
        {
            var money = Money.KnownCurrencies.Contains(m.Currency) ? new Money(price, m.Currency).Format(CultureInfo.CurrentCulture) : price.ToString(CultureInfo.CurrentCulture);
            parts.Add($"{strings["Minutes.AgreedPrice"]}: {money}");
        }

        Add(parts, "Minutes.PaymentTerms", m.PaymentTerms);
        Add(parts, "Minutes.Delivery", m.Delivery);
        Add(parts, "Minutes.Liability", m.Liability);
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private void Add(List<string> parts, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            parts.Add($"{strings[label]}: {value}");
        }
    }

    private sealed class MinutesRow
    {
        public Guid Id { get; init; }
        public Guid OpportunityId { get; init; }
        public required string OpportunityName { get; init; }
        public required string Currency { get; init; }
        public DateTime MeetingAt { get; init; }
        public required string Attendees { get; init; }
        public long? AgreedPriceMinor { get; init; }
        public string? PaymentTerms { get; init; }
        public string? Delivery { get; init; }
        public string? Liability { get; init; }
        public Guid? AuthorId { get; init; }
        public string? AuthorName { get; init; }
    }
}
