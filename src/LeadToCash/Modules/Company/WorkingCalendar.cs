namespace LeadToCash.Modules.Company;

/// <summary>
/// Working time by the company's rules: working days of the week, working hours, public holidays and make-up
/// working days (调休). Every later deadline (first-touch SLA, cadence, digests) counts working time with it.
/// Pure: built from settings and holidays, computing in the company's time zone, answering in UTC.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly TimeZoneInfo _zone;
    private readonly bool[] _workingWeekdays; // index: DayOfWeek (Sunday = 0)
    private readonly TimeOnly _start;
    private readonly TimeOnly _end;
    private readonly Dictionary<DateOnly, bool> _exceptions;

    public WorkingCalendar(string timeZone, string workingDaysMondayFirst, TimeOnly start, TimeOnly end,
        IEnumerable<(DateOnly Date, bool IsWorkingDay)> exceptions)
    {
        _zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        _workingWeekdays = new bool[7];
        for (var i = 0; i < 7; i++)
        {
            _workingWeekdays[(i + 1) % 7] = workingDaysMondayFirst.Length > i && workingDaysMondayFirst[i] == '1';
        }

        if (end <= start)
        {
            throw new ArgumentException("The working day must end after it starts.", nameof(end));
        }

        _start = start;
        _end = end;
        _exceptions = exceptions.GroupBy(e => e.Date).ToDictionary(g => g.Key, g => g.Last().IsWorkingDay);
    }

    public static WorkingCalendar From(CompanySettings settings, IEnumerable<Holiday> holidays) =>
        new(settings.TimeZone, settings.WorkingDays, settings.WorkdayStart, settings.WorkdayEnd,
            holidays.Select(h => (h.Date, h.IsWorkingDay)));

    public bool IsWorkingDay(DateOnly date) =>
        _exceptions.TryGetValue(date, out var working) ? working : _workingWeekdays[(int)date.DayOfWeek];

    /// <summary>The moment <paramref name="workingTime"/> of working time after <paramref name="fromUtc"/>.</summary>
    public DateTime AddWorkingTime(DateTime fromUtc, TimeSpan workingTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workingTime, TimeSpan.Zero);
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc), _zone);
        var remaining = workingTime;
        for (var guard = 0; guard < 3660; guard++)
        {
            var date = DateOnly.FromDateTime(local);
            if (IsWorkingDay(date))
            {
                var dayStart = date.ToDateTime(_start);
                var dayEnd = date.ToDateTime(_end);
                var from = local < dayStart ? dayStart : local;
                if (from < dayEnd)
                {
                    var available = dayEnd - from;
                    if (remaining <= available)
                    {
                        return TimeZoneInfo.ConvertTimeToUtc(from + remaining, _zone);
                    }

                    remaining -= available;
                }
            }

            local = date.AddDays(1).ToDateTime(TimeOnly.MinValue);
        }

        throw new InvalidOperationException("No working time found within ten years; check the working days.");
    }

    /// <summary>The company's calendar date at a moment.</summary>
    public DateOnly LocalDate(DateTime utc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone));

    /// <summary>The moment (UTC) a company calendar date begins.</summary>
    public DateTime StartOfDay(DateOnly date) =>
        TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(TimeOnly.MinValue), _zone);

    /// <summary>The date <paramref name="workingDays"/> working days after <paramref name="date"/> (0 = the date itself).</summary>
    public DateOnly AddWorkingDays(DateOnly date, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        for (var guard = 0; workingDays > 0 && guard < 3660; guard++)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date))
            {
                workingDays--;
            }
        }

        return date;
    }

    /// <summary>Working time between two moments (zero when <paramref name="toUtc"/> is not later).</summary>
    public TimeSpan WorkingTimeBetween(DateTime fromUtc, DateTime toUtc)
    {
        if (toUtc <= fromUtc)
        {
            return TimeSpan.Zero;
        }

        var from = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc), _zone);
        var to = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(toUtc, DateTimeKind.Utc), _zone);
        var total = TimeSpan.Zero;
        for (var date = DateOnly.FromDateTime(from); date <= DateOnly.FromDateTime(to); date = date.AddDays(1))
        {
            if (!IsWorkingDay(date))
            {
                continue;
            }

            var start = Max(date.ToDateTime(_start), from);
            var end = Min(date.ToDateTime(_end), to);
            if (end > start)
            {
                total += end - start;
            }
        }

        return total;
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
