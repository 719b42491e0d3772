using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Modules.Notifications.Inbox;

/// <summary>One notification as its reader sees it: the message in the reader's language and the record it links to.</summary>
public sealed record NotificationDto(Guid Id, string Kind, string Message, IReadOnlyList<string> Args, string? Link,
    string? RecordType, Guid? RecordId, DateTime CreatedAt, DateTime? ReadAt)
{
    public bool IsRead => ReadAt is not null;
}

public sealed record UnreadCountDto(int Count);

public sealed record MarkedReadDto(int Count);

/// <summary>The signed-in user's own notifications: list, unread count, mark read. Nobody sees another's.</summary>
public sealed class NotificationInboxHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, NotificationBus bus,
    IStringLocalizer<SharedResource> strings)
{
    public const string DefaultSort = "-createdAt";

    private static readonly IReadOnlyList<SortField<Notification>> SortFields =
    [
        Keyset.Field<Notification, DateTime>("createdAt", n => n.CreatedAt),
    ];

    public async Task<ListPage<NotificationDto>> ListAsync(CurrentUser user, bool? unread, ListRequest page, CancellationToken ct = default)
    {
        user.Require(Permissions.NotificationsOwn);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var query = db.Notifications.AsNoTracking().Where(n => n.UserId == user.Id);
        if (unread is { } onlyUnread)
        {
            query = onlyUnread ? query.Where(n => n.ReadAt == null) : query.Where(n => n.ReadAt != null);
        }

        var request = string.IsNullOrWhiteSpace(page.Sort) ? page with { Sort = DefaultSort } : page;
        var rows = await Keyset.PageAsync(query, request, SortFields, n => n.Id,
            n => new Row(n.Id, n.Kind, n.ArgsJson, n.Link, n.RecordType, n.RecordId, n.CreatedAt, n.ReadAt), ct);
        return new ListPage<NotificationDto>([.. rows.Items.Select(ToDto)], rows.NextCursor, rows.Count, rows.CountCapped);
    }

    public async Task<UnreadCountDto> CountUnreadAsync(CurrentUser user, CancellationToken ct = default)
    {
        user.Require(Permissions.NotificationsOwn);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return new UnreadCountDto(await db.Notifications.CountAsync(n => n.UserId == user.Id && n.ReadAt == null, ct));
    }

    /// <summary>Marks one of the caller's notifications read (again is fine); another user's is not found.</summary>
    public async Task<NotificationDto> MarkReadAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.NotificationsOwn);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var notification = await db.Notifications.FirstOrDefaultAsync(n => n.Id == id && n.UserId == user.Id, ct)
            ?? throw new NotFoundException("The notification");
        if (notification.ReadAt is null)
        {
            notification.ReadAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
            bus.Publish(user.Id, []);
        }

        return ToDto(new Row(notification.Id, notification.Kind, notification.ArgsJson, notification.Link, notification.RecordType,
            notification.RecordId, notification.CreatedAt, notification.ReadAt));
    }

    public async Task<MarkedReadDto> MarkAllReadAsync(CurrentUser user, CancellationToken ct = default)
    {
        user.Require(Permissions.NotificationsOwn);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var count = await db.Notifications.Where(n => n.UserId == user.Id && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        if (count > 0)
        {
            bus.Publish(user.Id, []);
        }

        return new MarkedReadDto(count);
    }

    private NotificationDto ToDto(Row row)
    {
        var args = NotificationText.Args(row.ArgsJson);
        return new NotificationDto(row.Id, row.Kind, NotificationText.Render(strings, row.Kind, args), args, row.Link,
            row.RecordType, row.RecordId, DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc),
            row.ReadAt is { } read ? DateTime.SpecifyKind(read, DateTimeKind.Utc) : null);
    }

    private sealed record Row(Guid Id, string Kind, string ArgsJson, string? Link, string? RecordType, Guid? RecordId,
        DateTime CreatedAt, DateTime? ReadAt);
}

public static class NotificationInboxEndpoints
{
    public static void MapNotificationInbox(this RouteGroupBuilder group)
    {
        group.MapGet("/", async ([AsParameters] NotificationQuery query, CurrentUser user, NotificationInboxHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.ListAsync(user, query.Unread, query.Page, ct)))
            .RequireAuthorization(Permissions.NotificationsOwn)
            .WithName("ListNotifications")
            .WithSummary("The caller's notifications, newest first: ?unread=true|false&limit=&cursor=&sort=(createdAt, - for descending; default -createdAt).");
        group.MapGet("/unread-count", async (CurrentUser user, NotificationInboxHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.CountUnreadAsync(user, ct)))
            .RequireAuthorization(Permissions.NotificationsOwn)
            .WithName("CountUnreadNotifications")
            .WithSummary("How many of the caller's notifications are unread (the bell's number).");
        group.MapPost("/{id:guid}/read", async (Guid id, CurrentUser user, NotificationInboxHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.MarkReadAsync(user, id, ct)))
            .RequireAuthorization(Permissions.NotificationsOwn)
            .WithName("MarkNotificationRead")
            .WithSummary("Mark one of the caller's notifications read; another user's answers 404.");
        group.MapPost("/read-all", async (CurrentUser user, NotificationInboxHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.MarkAllReadAsync(user, ct)))
            .RequireAuthorization(Permissions.NotificationsOwn)
            .WithName("MarkAllNotificationsRead")
            .WithSummary("Mark all of the caller's unread notifications read; answers how many were.");
    }
}

public sealed record NotificationQuery(bool? Unread, int? Limit, string? Cursor, string? Sort)
{
    public ListRequest Page => new(Limit, Cursor, Sort);
}
