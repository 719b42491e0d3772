namespace LeadToCash.Components.Pages.Settings;

/// <summary>
/// The company's working days as stored: seven characters from Monday to Sunday, '1' for a working day
/// (e.g. "1111100" for Monday to Friday).
/// </summary>
public static class WorkingDaysMask
{
    public const string Default = "1111100";

    public static readonly IReadOnlyList<DayOfWeek> MondayFirst =
    [
        DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday,
        DayOfWeek.Saturday, DayOfWeek.Sunday,
    ];

    /// <summary>One flag per day from Monday; a short or malformed mask reads as non-working for the missing days.</summary>
    public static bool[] Parse(string? mask) =>
        [.. Enumerable.Range(0, 7).Select(i => mask is not null && i < mask.Length && mask[i] == '1')];

    public static string Format(IReadOnlyList<bool> mondayFirst)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(mondayFirst.Count, 7, nameof(mondayFirst));
        return string.Concat(mondayFirst.Select(working => working ? '1' : '0'));
    }

    public static bool IsWorking(string? mask, DayOfWeek day) => Parse(mask)[IndexOf(day)];

    /// <summary>The mask with one day set to working or not.</summary>
    public static string With(string? mask, DayOfWeek day, bool working)
    {
        var days = Parse(mask);
        days[IndexOf(day)] = working;
        return Format(days);
    }

    private static int IndexOf(DayOfWeek day) => ((int)day + 6) % 7;
}
