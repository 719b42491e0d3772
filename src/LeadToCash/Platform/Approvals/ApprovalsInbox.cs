using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Approvals;

public sealed record ApprovalStepDto(int StepNo, string Role, Guid ApproverId, string? ApproverName, ApprovalStatus Status, string? Comment,
    DateTime? DecidedAt);

public sealed record ApprovalDto(
    Guid Id,
    string RecordType,
    Guid RecordId,
    string Reason,
    ApprovalStatus Status,
    int CurrentStep,
    Guid RequestedBy,
    string? RequestedByName,
    DateTime RequestedAt,
    DateTime? DecidedAt,
    IReadOnlyList<ApprovalStepDto> Steps,
    ApprovalSubjectSummary? Subject);

/// <summary>A decision: the comment is required to reject (the requester reads it).</summary>
public sealed record ApprovalDecisionRequest(string? Comment = null);

/// <summary>
/// The approver's side of approvals: the inbox (what waits on me; what I decided) and the decisions. A request is
/// readable by its approvers and its requester, and only while its record is visible to them (else 404).
/// </summary>
public sealed class ApprovalsInbox(IDbContextFactory<AppDbContext> dbFactory, ApprovalService approvals, IEnumerable<IApprovalSubject> subjects)
{
    public const string MinePending = "pending";
    public const string MineDecided = "decided";
    public const string MineRequested = "requested";

    /// <summary>mine=pending: waiting on the caller's step; decided: steps the caller decided; requested: the caller's requests.</summary>
    public async Task<IReadOnlyList<ApprovalDto>> ListAsync(CurrentUser user, string? mine, CancellationToken ct = default)
    {
        user.Require(Permissions.ApprovalsDecide);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var requests = (mine ?? MinePending) switch
        {
            MinePending => db.ApprovalRequests.Where(r => r.Status == ApprovalStatus.Pending
                && db.ApprovalSteps.Any(s => s.RequestId == r.Id && s.StepNo == r.CurrentStep && s.ApproverId == user.Id)),
            MineDecided => db.ApprovalRequests.Where(r => db.ApprovalSteps.Any(s => s.RequestId == r.Id && s.ApproverId == user.Id && s.DecidedAt != null)),
            MineRequested => db.ApprovalRequests.Where(r => r.RequestedBy == user.Id),
            _ => throw new ValidationException([new ValidationFailure("mine", "mine must be pending, decided or requested.")]),
        };
        var rows = await requests.AsNoTracking().OrderByDescending(r => r.RequestedAt).ThenByDescending(r => r.Id).Take(200).ToListAsync(ct);
        return await ToDtosAsync(db, user, rows, withDetail: false, ct);
    }

    public async Task<ApprovalDto> GetAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.ApprovalsDecide);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await ReadAsync(db, user, id, ct);
    }

    public Task<ApprovalDto> ApproveAsync(CurrentUser user, Guid id, ApprovalDecisionRequest request, CancellationToken ct = default) =>
        DecideAsync(user, id, approve: true, request.Comment, ct);

    public Task<ApprovalDto> RejectAsync(CurrentUser user, Guid id, ApprovalDecisionRequest request, CancellationToken ct = default) =>
        DecideAsync(user, id, approve: false, request.Comment, ct);

    private async Task<ApprovalDto> DecideAsync(CurrentUser user, Guid id, bool approve, string? comment, CancellationToken ct)
    {
        user.Require(Permissions.ApprovalsDecide);
        await using var db = await dbFactory.OpenAsync(user, ct);
        // Visible first (approver or requester, record in scope): otherwise the request does not exist for the caller.
        await ReadAsync(db, user, id, ct);
        var outcome = await approvals.DecideAsync(db, user.Id, id, approve, comment, ct);
        if (outcome.Finished && Subject(outcome.Request.RecordType) is { } subject)
        {
            await subject.OnDecidedAsync(db, user, outcome.Request, outcome.Step.Comment, ct);
        }

        await db.SaveChangesAsync(ct);
        return await ReadAsync(db, user, id, ct);
    }

    private IApprovalSubject? Subject(string recordType) => subjects.FirstOrDefault(s => s.RecordType == recordType);

    private async Task<ApprovalDto> ReadAsync(AppDbContext db, CurrentUser user, Guid id, CancellationToken ct)
    {
        var request = await db.ApprovalRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        var involved = request is not null && (request.RequestedBy == user.Id || user.IsAdmin
            || await db.ApprovalSteps.AnyAsync(s => s.RequestId == id && s.ApproverId == user.Id, ct));
        var dto = involved ? (await ToDtosAsync(db, user, [request!], withDetail: true, ct)).SingleOrDefault() : null;
        return dto ?? throw new NotFoundException("The approval");
    }

    // Requests whose record the caller cannot see are left out: approving is no way around the data scope.
    private async Task<IReadOnlyList<ApprovalDto>> ToDtosAsync(AppDbContext db, CurrentUser user, List<ApprovalRequest> requests,
        bool withDetail, CancellationToken ct)
    {
        if (requests.Count == 0)
        {
            return [];
        }

        var ids = requests.Select(r => r.Id).ToList();
        var steps = await db.ApprovalSteps.AsNoTracking().Where(s => ids.Contains(s.RequestId)).OrderBy(s => s.StepNo).ToListAsync(ct);
        var people = steps.Select(s => s.ApproverId).Concat(requests.Select(r => r.RequestedBy)).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var described = new Dictionary<(string, Guid), ApprovalSubjectSummary>();
        foreach (var group in requests.GroupBy(r => r.RecordType))
        {
            if (Subject(group.Key) is not { } subject)
            {
                continue;
            }

            foreach (var (recordId, summary) in await subject.DescribeAsync(db, user, [.. group.Select(r => r.RecordId).Distinct()], withDetail, ct))
            {
                described[(group.Key, recordId)] = summary;
            }
        }

        return [.. requests
            .Where(r => described.ContainsKey((r.RecordType, r.RecordId)))
            .Select(r => new ApprovalDto(r.Id, r.RecordType, r.RecordId, ApprovalReason.Text(r), r.Status, r.CurrentStep, r.RequestedBy,
                names.GetValueOrDefault(r.RequestedBy), Utc(r.RequestedAt), r.DecidedAt is { } d ? Utc(d) : null,
                [.. steps.Where(s => s.RequestId == r.Id).Select(s => new ApprovalStepDto(s.StepNo, s.Role, s.ApproverId,
                    names.GetValueOrDefault(s.ApproverId), s.Status, s.Comment, s.DecidedAt is { } at ? Utc(at) : null))],
                described[(r.RecordType, r.RecordId)]))];
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
