using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Approvals;

/// <summary>
/// One step: its approver (a person, or anyone holding <paramref name="ApproverRole"/>), and who decided it when that was
/// someone else (a holder of the role, or the approver's delegate).
/// </summary>
public sealed record ApprovalStepDto(int StepNo, string Role, Guid ApproverId, string? ApproverName, ApprovalStatus Status, string? Comment,
    DateTime? DecidedAt, string? ApproverRole = null, Guid? DecidedBy = null, string? DecidedByName = null);

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
    ApprovalSubjectSummary? Subject,
    int Round = 1);

/// <summary>A decision: the comment is required to reject (the requester reads it).</summary>
public sealed record ApprovalDecisionRequest(string? Comment = null);

/// <summary>
/// The approver's side of approvals: the inbox (what waits on me; what I decided) and the decisions. A request is
/// readable by its approvers and its requester while its record is visible to them (else 404) — and by an approver
/// outside the record's data scope (a delegate, a role holder of another team) while the request waits on their step or
/// once they decided one: they see the record's essentials (title, customer, amount, reason, lines), not the record.
/// </summary>
public sealed class ApprovalsInbox(IDbContextFactory<AppDbContext> dbFactory, ApprovalService approvals, ApprovalFlowEngine flows,
    IEnumerable<IApprovalSubject> subjects, TimeProvider clock)
{
    public const string MinePending = "pending";
    public const string MineDecided = "decided";
    public const string MineRequested = "requested";

    /// <summary>
    /// mine=pending: waiting on the caller's step (named, by role, or delegated to the caller now); decided: steps the
    /// caller decided; requested: the caller's requests.
    /// </summary>
    public async Task<IReadOnlyList<ApprovalDto>> ListAsync(CurrentUser user, string? mine, CancellationToken ct = default)
    {
        user.Require(Permissions.ApprovalsDecide);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var me = user.Id;
        var roles = user.Roles.ToList();
        var onBehalfOf = await DelegatorsAsync(db, me, ct);
        var requests = (mine ?? MinePending) switch
        {
            MinePending => db.ApprovalRequests.Where(r => r.Status == ApprovalStatus.Pending
                && db.ApprovalSteps.Any(s => s.RequestId == r.Id && s.StepNo == r.CurrentStep
                    && (s.ApproverRole == null ? s.ApproverId == me || onBehalfOf.Contains(s.ApproverId) : roles.Contains(s.ApproverRole)))),
            MineDecided => db.ApprovalRequests.Where(r => db.ApprovalSteps.Any(s => s.RequestId == r.Id && s.DecidedAt != null
                && (s.DecidedBy == me || (s.DecidedBy == null && s.ApproverId == me)))),
            MineRequested => db.ApprovalRequests.Where(r => r.RequestedBy == me),
            _ => throw new ValidationException([new ValidationFailure("mine", "mine must be pending, decided or requested.")]),
        };
        var rows = await requests.AsNoTracking().OrderByDescending(r => r.RequestedAt).ThenByDescending(r => r.Id).Take(200).ToListAsync(ct);
        return await ToDtosAsync(db, user, rows, withDetail: false, ct);
    }

    /// <summary>Every approval round of a record, newest first, for anyone who may see the record.</summary>
    public async Task<IReadOnlyList<ApprovalDto>> ForRecordAsync(CurrentUser user, string recordType, Guid recordId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.OpenAsync(user, ct);
        var rows = await db.ApprovalRequests.AsNoTracking().Where(r => r.RecordType == recordType && r.RecordId == recordId)
            .OrderByDescending(r => r.Round).ThenByDescending(r => r.RequestedAt).ToListAsync(ct);
        return await ToDtosAsync(db, user, rows, withDetail: false, ct);
    }

    /// <summary>The requester takes a pending request back: its record returns to draft, to be changed and submitted again (a new round).</summary>
    public async Task<ApprovalDto> WithdrawAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.ApprovalsDecide);
        await using var db = await dbFactory.OpenAsync(user, ct);
        await ReadAsync(db, user, id, ct);
        var request = await approvals.WithdrawAsync(db, user, id, ct);
        if (Subject(request.RecordType) is { } subject)
        {
            await subject.OnDecidedAsync(db, user, request, null, ct);
        }

        await db.SaveChangesAsync(ct);
        return await ReadAsync(db, user, id, ct);
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
        // Visible first (approver or requester, record in scope, or the step waits on the caller): otherwise the request does
        // not exist for the caller.
        var before = await ReadAsync(db, user, id, ct);
        // An approver outside the record's scope decides all the same: the decision and what it does to the record are written
        // through a context that sees the record, in the caller's name; ApprovalService checks again that the step is theirs.
        await using var outside = before.Subject?.Link is null ? await OpenAsApproverAsync(user, ct) : null;
        var work = outside ?? db;
        var outcome = await approvals.DecideAsync(work, ApprovalActor.Of(user), id, approve, comment, ct);
        if (outcome.Finished && Subject(outcome.Request.RecordType) is { } subject)
        {
            await subject.OnDecidedAsync(work, user, outcome.Request, outcome.Step.Comment, ct);
        }
        else if (!outcome.Finished)
        {
            await NotifyNextAsync(work, user, outcome.Request, ct);
        }

        await work.SaveChangesAsync(ct);
        return await ReadAsync(db, user, id, ct);
    }

    /// <summary>
    /// A context that sees every record, acting as the caller: only for an approver outside a record's data scope, on a request
    /// that waits on their step or that they decided (see <see cref="EssentialsAsync"/> and <see cref="DecideAsync"/>).
    /// </summary>
    private async Task<AppDbContext> OpenAsApproverAsync(CurrentUser user, CancellationToken ct) =>
        (await dbFactory.CreateDbContextAsync(ct)).WithScope(DataScope.System, user.Id);

    /// <summary>
    /// The essentials of records the caller cannot see (subject.DescribeEssentialsAsync), for the requests among
    /// <paramref name="hidden"/> whose current step the caller may decide now (<see cref="ApprovalService.MayDecideAsync"/>:
    /// named, by role, or delegated to them) or one of whose steps the caller decided. The rest stay out of the caller's sight.
    /// </summary>
    private async Task<Dictionary<(string, Guid), ApprovalSubjectSummary>> EssentialsAsync(AppDbContext db, CurrentUser user,
        List<ApprovalRequest> hidden, bool withLines, CancellationToken ct)
    {
        var ids = hidden.Select(r => r.Id).ToList();
        var steps = await db.ApprovalSteps.AsNoTracking().Where(s => ids.Contains(s.RequestId)).ToListAsync(ct);
        var actor = ApprovalActor.Of(user);
        var now = clock.GetUtcNow().UtcDateTime;
        var decidesOn = new List<ApprovalRequest>();
        foreach (var request in hidden)
        {
            var own = steps.Where(s => s.RequestId == request.Id).ToList();
            var current = request.Status == ApprovalStatus.Pending ? own.FirstOrDefault(s => s.StepNo == request.CurrentStep) : null;
            if (own.Any(s => s.DecidedBy == user.Id) || (current is not null && await ApprovalService.MayDecideAsync(db, actor, current, now, ct)))
            {
                decidesOn.Add(request);
            }
        }

        var result = new Dictionary<(string, Guid), ApprovalSubjectSummary>();
        if (decidesOn.Count == 0)
        {
            return result;
        }

        await using var system = await OpenAsApproverAsync(user, ct);
        foreach (var group in decidesOn.GroupBy(r => r.RecordType))
        {
            if (Subject(group.Key) is not { } subject)
            {
                continue;
            }

            foreach (var (recordId, summary) in await subject.DescribeEssentialsAsync(system, [.. group.Select(r => r.RecordId).Distinct()], withLines, ct))
            {
                result[(group.Key, recordId)] = summary;
            }
        }

        return result;
    }

    private IApprovalSubject? Subject(string recordType) => subjects.FirstOrDefault(s => s.RecordType == recordType);

    private async Task NotifyNextAsync(AppDbContext db, CurrentUser decider, ApprovalRequest request, CancellationToken ct)
    {
        var next = await db.ApprovalSteps.AsNoTracking().FirstAsync(s => s.RequestId == request.Id && s.StepNo == request.CurrentStep, ct);
        var title = Subject(request.RecordType) is { } subject
            && (await subject.DescribeAsync(db, decider, [request.RecordId], withDetail: false, ct)).TryGetValue(request.RecordId, out var summary)
            ? summary.Title : request.RecordType;
        var requester = await db.Users.AsNoTracking().Where(u => u.Id == request.RequestedBy).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
        await flows.NotifyStepAsync(db, request, new ApprovalStepSpec(next.ApproverId, next.Role, next.ApproverRole), title, requester ?? "", ct);
    }

    /// <summary>The people who delegated their approvals to <paramref name="me"/> for now.</summary>
    private async Task<List<Guid>> DelegatorsAsync(AppDbContext db, Guid me, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.ApprovalDelegations.AsNoTracking().Where(d => d.ToUserId == me && d.RevokedAt == null && d.StartsAt <= now && d.EndsAt > now)
            .Select(d => d.FromUserId).ToListAsync(ct);
    }

    private async Task<ApprovalDto> ReadAsync(AppDbContext db, CurrentUser user, Guid id, CancellationToken ct)
    {
        var request = await db.ApprovalRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        var me = user.Id;
        var roles = user.Roles.ToList();
        var onBehalfOf = request is null ? [] : await DelegatorsAsync(db, me, ct);
        var involved = request is not null && (request.RequestedBy == me || user.IsAdmin
            || await db.ApprovalSteps.AnyAsync(s => s.RequestId == id && (s.ApproverId == me || s.DecidedBy == me || onBehalfOf.Contains(s.ApproverId)
                || (s.ApproverRole != null && roles.Contains(s.ApproverRole))), ct));
        var dto = involved ? (await ToDtosAsync(db, user, [request!], withDetail: true, ct)).SingleOrDefault() : null;
        return dto ?? throw new NotFoundException("The approval");
    }

    // Requests whose record the caller cannot see are left out — approving is no way around the data scope — unless the caller
    // decides on them: then they carry the record's essentials only (no link, no detail).
    private async Task<IReadOnlyList<ApprovalDto>> ToDtosAsync(AppDbContext db, CurrentUser user, List<ApprovalRequest> requests,
        bool withDetail, CancellationToken ct)
    {
        if (requests.Count == 0)
        {
            return [];
        }

        var ids = requests.Select(r => r.Id).ToList();
        var steps = await db.ApprovalSteps.AsNoTracking().Where(s => ids.Contains(s.RequestId)).OrderBy(s => s.StepNo).ToListAsync(ct);
        var people = steps.Select(s => s.ApproverId).Concat(steps.Select(s => s.DecidedBy).OfType<Guid>())
            .Concat(requests.Select(r => r.RequestedBy)).Distinct().ToList();
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

        var hidden = requests.Where(r => !described.ContainsKey((r.RecordType, r.RecordId))).ToList();
        if (hidden.Count > 0)
        {
            foreach (var (key, summary) in await EssentialsAsync(db, user, hidden, withDetail, ct))
            {
                described[key] = summary;
            }
        }

        return [.. requests
            .Where(r => described.ContainsKey((r.RecordType, r.RecordId)))
            .Select(r => new ApprovalDto(r.Id, r.RecordType, r.RecordId, ApprovalReason.Text(r), r.Status, r.CurrentStep, r.RequestedBy,
                names.GetValueOrDefault(r.RequestedBy), Utc(r.RequestedAt), r.DecidedAt is { } d ? Utc(d) : null,
                [.. steps.Where(s => s.RequestId == r.Id).Select(s => new ApprovalStepDto(s.StepNo, s.Role, s.ApproverId,
                    names.GetValueOrDefault(s.ApproverId), s.Status, s.Comment, s.DecidedAt is { } at ? Utc(at) : null, s.ApproverRole,
                    s.DecidedBy, s.DecidedBy is { } by ? names.GetValueOrDefault(by) : null))],
                described[(r.RecordType, r.RecordId)], r.Round))];
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
