using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LeadToCash.Modules.Notifications;

/// <summary>
/// Notifications added to a context that are not yet committed. <see cref="NotificationPublisher"/> collects them when
/// the context saves; they are published once the save (or, inside an explicit transaction, the commit) succeeded, and
/// dropped when it failed or was rolled back.
/// </summary>
public sealed class PendingNotifications(NotificationBus bus)
{
    private readonly ConditionalWeakTable<DbContext, List<Notification>> _pending = [];

    internal void Collect(DbContext context)
    {
        var added = context.ChangeTracker.Entries<Notification>()
            .Where(e => e.State == EntityState.Added)
            .Select(e => e.Entity)
            .ToList();
        if (added.Count > 0)
        {
            _pending.GetOrCreateValue(context).AddRange(added);
        }
    }

    internal void Drop(DbContext? context)
    {
        if (context is not null)
        {
            _pending.Remove(context);
        }
    }

    internal void Saved(DbContext? context)
    {
        // Inside a transaction the caller opened, the rows are not visible to anyone else until it commits.
        if (context is not null && context.Database.CurrentTransaction is null)
        {
            Publish(context);
        }
    }

    internal void Publish(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var added))
        {
            return;
        }

        _pending.Remove(context);
        foreach (var group in added.GroupBy(n => n.UserId))
        {
            bus.Publish(group.Key, [.. group]);
        }
    }
}

/// <summary>Publishes every notification a save adds (see <see cref="PendingNotifications"/>).</summary>
public sealed class NotificationPublisher(PendingNotifications pending) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context)
        {
            pending.Collect(context);
        }

        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            pending.Collect(context);
        }

        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        pending.Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        pending.Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => pending.Drop(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        pending.Drop(eventData.Context);
        return Task.CompletedTask;
    }
}

/// <summary>Publishes notifications saved inside an explicit transaction when it commits; drops them on rollback.</summary>
public sealed class NotificationCommitPublisher(PendingNotifications pending) : DbTransactionInterceptor
{
    public override void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) =>
        pending.Publish(eventData.Context);

    public override Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        pending.Publish(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) =>
        pending.Drop(eventData.Context);

    public override Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        pending.Drop(eventData.Context);
        return Task.CompletedTask;
    }
}
