using LeadToCash.Modules.Customers.NeedsAnalyses;
using LeadToCash.Platform.Money;
using LeadToCash.Platform.Time;

namespace LeadToCash.Components.Pages.Customers;

/// <summary>
/// The needs-analysis dialog's model: the meeting as a date and time in the company's time zone, the budget in yuan.
/// Blank texts become null.
/// </summary>
public sealed class NeedsAnalysisForm
{
    public string Title { get; set; } = "";

    public DateTime? MeetingDate { get; set; }

    public TimeSpan? MeetingTime { get; set; }

    public string? Background { get; set; }

    public string? CurrentSituation { get; set; }

    public string? PainPoints { get; set; }

    public string? CustomerWords { get; set; }

    public string? Goals { get; set; }

    /// <summary>In yuan; stored in fen.</summary>
    public decimal? Budget { get; set; }

    public string? Timeline { get; set; }

    public string? NeedPriorities { get; set; }

    public string? DecisionProcess { get; set; }

    public static NeedsAnalysisForm New(DateTime nowUtc, TimeZoneInfo zone)
    {
        var local = DisplayTime.ToZone(nowUtc, zone);
        return new NeedsAnalysisForm { MeetingDate = local.Date, MeetingTime = new TimeSpan(local.Hour, 0, 0) };
    }

    public static NeedsAnalysisForm From(NeedsAnalysisDto analysis, TimeZoneInfo zone)
    {
        var meeting = DisplayTime.ToZone(analysis.MeetingAt, zone);
        return new NeedsAnalysisForm
        {
            Title = analysis.Title,
            MeetingDate = meeting.Date,
            MeetingTime = meeting.TimeOfDay,
            Background = analysis.Background,
            CurrentSituation = analysis.CurrentSituation,
            PainPoints = analysis.PainPoints,
            CustomerWords = analysis.CustomerWords,
            Goals = analysis.Goals,
            Budget = analysis.BudgetMinor is { } minor ? new Money(minor, "CNY").ToDecimal() : null,
            Timeline = analysis.Timeline,
            NeedPriorities = analysis.NeedPriorities,
            DecisionProcess = analysis.DecisionProcess,
        };
    }

    public NeedsAnalysisRequest ToRequest(TimeZoneInfo zone, int? version = null) => new(
        Title,
        ToUtc(MeetingDate, MeetingTime, zone) ?? default,
        Blank(Background),
        Blank(CurrentSituation),
        Blank(PainPoints),
        Blank(CustomerWords),
        Blank(Goals),
        Budget is { } yuan ? Money.FromDecimal(yuan, "CNY").Minor : null,
        Blank(Timeline),
        Blank(NeedPriorities),
        Blank(DecisionProcess),
        version);

    /// <summary>A date and time in the company's zone as UTC; null without a date.</summary>
    public static DateTime? ToUtc(DateTime? date, TimeSpan? time, TimeZoneInfo zone) =>
        date is { } day
            ? TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(day.Date + (time ?? TimeSpan.Zero), DateTimeKind.Unspecified), zone)
            : null;

    /// <summary>The resource key of a field's label, by property name.</summary>
    public static string LabelKey(string property) => property switch
    {
        nameof(NeedsAnalysisRequest.MeetingAt) => "Needs.MeetingAt",
        nameof(NeedsAnalysisRequest.BudgetMinor) => "Needs.Budget",
        _ => $"Needs.{property}",
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
