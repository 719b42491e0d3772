using LeadToCash.Modules.Company;
using LeadToCash.Modules.Leads;

namespace LeadToCash.Tests.Unit;

/// <summary>The lead rules: grading, first-touch deadlines in working time, SLA states, escalation, pool return, rep choice.</summary>
public sealed class LeadRulesTests
{
    private static readonly LeadSettings Defaults = new();

    private sealed record Q(string? Industry, long? BudgetMinor, int? PurchaseWithinMonths, bool DecisionMakerIdentified) : ILeadQualification;

    [Theory]
    [InlineData("manufacturing", 100_000_00L, 3, true, 100, LeadGrade.A)]
    [InlineData("software", 100_000_00L, 6, true, 75, LeadGrade.A)]
    [InlineData("retail", 99_999_99L, 3, true, 50, LeadGrade.B)]
    [InlineData("manufacturing", null, null, false, 25, LeadGrade.C)]
    [InlineData(null, null, null, false, 0, LeadGrade.C)]
    public void Score_DefaultRules_PointsPerCriterionAndThresholds(string? industry, long? budget, int? months, bool decisionMaker,
        int score, LeadGrade grade)
    {
        var result = LeadRules.Score(new Q(industry, budget, months, decisionMaker), Defaults);

        Assert.Equal((score, grade), result);
    }

    [Fact]
    public void Score_AdminRaisedTheBThreshold_SameLeadDropsToC()
    {
        var strict = new LeadSettings { GradeBThreshold = 60, TargetIndustries = "retail" };

        Assert.Equal(LeadGrade.C, LeadRules.Score(new Q("manufacturing", 100_000_00, 3, false), strict).Grade);
        Assert.Equal(LeadGrade.A, LeadRules.Score(new Q("retail", 100_000_00, 3, false), strict).Grade);
    }

    [Fact]
    public void FirstTouchDeadline_AGradeAssignedFriday1750_FallsOnMondayMorning()
    {
        var deadline = LeadRules.FirstTouchDeadline(Shanghai(2026, 11, 27, 17, 50), LeadGrade.A, Defaults, Calendar());

        // Ten minutes on Friday, the remaining 1 h 50 min from 09:00 on Monday.
        Assert.Equal(Shanghai(2026, 11, 30, 10, 50), deadline);
    }

    [Fact]
    public void FirstTouchDeadline_BGradeBeforeAHoliday_SkipsTheHolidayAndCountsTheMakeUpDay()
    {
        // Thursday 31 Dec 2026 15:00; 1 Jan a holiday; Saturday 2 Jan a make-up working day (调休).
        var calendar = Calendar((new DateOnly(2027, 1, 1), false), (new DateOnly(2027, 1, 2), true));

        var deadline = LeadRules.FirstTouchDeadline(Shanghai(2026, 12, 31, 15, 0), LeadGrade.B, Defaults, calendar);

        // 3 h on Thursday, 9 h on the make-up Saturday, then 9 h Monday 4 Jan, 3 h on Tuesday.
        Assert.Equal(Shanghai(2027, 1, 5, 12, 0), deadline);
    }

    [Fact]
    public void FirstTouchAllowance_CGrade_GetsBsDeadlineOnceTaken()
    {
        Assert.Equal(TimeSpan.FromHours(24), LeadRules.FirstTouchAllowance(LeadGrade.C, Defaults));
        Assert.Equal(TimeSpan.FromHours(2), LeadRules.FirstTouchAllowance(LeadGrade.A, Defaults));
    }

    [Fact]
    public void ScreeningDeadline_CapturedAtLunchOnSaturday_IsThirtyWorkingMinutesIntoMonday()
    {
        var deadline = LeadRules.ScreeningDeadline(Shanghai(2026, 11, 28, 12, 0), Defaults, Calendar());

        Assert.Equal(Shanghai(2026, 11, 30, 9, 30), deadline);
    }

