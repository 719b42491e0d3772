using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Organization;

/// <summary>
/// What one module contributes to a hand-over (离职交接): its kind of record a person owns, how many are open, and how
/// they move to colleagues or to the pool. Each module registers its part (leads, customers, tasks; opportunities and
/// others later) as a scoped <see cref="IHandOverPart"/>; the hand-over runs every part in one transaction.
/// </summary>
public interface IHandOverPart
{
    /// <summary>The kind in the summary and the resource "HandOver.Kind.{Kind}", e.g. "customers".</summary>
    string Kind { get; }

    /// <summary>Order of the parts in the summary and of their moves.</summary>
    int Order { get; }

    /// <summary>Whether the records can wait in a team pool; records that cannot go to a colleague (the fallback) instead.</summary>
    bool HasPool { get; }

    /// <summary>How many records of <paramref name="userId"/> the hand-over would move (visible in <paramref name="db"/>).</summary>
    Task<int> CountAsync(AppDbContext db, Guid userId, CancellationToken ct);

    /// <summary>Changes the records on <see cref="HandOverMove.Db"/> (the caller saves), calling <see cref="HandOverMove.Moved"/> for each.</summary>
    Task MoveAsync(HandOverMove move, CancellationToken ct);
}

/// <summary>A colleague who receives records in a hand-over.</summary>
public sealed record HandOverRecipient(Guid Id, string Name, Guid? TeamId);

/// <summary>
/// One hand-over as the parts see it: whose records move, to whom (round-robin over <see cref="Recipients"/>, per kind)
/// or to the pool, and the tally of what moved.
/// </summary>
public sealed class HandOverMove(AppDbContext db, Guid fromUserId, Guid? fromTeamId, Guid actorId, DateTime now,
    IReadOnlyList<HandOverRecipient> recipients, bool toPool, HandOverRecipient fallback)
{
    private readonly Dictionary<(string Kind, Guid? RecipientId), int> _moved = [];
    private readonly Dictionary<string, int> _next = new(StringComparer.Ordinal);

    public AppDbContext Db => db;

    public Guid FromUserId => fromUserId;

    /// <summary>The team of the person handing over: its pool receives what goes to the pool.</summary>
    public Guid? FromTeamId => fromTeamId;

    public Guid ActorId => actorId;

    public DateTime Now => now;

    public IReadOnlyList<HandOverRecipient> Recipients => recipients;

    /// <summary>Leads, customers and other pooled records go to the pool rather than to the recipients.</summary>
    public bool ToPool => toPool;

    /// <summary>Who receives records without a pool when there are no recipients: the person's manager, else the actor.</summary>
    public HandOverRecipient Fallback => fallback;

    /// <summary>The next recipient for <paramref name="kind"/>: round-robin over the recipients, else the fallback.</summary>
    public HandOverRecipient Next(string kind)
    {
        if (recipients.Count == 0)
        {
            return fallback;
        }

        var index = _next.GetValueOrDefault(kind);
        _next[kind] = index + 1;
        return recipients[index % recipients.Count];
    }

    /// <summary>Counts one record of <paramref name="kind"/> moved to <paramref name="recipientId"/> (null: the pool).</summary>
    public void Moved(string kind, Guid? recipientId) =>
        _moved[(kind, recipientId)] = _moved.GetValueOrDefault((kind, recipientId)) + 1;

    public IReadOnlyDictionary<(string Kind, Guid? RecipientId), int> Tally => _moved;
}
