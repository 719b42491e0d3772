using LeadToCash.Modules.Notifications.Inbox;

namespace LeadToCash.Modules.Notifications;

/// <summary>
/// The in-app notification centre. Features add notifications with <see cref="Notify.Add"/> in the unit of work of
/// the change; the bus and its publisher are registered with the database (Platform/Data/DatabaseSetup.cs).
/// </summary>
public static class NotificationsModule
{
    public static IServiceCollection AddNotifications(this IServiceCollection services) =>
        services.AddScoped<NotificationInboxHandler>();

    public static void MapNotifications(this RouteGroupBuilder api) =>
        api.MapGroup("/notifications").WithTags("Notifications").MapNotificationInbox();
}
