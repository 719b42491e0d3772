using LeadToCash.Modules.Notifications;
using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Approvals;

/// <summary>A flow with its conditions and steps, as the chooser reads it.</summary>
public sealed record FlowDefinition(ApprovalFlow Flow, IReadOnlyList<ApprovalFlowCondition> Conditions, IReadOnlyList<ApprovalFlowStep> Steps);

/// <summary>
/// Which flow a document takes: the active flows of its type by priority (lowest first, then name); the first whose every
/// condition holds for the document's facts. A condition on a fact the document does not have does not hold.
/// </summary>
public static class ApprovalFlowChooser
{
    public static FlowDefinition? Choose(IEnumerable<FlowDefinition> flows, IReadOnlyDictionary<string, decimal> facts) =>
        flows.Where(f => f.Flow.IsActive)
            .OrderBy(f => f.Flow.Priority).ThenBy(f => f.Flow.Name, StringComparer.Ordinal)
            .FirstOrDefault(f => f.Conditions.All(c => Holds(c, facts)));

    public static bool Holds(ApprovalFlowCondition condition, IReadOnlyDictionary<string, decimal> facts) =>
        facts.TryGetValue(condition.Field, out var value) && condition.Operator switch
        {
            ConditionOperator.AtLeast => value >= condition.Value,
            ConditionOperator.Below => value < condition.Value,
            _ => false,
        };
}

/// <summary>
/// Starts approvals by the Admin's flows (one engine for every document type): chooses the flow from the document's
/// facts, resolves each step's approver relative to the person the document belongs to (their manager, their manager's
/// manager) or as named (a person, anyone with a role), numbers the round, and tells the first step's approvers. A type
/// without a matching flow takes one step: the manager. Works on the caller's unit of work: nothing is saved here.
/// </summary>
public sealed class ApprovalFlowEngine(ApprovalService approvals, TimeProvider clock)
{
    public const string RequestedKind = "approval.requested";

    /// <param name="documentType">The record type (an <see cref="IApprovalSubject.RecordType"/>).</param>
    /// <param name="requester">Who asks.</param>
    /// <param name="relativeTo">Whose manager decides: the document's owner (the requester when null).</param>
    /// <param name="facts">The document's values the flows' conditions read (e.g. amount in major units, discount percent).</param>
    /// <param name="title">How the approvers' notification names the document (e.g. "HT-2026-0001 · 年度维保合同").</param>
    public async Task<ApprovalRequest> StartAsync(AppDbContext db, string documentType, Guid recordId, CurrentUser requester, Guid? relativeTo,
        IReadOnlyDictionary<string, decimal> facts, IReadOnlyList<ApprovalReasonPart> reason, string title, CancellationToken ct)
    {
        var flow = ApprovalFlowChooser.Choose(await FlowsAsync(db, documentType, ct), facts);
        var steps = await ResolveAsync(db, requester.Id, relativeTo ?? requester.Id, flow?.Steps ?? [new ApprovalFlowStep { Kind = ApproverKind.Manager }], ct);
        var round = await db.ApprovalRequests.CountAsync(r => r.RecordType == documentType && r.RecordId == recordId, ct) + 1;
        var request = approvals.Start(db, documentType, recordId, reason, requester.Id, steps, round, flow?.Flow.Id);
        await NotifyStepAsync(db, request, steps[0], title, requester.DisplayName, ct);
        return request;
    }

    /// <summary>Tells the approvers of a step that it waits on them (the named approver and their current delegate, or the role's holders).</summary>
    public async Task NotifyStepAsync(AppDbContext db, ApprovalRequest request, ApprovalStepSpec step, string title, string requesterName,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<Guid> people;
        if (step.ApproverRole is { } role)
        {
            people = await HoldersAsync(db, role, ct);
        }
        else
        {
            people = [step.ApproverId];
            people.AddRange(await db.ApprovalDelegations.AsNoTracking()
                .Where(d => d.FromUserId == step.ApproverId && d.RevokedAt == null && d.StartsAt <= now && d.EndsAt > now)
                .Select(d => d.ToUserId).ToListAsync(ct));
        }

        foreach (var person in people.Distinct())
        {
            Notify.Add(db, person, RequestedKind, "/approvals", request.RecordType, request.RecordId, now, title, requesterName);
        }
    }

