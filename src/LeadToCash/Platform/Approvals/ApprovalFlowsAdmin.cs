using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Approvals;

public sealed record FlowConditionDto(string Field, ConditionOperator Operator, decimal Value);

public sealed record FlowStepDto(ApproverKind Kind, Guid? UserId = null, string? RoleName = null, string? UserName = null);

public sealed record ApprovalFlowDto(Guid Id, string DocumentType, string Name, int Priority, bool IsActive,
    IReadOnlyList<FlowConditionDto> Conditions, IReadOnlyList<FlowStepDto> Steps, int Version);

public sealed record ApprovalFlowRequest(string DocumentType, string Name, int Priority, IReadOnlyList<FlowStepDto> Steps,
    IReadOnlyList<FlowConditionDto>? Conditions = null, bool IsActive = true, int? Version = null);

/// <summary>A document type flows can be defined for, and the fields its conditions may test.</summary>
public sealed record ApprovalDocumentTypeDto(string DocumentType, IReadOnlyList<string> Fields);

/// <summary>
/// The Admin's approval flows per document type: conditions that choose the flow and the ordered steps. A document type
/// without a matching flow is approved by the requester's manager alone.
/// </summary>
public sealed class ApprovalFlowsHandler(IDbContextFactory<AppDbContext> dbFactory, IEnumerable<IApprovalSubject> subjects)
{
    public const int MaxSteps = 6;
    public const int MaxConditions = 6;

    public IReadOnlyList<ApprovalDocumentTypeDto> DocumentTypes() =>
        [.. subjects.OrderBy(s => s.RecordType, StringComparer.Ordinal).Select(s => new ApprovalDocumentTypeDto(s.RecordType, s.ConditionFields))];

    public async Task<IReadOnlyList<ApprovalFlowDto>> ListAsync(CurrentUser user, string? documentType, CancellationToken ct = default)
    {
        user.Require(Permissions.ApprovalFlowsManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var flows = await db.ApprovalFlows.AsNoTracking().Where(f => documentType == null || f.DocumentType == documentType)
            .OrderBy(f => f.DocumentType).ThenBy(f => f.Priority).ThenBy(f => f.Name).ToListAsync(ct);
        return await DtosAsync(db, flows, ct);
    }

    public async Task<ApprovalFlowDto> GetAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.ApprovalFlowsManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await ReadAsync(db, id, ct);
    }

    public async Task<ApprovalFlowDto> CreateAsync(CurrentUser user, ApprovalFlowRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.ApprovalFlowsManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        await CheckAsync(db, request, ct);
        var flow = new ApprovalFlow { DocumentType = request.DocumentType, Name = request.Name.Trim() };
        db.ApprovalFlows.Add(flow);
        Apply(db, flow, request);
        await db.SaveChangesAsync(ct);
        return await ReadAsync(db, flow.Id, ct);
    }

    /// <summary>Replaces the flow's name, priority, conditions and steps. Requests already started keep the steps they were given.</summary>
    public async Task<ApprovalFlowDto> UpdateAsync(CurrentUser user, Guid id, ApprovalFlowRequest request, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.ApprovalFlowsManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var flow = await db.ApprovalFlows.FirstOrDefaultAsync(f => f.Id == id, ct) ?? throw new NotFoundException("The approval flow");
        Versioning.EnsureVersion(flow.Version, version);
        await CheckAsync(db, request, ct);
        if (request.DocumentType != flow.DocumentType)
        {
            throw Invalid("documentType", "A flow keeps its document type: create a new flow for another type.");
        }

        flow.Name = request.Name.Trim();
        db.ApprovalFlowSteps.RemoveRange(await db.ApprovalFlowSteps.Where(s => s.FlowId == id).ToListAsync(ct));
        db.ApprovalFlowConditions.RemoveRange(await db.ApprovalFlowConditions.Where(c => c.FlowId == id).ToListAsync(ct));
        // The old steps go first: the new ones reuse their step numbers.
        await db.SaveChangesAsync(ct);
        Apply(db, flow, request);
        await db.SaveChangesAsync(ct);
        return await ReadAsync(db, id, ct);
    }

