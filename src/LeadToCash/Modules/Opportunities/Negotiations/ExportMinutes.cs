using System.Globalization;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Export;
using LeadToCash.Platform.Money;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Opportunities.Negotiations;

/// <summary>
/// An opportunity's negotiation minutes as .xlsx or .csv, one row per meeting with its open items. The bottom-line
/// columns exist only in the files of those allowed to see bottom lines; everyone else's file has no such columns.
/// </summary>
public sealed class ExportMinutesHandler(IDbContextFactory<AppDbContext> dbFactory, NegotiationMinutesHandler minutes, ExportService export)
{
    private static readonly IReadOnlyList<ExportColumn<NegotiationMinutesDto>> Columns =
    [
        new("Id", m => m.Id),
        new("Opportunity", m => m.OpportunityName),
        new("MeetingAt", m => m.MeetingAt),
        new("Attendees", m => m.Attendees),
        new("Currency", m => m.Currency),
        new("AgreedPrice", m => Amount(m.AgreedPriceMinor, m.Currency)),
        new("PaymentTerms", m => m.PaymentTerms),
        new("Delivery", m => m.Delivery),
        new("Liability", m => m.Liability),
        new("OtherTerms", m => m.OtherTerms),
        new("OpenItems", m => OpenItems(m.OpenItems)),
        new("NextSteps", m => m.NextSteps),
        new("CreatedBy", m => m.CreatedByName),
    ];

    private static readonly IReadOnlyList<ExportColumn<NegotiationMinutesDto>> BottomLineColumns =
    [
        new("PriceFloor", m => Amount(m.BottomLine?.PriceFloorMinor, m.Currency)),
        new("AcceptablePaymentTerms", m => m.BottomLine?.AcceptablePaymentTerms),
    ];

    /// <summary>Checks the opportunity first (404 before any byte is written), then writes the file.</summary>
    public async Task HandleAsync(CurrentUser user, Guid opportunityId, ExportFormat format, Stream output, CancellationToken ct = default)
    {
        user.Require(Permissions.NegotiationsRead);
        bool bottomLines;
        await using (var db = await dbFactory.OpenAsync(user, ct))
        {
            bottomLines = (await DealAccess.LoadAsync(db, user, opportunityId, ct)).BottomLineVisible;
        }

        var rows = await minutes.ListAsync(user, opportunityId, null, ct);
        var columns = bottomLines ? [.. Columns, .. BottomLineColumns] : Columns;
        await export.WriteAsync(output, rows.ToAsyncEnumerable(), columns, format, ct);
    }

    private static decimal? Amount(long? minor, string currency) =>
        minor is { } value ? new Money(value, Money.KnownCurrencies.Contains(currency) ? currency : "CNY").ToDecimal() : null;

    private static string? OpenItems(IReadOnlyList<MinutesOpenItemDto> items) =>
        items.Count == 0
            ? null
            : string.Join("\n", items.Select(i => (i.IsDone ? "[x] " : "[ ] ") + i.Text
                + (i.OwnerName is null ? "" : " — " + i.OwnerName)
                + (i.DueDate is { } due ? " (" + due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ")" : "")));
}
