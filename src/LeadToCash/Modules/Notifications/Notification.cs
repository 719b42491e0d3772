namespace LeadToCash.Modules.Notifications;

/// <summary>
/// One message in a user's notification centre. The text is a resource key plus arguments, rendered in the reader's
/// language when shown; the link leads to the record.
/// </summary>
public sealed class Notification
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }

    /// <summary>What happened, e.g. "lead.assigned", "lead.sla-reminder"; also the resource key "Notify.{Kind}".</summary>
    public required string Kind { get; set; }

    /// <summary>Arguments of the message as a JSON array of strings.</summary>
    public string ArgsJson { get; set; } = "[]";
    public string? Link { get; set; }
    public string? RecordType { get; set; }
    public Guid? RecordId { get; set; }

    /// <summary>Makes a notification that must be sent once (e.g. one digest per manager per day) idempotent.</summary>
    public string? DedupKey { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
}
