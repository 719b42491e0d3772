using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Tasks;

public enum WorkTaskStatus
{
    Open = 0,
    Done = 1,
    Verified = 2,
    Returned = 3,
}

public enum WorkTaskKind
{
    /// <summary>A task someone created or a manager assigned.</summary>
    Task = 0,

    /// <summary>The reminder a follow-up's next date creates.</summary>
    FollowUpReminder = 1,
}

/// <summary>
/// A task (任务) for one person: what to do, by when, how completion is judged, and the evidence given. The
/// assignee is the owner for the data scope, so managers see their people's tasks. A returned task is open again.
/// </summary>
public sealed class WorkTask : BusinessRecord, IScopedRecord
{
    public const string RecordType = "task";

    public required string Title { get; set; }
    public string? Content { get; set; }
    public WorkTaskKind Kind { get; set; }

    /// <summary>The record the task is about ("customer", "lead", …) and its id.</summary>
    public string? RelatedType { get; set; }
    public Guid? RelatedId { get; set; }

    public DateTime DueAt { get; set; }

    /// <summary>The assignee.</summary>
    public Guid? OwnerId { get; set; }

    /// <summary>Always null: tasks have no pool; present for the data scope.</summary>
    public Guid? PoolTeamId { get; set; }
    public string? CompletionStandard { get; set; }
    public WorkTaskStatus Status { get; set; }
    public DateTime? CompletedAt { get; set; }
    public string? CompletionNote { get; set; }
    public DateTime? VerifiedAt { get; set; }
    public Guid? VerifiedBy { get; set; }
    public DateTime? ReturnedAt { get; set; }
    public string? ReturnReason { get; set; }

    /// <summary>The follow-up whose next date created this reminder.</summary>
    public Guid? FollowUpId { get; set; }
}

/// <summary>A user's private iCalendar feed: the token in its URL is stored only as a hash; revoking deletes it.</summary>
public sealed class CalendarFeed
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public required string TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastReadAt { get; set; }
}
