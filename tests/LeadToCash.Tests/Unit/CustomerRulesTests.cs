using LeadToCash.Modules.Company;
using LeadToCash.Modules.Customers;

namespace LeadToCash.Tests.Unit;

/// <summary>
/// The customer rules on fixed dates, in Shanghai (UTC+8): the week of Monday 23 November 2026, Friday the 27th, Monday
/// 30 November; working days Monday to Friday. Defaults: cadence A 1, B 3, C 7 working days; late after 120 minutes.
/// </summary>
public sealed class CustomerRulesTests
{
    private static readonly Guid Owner = Guid.CreateVersion7();
    private static readonly DateOnly Saturday = new(2026, 11, 28);
    private static readonly DateOnly NextMonday = new(2026, 11, 30);

    [Theory]
    [InlineData(CustomerGrade.A, 2026, 11, 26)] // Wednesday + 1 working day = Thursday
    [InlineData(CustomerGrade.B, 2026, 11, 30)] // Thu, Fri, Mon
    [InlineData(CustomerGrade.C, 2026, 12, 4)] // Thu 26, Fri 27, Mon 30, Tue 1, Wed 2, Thu 3, Fri 4
    public void FollowUpDueAt_ByGrade_CountsWorkingDaysAfterTheLastFollowUp(CustomerGrade grade, int year, int month, int day)
    {
        var due = CustomerRules.FollowUpDueAt(grade, Owner, Shanghai(2026, 11, 25, 15, 0), Shanghai(2026, 11, 1, 9, 0), Rules());

        Assert.Equal(Shanghai(year, month, day, 0, 0), due);
    }

    [Fact]
    public void FollowUpDueAt_GradeAOnFriday_IsDueOnMondayAfterTheWeekend()
    {
        var due = CustomerRules.FollowUpDueAt(CustomerGrade.A, Owner, Shanghai(2026, 11, 27, 17, 30), null, Rules());

        Assert.Equal(Shanghai(2026, 11, 30, 0, 0), due);
    }

    [Fact]
    public void FollowUpDueAt_GradeBOnThursdayOverAWeekend_IsDueOnTuesday()
    {
        var due = CustomerRules.FollowUpDueAt(CustomerGrade.B, Owner, Shanghai(2026, 11, 26, 10, 0), null, Rules());

        Assert.Equal(Shanghai(2026, 12, 1, 0, 0), due); // Fri, Mon, Tue
    }

    [Fact]
    public void FollowUpDueAt_HolidayOnMonday_SkipsTheHoliday()
    {
        var due = CustomerRules.FollowUpDueAt(CustomerGrade.A, Owner, Shanghai(2026, 11, 27, 10, 0), null, Rules((NextMonday, false)));

        Assert.Equal(Shanghai(2026, 12, 1, 0, 0), due);
    }

    [Fact]
    public void FollowUpDueAt_MakeUpWorkingSaturday_CountsTheSaturday()
    {
        var due = CustomerRules.FollowUpDueAt(CustomerGrade.A, Owner, Shanghai(2026, 11, 27, 10, 0), null, Rules((Saturday, true)));

        Assert.Equal(Shanghai(2026, 11, 28, 0, 0), due);
    }

    [Fact]
    public void FollowUpDueAt_GoldenWeekHolidays_DueAfterTheWholeHolidayAndOnTheMakeUpDay()
    {
        // 1-7 October 2026 are holidays; Saturday 10 October is a make-up working day (as in the demo calendar).
        var holidays = Enumerable.Range(1, 7).Select(d => (new DateOnly(2026, 10, d), false)).Append((new DateOnly(2026, 10, 10), true)).ToArray();
        var rules = Rules(holidays);

        var gradeA = CustomerRules.FollowUpDueAt(CustomerGrade.A, Owner, Shanghai(2026, 9, 30, 16, 0), null, rules);
        var gradeC = CustomerRules.FollowUpDueAt(CustomerGrade.C, Owner, Shanghai(2026, 9, 30, 16, 0), null, rules);

        Assert.Equal(Shanghai(2026, 10, 8, 0, 0), gradeA);
        Assert.Equal(Shanghai(2026, 10, 15, 0, 0), gradeC); // Thu 8, Fri 9, Sat 10 (make-up), Mon 12, Tue 13, Wed 14, Thu 15
    }

