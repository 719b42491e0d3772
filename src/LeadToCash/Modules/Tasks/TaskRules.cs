using LeadToCash.Modules.Company;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Leads;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Tasks;

/// <summary>The company's calendar days (its time zone), for "today", "overdue by N days" and the calendar grid.</summary>
public sealed class CompanyDay(TimeZoneInfo zone)
{
    public TimeZoneInfo Zone { get; } = zone;

    public DateOnly DateOf(DateTime utc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone));

    /// <summary>The moment (UTC) a company date begins.</summary>
    public DateTime StartOf(DateOnly date) => TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(TimeOnly.MinValue), Zone);

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    public static async Task<CompanyDay> LoadAsync(AppDbContext db, CancellationToken ct)
    {
        var id = await db.CompanySettings.AsNoTracking().Select(c => c.TimeZone).FirstOrDefaultAsync(ct)
            ?? new CompanySettings { Name = "" }.TimeZone;
        return new CompanyDay(TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc);
    }
}

/// <summary>The task rules as pure functions, and the shared status filters in SQL.</summary>
public static class TaskRules
{
    public static readonly IReadOnlyList<string> RelatedTypes = [Customer.RecordType, Lead.RecordType];

    /// <summary>Open or returned: still to be done by the assignee.</summary>
    public static bool IsOpen(WorkTaskStatus status) => status is WorkTaskStatus.Open or WorkTaskStatus.Returned;

    public static IQueryable<WorkTask> Open(this IQueryable<WorkTask> tasks) =>
        tasks.Where(t => t.Status == WorkTaskStatus.Open || t.Status == WorkTaskStatus.Returned);

    /// <summary>
    /// Today's tasks: open tasks due before tomorrow begins, so an overdue task rolls over into every following day
    /// until it is done (computed from the clock; no job moves anything).
    /// </summary>
    public static IQueryable<WorkTask> DueByEndOf(this IQueryable<WorkTask> tasks, DateOnly date, CompanyDay day)
    {
        var end = day.StartOf(date.AddDays(1));
        return tasks.Open().Where(t => t.DueAt < end);
    }

    public static int DaysOverdue(DateTime dueAt, DateTime now, CompanyDay day) =>
        dueAt >= now ? 0 : Math.Max(0, day.DateOf(now).DayNumber - day.DateOf(dueAt).DayNumber);

    public static string? RelatedLink(string? relatedType, Guid? relatedId) => relatedId is not { } id ? null : relatedType switch
    {
        Customer.RecordType => $"/customers/{id}",
        Lead.RecordType => $"/leads/{id}",
        _ => null,
    };

    public static string TaskLink(Guid id) => $"/tasks?id={id}";
}
