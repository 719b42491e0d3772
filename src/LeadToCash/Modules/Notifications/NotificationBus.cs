namespace LeadToCash.Modules.Notifications;

/// <summary>Notifications of one user were saved (<see cref="Added"/>) or marked read (empty).</summary>
public sealed record NotificationsChanged(Guid UserId, IReadOnlyList<Notification> Added);

/// <summary>
/// In-process fan-out of saved notifications to the pages open on this node (the bell, the notification page) and,
/// later, to delivery channels. <see cref="NotificationPublisher"/> publishes every notification a context saves, so no
/// command can forget to; subscribers re-read what they show. On several nodes a backplane takes this place.
/// </summary>
public sealed partial class NotificationBus(ILogger<NotificationBus> logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, List<Func<NotificationsChanged, Task>>> _subscribers = [];

    /// <summary>Calls <paramref name="onChanged"/> whenever the user's notifications change; dispose to stop.</summary>
    public IDisposable Subscribe(Guid userId, Func<NotificationsChanged, Task> onChanged)
    {
        lock (_lock)
        {
            if (!_subscribers.TryGetValue(userId, out var list))
            {
                _subscribers[userId] = list = [];
            }

            list.Add(onChanged);
        }

        return new Subscription(() =>
        {
            lock (_lock)
            {
                if (_subscribers.TryGetValue(userId, out var list) && list.Remove(onChanged) && list.Count == 0)
                {
                    _subscribers.Remove(userId);
                }
            }
        });
    }

    public int SubscriberCount(Guid userId)
    {
        lock (_lock)
        {
            return _subscribers.TryGetValue(userId, out var list) ? list.Count : 0;
        }
    }

    /// <summary>Tells the user's subscribers without waiting for them: a slow page must not hold up a save.</summary>
    public void Publish(Guid userId, IReadOnlyList<Notification> added)
    {
        Func<NotificationsChanged, Task>[] targets;
        lock (_lock)
        {
            targets = _subscribers.TryGetValue(userId, out var list) ? [.. list] : [];
        }

        var change = new NotificationsChanged(userId, added);
        foreach (var target in targets)
        {
            _ = DeliverAsync(target, change);
        }
    }

    private async Task DeliverAsync(Func<NotificationsChanged, Task> target, NotificationsChanged change)
    {
        try
        {
            await Task.Yield();
            await target(change);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A closed page or a failing channel must not affect the others.
            SubscriberFailed(logger, e, change.UserId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A notification subscriber of user {UserId} failed")]
    private static partial void SubscriberFailed(ILogger logger, Exception exception, Guid userId);

    private sealed class Subscription(Action unsubscribe) : IDisposable
    {
        private Action? _unsubscribe = unsubscribe;

        public void Dispose() => Interlocked.Exchange(ref _unsubscribe, null)?.Invoke();
    }
}