    public static async Task<List<FlowDefinition>> FlowsAsync(AppDbContext db, string documentType, CancellationToken ct)
    {
        var flows = await db.ApprovalFlows.AsNoTracking().Where(f => f.DocumentType == documentType && f.IsActive).ToListAsync(ct);
        var ids = flows.Select(f => f.Id).ToList();
        var conditions = await db.ApprovalFlowConditions.AsNoTracking().Where(c => ids.Contains(c.FlowId)).ToListAsync(ct);
        var steps = await db.ApprovalFlowSteps.AsNoTracking().Where(s => ids.Contains(s.FlowId)).OrderBy(s => s.StepNo).ToListAsync(ct);
        return [.. flows.Select(f => new FlowDefinition(f, [.. conditions.Where(c => c.FlowId == f.Id)], [.. steps.Where(s => s.FlowId == f.Id)]))];
    }

    /// <summary>
    /// The approvers of the steps. A step that would fall to the requester is left out (nobody approves their own
    /// request), as is one that repeats the step before it; when nothing is left, the manager decides.
    /// </summary>
    public static async Task<List<ApprovalStepSpec>> ResolveAsync(AppDbContext db, Guid requesterId, Guid relativeTo,
        IReadOnlyList<ApprovalFlowStep> steps, CancellationToken ct)
    {
        var tree = await CurrentUserResolver.LoadTreeAsync(db, ct);
        var teams = await db.Users.AsNoTracking().Where(u => u.IsActive).Select(u => new { u.Id, u.TeamId }).ToDictionaryAsync(u => u.Id, u => u.TeamId, ct);
        var result = new List<ApprovalStepSpec>();
        foreach (var step in steps)
        {
            var spec = step.Kind switch
            {
                ApproverKind.Manager => new ApprovalStepSpec(await ManagerAsync(db, tree, teams, relativeTo, requesterId, ct), "manager"),
                ApproverKind.Director => new ApprovalStepSpec(await DirectorAsync(db, tree, teams, relativeTo, requesterId, ct), "director"),
                ApproverKind.User => new ApprovalStepSpec(step.UserId is { } named && teams.ContainsKey(named) ? named
                    : throw new ConflictException("The approval flow names a person who is no longer active: an Admin should change the flow."), "user"),
                _ => await HoldersAsync(db, step.RoleName ?? "", ct) is { Count: > 0 }
                    ? new ApprovalStepSpec(Guid.Empty, step.RoleName!, step.RoleName)
                    : throw new ConflictException($"Nobody active holds the role {step.RoleName} that the approval flow names: an Admin should change the flow."),
            };
            if ((spec.ApproverRole is null && spec.ApproverId == requesterId) || (result.Count > 0 && result[^1] == spec))
            {
                continue;
            }

            result.Add(spec);
        }

        return result.Count > 0 ? result : [new ApprovalStepSpec(await ManagerAsync(db, tree, teams, relativeTo, requesterId, ct), "manager")];
    }

    private static Task<List<Guid>> HoldersAsync(AppDbContext db, string role, CancellationToken ct) =>
        db.Users.AsNoTracking().Where(u => u.IsActive
                && db.UserRoles.Any(r => r.UserId == u.Id && db.Roles.Any(x => x.Id == r.RoleId && x.Name == role)))
            .Select(u => u.Id).ToListAsync(ct);

    /// <summary>The person's manager; with no one above (they head the company), an Admin other than the requester.</summary>
    private static async Task<Guid> ManagerAsync(AppDbContext db, TeamTree tree, Dictionary<Guid, Guid?> teams, Guid person, Guid requesterId,
        CancellationToken ct)
    {
        if (tree.ManagerOf(person, teams.GetValueOrDefault(person)) is { } manager && teams.ContainsKey(manager))
        {
            return manager;
        }

        return await AdminAsync(db, requesterId, person, ct);
    }

    /// <summary>The manager's manager; with no one that high, an Admin.</summary>
    private static async Task<Guid> DirectorAsync(AppDbContext db, TeamTree tree, Dictionary<Guid, Guid?> teams, Guid person, Guid requesterId,
        CancellationToken ct)
    {
        if (tree.ManagerOf(person, teams.GetValueOrDefault(person)) is { } manager
            && tree.ManagerOf(manager, teams.GetValueOrDefault(manager)) is { } director && teams.ContainsKey(director))
        {
            return director;
        }

        return await AdminAsync(db, requesterId, person, ct);
    }

    private static async Task<Guid> AdminAsync(AppDbContext db, Guid requesterId, Guid person, CancellationToken ct)
    {
        var admin = await db.Users.AsNoTracking().Where(u => u.IsActive && u.Id != requesterId && u.Id != person)
            .Where(u => db.UserRoles.Any(r => r.UserId == u.Id && db.Roles.Any(role => role.Id == r.RoleId && role.Name == Roles.Admin)))
            .OrderBy(u => u.CreatedAt).Select(u => u.Id).FirstOrDefaultAsync(ct);
        return admin != Guid.Empty ? admin : throw new ConflictException("Nobody above the requester can approve this.");
    }
}
