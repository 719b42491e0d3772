using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Modules.Opportunities.Pipelines;

public sealed record RequirementDto(Guid Id, Guid StageId, RequirementKind Kind, string? Code, string? Text, string? TextEn, string Label,
    int SortOrder);

public sealed record StageDto(Guid Id, Guid PipelineId, string Name, string? NameEn, string DisplayName, int SortOrder, int Probability,
    StageKind Kind, bool IsActive, int Version, IReadOnlyList<RequirementDto> Requirements);

public sealed record PipelineDto(Guid Id, string Name, string? NameEn, string DisplayName, string? ProductLine, bool IsDefault, bool IsActive,
    int SortOrder, int Version, IReadOnlyList<StageDto> Stages);

public sealed record PipelineRequest(string Name, string? NameEn = null, string? ProductLine = null, bool IsActive = true, int? Version = null);

public sealed record StageRequest(string Name, string? NameEn = null, int Probability = 0, StageKind Kind = StageKind.Open, bool IsActive = true,
    int? Version = null);

public sealed record OrderRequest(IReadOnlyList<Guid>? Ids);

/// <summary>A requirement to add: a deliverable (code from the list), a field (code from the list), or a checklist text.</summary>
public sealed record RequirementRequest(RequirementKind Kind, string? Code = null, string? Text = null, string? TextEn = null);

/// <summary>
/// Pipelines, their stages and the stages' requirements (SOP checklists). Everyone who works with opportunities reads
/// them; only an Admin (pipelines.manage) changes them. A pipeline always keeps one won and one lost stage; a stage with
/// open deals in it cannot be switched off; the default pipeline cannot be switched off.
/// </summary>
public sealed class PipelinesHandler(IDbContextFactory<AppDbContext> dbFactory, IStringLocalizer<SharedResource> strings)
{
    public async Task<IReadOnlyList<PipelineDto>> ListAsync(CurrentUser user, bool includeInactive = false, CancellationToken ct = default)
    {
        user.Require(Permissions.OpportunitiesRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var maps = await PipelineMap.LoadAllAsync(db, ct);
        return [.. maps.Where(m => includeInactive || m.Pipeline.IsActive).Select(m => Dto(m, includeInactive))];
    }

    public async Task<PipelineDto> GetAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.OpportunitiesRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return Dto(await PipelineMap.LoadAsync(db, id, ct), true);
    }

