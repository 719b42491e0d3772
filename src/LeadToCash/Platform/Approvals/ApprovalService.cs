using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Approvals;

/// <summary>One step of a chain to start: who decides it and in which role (e.g. "manager", "finance", "director").</summary>
public sealed record ApprovalStepSpec(Guid ApproverId, string Role);

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
        IReadOnlyList<ApprovalStepSpec> steps) => Start(db, recordType, recordId, reason, null, requestedBy, steps);

    /// <summary>Starts a request whose reason each reader sees in their language (see <see cref="ApprovalReason"/>).</summary>
    public ApprovalRequest Start(AppDbContext db, string recordType, Guid recordId, IReadOnlyList<ApprovalReasonPart> reason, Guid requestedBy,
        IReadOnlyList<ApprovalStepSpec> steps) =>
        Start(db, recordType, recordId, ApprovalReason.RenderInvariant(reason), ApprovalReason.Serialize(reason), requestedBy, steps);

    private ApprovalRequest Start(AppDbContext db, string recordType, Guid recordId, string reason, string? reasonParts, Guid requestedBy,
        IReadOnlyList<ApprovalStepSpec> steps)
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
                Status = ApprovalStatus.Pending,
            });
        }

        return request;
    }

    /// <summary>
    /// The approver of the current step decides it. Someone else: 403; a finished request: 409; a rejection needs a comment.
    /// </summary>
    public async Task<ApprovalOutcome> DecideAsync(AppDbContext db, Guid approverId, Guid requestId, bool approve, string? comment,
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
        if (step.ApproverId != approverId)
        {
            throw new ForbiddenException("This step of the approval is someone else's to decide.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        step.Status = approve ? ApprovalStatus.Approved : ApprovalStatus.Rejected;
        step.Comment = comment;
        step.DecidedAt = now;
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
