using System.Linq.Expressions;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Leads;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Files;

namespace LeadToCash.Modules.Tasks;

/// <summary>A task as the lists, the detail dialog and the API show it. Times are UTC.</summary>
public sealed record TaskDto(
    Guid Id,
    string Title,
    string? Content,
    WorkTaskKind Kind,
    string? RelatedType,
    Guid? RelatedId,
    string? RelatedName,
    DateTime DueAt,
    Guid? AssigneeId,
    string? AssigneeName,
    Guid? CreatedBy,
    string? CreatorName,
    string? CompletionStandard,
    WorkTaskStatus Status,
    DateTime? CompletedAt,
    string? CompletionNote,
    DateTime? VerifiedAt,
    Guid? VerifiedBy,
    DateTime? ReturnedAt,
    string? ReturnReason,
    Guid? FollowUpId,
    int Version,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    /// <summary>Open (or returned) and past its due time: it stays in today's list until done.</summary>
    public bool IsOverdue { get; init; }

    /// <summary>Company calendar days since the due date (0 when due today or not overdue).</summary>
    public int DaysOverdue { get; init; }

    public bool IsOpen => TaskRules.IsOpen(Status);

    /// <summary>The evidence files (single-task answers only).</summary>
    public IReadOnlyList<AttachmentDto>? Attachments { get; init; }

    /// <summary>What the caller may do with the task (single-task answers only).</summary>
    public TaskAbilities? Can { get; init; }

    /// <summary>The page of the related record, when there is one.</summary>
    public string? RelatedLink => TaskRules.RelatedLink(RelatedType, RelatedId);

    internal static Expression<Func<WorkTask, TaskDto>> Projection(AppDbContext db) => t => new TaskDto(
        t.Id, t.Title, t.Content, t.Kind, t.RelatedType, t.RelatedId,
        t.RelatedType == Customer.RecordType
            ? db.Customers.Where(c => c.Id == t.RelatedId).Select(c => c.Name).FirstOrDefault()
            : t.RelatedType == Lead.RecordType
                ? db.Leads.Where(l => l.Id == t.RelatedId).Select(l => l.CompanyName ?? l.ContactName).FirstOrDefault()
                : null,
        Utc(t.DueAt), t.OwnerId,
        db.Users.Where(u => u.Id == t.OwnerId).Select(u => u.DisplayName).FirstOrDefault(),
        t.CreatedBy,
        db.Users.Where(u => u.Id == t.CreatedBy).Select(u => u.DisplayName).FirstOrDefault(),
        t.CompletionStandard, t.Status, Utc(t.CompletedAt), t.CompletionNote, Utc(t.VerifiedAt), t.VerifiedBy,
        Utc(t.ReturnedAt), t.ReturnReason, t.FollowUpId, t.Version, Utc(t.CreatedAt), Utc(t.UpdatedAt));

    /// <summary>Adds what depends on the moment: overdue and by how many company days.</summary>
    internal TaskDto At(DateTime now, CompanyDay day) => this with
    {
        IsOverdue = TaskRules.IsOpen(Status) && DueAt < now,
        DaysOverdue = TaskRules.IsOpen(Status) && DueAt < now ? TaskRules.DaysOverdue(DueAt, now, day) : 0,
    };

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;
}

public sealed record TaskAbilities(bool Edit, bool Complete, bool Review, bool Cancel);
