using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Approvals;

public enum ApprovalEventKind
{
    /// <summary>A round was submitted (by the requester, with the reason).</summary>
    Submitted = 0,
    Approved = 1,
    Rejected = 2,

    /// <summary>The requester took the round back.</summary>
    Withdrawn = 3,

    /// <summary>Someone else ended the round before it was decided (e.g. a new version of the quote, a termination).</summary>
    Cancelled = 4,
}

/// <summary>
/// One thing that happened to a record's approval, for its history: a round submitted, a step decided (by its approver, a
/// holder of its role or the approver's delegate: <see cref="ActorId"/> is who decided, <see cref="ApproverId"/> whose step it
/// was), a round withdrawn or cancelled.
/// </summary>
public sealed record ApprovalEvent(
    Guid Id,
    ApprovalEventKind Kind,
    DateTime At,
    Guid RequestId,
    int Round,
    Guid? ActorId,
    string? ActorName,
    string? Reason = null,
    int? StepNo = null,
    string? Role = null,
    string? ApproverRole = null,
    Guid? ApproverId = null,
    string? ApproverName = null,
    string? Comment = null);

/// <summary>The approval events of one record, read from its requests and their steps (nothing is stored twice).</summary>
public static class ApprovalHistory
{
    /// <summary>
    /// Every event of the record's approval rounds, newest first (within one moment: the later event of a round first).
    /// The caller has checked that the reader may see the record; the reason is in the reader's language.
    /// </summary>
    public static async Task<IReadOnlyList<ApprovalEvent>> ForRecordAsync(AppDbContext db, string recordType, Guid recordId, CancellationToken ct)
    {
        var requests = await db.ApprovalRequests.AsNoTracking().Where(r => r.RecordType == recordType && r.RecordId == recordId).ToListAsync(ct);
        if (requests.Count == 0)
        {
            return [];
        }

        var ids = requests.Select(r => r.Id).ToList();
        var steps = await db.ApprovalSteps.AsNoTracking()
            .Where(s => ids.Contains(s.RequestId) && s.DecidedAt != null && (s.Status == ApprovalStatus.Approved || s.Status == ApprovalStatus.Rejected))
            .ToListAsync(ct);
        var people = requests.Select(r => r.RequestedBy)
            .Concat(requests.Select(r => r.UpdatedBy).OfType<Guid>())
            .Concat(steps.Select(s => s.ApproverId))
            .Concat(steps.Select(s => s.DecidedBy).OfType<Guid>())
            .Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        string? Name(Guid? id) => id is { } value ? names.GetValueOrDefault(value) : null;

        var events = new List<(ApprovalEvent Event, int Order)>();
        foreach (var request in requests)
        {
            events.Add((new ApprovalEvent(request.Id, ApprovalEventKind.Submitted, Utc(request.RequestedAt), request.Id, request.Round,
                request.RequestedBy, Name(request.RequestedBy), ApprovalReason.Text(request)), 0));
            foreach (var step in steps.Where(s => s.RequestId == request.Id))
            {
                // Steps decided before DecidedBy was kept were decided by their approver.
                var decider = step.DecidedBy ?? step.ApproverId;
                events.Add((new ApprovalEvent(step.Id, step.Status == ApprovalStatus.Approved ? ApprovalEventKind.Approved : ApprovalEventKind.Rejected,
                    Utc(step.DecidedAt!.Value), request.Id, request.Round, decider, Name(decider), StepNo: step.StepNo, Role: step.Role,
                    ApproverRole: step.ApproverRole, ApproverId: step.ApproverRole is null ? step.ApproverId : null,
                    ApproverName: step.ApproverRole is null ? Name(step.ApproverId) : null, Comment: step.Comment), step.StepNo));
            }

            if (request is { Status: ApprovalStatus.Cancelled, DecidedAt: { } endedAt })
            {
                // Nothing changes a request after it ends: whoever changed it last is who ended it.
                var kind = request.UpdatedBy == request.RequestedBy ? ApprovalEventKind.Withdrawn : ApprovalEventKind.Cancelled;
                events.Add((new ApprovalEvent(EndedId(request.Id), kind, Utc(endedAt), request.Id, request.Round, request.UpdatedBy,
                    Name(request.UpdatedBy)), int.MaxValue));
            }
        }

        return [.. events
            .OrderByDescending(e => e.Event.At)
            .ThenByDescending(e => e.Event.Round)
            .ThenByDescending(e => e.Order)
            .Select(e => e.Event)];
    }

    /// <summary>An id for the end of a round, distinct from the request's own (which its submission uses).</summary>
    private static Guid EndedId(Guid requestId)
    {
        var bytes = requestId.ToByteArray();
        bytes[^1] ^= 0xFF;
        return new Guid(bytes);
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