    public async Task DeleteAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.ApprovalFlowsManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var flow = await db.ApprovalFlows.FirstOrDefaultAsync(f => f.Id == id, ct) ?? throw new NotFoundException("The approval flow");
        db.ApprovalFlows.Remove(flow);
        await db.SaveChangesAsync(ct);
    }

    private static void Apply(AppDbContext db, ApprovalFlow flow, ApprovalFlowRequest request)
    {
        flow.Priority = request.Priority;
        flow.IsActive = request.IsActive;
        for (var i = 0; i < request.Steps.Count; i++)
        {
            var step = request.Steps[i];
            db.ApprovalFlowSteps.Add(new ApprovalFlowStep
            {
                FlowId = flow.Id,
                StepNo = i + 1,
                Kind = step.Kind,
                UserId = step.Kind == ApproverKind.User ? step.UserId : null,
                RoleName = step.Kind == ApproverKind.Role ? step.RoleName : null,
            });
        }

        foreach (var condition in request.Conditions ?? [])
        {
            db.ApprovalFlowConditions.Add(new ApprovalFlowCondition
            {
                FlowId = flow.Id,
                Field = condition.Field,
                Operator = condition.Operator,
                Value = condition.Value,
            });
        }
    }

    private async Task CheckAsync(AppDbContext db, ApprovalFlowRequest request, CancellationToken ct)
    {
        var failures = new List<ValidationFailure>();
        var subject = subjects.FirstOrDefault(s => s.RecordType == request.DocumentType);
        if (subject is null)
        {
            failures.Add(new ValidationFailure("documentType",
                $"Flows exist for: {string.Join(", ", subjects.Select(s => s.RecordType).Order(StringComparer.Ordinal))}."));
        }

        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 100)
        {
            failures.Add(new ValidationFailure("name", "Give the flow a name of at most 100 characters."));
        }

        if (request.Priority is < 0 or > 1000)
        {
            failures.Add(new ValidationFailure("priority", "The priority is a number from 0 to 1000 (lower is tried first)."));
        }

        if (request.Steps is not { Count: > 0 and <= MaxSteps })
        {
            failures.Add(new ValidationFailure("steps", $"A flow has 1 to {MaxSteps} steps."));
        }

        var conditions = request.Conditions ?? [];
        if (conditions.Count > MaxConditions)
        {
            failures.Add(new ValidationFailure("conditions", $"A flow has at most {MaxConditions} conditions."));
        }

        for (var i = 0; i < conditions.Count; i++)
        {
            if (subject is not null && !subject.ConditionFields.Contains(conditions[i].Field))
            {
                failures.Add(new ValidationFailure($"conditions[{i}].field",
                    $"A {subject.RecordType} flow can test: {string.Join(", ", subject.ConditionFields)}."));
            }

            if (!Enum.IsDefined(conditions[i].Operator))
            {
                failures.Add(new ValidationFailure($"conditions[{i}].operator", "The operator is AtLeast or Below."));
            }

            if (conditions[i].Value is < 0 or > 1_000_000_000_000m)
            {
                failures.Add(new ValidationFailure($"conditions[{i}].value", "The value is a number from 0 to 1,000,000,000,000."));
            }
        }

        var steps = request.Steps ?? [];
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var field = $"steps[{i}]";
            switch (step.Kind)
            {
                case ApproverKind.User when step.UserId is not { } userId || !await db.Users.AnyAsync(u => u.Id == userId && u.IsActive, ct):
                    failures.Add(new ValidationFailure(field + ".userId", "Choose an active person for this step."));
                    break;
                case ApproverKind.Role when step.RoleName is null || !Roles.All.Contains(step.RoleName):
                    failures.Add(new ValidationFailure(field + ".roleName", $"Choose a role: {string.Join(", ", Roles.All)}."));
                    break;
                case ApproverKind.Manager or ApproverKind.Director or ApproverKind.User or ApproverKind.Role:
                    break;
                default:
                    failures.Add(new ValidationFailure(field + ".kind", "The step's approver is Manager, Director, User or Role."));
                    break;
            }
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }
    }

    private static async Task<ApprovalFlowDto> ReadAsync(AppDbContext db, Guid id, CancellationToken ct)
    {
        var flow = await db.ApprovalFlows.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct) ?? throw new NotFoundException("The approval flow");
        return (await DtosAsync(db, [flow], ct))[0];
    }

    private static async Task<List<ApprovalFlowDto>> DtosAsync(AppDbContext db, List<ApprovalFlow> flows, CancellationToken ct)
    {
        var ids = flows.Select(f => f.Id).ToList();
        var steps = await db.ApprovalFlowSteps.AsNoTracking().Where(s => ids.Contains(s.FlowId)).OrderBy(s => s.StepNo).ToListAsync(ct);
        var conditions = await db.ApprovalFlowConditions.AsNoTracking().Where(c => ids.Contains(c.FlowId)).ToListAsync(ct);
        var people = steps.Select(s => s.UserId).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return [.. flows.Select(f => new ApprovalFlowDto(f.Id, f.DocumentType, f.Name, f.Priority, f.IsActive,
            [.. conditions.Where(c => c.FlowId == f.Id).OrderBy(c => c.Field, StringComparer.Ordinal).Select(c => new FlowConditionDto(c.Field, c.Operator, c.Value))],
            [.. steps.Where(s => s.FlowId == f.Id).Select(s => new FlowStepDto(s.Kind, s.UserId, s.RoleName,
                s.UserId is { } u ? names.GetValueOrDefault(u) : null))],
            f.Version))];
    }

    private static ValidationException Invalid(string field, string message) => new([new ValidationFailure(field, message)]);
}
