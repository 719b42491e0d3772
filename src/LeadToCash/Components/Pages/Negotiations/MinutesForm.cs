using LeadToCash.Components.Pages.Customers;
using LeadToCash.Modules.Opportunities.Negotiations;
using LeadToCash.Platform.Money;
using LeadToCash.Platform.Time;

namespace LeadToCash.Components.Pages.Negotiations;

/// <summary>
/// The minutes dialog's model: the meeting as a date and time in the company's time zone, amounts in major units (元)
/// of the opportunity's currency, the open items as editable rows, and (for those allowed) the bottom lines.
/// </summary>
public sealed class MinutesForm
{
    public DateTime? MeetingDate { get; set; }

    public TimeSpan? MeetingTime { get; set; }

    public string Attendees { get; set; } = "";

    public decimal? AgreedPrice { get; set; }

    public string? PaymentTerms { get; set; }

    public string? Delivery { get; set; }

    public string? Liability { get; set; }

    public string? OtherTerms { get; set; }

    public string? NextSteps { get; set; }

    public List<OpenItemRow> OpenItems { get; } = [];

    public decimal? PriceFloor { get; set; }

    public string? AcceptablePaymentTerms { get; set; }

    /// <summary>One open item being edited; <see cref="Id"/> is null for a new one.</summary>
    public sealed class OpenItemRow
    {
        public Guid? Id { get; set; }

        public string Text { get; set; } = "";

        public Guid? OwnerUserId { get; set; }

        public string? OwnerName { get; set; }

        public DateTime? DueDate { get; set; }

        public bool IsDone { get; set; }
    }

    public static MinutesForm New(DateTime nowUtc, TimeZoneInfo zone)
    {
        var local = DisplayTime.ToZone(nowUtc, zone);
        return new MinutesForm { MeetingDate = local.Date, MeetingTime = new TimeSpan(local.Hour, 0, 0) };
    }

    public static MinutesForm From(NegotiationMinutesDto minutes, TimeZoneInfo zone)
    {
        var meeting = DisplayTime.ToZone(minutes.MeetingAt, zone);
        var form = new MinutesForm
        {
            MeetingDate = meeting.Date,
            MeetingTime = meeting.TimeOfDay,
            Attendees = minutes.Attendees,
            AgreedPrice = Major(minutes.AgreedPriceMinor, minutes.Currency),
            PaymentTerms = minutes.PaymentTerms,
            Delivery = minutes.Delivery,
            Liability = minutes.Liability,
            OtherTerms = minutes.OtherTerms,
            NextSteps = minutes.NextSteps,
            PriceFloor = Major(minutes.BottomLine?.PriceFloorMinor, minutes.Currency),
            AcceptablePaymentTerms = minutes.BottomLine?.AcceptablePaymentTerms,
        };
        form.OpenItems.AddRange(minutes.OpenItems.Select(i => new OpenItemRow
        {
            Id = i.Id,
            Text = i.Text,
            OwnerUserId = i.OwnerUserId,
            OwnerName = i.OwnerUserId is null ? i.OwnerName : null,
            DueDate = i.DueDate?.ToDateTime(TimeOnly.MinValue),
            IsDone = i.IsDone,
        }));
        return form;
    }

    public NegotiationMinutesRequest ToRequest(TimeZoneInfo zone, string currency, int? version = null) => new(
        NeedsAnalysisForm.ToUtc(MeetingDate, MeetingTime, zone) ?? default,
        Attendees,
        Minor(AgreedPrice, currency),
        Blank(PaymentTerms),
        Blank(Delivery),
        Blank(Liability),
        Blank(OtherTerms),
        Blank(NextSteps),
        OpenItems.Where(i => !string.IsNullOrWhiteSpace(i.Text))
            .Select(i => new MinutesOpenItemRequest(i.Text, i.OwnerUserId, i.OwnerUserId is null ? Blank(i.OwnerName) : null,
                i.DueDate is { } due ? DateOnly.FromDateTime(due) : null, i.IsDone, i.Id))
            .ToList(),
        version);

    public NegotiationBottomLineRequest ToBottomLine(string currency) => new(Minor(PriceFloor, currency), Blank(AcceptablePaymentTerms));

    /// <summary>Whether the bottom lines differ from those the minutes had (null: none yet).</summary>
    public bool BottomLineChanged(NegotiationBottomLineDto? before, string currency) =>
        Minor(PriceFloor, currency) != before?.PriceFloorMinor || Blank(AcceptablePaymentTerms) != before?.AcceptablePaymentTerms;

    /// <summary>The resource key of a field's label, by property name of the request.</summary>
    public static string LabelKey(string property) => property switch
    {
        nameof(NegotiationMinutesRequest.AgreedPriceMinor) => "Minutes.AgreedPrice",
        _ => $"Minutes.{property}",
    };

    public static string CurrencyOf(string currency) => Money.KnownCurrencies.Contains(currency) ? currency : "CNY";

    private static decimal? Major(long? minor, string currency) => minor is { } value ? new Money(value, CurrencyOf(currency)).ToDecimal() : null;

    private static long? Minor(decimal? major, string currency) => major is { } value ? Money.FromDecimal(value, CurrencyOf(currency)).Minor : null;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
