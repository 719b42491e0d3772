using System.Text.RegularExpressions;
using LeadToCash.Components.Shared;
using LeadToCash.Modules.FollowUps;
using LeadToCash.Modules.FollowUps.LogFollowUp;
using LeadToCash.Platform.Localization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LeadToCash.Components.Pages.FollowUps;

/// <summary>
/// The log dialog's model: dates and times as the user picks them, in the company's time zone; the request in UTC.
/// Blank texts become null.
/// </summary>
public sealed class LogFollowUpForm
{
    public FollowUpMethod Method { get; set; } = FollowUpMethod.Phone;

    public DateTime? OccurredDate { get; set; }

    public TimeSpan? OccurredTime { get; set; }

    public string KeyPoints { get; set; } = "";

    public string? CustomerFeedback { get; set; }

    public string? NextStep { get; set; }

    public DateTime? NextDate { get; set; }

    public TimeSpan? NextTime { get; set; }

    public IReadOnlyCollection<Guid> ContactIds { get; set; } = [];

    public IReadOnlyCollection<Guid> ColleagueIds { get; set; } = [];

    /// <summary>A new form dated now (to the minute), in the company's time zone.</summary>
    public static LogFollowUpForm StartingAt(DateTime localNow) => new()
    {
        OccurredDate = localNow.Date,
        OccurredTime = new TimeSpan(localNow.Hour, localNow.Minute, 0),
    };

    public DateTime? OccurredAtUtc(TimeZoneInfo zone) => ToUtc(OccurredDate, OccurredTime ?? TimeSpan.Zero, zone);

    /// <summary>The next follow-up; a date without a time means the start of the working day (09:00).</summary>
    public DateTime? NextAtUtc(TimeZoneInfo zone) => ToUtc(NextDate, NextTime ?? new TimeSpan(9, 0, 0), zone);

    public LogFollowUpRequest ToRequest(TimeZoneInfo zone) => new(
        Method,
        KeyPoints,
        OccurredAtUtc(zone),
        Blank(CustomerFeedback),
        Blank(NextStep),
        NextAtUtc(zone),
        [.. ContactIds],
        [.. ColleagueIds]);

    /// <summary>The resource key of a field's label, by request property name (for validation messages).</summary>
    public static string LabelKey(string property) => property switch
    {
        nameof(LogFollowUpRequest.OccurredAt) => "FollowUps.OccurredDate",
        nameof(LogFollowUpRequest.NextFollowUpAt) => "FollowUps.NextDate",
        nameof(LogFollowUpRequest.ContactIds) => "FollowUps.Contacts",
        nameof(LogFollowUpRequest.ColleagueIds) => "FollowUps.Colleagues",
        _ => $"FollowUps.{property}",
    };

    private static DateTime? ToUtc(DateTime? date, TimeSpan time, TimeZoneInfo zone) =>
        date is { } day
            ? TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(day.Date + time, DateTimeKind.Unspecified), zone)
            : null;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>The follow-up pages' shared pieces: method icons and labels, and the handlers' refusals in the user's language.</summary>
public static partial class FollowUpDisplay
{
    public static string Icon(FollowUpMethod method) => method switch
    {
        FollowUpMethod.Phone => Icons.Material.Filled.Phone,
        FollowUpMethod.Visit => Icons.Material.Filled.DirectionsWalk,
        FollowUpMethod.WeChat => Icons.Material.Filled.Chat,
        FollowUpMethod.Email => Icons.Material.Filled.Email,
        FollowUpMethod.Meeting => Icons.Material.Filled.Groups,
        _ => Icons.Material.Filled.ScreenShare,
    };

    public static readonly MudBlazor.DialogOptions DialogOptions = new()
    {
        MaxWidth = MaxWidth.Medium,
        FullWidth = true,
        CloseButton = true,
        BackdropClick = false,
    };

    private static readonly (Regex Pattern, string Key)[] Messages =
    [
        (Future(), "FollowUps.Error.Future"),
        (NextAfter(), "FollowUps.Error.NextAfter"),
        (Contacts(), "FollowUps.Error.Contacts"),
        (Colleagues(), "FollowUps.Error.Colleagues"),
        (EditWindow(), "FollowUps.Error.EditWindow"),
        (FileType(), "FollowUps.Error.FileType"),
        (FileContent(), "FollowUps.Error.FileContent"),
    ];

    /// <summary>A follow-up handler's message in the user's language when it is one of ours, else as the shared list has it.</summary>
    public static string Localize(IStringLocalizer<SharedResource> strings, string message)
    {
        foreach (var (pattern, key) in Messages)
        {
            var match = pattern.Match(message);
            if (match.Success)
            {
                var localized = strings[key, match.Groups.Values.Skip(1).Select(g => (object)g.Value).ToArray()];
                return localized.ResourceNotFound ? message : localized.Value;
            }
        }

        return KnownErrors.Localize(strings, message);
    }

    [GeneratedRegex(@"^A follow-up cannot be dated in the future\.$")]
    private static partial Regex Future();

    [GeneratedRegex(@"^The next follow-up must be after this one\.$")]
    private static partial Regex NextAfter();

    [GeneratedRegex(@"^Participants must be contacts of this customer\.$")]
    private static partial Regex Contacts();

    [GeneratedRegex(@"^Colleagues must be active users\.$")]
    private static partial Regex Colleagues();

    [GeneratedRegex(@"^A follow-up can be corrected only within 24 hours")]
    private static partial Regex EditWindow();

    [GeneratedRegex(@"^Files of type '([^']*)' are not accepted")]
    private static partial Regex FileType();

    [GeneratedRegex(@"^The content of '(.*)' is not a (\.\w+) file\.$")]
    private static partial Regex FileContent();
}
