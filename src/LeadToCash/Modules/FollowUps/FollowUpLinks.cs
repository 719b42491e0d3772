using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Files;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.FollowUps;

/// <summary>A follow-up's files are visible exactly when the follow-up is, which is when its customer is.</summary>
internal sealed class FollowUpAttachments : IAttachmentParent
{
    public string RecordType => FollowUp.RecordType;

    public async Task<bool> IsVisibleAsync(AppDbContext db, CurrentUser user, Guid recordId, CancellationToken ct) =>
        user.Has(Permissions.CustomersRead) && await FollowUpReader.Visible(db).AnyAsync(f => f.Id == recordId, ct);
}

/// <summary>Puts the follow-ups of the customer on its timeline, the window's newest (kind "FollowUp.{Method}", e.g. "FollowUp.Visit").</summary>
internal sealed class FollowUpTimelineSource : ICustomerTimelineSource
{
    public async Task<TimelineSlice> ReadAsync(AppDbContext db, Guid customerId, TimelineWindow window, CancellationToken ct)
    {
        var query = db.FollowUps.AsNoTracking()
            .Where(f => f.CustomerId == customerId)
            .Select(f => new
            {
                f.Id,
                f.OccurredAt,
                f.Method,
                f.KeyPoints,
                f.CustomerFeedback,
                f.AuthorId,
                AuthorName = db.Users.Where(u => u.Id == f.AuthorId).Select(u => u.DisplayName).FirstOrDefault(),
            });
        var (followUps, completeFrom) = await window.NewestAsync(query, f => f.OccurredAt, ct);
        return new TimelineSlice(followUps
            .Select(f => new TimelineEntry(DateTime.SpecifyKind(f.OccurredAt, DateTimeKind.Utc), "FollowUp." + f.Method, f.KeyPoints,
                f.CustomerFeedback, null, f.AuthorId, f.AuthorName, f.Id))
            .ToList(), completeFrom);
    }
}
