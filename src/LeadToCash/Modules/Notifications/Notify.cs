using System.Text.Json;
using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Notifications;

/// <summary>
/// Adds a notification to a unit of work, so it is saved with the change that caused it (or not at all).
/// The message is the resource "Notify.{kind}" formatted with <paramref name="args"/> in the reader's language.
/// </summary>
public static class Notify
{
    // Stored, never written into HTML as is: keep Chinese readable in the database.
    private static readonly JsonSerializerOptions ArgsJsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Notification Add(AppDbContext db, Guid userId, string kind, string? link, string? recordType, Guid? recordId,
        DateTime now, params string[] args)
    {
        var notification = new Notification
        {
            UserId = userId,
            Kind = kind,
            ArgsJson = JsonSerializer.Serialize(args, ArgsJsonOptions),
            Link = link,
            RecordType = recordType,
            RecordId = recordId,
            CreatedAt = now,
        };
        db.Notifications.Add(notification);
        return notification;
    }
}
