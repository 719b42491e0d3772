using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Approvals;

/// <summary>
/// One step of a chain to start: who decides it and in which role (e.g. "manager", "director", "Finance"). A step for anyone
/// holding a role names it in <paramref name="ApproverRole"/> and leaves <paramref name="ApproverId"/> empty.
/// </summary>
public sealed record ApprovalStepSpec(Guid ApproverId, string Role, string? ApproverRole = null);

/// <summary>Who acts on an approval: their id and roles (a role step is decided by anyone holding the role).</summary>
public sealed record ApprovalActor(Guid Id, IReadOnlySet<string> Roles)
{
    public static ApprovalActor Of(Auth.CurrentUser user) => new(user.Id, user.Roles);
}

/// <summary>What a decision did: the request and step as they now stand, and whether the request is finished.</summary>
public sealed record ApprovalOutcome(ApprovalRequest Request, ApprovalStep Step, bool Finished);

/// <summary>
/// The approval chain itself, for any kind of record: a request has one or more steps decided in order (1, 2, …); the
/// request waits on <see cref="ApprovalRequest.CurrentStep"/>, moves to the next step when that one is approved, is
/// approved when the last one is, and is rejected as soon as any step is (the steps after it are cancelled). The
/// callers (a quote's discount, later a contract's chain) add what the outcome means for their record. Works on the
/// caller's unit of work: nothing is saved here.
/// </summary>
public sealed class ApprovalService(TimeProvider clock)
{
    public const int MaxCommentLength = 1000;

    /// <summary>Starts a request whose reason is plain text (the same for every reader).</summary>
    public ApprovalRequest Start(AppDbContext db, string recordType, Guid recordId, string reason, Guid requestedBy,
        IReadOnlyList<ApprovalStepSpec> steps) => Start(db, recordType, recordId, reason, null, requestedBy, steps, round: 1, flowId: null);

    /// <summary>Starts a request whose reason each reader sees in their language (see <see cref="ApprovalReason"/>).</summary>
    public ApprovalRequest Start(AppDbContext db, string recordType, Guid recordId, IReadOnlyList<ApprovalReasonPart> reason, Guid requestedBy,
        IReadOnlyList<ApprovalStepSpec> steps, int round = 1, Guid? flowId = null) =>
        Start(db, recordType, recordId, ApprovalReason.RenderInvariant(reason), ApprovalReason.Serialize(reason), requestedBy, steps, round, flowId);

    private ApprovalRequest Start(AppDbContext db, string recordType, Guid recordId, string reason, string? reasonParts, Guid requestedBy,
        IReadOnlyList<ApprovalStepSpec> steps, int round, Guid? flowId)
    {
        if (steps.Count == 0)
        {
            throw new ArgumentException("An approval needs at least one step.", nameof(steps));
        }

        var request = new ApprovalRequest
        {
            RecordType = recordType,
            RecordId = recordId,
            Reason = reason.Length > 1000 ? reason[..1000] : reason,
            ReasonParts = reasonParts,
            RequestedBy = requestedBy,
            RequestedAt = clock.GetUtcNow().UtcDateTime,
            Status = ApprovalStatus.Pending,
            CurrentStep = 1,
            Round = round,
            FlowId = flowId,
        };
        db.ApprovalRequests.Add(request);
        for (var i = 0; i < steps.Count; i++)
        {
            db.ApprovalSteps.Add(new ApprovalStep
            {
                RequestId = request.Id,
                StepNo = i + 1,
                Role = steps[i].Role,
                ApproverId = steps[i].ApproverId,
                ApproverRole = steps[i].ApproverRole,
                Status = ApprovalStatus.Pending,
            });
        }

        return request;
    }

    /// <summary>As below, for a person acting without roles (the step must name them, or a delegation to them).</summary>
    public Task<ApprovalOutcome> DecideAsync(AppDbContext db, Guid approverId, Guid requestId, bool approve, string? comment,
        CancellationToken ct) => DecideAsync(db, new ApprovalActor(approverId, new HashSet<string>()), requestId, approve, comment, ct);

