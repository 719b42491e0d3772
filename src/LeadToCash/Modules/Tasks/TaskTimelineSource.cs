using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Files;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Tasks;

/// <summary>
/// Puts the tasks about a customer on its timeline: created, done and verified (labels "Timeline.TaskCreated",
/// "Timeline.TaskDone", "Timeline.TaskVerified"). Only the tasks the reader can see (the context is scoped).
/// </summary>
public sealed class TaskTimelineSource : ICustomerTimelineSource
{
    public const string Created = "TaskCreated";
    public const string Done = "TaskDone";
    public const string Verified = "TaskVerified";

    // A customer has few tasks: all of them are read, and their events inside the window returned.
    public async Task<TimelineSlice> ReadAsync(AppDbContext db, Guid customerId, TimelineWindow window, CancellationToken ct)
    {
        var tasks = await db.Tasks.AsNoTracking()
            .Where(t => t.RelatedType == Customer.RecordType && t.RelatedId == customerId)
            .Select(t => new { t.Id, t.Title, t.Content, t.CreatedAt, t.CreatedBy, t.OwnerId, t.CompletedAt, t.CompletionNote, t.VerifiedAt, t.VerifiedBy, t.Status })
            .ToListAsync(ct);
        var people = tasks.SelectMany(t => new[] { t.CreatedBy, t.OwnerId, t.VerifiedBy }).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        string? Name(Guid? id) => id is { } x ? names.GetValueOrDefault(x) : null;

        var entries = new List<TimelineEntry>();
        foreach (var t in tasks)
        {
            var link = TaskRules.TaskLink(t.Id);
            entries.Add(new TimelineEntry(Utc(t.CreatedAt), Created, t.Title, t.Content, link, t.CreatedBy, Name(t.CreatedBy), t.Id));
            if (t.CompletedAt is { } done && t.Status is WorkTaskStatus.Done or WorkTaskStatus.Verified)
            {
                entries.Add(new TimelineEntry(Utc(done), Done, t.Title, t.CompletionNote, link, t.OwnerId, Name(t.OwnerId), t.Id));
            }

            if (t.VerifiedAt is { } verified && t.Status == WorkTaskStatus.Verified)
            {
                entries.Add(new TimelineEntry(Utc(verified), Verified, t.Title, null, link, t.VerifiedBy, Name(t.VerifiedBy), t.Id));
            }
        }

        return new TimelineSlice(entries.Where(e => window.Contains(e.At)).ToList());
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}

/// <summary>A task's evidence files are visible exactly when the task is.</summary>
internal sealed class TaskAttachmentParent : IAttachmentParent
{
    public string RecordType => WorkTask.RecordType;

    public Task<bool> IsVisibleAsync(AppDbContext db, CurrentUser user, Guid recordId, CancellationToken ct) =>
        db.Tasks.AnyAsync(t => t.Id == recordId, ct);
}