    public async Task<PipelineDto> CreateAsync(CurrentUser user, PipelineRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.PipelinesManage);
        CheckNames(request.Name, request.NameEn, request.ProductLine);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var order = await db.Pipelines.Select(p => (int?)p.SortOrder).MaxAsync(ct) ?? -1;
        var pipeline = new Pipeline
        {
            Name = request.Name.Trim(), NameEn = Clean(request.NameEn), ProductLine = Clean(request.ProductLine), SortOrder = order + 1,
            IsDefault = !await db.Pipelines.AnyAsync(p => p.IsActive, ct),
        };
        db.Pipelines.Add(pipeline);
        // Every pipeline ends in a won and a lost stage; the Admin adds the open stages before them.
        db.PipelineStages.Add(new PipelineStage { PipelineId = pipeline.Id, Name = "赢单", NameEn = "Won", Probability = 100, Kind = StageKind.Won, SortOrder = 100 });
        db.PipelineStages.Add(new PipelineStage { PipelineId = pipeline.Id, Name = "输单", NameEn = "Lost", Probability = 0, Kind = StageKind.Lost, SortOrder = 101 });
        await db.SaveChangesAsync(ct);
        return Dto(await PipelineMap.LoadAsync(db, pipeline.Id, ct), true);
    }

    public async Task<PipelineDto> UpdateAsync(CurrentUser user, Guid id, PipelineRequest request, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.PipelinesManage);
        CheckNames(request.Name, request.NameEn, request.ProductLine);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var pipeline = await db.Pipelines.FirstOrDefaultAsync(p => p.Id == id, ct) ?? throw new NotFoundException("The pipeline");
        Versioning.EnsureVersion(pipeline.Version, version);
        if (!request.IsActive && pipeline.IsDefault)
        {
            throw new ConflictException("The default pipeline stays in use; make another pipeline the default first.");
        }

        pipeline.Name = request.Name.Trim();
        pipeline.NameEn = Clean(request.NameEn);
        pipeline.ProductLine = Clean(request.ProductLine);
        pipeline.IsActive = request.IsActive;
        await db.SaveChangesAsync(ct);
        return Dto(await PipelineMap.LoadAsync(db, id, ct), true);
    }

    public async Task<PipelineDto> MakeDefaultAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.PipelinesManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var pipelines = await db.Pipelines.ToListAsync(ct);
        var chosen = pipelines.FirstOrDefault(p => p.Id == id) ?? throw new NotFoundException("The pipeline");
        if (!chosen.IsActive)
        {
            throw new ConflictException("A pipeline that is switched off cannot be the default; switch it on first.");
        }

        foreach (var pipeline in pipelines)
        {
            pipeline.IsDefault = pipeline.Id == id;
        }

        await db.SaveChangesAsync(ct);
        return Dto(await PipelineMap.LoadAsync(db, id, ct), true);
    }

    public async Task<PipelineDto> AddStageAsync(CurrentUser user, Guid pipelineId, StageRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.PipelinesManage);
        CheckStage(request);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var map = await PipelineMap.LoadAsync(db, pipelineId, ct);
        if (request.Kind != StageKind.Open && map.Stages.Any(s => s.Kind == request.Kind && s.IsActive))
        {
            throw new ConflictException($"The pipeline has a {request.Kind} stage already.");
        }

        // A new open stage goes after the last open one (before won and lost); the others re-number after it.
        var stages = await db.PipelineStages.Where(s => s.PipelineId == pipelineId).OrderBy(s => s.SortOrder).ThenBy(s => s.Id).ToListAsync(ct);
        var stage = new PipelineStage
        {
            PipelineId = pipelineId, Name = request.Name.Trim(), NameEn = Clean(request.NameEn), Probability = request.Probability, Kind = request.Kind,
        };
        var insertAt = request.Kind == StageKind.Open ? stages.FindLastIndex(s => s.Kind == StageKind.Open) + 1 : stages.Count;
        stages.Insert(insertAt, stage);
        db.PipelineStages.Add(stage);
        Renumber(stages);
        await db.SaveChangesAsync(ct);
        return Dto(await PipelineMap.LoadAsync(db, pipelineId, ct), true);
    }

    public async Task<PipelineDto> UpdateStageAsync(CurrentUser user, Guid pipelineId, Guid stageId, StageRequest request, int version,
        CancellationToken ct = default)
    {
        user.Require(Permissions.PipelinesManage);
        CheckStage(request);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var stage = await db.PipelineStages.FirstOrDefaultAsync(s => s.Id == stageId && s.PipelineId == pipelineId, ct)
            ?? throw new NotFoundException("The stage");
        Versioning.EnsureVersion(stage.Version, version);
        if (request.Kind != stage.Kind || (!request.IsActive && stage.IsActive))
        {
            // pipelines.manage is the Admin's, who sees every opportunity: none may be left in a stage switched off.
            if (await db.Opportunities.AnyAsync(o => o.StageId == stageId, ct))
            {
                throw new ConflictException("Opportunities are in this stage; move them to another stage before switching it off or changing its kind.");
            }
        }

        if (request.Kind != StageKind.Open && request.IsActive
            && await db.PipelineStages.AnyAsync(s => s.PipelineId == pipelineId && s.Id != stageId && s.Kind == request.Kind && s.IsActive, ct))
        {
            throw new ConflictException($"The pipeline has a {request.Kind} stage already.");
        }

        if (stage.Kind != StageKind.Open && (!request.IsActive || request.Kind != stage.Kind)
            && !await db.PipelineStages.AnyAsync(s => s.PipelineId == pipelineId && s.Id != stageId && s.Kind == stage.Kind && s.IsActive, ct))
        {
            throw new ConflictException($"A pipeline keeps one {stage.Kind} stage.");
        }

        if (request.Probability != stage.Probability)
        {
            // The deals that take their probability from the stage follow it (with their history and version); an
            // overridden probability is the owner's estimate and stays.
            foreach (var deal in await db.Opportunities.Where(o => o.StageId == stageId && !o.ProbabilityOverridden).ToListAsync(ct))
            {
                deal.Probability = request.Probability;
            }
        }

        stage.Name = request.Name.Trim();
        stage.NameEn = Clean(request.NameEn);
        stage.Probability = request.Probability;
        stage.Kind = request.Kind;
        stage.IsActive = request.IsActive;
        await db.SaveChangesAsync(ct);
        return Dto(await PipelineMap.LoadAsync(db, pipelineId, ct), true);
    }

    /// <summary>Puts the stages in the given order (every stage of the pipeline, each once).</summary>
    public async Task<PipelineDto> OrderStagesAsync(CurrentUser user, Guid pipelineId, OrderRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.PipelinesManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        _ = await db.Pipelines.FirstOrDefaultAsync(p => p.Id == pipelineId, ct) ?? throw new NotFoundException("The pipeline");
        var stages = await db.PipelineStages.Where(s => s.PipelineId == pipelineId).ToListAsync(ct);
        var ordered = InOrder(stages, s => s.Id, request.Ids, "Send every stage of the pipeline once, in the new order.");
        Renumber(ordered);
        await db.SaveChangesAsync(ct);
        return Dto(await PipelineMap.LoadAsync(db, pipelineId, ct), true);
    }

    public async Task<PipelineDto> AddRequirementAsync(CurrentUser user, Guid pipelineId, Guid stageId, RequirementRequest request,
        CancellationToken ct = default)
    {
        user.Require(Permissions.PipelinesManage);
        CheckRequirement(request);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var stage = await db.PipelineStages.FirstOrDefaultAsync(s => s.Id == stageId && s.PipelineId == pipelineId, ct)
            ?? throw new NotFoundException("The stage");
        if (stage.Kind != StageKind.Open)
        {
            throw new ConflictException("Only open stages have requirements: they guard the way out of the stage.");
        }

        if (request.Kind != RequirementKind.Checklist
            && await db.StageRequirements.AnyAsync(r => r.StageId == stageId && r.Kind == request.Kind && r.Code == request.Code, ct))
        {
            throw new ConflictException("The stage asks for this already.");
        }

        var order = await db.StageRequirements.Where(r => r.StageId == stageId).Select(r => (int?)r.SortOrder).MaxAsync(ct) ?? -1;
        db.StageRequirements.Add(new StageRequirement
        {
            StageId = stageId,
            Kind = request.Kind,
            Code = request.Kind == RequirementKind.Checklist ? null : request.Code,
            Text = Clean(request.Text),
            TextEn = Clean(request.TextEn),
            SortOrder = order + 1,
        });
        await db.SaveChangesAsync(ct);
        return Dto(await PipelineMap.LoadAsync(db, pipelineId, ct), true);
    }

    public async Task<PipelineDto> RemoveRequirementAsync(CurrentUser user, Guid pipelineId, Guid stageId, Guid requirementId,
        CancellationToken ct = default)
    {
        user.Require(Permissions.PipelinesManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var requirement = await db.StageRequirements
            .FirstOrDefaultAsync(r => r.Id == requirementId && r.StageId == stageId && db.PipelineStages.Any(s => s.Id == stageId && s.PipelineId == pipelineId), ct)
            ?? throw new NotFoundException("The requirement");
        db.StageRequirements.Remove(requirement);
        await db.SaveChangesAsync(ct);
        return Dto(await PipelineMap.LoadAsync(db, pipelineId, ct), true);
    }

    public async Task<PipelineDto> OrderRequirementsAsync(CurrentUser user, Guid pipelineId, Guid stageId, OrderRequest request,
        CancellationToken ct = default)
    {
        user.Require(Permissions.PipelinesManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        _ = await db.PipelineStages.FirstOrDefaultAsync(s => s.Id == stageId && s.PipelineId == pipelineId, ct) ?? throw new NotFoundException("The stage");
        var requirements = await db.StageRequirements.Where(r => r.StageId == stageId).ToListAsync(ct);
        var ordered = InOrder(requirements, r => r.Id, request.Ids, "Send every requirement of the stage once, in the new order.");
        for (var i = 0; i < ordered.Count; i++)
        {
            ordered[i].SortOrder = i;
        }

        await db.SaveChangesAsync(ct);
        return Dto(await PipelineMap.LoadAsync(db, pipelineId, ct), true);
    }

    private PipelineDto Dto(PipelineMap map, bool includeInactive) =>
        new(map.Pipeline.Id, map.Pipeline.Name, map.Pipeline.NameEn, PipelineText.Name(map.Pipeline), map.Pipeline.ProductLine,
            map.Pipeline.IsDefault, map.Pipeline.IsActive, map.Pipeline.SortOrder, map.Pipeline.Version,
            [.. map.Stages.Where(s => includeInactive || s.IsActive).Select(s => new StageDto(s.Id, s.PipelineId, s.Name, s.NameEn,
                PipelineText.Name(s), s.SortOrder, s.Probability, s.Kind, s.IsActive, s.Version,
                [.. map.RequirementsOf(s.Id).Select(r => new RequirementDto(r.Id, r.StageId, r.Kind, r.Code, r.Text, r.TextEn,
                    StageGate.Text(r, strings), r.SortOrder))]))]);

    private static List<T> InOrder<T>(List<T> items, Func<T, Guid> id, IReadOnlyList<Guid>? ids, string message)
    {
        var wanted = ids ?? [];
        if (wanted.Count != items.Count || wanted.Distinct().Count() != items.Count || !wanted.All(w => items.Any(i => id(i) == w)))
        {
            throw new ValidationException([new ValidationFailure("ids", message)]);
        }

        return [.. wanted.Select(w => items.Single(i => id(i) == w))];
    }

    private static void Renumber(List<PipelineStage> stages)
    {
        for (var i = 0; i < stages.Count; i++)
        {
            stages[i].SortOrder = i;
        }
    }

    private static void CheckNames(string? name, string? nameEn, string? productLine)
    {
        var failures = new List<ValidationFailure>();
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 100)
        {
            failures.Add(new ValidationFailure("name", "A name has 1 to 100 characters."));
        }

        if (nameEn is { Length: > 100 })
        {
            failures.Add(new ValidationFailure("nameEn", "The English name has at most 100 characters."));
        }

        if (productLine is { Length: > 100 })
        {
            failures.Add(new ValidationFailure("productLine", "The product line has at most 100 characters."));
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }
    }

    private static void CheckStage(StageRequest request)
    {
        CheckNames(request.Name, request.NameEn, null);
        if (request.Probability is < 0 or > 100)
        {
            throw new ValidationException([new ValidationFailure("probability", "The probability is a percentage from 0 to 100.")]);
        }

        if (!Enum.IsDefined(request.Kind))
        {
            throw new ValidationException([new ValidationFailure("kind", "kind is Open, Won or Lost.")]);
        }
    }

    private static void CheckRequirement(RequirementRequest request)
    {
        var failure = request.Kind switch
        {
            RequirementKind.Deliverable when !Deliverables.All.Contains(request.Code ?? "") =>
                new ValidationFailure("code", $"A deliverable is one of: {string.Join(", ", Deliverables.All)}."),
            RequirementKind.Field when !GateFields.All.Contains(request.Code ?? "") =>
                new ValidationFailure("code", $"A required field is one of: {string.Join(", ", GateFields.All)}."),
            RequirementKind.Checklist when string.IsNullOrWhiteSpace(request.Text) || request.Text.Trim().Length > 300 =>
                new ValidationFailure("text", "A checklist item needs its text (at most 300 characters)."),
            _ when request.TextEn is { Length: > 300 } => new ValidationFailure("textEn", "The English text has at most 300 characters."),
            _ when !Enum.IsDefined(request.Kind) => new ValidationFailure("kind", "kind is Deliverable, Field or Checklist."),
            _ => null,
        };
        if (failure is not null)
        {
            throw new ValidationException([failure]);
        }
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

public static class PipelinesEndpoints
{
    public static void MapPipelines(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/pipelines").WithTags("Pipelines");
        group.MapGet("/", async (bool? includeInactive, CurrentUser user, PipelinesHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, includeInactive ?? false, ct)))
            .RequireAuthorization(Permissions.OpportunitiesRead)
            .WithName("ListPipelines")
            .WithSummary("The pipelines with their stages in order and each stage's requirements (?includeInactive=true for switched-off ones).");
        group.MapGet("/{id:guid}", async (Guid id, CurrentUser user, PipelinesHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.GetAsync(user, id, ct)))
            .RequireAuthorization(Permissions.OpportunitiesRead)
            .WithName("GetPipeline")
            .WithSummary("One pipeline with all its stages and requirements.");
        group.MapPost("/", async (PipelineRequest request, CurrentUser user, PipelinesHandler handler, CancellationToken ct) =>
            {
                var created = await handler.CreateAsync(user, request, ct);
                return TypedResults.Created($"/api/v1/pipelines/{created.Id}", created);
            })
            .RequireAuthorization(Permissions.PipelinesManage)
            .WithName("CreatePipeline")
            .WithSummary("Add a pipeline ({name, nameEn, productLine}); it starts with a won and a lost stage.");
        group.MapPut("/{id:guid}", async (Guid id, PipelineRequest request, CurrentUser user, PipelinesHandler handler, HttpContext http,
                CancellationToken ct) => TypedResults.Ok(await handler.UpdateAsync(user, id, request, VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.PipelinesManage)
            .WithName("UpdatePipeline")
            .WithSummary("Rename a pipeline or switch it off/on ({name, nameEn, productLine, isActive, version}).");
        group.MapPost("/{id:guid}/default", async (Guid id, CurrentUser user, PipelinesHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.MakeDefaultAsync(user, id, ct)))
            .RequireAuthorization(Permissions.PipelinesManage)
            .WithName("MakeDefaultPipeline")
            .WithSummary("Make a pipeline the default for new opportunities.");
        group.MapPost("/{id:guid}/stages", async (Guid id, StageRequest request, CurrentUser user, PipelinesHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.AddStageAsync(user, id, request, ct)))
            .RequireAuthorization(Permissions.PipelinesManage)
            .WithName("AddPipelineStage")
            .WithSummary("Add a stage ({name, nameEn, probability, kind}); an open stage goes after the last open one.");
        group.MapPut("/{id:guid}/stages/{stageId:guid}", async (Guid id, Guid stageId, StageRequest request, CurrentUser user,
                PipelinesHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.UpdateStageAsync(user, id, stageId, request, VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.PipelinesManage)
            .WithName("UpdatePipelineStage")
            .WithSummary("Rename a stage, change its probability or kind, switch it off ({name, nameEn, probability, kind, isActive, version}). " +
                "Deals in the stage whose probability was not overridden take the new probability.");
        group.MapPut("/{id:guid}/stages/order", async (Guid id, OrderRequest request, CurrentUser user, PipelinesHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.OrderStagesAsync(user, id, request, ct)))
            .RequireAuthorization(Permissions.PipelinesManage)
            .WithName("OrderPipelineStages")
            .WithSummary("Put the stages in a new order ({ids}: every stage once).");
        group.MapPost("/{id:guid}/stages/{stageId:guid}/requirements", async (Guid id, Guid stageId, RequirementRequest request, CurrentUser user,
                PipelinesHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.AddRequirementAsync(user, id, stageId, request, ct)))
            .RequireAuthorization(Permissions.PipelinesManage)
            .WithName("AddStageRequirement")
            .WithSummary("Add a requirement to leave the stage ({kind: Deliverable|Field|Checklist, code, text, textEn}).");
        group.MapDelete("/{id:guid}/stages/{stageId:guid}/requirements/{requirementId:guid}", async (Guid id, Guid stageId, Guid requirementId,
                CurrentUser user, PipelinesHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.RemoveRequirementAsync(user, id, stageId, requirementId, ct)))
            .RequireAuthorization(Permissions.PipelinesManage)
            .WithName("RemoveStageRequirement")
            .WithSummary("Remove a requirement of a stage.");
        group.MapPut("/{id:guid}/stages/{stageId:guid}/requirements/order", async (Guid id, Guid stageId, OrderRequest request, CurrentUser user,
                PipelinesHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.OrderRequirementsAsync(user, id, stageId, request, ct)))
            .RequireAuthorization(Permissions.PipelinesManage)
            .WithName("OrderStageRequirements")
            .WithSummary("Put a stage's requirements in a new order ({ids}: every requirement once).");
    }
}
