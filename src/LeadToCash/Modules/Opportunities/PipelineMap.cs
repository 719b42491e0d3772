using System.Globalization;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Opportunities;

/// <summary>A pipeline with its stages in order and each stage's requirements, read once per command.</summary>
public sealed class PipelineMap
{
    private readonly Dictionary<Guid, PipelineStage> _stages;

    public PipelineMap(Pipeline pipeline, IEnumerable<PipelineStage> stages, IEnumerable<StageRequirement> requirements)
    {
        Pipeline = pipeline;
        Stages = [.. stages.OrderBy(s => s.SortOrder).ThenBy(s => s.Id)];
        _stages = Stages.ToDictionary(s => s.Id);
        Requirements = [.. requirements.Where(r => _stages.ContainsKey(r.StageId)).OrderBy(r => r.SortOrder).ThenBy(r => r.Id)];
    }

    public Pipeline Pipeline { get; }

    /// <summary>Every stage, inactive ones included (an opportunity may still sit in one), in their order.</summary>
    public IReadOnlyList<PipelineStage> Stages { get; }

    public IReadOnlyList<StageRequirement> Requirements { get; }

    /// <summary>The active open stages in order: the way a deal walks.</summary>
    public IEnumerable<PipelineStage> OpenStages => Stages.Where(s => s.Kind == StageKind.Open && s.IsActive);

    public PipelineStage? FirstOpen => OpenStages.FirstOrDefault();

    public PipelineStage? Won => Stages.FirstOrDefault(s => s.Kind == StageKind.Won && s.IsActive);

    public PipelineStage? Lost => Stages.FirstOrDefault(s => s.Kind == StageKind.Lost && s.IsActive);

    public PipelineStage? Find(Guid stageId) => _stages.GetValueOrDefault(stageId);

    public PipelineStage Stage(Guid stageId) =>
        _stages.GetValueOrDefault(stageId) ?? throw new InvalidOperationException($"Stage {stageId} is not of pipeline {Pipeline.Id}.");

    public IEnumerable<StageRequirement> RequirementsOf(Guid stageId) => Requirements.Where(r => r.StageId == stageId);

    /// <summary>The active open stage after <paramref name="stageId"/>, if any.</summary>
    public PipelineStage? NextOpen(Guid stageId)
    {
        var stage = Find(stageId);
        return stage is null ? null : OpenStages.FirstOrDefault(s => s.SortOrder > stage.SortOrder);
    }

    public static async Task<PipelineMap> LoadAsync(AppDbContext db, Guid pipelineId, CancellationToken ct)
    {
        var pipeline = await db.Pipelines.AsNoTracking().FirstOrDefaultAsync(p => p.Id == pipelineId, ct)
            ?? throw new NotFoundException("The pipeline");
        var stages = await db.PipelineStages.AsNoTracking().Where(s => s.PipelineId == pipelineId).ToListAsync(ct);
        var ids = stages.Select(s => s.Id).ToList();
        var requirements = await db.StageRequirements.AsNoTracking().Where(r => ids.Contains(r.StageId)).ToListAsync(ct);
        return new PipelineMap(pipeline, stages, requirements);
    }

    /// <summary>Every pipeline (inactive ones too), by their order.</summary>
    public static async Task<IReadOnlyList<PipelineMap>> LoadAllAsync(AppDbContext db, CancellationToken ct)
    {
        var pipelines = await db.Pipelines.AsNoTracking().ToListAsync(ct);
        var stages = await db.PipelineStages.AsNoTracking().ToListAsync(ct);
        var requirements = await db.StageRequirements.AsNoTracking().ToListAsync(ct);
        return [.. pipelines
            .OrderBy(p => p.SortOrder).ThenBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => new PipelineMap(p, stages.Where(s => s.PipelineId == p.Id), requirements))];
    }
}

/// <summary>Names of pipelines, stages and checklist items in the reader's language (Chinese, else English when given).</summary>
public static class PipelineText
{
    public static bool Chinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    public static string Name(string zh, string? en) => Chinese || string.IsNullOrWhiteSpace(en) ? zh : en;

    public static string Name(PipelineStage stage) => Name(stage.Name, stage.NameEn);

    public static string Name(Pipeline pipeline) => Name(pipeline.Name, pipeline.NameEn);
}
