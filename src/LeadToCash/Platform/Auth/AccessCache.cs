using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using LeadToCash.Modules.Organization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LeadToCash.Platform.Auth;

/// <summary>
/// Who a bearer token belongs to and what that user may see, kept between requests so that an API call does not read
/// the token, the user, the roles and the team tree again each time. Every save that touches users, roles, teams or
/// tokens empties it at once (<see cref="AccessChangeInterceptor"/>: when it is saved and again when its transaction
/// commits), so a revoked token, a deactivated user or a moved team counts from the next request on. Entries also
/// expire after <see cref="Lifetime"/>, so that a change written by another process counts within seconds.
/// </summary>
public sealed class AccessCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    // Plenty for a team's users and their open sessions; past it the cache starts over rather than grow.
    private const int MaxEntries = 20_000;

    private readonly ConcurrentDictionary<string, Entry<CachedToken>> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, Entry<CurrentUser>> _users = new();
    private long _generation;

    /// <summary>Forgets everything cached so far.</summary>
    public void Invalidate() => Interlocked.Increment(ref _generation);

    /// <summary>The generation to pass to <see cref="PutToken"/>/<see cref="PutUser"/>: read it before reading the database.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public CachedToken? Token(string tokenHash) => Get(_tokens, tokenHash);

    public void PutToken(string tokenHash, CachedToken token, long generation) => Put(_tokens, tokenHash, token, generation);

    /// <summary>
    /// Records a token's new last use in its cached entry, keeping the entry's generation and age: an entry a save has
    /// emptied since stays emptied.
    /// </summary>
    public void TokenUsed(string tokenHash, DateTime usedAt)
    {
        if (_tokens.TryGetValue(tokenHash, out var entry))
        {
            _tokens.TryUpdate(tokenHash, entry with { Value = entry.Value with { LastUsedAt = usedAt } }, entry);
        }
    }

    public CurrentUser? User(Guid userId) => Get(_users, userId);

    public void PutUser(CurrentUser user, long generation) => Put(_users, user.Id, user, generation);

    private T? Get<TKey, T>(ConcurrentDictionary<TKey, Entry<T>> entries, TKey key) where TKey : notnull where T : class =>
        entries.TryGetValue(key, out var entry) && entry.Generation == Generation
            && clock.GetElapsedTime(entry.CachedAt) < Lifetime
            ? entry.Value
            : null;

    private void Put<TKey, T>(ConcurrentDictionary<TKey, Entry<T>> entries, TKey key, T value, long generation)
        where TKey : notnull where T : class
    {
        if (entries.Count >= MaxEntries)
        {
            entries.Clear();
        }

        entries[key] = new Entry<T>(value, generation, clock.GetTimestamp());
    }

    private sealed record Entry<T>(T Value, long Generation, long CachedAt);
}

/// <summary>A valid token as the last read found it; its expiry is checked again on every use.</summary>
public sealed record CachedToken(Guid TokenId, string Prefix, Guid UserId, string UserName, DateTime? ExpiresAt, DateTime? LastUsedAt);

/// <summary>Empties the <see cref="AccessCache"/> whenever a save adds, changes or removes a user, role, team or token.</summary>
public sealed class AccessChangeInterceptor(AccessCache cache) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, object> _pending = [];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) =>
        Committed(eventData.Context);

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    // Before the write, after it and after its commit: no request can cache what it read in between.
    private void Note(DbContext? context)
    {
        if (context is not null && TouchesAccess(context))
        {
            cache.Invalidate();
            _pending.AddOrUpdate(context, this);
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out _))
        {
            return;
        }

        cache.Invalidate();
        if (context.Database.CurrentTransaction is null)
        {
            _pending.Remove(context);
        }
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && _pending.Remove(context))
        {
            cache.Invalidate();
        }
    }

    private static bool TouchesAccess(DbContext context)
    {
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                && entry.Entity is AppUser or AppRole or IdentityUserRole<Guid> or Team or ApiToken)
            {
                return true;
            }
        }

        return false;
    }
}
