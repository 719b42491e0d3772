using LeadToCash.Modules.Company;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers;

/// <summary>Where a customer stands against its grade's follow-up cadence.</summary>
public enum CadenceState
{
    /// <summary>No owner, so no cadence (the pool).</summary>
    None = 0,
    Upcoming = 1,
    DueToday = 2,
    Overdue = 3,
}

/// <summary>The customer settings and the working calendar every customer rule reads.</summary>
public sealed record CustomerRulebook(CustomerSettings Settings, WorkingCalendar Calendar)
{
    public static async Task<CustomerRulebook> LoadAsync(AppDbContext db, CancellationToken ct)
    {
        var settings = await db.CustomerSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new CustomerSettings();
        var company = await db.CompanySettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new CompanySettings { Name = "" };
        var holidays = await db.Holidays.AsNoTracking().ToListAsync(ct);
        return new CustomerRulebook(settings, WorkingCalendar.From(company, holidays));
    }
}

/// <summary>
/// The customer rules of our process, pure: the follow-up cadence by grade (counted in working days of the
/// company's calendar), late records, the needs-analysis confirmation window and the pool clocks.
/// </summary>
public static class CustomerRules
{
    /// <summary>
    /// The start (UTC) of the company date on which the next follow-up is due: the grade's cadence in working days
    /// after the last follow-up; with no follow-up yet, the day the owner took the customer. Null in the pool.
    /// </summary>
    public static DateTime? FollowUpDueAt(CustomerGrade grade, Guid? ownerId, DateTime? lastFollowUpAt, DateTime? ownedSince,
        CustomerRulebook rules)
    {
        if (ownerId is null)
        {
            return null;
        }

        if (lastFollowUpAt is { } last && (ownedSince is null || last >= ownedSince))
        {
            var date = rules.Calendar.AddWorkingDays(rules.Calendar.LocalDate(last), rules.Settings.CadenceDays(grade));
            return rules.Calendar.StartOfDay(date);
        }

        return ownedSince is { } since ? rules.Calendar.StartOfDay(rules.Calendar.LocalDate(since)) : null;
    }

    /// <summary>Recomputes <see cref="Customer.FollowUpDueAt"/> after a change of owner, grade or last follow-up.</summary>
    public static void RefreshCadence(Customer customer, CustomerRulebook rules) =>
        customer.FollowUpDueAt = FollowUpDueAt(customer.Grade, customer.OwnerId, customer.LastFollowUpAt, customer.OwnedSince, rules);

    public static CadenceState Cadence(DateTime? dueAt, DateTime now, WorkingCalendar calendar)
    {
        if (dueAt is not { } due)
        {
            return CadenceState.None;
        }

        var today = calendar.StartOfDay(calendar.LocalDate(now));
        return due < today ? CadenceState.Overdue : due == today ? CadenceState.DueToday : CadenceState.Upcoming;
    }

    /// <summary>Whether a follow-up recorded at <paramref name="recordedAt"/> for a contact at <paramref name="occurredAt"/> is late.</summary>
    public static bool IsLateRecord(DateTime occurredAt, DateTime recordedAt, CustomerSettings settings) =>
        recordedAt - occurredAt > TimeSpan.FromMinutes(settings.LateRecordMinutes);

    public static DateTime ConfirmDueAt(DateTime meetingAt, CustomerSettings settings) => meetingAt.AddHours(settings.NeedsConfirmHours);

    public static bool IsConfirmOverdue(DateTime confirmDueAt, DateTime? confirmedAt, DateTime now) => confirmedAt is null && now > confirmDueAt;

    /// <summary>
    /// When an owned customer goes back to the pool: no follow-up for <paramref name="noFollowUpDays"/> days, or no
    /// won deal for <paramref name="noWonDealDays"/> days, both counted from ownership at the earliest.
    /// </summary>
    public static DateTime PoolReturnAt(DateTime ownedSince, DateTime? lastFollowUpAt, DateTime? lastWonAt, int noFollowUpDays,
        int noWonDealDays)
    {
        var followUpClock = Later(ownedSince, lastFollowUpAt).AddDays(noFollowUpDays);
        var wonClock = Later(ownedSince, lastWonAt).AddDays(noWonDealDays);
        return followUpClock < wonClock ? followUpClock : wonClock;
    }

    private static DateTime Later(DateTime a, DateTime? b) => b is { } x && x > a ? x : a;
}