    [Fact]
    public void FollowUpDueAt_LateEveningInShanghai_CountsFromTheCompanyDateNotTheUtcDate()
    {
        // 00:30 on Thursday in Shanghai is still Wednesday in UTC.
        var afterMidnight = CustomerRules.FollowUpDueAt(CustomerGrade.A, Owner, Shanghai(2026, 11, 26, 0, 30), null, Rules());
        var beforeMidnight = CustomerRules.FollowUpDueAt(CustomerGrade.A, Owner, Shanghai(2026, 11, 25, 23, 30), null, Rules());

        Assert.Equal(Shanghai(2026, 11, 27, 0, 0), afterMidnight);
        Assert.Equal(Shanghai(2026, 11, 26, 0, 0), beforeMidnight);
    }

    [Fact]
    public void FollowUpDueAt_NoFollowUpYet_IsDueOnTheDayOwnershipStarted()
    {
        var due = CustomerRules.FollowUpDueAt(CustomerGrade.C, Owner, null, Shanghai(2026, 11, 25, 14, 0), Rules());

        Assert.Equal(Shanghai(2026, 11, 25, 0, 0), due);
    }

    [Fact]
    public void FollowUpDueAt_LastFollowUpByThePreviousOwner_CountsFromTheNewOwnership()
    {
        var due = CustomerRules.FollowUpDueAt(CustomerGrade.A, Owner, Shanghai(2026, 11, 20, 10, 0), Shanghai(2026, 11, 25, 14, 0), Rules());

        Assert.Equal(Shanghai(2026, 11, 25, 0, 0), due);
    }

    [Fact]
    public void FollowUpDueAt_InThePool_IsNull()
    {
        Assert.Null(CustomerRules.FollowUpDueAt(CustomerGrade.A, null, Shanghai(2026, 11, 25, 10, 0), Shanghai(2026, 11, 1, 10, 0), Rules()));
    }

    [Fact]
    public void FollowUpDueAt_NeitherFollowUpNorOwnershipDate_IsNull()
    {
        Assert.Null(CustomerRules.FollowUpDueAt(CustomerGrade.A, Owner, null, null, Rules()));
    }

    [Fact]
    public void FollowUpDueAt_EditedCadence_UsesTheSettings()
    {
        var rules = Rules() with { Settings = new CustomerSettings { CadenceDaysC = 2 } };

        var due = CustomerRules.FollowUpDueAt(CustomerGrade.C, Owner, Shanghai(2026, 11, 26, 10, 0), null, rules);

        Assert.Equal(Shanghai(2026, 11, 30, 0, 0), due);
    }

    [Fact]
    public void RefreshCadence_AfterAFollowUp_SetsTheDueDate()
    {
        var customer = new Customer { Name = "宁波海通机械", Grade = CustomerGrade.B, OwnerId = Owner, LastFollowUpAt = Shanghai(2026, 11, 25, 10, 0) };

        CustomerRules.RefreshCadence(customer, Rules());

        Assert.Equal(Shanghai(2026, 11, 30, 0, 0), customer.FollowUpDueAt);
    }

    [Theory]
    [InlineData(2026, 11, 25, 23, 59, CadenceState.Upcoming)]
    [InlineData(2026, 11, 26, 0, 0, CadenceState.DueToday)]
    [InlineData(2026, 11, 26, 23, 59, CadenceState.DueToday)]
    [InlineData(2026, 11, 27, 0, 0, CadenceState.Overdue)]
    [InlineData(2026, 12, 3, 9, 0, CadenceState.Overdue)]
    public void Cadence_AroundTheDueDate_MovesFromUpcomingToDueTodayToOverdueAtCompanyMidnight(int y, int mo, int d, int h, int mi, CadenceState expected)
    {
        var due = Shanghai(2026, 11, 26, 0, 0);

        Assert.Equal(expected, CustomerRules.Cadence(due, Shanghai(y, mo, d, h, mi), Calendar()));
    }

