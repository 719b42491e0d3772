using LeadToCash.Modules.Company;

namespace LeadToCash.Tests.Unit;

/// <summary>Week of Monday 23 November 2026; Friday is 27 November. Working hours 09:00-18:00, Monday to Friday.</summary>
public sealed class WorkingCalendarTests
{
    private static readonly DateOnly Saturday = new(2026, 11, 28);
    private static readonly DateOnly NextMonday = new(2026, 11, 30);

    [Fact]
    public void AddWorkingTime_WithinOneDay_AddsPlainTime()
    {
        var calendar = Calendar();

        var deadline = calendar.AddWorkingTime(Shanghai(2026, 11, 25, 10, 0), TimeSpan.FromHours(3));

        Assert.Equal(Shanghai(2026, 11, 25, 13, 0), deadline);
    }

    [Fact]
    public void AddWorkingTime_EndingExactlyAtClosing_EndsAtClosing()
    {
        var deadline = Calendar().AddWorkingTime(Shanghai(2026, 11, 25, 16, 0), TimeSpan.FromHours(2));

        Assert.Equal(Shanghai(2026, 11, 25, 18, 0), deadline);
    }

    [Fact]
    public void AddWorkingTime_AcrossWeekend_ContinuesOnMonday()
    {
        var deadline = Calendar().AddWorkingTime(Shanghai(2026, 11, 27, 17, 0), TimeSpan.FromHours(2));

        Assert.Equal(Shanghai(2026, 11, 30, 10, 0), deadline);
    }

    [Fact]
    public void AddWorkingTime_AcrossHoliday_SkipsTheHoliday()
    {
        var calendar = Calendar((NextMonday, false));

        var deadline = calendar.AddWorkingTime(Shanghai(2026, 11, 27, 17, 0), TimeSpan.FromHours(2));

        Assert.Equal(Shanghai(2026, 12, 1, 10, 0), deadline);
    }

    [Fact]
    public void AddWorkingTime_MakeUpWorkingDay_CountsTheSaturday()
    {
        var calendar = Calendar((Saturday, true));

        var deadline = calendar.AddWorkingTime(Shanghai(2026, 11, 27, 17, 0), TimeSpan.FromHours(2));

        Assert.Equal(Shanghai(2026, 11, 28, 10, 0), deadline);
    }

    [Fact]
    public void AddWorkingTime_StartingBeforeHours_StartsAtOpening()
    {
        var deadline = Calendar().AddWorkingTime(Shanghai(2026, 11, 25, 7, 0), TimeSpan.FromHours(1));

        Assert.Equal(Shanghai(2026, 11, 25, 10, 0), deadline);
    }

    [Fact]
    public void AddWorkingTime_StartingAfterHours_StartsNextWorkingMorning()
    {
        var deadline = Calendar().AddWorkingTime(Shanghai(2026, 11, 25, 19, 30), TimeSpan.FromHours(1));

        Assert.Equal(Shanghai(2026, 11, 26, 10, 0), deadline);
    }

    [Fact]
    public void AddWorkingTime_MoreThanOneDay_SpansWholeWorkingDays()
    {
        var deadline = Calendar().AddWorkingTime(Shanghai(2026, 11, 25, 9, 0), TimeSpan.FromHours(9 * 3 + 1));

        Assert.Equal(Shanghai(2026, 11, 30, 10, 0), deadline);
    }

    [Fact]
    public void AddWorkingTime_SameMomentInShanghaiAndUtc_CountsInEachCompanysHours()
    {
        var from = new DateTime(2026, 11, 25, 0, 0, 0, DateTimeKind.Utc); // 08:00 in Shanghai

        var shanghai = Calendar().AddWorkingTime(from, TimeSpan.FromHours(2));
        var utc = Calendar("UTC").AddWorkingTime(from, TimeSpan.FromHours(2));

        Assert.Equal(new DateTime(2026, 11, 25, 3, 0, 0, DateTimeKind.Utc), shanghai);
        Assert.Equal(new DateTime(2026, 11, 25, 11, 0, 0, DateTimeKind.Utc), utc);
    }

    [Fact]
    public void AddWorkingTime_UtcCompanyDuringWorkingHours_AddsFromThatMoment()
    {
        var deadline = Calendar("UTC").AddWorkingTime(new DateTime(2026, 11, 25, 10, 30, 0, DateTimeKind.Utc), TimeSpan.FromHours(1));

        Assert.Equal(new DateTime(2026, 11, 25, 11, 30, 0, DateTimeKind.Utc), deadline);
    }

    [Fact]
    public void AddWorkingTime_NegativeTime_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar().AddWorkingTime(Shanghai(2026, 11, 25, 10, 0), TimeSpan.FromHours(-1)));
    }

    [Fact]
    public void WorkingTimeBetween_FridayEveningToMondayMorning_CountsOnlyWorkingHours()
    {
        var between = Calendar().WorkingTimeBetween(Shanghai(2026, 11, 27, 17, 0), Shanghai(2026, 11, 30, 10, 0));

        Assert.Equal(TimeSpan.FromHours(2), between);
    }

    [Fact]
    public void WorkingTimeBetween_AcrossHolidayAndMakeUpDay_SkipsHolidayCountsMakeUpDay()
    {
        var calendar = Calendar((Saturday, true), (NextMonday, false));

        var between = calendar.WorkingTimeBetween(Shanghai(2026, 11, 27, 9, 0), Shanghai(2026, 12, 1, 18, 0));

        Assert.Equal(TimeSpan.FromHours(27), between); // Friday, Saturday, Tuesday
    }

    [Fact]
    public void WorkingTimeBetween_IsInverseOfAddWorkingTime()
    {
        var calendar = Calendar((NextMonday, false));
        var from = Shanghai(2026, 11, 24, 15, 20);

        var deadline = calendar.AddWorkingTime(from, TimeSpan.FromHours(20.5));

        Assert.Equal(TimeSpan.FromHours(20.5), calendar.WorkingTimeBetween(from, deadline));
    }

    [Fact]
    public void WorkingTimeBetween_EndBeforeStart_IsZero()
    {
        Assert.Equal(TimeSpan.Zero, Calendar().WorkingTimeBetween(Shanghai(2026, 11, 25, 12, 0), Shanghai(2026, 11, 25, 10, 0)));
    }

    [Fact]
    public void IsWorkingDay_WeekdayWeekendHolidayAndMakeUpDay_FollowTheCalendar()
    {
        var calendar = Calendar((Saturday, true), (NextMonday, false));

        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 11, 27)));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 11, 29)));
        Assert.True(calendar.IsWorkingDay(Saturday));
        Assert.False(calendar.IsWorkingDay(NextMonday));
    }

    private static WorkingCalendar Calendar(params (DateOnly Date, bool IsWorkingDay)[] exceptions) =>
        Calendar("Asia/Shanghai", exceptions);

    private static WorkingCalendar Calendar(string timeZone, params (DateOnly Date, bool IsWorkingDay)[] exceptions) =>
        new(timeZone, "1111100", new TimeOnly(9, 0), new TimeOnly(18, 0), exceptions);

    /// <summary>A Shanghai wall-clock time (UTC+8, no daylight saving) as UTC.</summary>
    private static DateTime Shanghai(int year, int month, int day, int hour, int minute) =>
        new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Utc).AddHours(-8);
}
