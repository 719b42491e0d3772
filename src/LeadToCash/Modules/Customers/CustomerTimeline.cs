using LeadToCash.Platform.Data;

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
/// A feature that puts events on the customer timeline (follow-ups, tasks, lead origin, changes; later opportunities,
/// quotes, contracts, payments, tickets). Register with services.AddScoped&lt;ICustomerTimelineSource, ...&gt;(); the
/// timeline handler asks every source with a context already scoped to the caller and the customer known visible.
/// </summary>
public interface ICustomerTimelineSource
{
    Task<IReadOnlyList<TimelineEntry>> ReadAsync(AppDbContext db, Guid customerId, CancellationToken ct);
}
