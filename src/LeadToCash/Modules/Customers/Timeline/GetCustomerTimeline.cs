using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers.Timeline;

/// <summary>
/// One page of a customer's timeline, newest first. <see cref="NextBefore"/> is the <c>before</c> of the next (older)
/// page, null at the end; events at the same moment never straddle two pages.
/// </summary>
public sealed record CustomerTimelinePage(IReadOnlyList<TimelineEntry> Items, DateTime? NextBefore);

/// <summary>
/// The customer's 360° timeline: everything every registered <see cref="ICustomerTimelineSource"/> knows about it
/// (follow-ups, lead origin, changes, and whatever later features add), merged newest first.
/// </summary>
public sealed class GetCustomerTimelineHandler(IDbContextFactory<AppDbContext> dbFactory, IEnumerable<ICustomerTimelineSource> sources)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public async Task<CustomerTimelinePage> HandleAsync(CurrentUser user, Guid customerId, DateTime? before = null, int? limit = null,
        CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersRead);
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
        {
            throw new ValidationException([new ValidationFailure("limit", $"limit must be between 1 and {MaxLimit}.")]);
        }

        var until = before switch
        {
            null => (DateTime?)null,
            { Kind: DateTimeKind.Local } local => local.ToUniversalTime(),
            { } other => DateTime.SpecifyKind(other, DateTimeKind.Utc),
        };
        await using var db = await dbFactory.OpenAsync(user, ct);
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, ct))
        {
            throw new NotFoundException("The customer");
        }

        var window = new TimelineWindow(until, take);
        var entries = new List<TimelineEntry>();
        DateTime? horizon = null;
        // One after the other: they share the caller's context.
        foreach (var source in sources)
        {
            var slice = await source.ReadAsync(db, customerId, window, ct);
            entries.AddRange(slice.Entries);
            if (slice.CompleteFrom is { } from && (horizon is null || from > horizon))
            {
                horizon = DateTime.SpecifyKind(from, DateTimeKind.Utc);
            }
        }

        // Older than the horizon, some source left events out: those wait for the next page.
        var ordered = entries
            .Select(e => e with { At = DateTime.SpecifyKind(e.At, DateTimeKind.Utc) })
            .Where(e => window.Contains(e.At) && (horizon is null || e.At >= horizon))
            .OrderByDescending(e => e.At)
            .ThenBy(e => e.Kind, StringComparer.Ordinal)
            .ThenBy(e => e.RecordId)
            .ToList();
        if (ordered.Count <= take)
        {
            return new CustomerTimelinePage(ordered, horizon is not null && ordered.Count > 0 ? ordered[^1].At : horizon);
        }

        // The page ends after the last event at the moment of the limit, so that "before" loses none.
        var end = take;
        while (end < ordered.Count && ordered[end].At == ordered[take - 1].At)
        {
            end++;
        }

        return new CustomerTimelinePage(ordered[..end], end < ordered.Count || horizon is not null ? ordered[end - 1].At : null);
    }
}

public static class CustomerTimelineModule
{
    public static IServiceCollection AddCustomerTimeline(this IServiceCollection services) => services
        .AddScoped<GetCustomerTimelineHandler>()
        .AddScoped<ICustomerTimelineSource, LeadOriginTimelineSource>()
        .AddScoped<ICustomerTimelineSource, ChangesTimelineSource>();

    public static void MapCustomerTimeline(this RouteGroupBuilder api) =>
        api.MapGroup("/customers").WithTags("Customers")
            .MapGet("/{id:guid}/timeline", async (Guid id, DateTime? before, int? limit, CurrentUser user, GetCustomerTimelineHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(user, id, before, limit, ct)))
            .RequireAuthorization(Permissions.CustomersRead)
            .WithName("GetCustomerTimeline")
            .WithSummary("The customer's 360° timeline, newest first: follow-ups, lead origin, changes (and what later features add). " +
                "?limit= (default 50, at most 200) and ?before= (the nextBefore of the previous page). Each entry's kind names its " +
                "label (resource Timeline.{kind}); summaries of changes are in the caller's language.");
}