    [Fact]
    public void Cadence_NoDueDate_IsNone()
    {
        Assert.Equal(CadenceState.None, CustomerRules.Cadence(null, Shanghai(2026, 11, 26, 9, 0), Calendar()));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(119, false)]
    [InlineData(120, false)]
    [InlineData(121, true)]
    [InlineData(60 * 24, true)]
    public void IsLateRecord_MinutesAfterTheContact_LateOnlyPastTheWindow(int minutes, bool late)
    {
        var occurred = Shanghai(2026, 11, 25, 10, 0);

        Assert.Equal(late, CustomerRules.IsLateRecord(occurred, occurred.AddMinutes(minutes), new CustomerSettings()));
    }

    [Fact]
    public void IsLateRecord_ShorterWindow_UsesTheSettings()
    {
        var occurred = Shanghai(2026, 11, 25, 10, 0);

        Assert.True(CustomerRules.IsLateRecord(occurred, occurred.AddMinutes(31), new CustomerSettings { LateRecordMinutes = 30 }));
    }

    [Fact]
    public void ConfirmDueAt_Meeting_Is24HoursLater()
    {
        Assert.Equal(Shanghai(2026, 11, 26, 15, 0), CustomerRules.ConfirmDueAt(Shanghai(2026, 11, 25, 15, 0), new CustomerSettings()));
    }

    [Fact]
    public void IsConfirmOverdue_UnconfirmedPastTheWindow_IsOverdue()
    {
        var due = Shanghai(2026, 11, 26, 15, 0);

        Assert.False(CustomerRules.IsConfirmOverdue(due, null, due));
        Assert.True(CustomerRules.IsConfirmOverdue(due, null, due.AddMinutes(1)));
        Assert.False(CustomerRules.IsConfirmOverdue(due, due.AddHours(-2), due.AddDays(3)));
    }

    [Fact]
    public void PoolReturnAt_NoFollowUpSinceOwnership_ReturnsAfterTheFollowUpDays()
    {
        var owned = Shanghai(2026, 11, 1, 10, 0);

        Assert.Equal(owned.AddDays(30), CustomerRules.PoolReturnAt(owned, null, null, 30, 90));
    }

    [Fact]
    public void PoolReturnAt_RecentFollowUp_ResetsTheFollowUpClockButNotTheWonDealClock()
    {
        var owned = Shanghai(2026, 8, 1, 10, 0);
        var followUp = Shanghai(2026, 10, 20, 10, 0);

        // The follow-up clock would run to 19 November; the won-deal clock ran out on 30 October.
        Assert.Equal(owned.AddDays(90), CustomerRules.PoolReturnAt(owned, followUp, null, 30, 90));
        Assert.Equal(followUp.AddDays(30), CustomerRules.PoolReturnAt(owned, followUp, Shanghai(2026, 10, 1, 10, 0), 30, 90));
    }

    [Fact]
    public void PoolReturnAt_FollowUpBeforeOwnership_CountsFromOwnership()
    {
        var owned = Shanghai(2026, 11, 1, 10, 0);

        Assert.Equal(owned.AddDays(30), CustomerRules.PoolReturnAt(owned, Shanghai(2026, 10, 1, 10, 0), null, 30, 90));
    }

    private static DateTime Shanghai(int year, int month, int day, int hour, int minute) =>
        DateTime.SpecifyKind(new DateTime(year, month, day, hour, minute, 0).AddHours(-8), DateTimeKind.Utc);

    private static WorkingCalendar Calendar(params (DateOnly Date, bool IsWorkingDay)[] exceptions) =>
        new("Asia/Shanghai", "1111100", new TimeOnly(9, 0), new TimeOnly(18, 0), exceptions);

    private static CustomerRulebook Rules(params (DateOnly Date, bool IsWorkingDay)[] exceptions) =>
        new(new CustomerSettings(), Calendar(exceptions));
}