    [Theory]
    [InlineData(-60, null, SlaState.OnTrack)]
    [InlineData(-30, null, SlaState.DueSoon)]
    [InlineData(-1, null, SlaState.DueSoon)]
    [InlineData(1, null, SlaState.Overdue)]
    [InlineData(10, -5, SlaState.Met)]
    [InlineData(10, 0, SlaState.Met)]
    [InlineData(10, 5, SlaState.Missed)]
    public void Sla_ByMinutesAfterTheDeadline_GivesTheState(int nowMinutes, int? touchedMinutes, SlaState expected)
    {
        var due = new DateTime(2026, 11, 25, 4, 0, 0, DateTimeKind.Utc);

        var state = LeadRules.Sla(due, touchedMinutes is { } t ? due.AddMinutes(t) : null, due.AddMinutes(nowMinutes), Defaults);

        Assert.Equal(expected, state);
    }

    [Fact]
    public void Sla_NoDeadline_IsNone() =>
        Assert.Equal(SlaState.None, LeadRules.Sla(null, null, new DateTime(2026, 11, 25, 1, 0, 0, DateTimeKind.Utc), Defaults));

    [Fact]
    public void EscalationAndPoolReturn_CountCalendarTimeFromAssignmentOrTheLastActivity()
    {
        var assigned = new DateTime(2026, 11, 20, 2, 0, 0, DateTimeKind.Utc);

        Assert.Equal(assigned.AddHours(48), LeadRules.EscalationAt(assigned, Defaults));
        Assert.Equal(assigned.AddDays(7), LeadRules.PoolReturnAt(assigned, null, Defaults));
        Assert.Equal(assigned.AddDays(10), LeadRules.PoolReturnAt(assigned, assigned.AddDays(3), Defaults));
    }

    [Fact]
    public void PickRep_AGrade_GoesToTheSeniorRepWhoWaitedLongest()
    {
        var now = new DateTime(2026, 11, 25, 1, 0, 0, DateTimeKind.Utc);
        var senior1 = Rep(1, monthsAgo: 30, lastAssigned: now.AddHours(-1));
        var senior2 = Rep(2, monthsAgo: 14, lastAssigned: now.AddHours(-5));
        var junior = Rep(3, monthsAgo: 3, lastAssigned: null);

        Assert.Equal(senior2.UserId, LeadDesk.PickRep([senior1, senior2, junior], LeadGrade.A, Defaults, now));
        Assert.Equal(junior.UserId, LeadDesk.PickRep([senior1, senior2, junior], LeadGrade.B, Defaults, now));
    }

    [Fact]
    public void PickRep_LeastOpenLeads_PrefersTheLightestLoadAndFallsBackWhenNoSeniorExists()
    {
        var now = new DateTime(2026, 11, 25, 1, 0, 0, DateTimeKind.Utc);
        var settings = new LeadSettings { Strategy = AssignmentStrategy.LeastOpenLeads };
        var busy = Rep(1, monthsAgo: 2, lastAssigned: now.AddDays(-3), open: 9);
        var light = Rep(2, monthsAgo: 5, lastAssigned: now, open: 1);

        Assert.Equal(light.UserId, LeadDesk.PickRep([busy, light], LeadGrade.A, settings, now));
        Assert.Null(LeadDesk.PickRep([], LeadGrade.B, settings, now));
    }

    private static RosterRep Rep(int n, int monthsAgo, DateTime? lastAssigned, int open = 0) =>
        new(new Guid(n, 0, 0, new byte[8]), DateOnly.FromDateTime(new DateTime(2026, 11, 25)).AddMonths(-monthsAgo), lastAssigned, open);

    private static WorkingCalendar Calendar(params (DateOnly Date, bool IsWorkingDay)[] exceptions) =>
        new("Asia/Shanghai", "1111100", new TimeOnly(9, 0), new TimeOnly(18, 0), exceptions);

    private static DateTime Shanghai(int year, int month, int day, int hour, int minute) =>
        new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Utc).AddHours(-8);
}