    /// <summary>
    /// The approver of the current step decides it: the person it names, anyone holding its role, or someone the named
    /// approver delegated to for now. Someone else: 403; a finished request: 409; a rejection needs a comment.
    /// </summary>
    public async Task<ApprovalOutcome> DecideAsync(AppDbContext db, ApprovalActor actor, Guid requestId, bool approve, string? comment,
        CancellationToken ct)
    {
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (comment is { Length: > MaxCommentLength })
        {
            throw new ValidationException([new ValidationFailure("comment", $"The comment has at most {MaxCommentLength} characters.")]);
        }

        if (!approve && comment is null)
        {
            throw new ValidationException([new ValidationFailure("comment", "Say why the request is rejected: the requester reads it.")
                { ErrorCode = "RejectionComment" }]);
        }

        var request = await db.ApprovalRequests.FirstOrDefaultAsync(r => r.Id == requestId, ct) ?? throw new NotFoundException("The approval");
        var steps = await db.ApprovalSteps.Where(s => s.RequestId == requestId).OrderBy(s => s.StepNo).ToListAsync(ct);
        if (request.Status != ApprovalStatus.Pending)
        {
            throw new ConflictException($"This approval was already decided ({request.Status}).");
        }

        var step = steps.FirstOrDefault(s => s.StepNo == request.CurrentStep)
            ?? throw new InvalidOperationException($"Approval {request.Id} waits on step {request.CurrentStep}, which it does not have.");
        var now = clock.GetUtcNow().UtcDateTime;
        if (!await MayDecideAsync(db, actor, step, now, ct))
        {
            throw new ForbiddenException("This step of the approval is someone else's to decide.");
        }

        step.Status = approve ? ApprovalStatus.Approved : ApprovalStatus.Rejected;
        step.Comment = comment;
        step.DecidedAt = now;
        step.DecidedBy = actor.Id;
        var finished = true;
        if (!approve)
        {
            request.Status = ApprovalStatus.Rejected;
            foreach (var later in steps.Where(s => s.StepNo > step.StepNo && s.Status == ApprovalStatus.Pending))
            {
                later.Status = ApprovalStatus.Cancelled;
            }
        }
        else if (steps.FirstOrDefault(s => s.StepNo > step.StepNo) is { } next)
        {
            request.CurrentStep = next.StepNo;
            finished = false;
        }
        else
        {
            request.Status = ApprovalStatus.Approved;
        }

        // Either way the request row changes (status or current step), so its version moves: two approvers deciding at once
        // cannot both pass.
        if (finished)
        {
            request.DecidedAt = now;
        }

        return new ApprovalOutcome(request, step, finished);
    }

    /// <summary>Whether <paramref name="actor"/> may decide <paramref name="step"/> at <paramref name="now"/>.</summary>
    public static async Task<bool> MayDecideAsync(AppDbContext db, ApprovalActor actor, ApprovalStep step, DateTime now, CancellationToken ct)
    {
        if (step.ApproverRole is { } role)
        {
            return actor.Roles.Contains(role);
        }

        return step.ApproverId == actor.Id || await db.ApprovalDelegations.AnyAsync(d => d.FromUserId == step.ApproverId && d.ToUserId == actor.Id
            && d.RevokedAt == null && d.StartsAt <= now && d.EndsAt > now, ct);
    }

    /// <summary>
    /// Who may take a request back: its requester, or an Admin (with approvals.decide). The one rule for the command and for
    /// the pages that offer it (see <see cref="CanWithdrawNow"/>).
    /// </summary>
    public static bool MayWithdraw(ApprovalRequest request, Auth.CurrentUser user) =>
        user.Has(Auth.Permissions.ApprovalsDecide) && (request.RequestedBy == user.Id || user.IsAdmin);

    /// <summary>Whether <paramref name="user"/> may withdraw <paramref name="request"/> now: it is pending and theirs to withdraw.</summary>
    public static bool CanWithdrawNow(ApprovalRequest request, Auth.CurrentUser user) =>
        request.Status == ApprovalStatus.Pending && MayWithdraw(request, user);

    /// <summary>The requester (or an Admin) takes a pending request back, to change the record and submit it again.</summary>
    public async Task<ApprovalRequest> WithdrawAsync(AppDbContext db, Auth.CurrentUser user, Guid requestId, CancellationToken ct)
    {
        var request = await db.ApprovalRequests.FirstOrDefaultAsync(r => r.Id == requestId, ct) ?? throw new NotFoundException("The approval");
        if (!MayWithdraw(request, user))
        {
            throw new ForbiddenException("Only the requester can withdraw this approval.");
        }

        if (request.Status != ApprovalStatus.Pending)
        {
            throw new ConflictException($"This approval was already decided ({request.Status}).");
        }

        await CancelAsync(db, requestId, ct);
        return request;
    }

    /// <summary>Withdraws a pending request (its record changed, e.g. a new version of the quote): no one decides it any more.</summary>
    public async Task CancelAsync(AppDbContext db, Guid requestId, CancellationToken ct)
    {
        var request = await db.ApprovalRequests.FirstOrDefaultAsync(r => r.Id == requestId, ct);
        if (request is not { Status: ApprovalStatus.Pending })
        {
            return;
        }

        request.Status = ApprovalStatus.Cancelled;
        request.DecidedAt = clock.GetUtcNow().UtcDateTime;
        foreach (var step in await db.ApprovalSteps.Where(s => s.RequestId == requestId && s.Status == ApprovalStatus.Pending).ToListAsync(ct))
        {
            step.Status = ApprovalStatus.Cancelled;
        }
    }
}
