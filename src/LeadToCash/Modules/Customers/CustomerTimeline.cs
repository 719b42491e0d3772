using System.Linq.Expressions;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers;

/// <summary>
/// One event on a customer's timeline. <see cref="Kind"/> names the event type (its label is the resource
/// "Timeline.{Kind}"); <see cref="Summary"/> and <see cref="Detail"/> are the record's own words.
/// </summary>
public sealed record TimelineEntry(
    DateTime At,
    string Kind,
    string Summary,
    string? Detail = null,
    string? Link = null,
    Guid? ActorId = null,
    string? ActorName = null,
    Guid? RecordId = null);

/// <summary>
/// The page the timeline asks its sources for: events strictly before <see cref="Before"/> (null: up to now), the
/// newest first; a source needs to return only about <see cref="Limit"/> of them.
/// </summary>
public sealed record TimelineWindow(DateTime? Before, int Limit)
{
    public bool Contains(DateTime at) => Before is not { } before || at < before;

    /// <summary>
    /// The newest rows of <paramref name="query"/> before the window's end: at least <see cref="Limit"/> of them when
    /// there are that many, and every row at the moment of the oldest one returned (so a moment is never split).
    /// <c>CompleteFrom</c> is that oldest moment when older rows were left out, null when none were.
    /// </summary>
    public async Task<(List<T> Rows, DateTime? CompleteFrom)> NewestAsync<T>(IQueryable<T> query, Expression<Func<T, DateTime>> at,
        CancellationToken ct)
    {
        if (Before is { } before)
        {
            query = query.Where(Compare(at, Expression.LessThan, before));
        }

        var cutoff = await query.OrderByDescending(at).Select(at).Skip(Limit - 1).Take(1).ToListAsync(ct);
        if (cutoff.Count == 0)
        {
            return (await query.ToListAsync(ct), null);
        }

        var from = cutoff[0];
        var rows = await query.Where(Compare(at, Expression.GreaterThanOrEqual, from)).ToListAsync(ct);
        // Only when something older exists was anything left out.
        var older = await query.Where(Compare(at, Expression.LessThan, from)).AnyAsync(ct);
        return (rows, older ? from : null);
    }

    private static Expression<Func<T, bool>> Compare<T>(Expression<Func<T, DateTime>> at, Func<Expression, Expression, BinaryExpression> compare,
        DateTime value)
    {
        // A member of a closure object, which EF Core sends as a parameter rather than inlining the value.
        var boxed = Expression.Property(Expression.Constant(new Moment(value)), nameof(Moment.Value));
        return Expression.Lambda<Func<T, bool>>(compare(at.Body, boxed), at.Parameters);
    }

    private sealed record Moment(DateTime Value);
}

/// <summary>
/// What a source found for a window: its events, and the moment from which they are complete when it left older ones
/// out (null when it returned every event of the window).
/// </summary>
public sealed record TimelineSlice(IReadOnlyList<TimelineEntry> Entries, DateTime? CompleteFrom = null)
{
    public static readonly TimelineSlice Empty = new([]);
}

/// <summary>
/// A feature that puts events on the customer timeline (follow-ups, tasks, lead origin, changes; later opportunities,
/// quotes, contracts, payments, tickets). Register with services.AddScoped&lt;ICustomerTimelineSource, ...&gt;(); the
/// timeline handler asks every source with a context already scoped to the caller and the customer known visible.
/// A source with many events per customer reads only the window's newest (see <see cref="TimelineWindow.NewestAsync"/>);
/// one with few may return them all.
/// </summary>
public interface ICustomerTimelineSource
{
    Task<TimelineSlice> ReadAsync(AppDbContext db, Guid customerId, TimelineWindow window, CancellationToken ct);
}
