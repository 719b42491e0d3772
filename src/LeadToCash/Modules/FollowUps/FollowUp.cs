using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.FollowUps;

public enum FollowUpMethod
{
    Phone = 0,
    Visit = 1,
    WeChat = 2,
    Email = 3,
    Meeting = 4,
    OnlineDemo = 5,
}

/// <summary>
/// A follow-up record (跟进记录) of a customer: what happened, when and how, and what comes next. Visible with its
/// customer. Entered more than the company's late window after <see cref="OccurredAt"/>, it is marked late.
/// </summary>
public sealed class FollowUp : BusinessRecord
{
    public const string RecordType = "follow-up";

    public Guid CustomerId { get; set; }
    public DateTime OccurredAt { get; set; }
    public FollowUpMethod Method { get; set; }
    public required string KeyPoints { get; set; }
    public string? CustomerFeedback { get; set; }
    public string? NextStep { get; set; }

    /// <summary>When to follow up next; creates a reminder task for the author.</summary>
    public DateTime? NextFollowUpAt { get; set; }
    public Guid? ReminderTaskId { get; set; }

    /// <summary>Who made the contact (counts toward their daily activity).</summary>
    public Guid AuthorId { get; set; }
    public DateTime RecordedAt { get; set; }
    public bool IsLate { get; set; }
}

/// <summary>Who took part in a follow-up: a contact of the customer or a colleague.</summary>
public sealed class FollowUpParticipant
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid FollowUpId { get; set; }
    public Guid? ContactId { get; set; }
    public Guid? UserId { get; set; }
}
