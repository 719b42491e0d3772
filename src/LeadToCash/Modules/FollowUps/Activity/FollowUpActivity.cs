using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.FollowUps.Activity;

/// <summary>How many follow-ups one person made on one company date.</summary>
public sealed record FollowUpActivityRow(Guid UserId, string? UserName, DateOnly Date, int Count);

public sealed record FollowUpActivityDto(DateOnly From, DateOnly To, IReadOnlyList<FollowUpActivityRow> Rows);

/// <summary>
/// Daily activity: follow-ups per author per company date (by when the contact happened), counting only records of
/// customers the caller can see — a manager sees their people's work, a rep their own and what is shared with them.
/// </summary>
public sealed class FollowUpActivityHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxDays = 92;

    public async Task<FollowUpActivityDto> HandleAsync(CurrentUser user, DateOnly? from, DateOnly? to, Guid? userId, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var calendar = (await CustomerRulebook.LoadAsync(db, ct)).Calendar;
        var last = to ?? calendar.LocalDate(clock.GetUtcNow().UtcDateTime);
        var first = from ?? last.AddDays(-6);
        if (first > last)
        {
            throw new ValidationException([new ValidationFailure("from", "'from' must not be after 'to'.")]);
        }

        if (last.DayNumber - first.DayNumber >= MaxDays)
        {
            throw new ValidationException([new ValidationFailure("to", $"Ask for at most {MaxDays} days at a time.")]);
        }

        var start = calendar.StartOfDay(first);
        var end = calendar.StartOfDay(last.AddDays(1));
        var query = FollowUpReader.Visible(db).AsNoTracking().Where(f => f.OccurredAt >= start && f.OccurredAt < end);
        if (userId is { } author)
        {
            query = query.Where(f => f.AuthorId == author);
        }

        // Company dates are not UTC dates: rows are grouped here, after reading two columns per record.
        var records = await query.Select(f => new { f.AuthorId, f.OccurredAt }).ToListAsync(ct);
        var authors = records.Select(r => r.AuthorId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => authors.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var rows = records
            .GroupBy(r => (r.AuthorId, Date: calendar.LocalDate(r.OccurredAt)))
            .Select(g => new FollowUpActivityRow(g.Key.AuthorId, names.GetValueOrDefault(g.Key.AuthorId), g.Key.Date, g.Count()))
            .OrderBy(r => r.Date).ThenBy(r => r.UserName, StringComparer.Ordinal).ThenBy(r => r.UserId)
            .ToList();
        return new FollowUpActivityDto(first, last, rows);
    }
}

public static class FollowUpActivityEndpoint
{
    public static void MapFollowUpActivity(this RouteGroupBuilder followUps) =>
        followUps.MapGet("/activity", async (DateOnly? from, DateOnly? to, Guid? userId, CurrentUser user, FollowUpActivityHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(user, from, to, userId, ct)))
            .RequireAuthorization(Permissions.CustomersRead)
            .WithName("FollowUpActivity")
            .WithSummary("Follow-ups per person per company date (?from=&to= as yyyy-MM-dd, default the last 7 days, at most 92; ?userId=), " +
                "over the customers the caller can see.");
}
