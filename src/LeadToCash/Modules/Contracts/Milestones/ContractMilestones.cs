using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Contracts.Milestones;

/// <summary>
/// The delivery milestones of a contract (shipped, installed, accepted by the customer…) with planned and actual dates: read
/// with the contract, written by those who may change it, in any status but in approval or terminated.
/// </summary>
public sealed class ContractMilestonesHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    public const int MaxNameLength = 200;

    public async Task<IReadOnlyList<ContractMilestoneDto>> ListAsync(CurrentUser user, Guid contractId, CancellationToken ct = default)
    {
        user.Require(Permissions.ContractsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        await ContractStore.VisibleAsync(db, contractId, ct);
        return await ContractStore.MilestonesAsync(db, contractId, ct);
    }

    public async Task<ContractMilestoneDto> AddAsync(CurrentUser user, Guid contractId, ContractMilestoneRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.ContractsEdit);
        Validate(request);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var contract = await ChangeableAsync(db, user, contractId, ct);
        var next = await db.ContractMilestones.Where(m => m.ContractId == contract.Id).Select(m => (int?)m.SortOrder).MaxAsync(ct) ?? -1;
        var milestone = new ContractMilestone { ContractId = contract.Id, Name = "", SortOrder = request.SortOrder ?? next + 1 };
        Apply(milestone, request);
        db.ContractMilestones.Add(milestone);
        await db.SaveChangesAsync(ct);
        return Dto(milestone);
    }

    public async Task<ContractMilestoneDto> UpdateAsync(CurrentUser user, Guid contractId, Guid milestoneId, ContractMilestoneRequest request, int version,
        CancellationToken ct = default)
    {
        user.Require(Permissions.ContractsEdit);
        Validate(request);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var contract = await ChangeableAsync(db, user, contractId, ct);
        var milestone = await db.ContractMilestones.FirstOrDefaultAsync(m => m.Id == milestoneId && m.ContractId == contract.Id, ct)
            ?? throw new NotFoundException("The milestone");
        Versioning.EnsureVersion(milestone.Version, version);
        Apply(milestone, request);
        if (request.SortOrder is { } order)
        {
            milestone.SortOrder = order;
        }

        await db.SaveChangesAsync(ct);
        return Dto(milestone);
    }

    public async Task DeleteAsync(CurrentUser user, Guid contractId, Guid milestoneId, CancellationToken ct = default)
    {
        user.Require(Permissions.ContractsEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var contract = await ChangeableAsync(db, user, contractId, ct);
        var milestone = await db.ContractMilestones.FirstOrDefaultAsync(m => m.Id == milestoneId && m.ContractId == contract.Id, ct)
            ?? throw new NotFoundException("The milestone");
        db.ContractMilestones.Remove(milestone);
        await db.SaveChangesAsync(ct);
    }

    private static async Task<Contract> ChangeableAsync(AppDbContext db, CurrentUser user, Guid contractId, CancellationToken ct)
    {
        var contract = await ContractStore.ChangeableAsync(db, user, contractId, ct);
        return contract.Status is ContractStatus.InApproval or ContractStatus.Terminated
            ? throw new ConflictException($"The milestones of a contract that is {contract.Status} cannot change.")
            : contract;
    }

    private static void Validate(ContractMilestoneRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > MaxNameLength)
        {
            throw ContractStore.Invalid("name", $"A milestone needs a name of at most {MaxNameLength} characters.");
        }

        if (request.Notes is { Length: > ContractStore.MaxReasonLength })
        {
            throw ContractStore.Invalid("notes", $"At most {ContractStore.MaxReasonLength} characters.");
        }

        if (request.SortOrder is < 0 or > 10_000)
        {
            throw ContractStore.Invalid("sortOrder", "The order must be between 0 and 10000.");
        }
    }

    private static void Apply(ContractMilestone milestone, ContractMilestoneRequest request)
    {
        milestone.Name = request.Name.Trim();
        milestone.PlannedDate = request.PlannedDate;
        milestone.ActualDate = request.ActualDate;
        milestone.Notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim();
    }

    private static ContractMilestoneDto Dto(ContractMilestone m) => new(m.Id, m.SortOrder, m.Name, m.PlannedDate, m.ActualDate, m.Notes, m.Version);
}

public static class ContractMilestonesEndpoints
{
    public static void MapContractMilestones(this RouteGroupBuilder contracts)
    {
        contracts.MapGet("/{id:guid}/milestones", async (Guid id, CurrentUser user, ContractMilestonesHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, id, ct)))
            .RequireAuthorization(Permissions.ContractsRead)
            .WithName("ListContractMilestones")
            .WithSummary("The delivery milestones of a visible contract, in their order, with planned and actual dates.");

        contracts.MapPost("/{id:guid}/milestones", async (Guid id, ContractMilestoneRequest request, CurrentUser user, ContractMilestonesHandler handler,
                CancellationToken ct) =>
            {
                var created = await handler.AddAsync(user, id, request, ct);
                return TypedResults.Created($"/api/v1/contracts/{id}/milestones/{created.Id}", created);
            })
            .RequireAuthorization(Permissions.ContractsEdit)
            .WithName("AddContractMilestone")
            .WithSummary("Add a milestone (name, planned and actual date, notes) to a contract the caller may change; not in approval or terminated.");

        contracts.MapPut("/{id:guid}/milestones/{milestoneId:guid}", async (Guid id, Guid milestoneId, ContractMilestoneRequest request, CurrentUser user,
                ContractMilestonesHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.UpdateAsync(user, id, milestoneId, request, VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.ContractsEdit)
            .WithName("UpdateContractMilestone")
            .WithSummary("Change a milestone (send the version you read), e.g. record its actual date.");

        contracts.MapDelete("/{id:guid}/milestones/{milestoneId:guid}", async (Guid id, Guid milestoneId, CurrentUser user,
                ContractMilestonesHandler handler, CancellationToken ct) =>
            {
                await handler.DeleteAsync(user, id, milestoneId, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Permissions.ContractsEdit)
            .WithName("DeleteContractMilestone")
            .WithSummary("Remove a milestone of a contract the caller may change.");
    }
}
