using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Modules.Opportunities.Checklist;

/// <summary>One requirement of a stage and whether this opportunity meets it (a checklist item: ticked, when and by whom).</summary>
public sealed record RequirementStatusDto(Guid Id, RequirementKind Kind, string Code, string Text, bool Met, DateTime? TickedAt,
    string? TickedByName);

/// <summary>A stage of the opportunity's pipeline with its requirements (what must be met to leave it forward).</summary>
public sealed record StageStatusDto(Guid Id, string Name, StageKind Kind, int Probability, int SortOrder, bool IsActive, bool IsCurrent,
    bool IsPassed, IReadOnlyList<RequirementStatusDto> Requirements);

/// <summary>
/// The pipeline as one opportunity sees it: every stage in order, which one it is in, and each requirement met or not.
/// <see cref="NextStageId"/> is the open stage after the current one (what moving on leads to).
/// </summary>
public sealed record OpportunityStagesDto(Guid OpportunityId, Guid CurrentStageId, Guid? NextStageId, IReadOnlyList<StageStatusDto> Stages);

/// <summary>One stay in a stage: entered (how, when, by whom) and left; the time spent there.</summary>
public sealed record StageEntryDto(Guid Id, Guid StageId, string StageName, Guid? FromStageId, string? FromStageName, StageEntryKind Kind,
    DateTime EnteredAt, string? EnteredByName, DateTime? ExitedAt, string? ExitedByName, TimeSpan Duration, string? OverrideReason,
    IReadOnlyList<string> Missing);

/// <summary>The stages, checklist and stage history of an opportunity, and the ticking of its checklist items.</summary>
public sealed class OpportunityStagesHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> strings)
{
    public async Task<OpportunityStagesDto> GetAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.OpportunitiesRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var opportunity = await db.Opportunities.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct)
            ?? throw new NotFoundException("The opportunity");
        return await ReadAsync(db, opportunity, ct);
    }

    /// <summary>Ticks (or unticks) a checklist item of the opportunity's pipeline.</summary>
    public async Task<OpportunityStagesDto> TickAsync(CurrentUser user, Guid id, Guid requirementId, bool ticked, CancellationToken ct = default)
    {
        user.Require(Permissions.OpportunitiesEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var opportunity = await OpportunityAccess.LoadForChangeAsync(db, user, id, ct);
        var requirement = await db.StageRequirements.AsNoTracking()
            .Where(r => r.Id == requirementId && db.PipelineStages.Any(s => s.Id == r.StageId && s.PipelineId == opportunity.PipelineId))
            .FirstOrDefaultAsync(ct);
        if (requirement is not { Kind: RequirementKind.Checklist })
        {
            throw new ValidationException([new ValidationFailure("requirementId",
                "This is not a checklist item of the opportunity's pipeline (deliverables and fields are checked from the records).")]);
        }

        var tick = await db.ChecklistTicks.FirstOrDefaultAsync(t => t.OpportunityId == id && t.RequirementId == requirementId, ct);
        if (ticked && tick is null)
        {
            db.ChecklistTicks.Add(new ChecklistTick
            {
                OpportunityId = id, RequirementId = requirementId, TickedAt = clock.GetUtcNow().UtcDateTime, TickedBy = user.Id,
            });
        }
        else if (!ticked && tick is not null)
        {
            db.ChecklistTicks.Remove(tick);
        }

        await db.SaveChangesAsync(ct);
        return await ReadAsync(db, opportunity, ct);
    }

    public async Task<IReadOnlyList<StageEntryDto>> HistoryAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.OpportunitiesRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var opportunity = await db.Opportunities.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct)
            ?? throw new NotFoundException("The opportunity");
        var entries = await db.StageEntries.AsNoTracking().Where(e => e.OpportunityId == id)
            .OrderBy(e => e.EnteredAt).ThenBy(e => e.Id).ToListAsync(ct);
        var stageIds = entries.SelectMany(e => new[] { e.StageId, e.FromStageId ?? e.StageId }).Distinct().ToList();
        var stages = await db.PipelineStages.AsNoTracking().Where(s => stageIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var people = entries.SelectMany(e => new[] { e.EnteredBy, e.ExitedBy }).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var map = await PipelineMap.LoadAsync(db, opportunity.PipelineId, ct);
        var requirements = await db.StageRequirements.AsNoTracking().Where(r => stageIds.Contains(r.StageId)).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        string StageName(Guid stageId) => stages.TryGetValue(stageId, out var s) ? PipelineText.Name(s) : "";
        string? Person(Guid? userId) => userId is { } u ? names.GetValueOrDefault(u) : null;
        return [.. entries.Select(e => new StageEntryDto(e.Id, e.StageId, StageName(e.StageId), e.FromStageId,
            e.FromStageId is { } f ? StageName(f) : null, e.Kind, OpportunityAccess.Utc(e.EnteredAt), Person(e.EnteredBy),
            OpportunityAccess.Utc(e.ExitedAt), Person(e.ExitedBy), (e.ExitedAt ?? now) - e.EnteredAt, e.OverrideReason,
            MissingTexts(e.MissingRequirements, requirements)))];
    }

    /// <summary>The stored codes of what was missing, as words in the reader's language (a removed checklist item by its code).</summary>
    private List<string> MissingTexts(string? stored, List<StageRequirement> requirements)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return [];
        }

        return [.. stored.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(code =>
        {
            var requirement = requirements.FirstOrDefault(r => StageGate.CodeOf(r) == code);
            if (requirement is not null)
            {
                return StageGate.Text(requirement, strings);
            }

            var parts = code.Split(':', 2);
            var label = parts.Length == 2 && parts[0] != "checklist" ? strings[$"Opp.{(parts[0] == "field" ? "Field" : "Deliverable")}.{parts[1]}"] : null;
            return label is { ResourceNotFound: false } ? label.Value : code;
        })];
    }

    private async Task<OpportunityStagesDto> ReadAsync(AppDbContext db, Opportunity opportunity, CancellationToken ct)
    {
        var map = await PipelineMap.LoadAsync(db, opportunity.PipelineId, ct);
        var facts = await GateFacts.LoadAsync(db, opportunity, ct);
        var ticks = await db.ChecklistTicks.AsNoTracking().Where(t => t.OpportunityId == opportunity.Id).ToListAsync(ct);
        var tickers = ticks.Select(t => t.TickedBy).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => tickers.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var current = map.Stage(opportunity.StageId);
        var stages = map.Stages.Where(s => s.IsActive || s.Id == current.Id).Select(s => new StageStatusDto(s.Id, PipelineText.Name(s), s.Kind,
            s.Probability, s.SortOrder, s.IsActive, s.Id == current.Id,
            s.Kind == StageKind.Open && (current.Kind != StageKind.Open ? opportunity.Status == OpportunityStatus.Won : s.SortOrder < current.SortOrder),
            [.. map.RequirementsOf(s.Id).Select(r =>
            {
                var tick = ticks.FirstOrDefault(t => t.RequirementId == r.Id);
                return new RequirementStatusDto(r.Id, r.Kind, StageGate.CodeOf(r), StageGate.Text(r, strings), StageGate.IsMet(r, facts),
                    tick is null ? null : OpportunityAccess.Utc(tick.TickedAt), tick?.TickedBy is { } by ? names.GetValueOrDefault(by) : null);
            })])).ToList();
        return new OpportunityStagesDto(opportunity.Id, current.Id, current.Kind == StageKind.Open ? map.NextOpen(current.Id)?.Id : null, stages);
    }
}

public static class OpportunityStagesEndpoints
{
    public static void MapOpportunityStages(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/stages", async (Guid id, CurrentUser user, OpportunityStagesHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.GetAsync(user, id, ct)))
            .RequireAuthorization(Permissions.OpportunitiesRead)
            .WithName("GetOpportunityStages")
            .WithSummary("The opportunity's pipeline stages in order with each stage's requirements met or not (deliverables checked " +
                "from the records, fields, checklist ticks), the current stage and the next.");
        group.MapGet("/{id:guid}/stage-history", async (Guid id, CurrentUser user, OpportunityStagesHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HistoryAsync(user, id, ct)))
            .RequireAuthorization(Permissions.OpportunitiesRead)
            .WithName("GetOpportunityStageHistory")
            .WithSummary("Every stay in a stage: entered (how, when, by whom), left, the time spent, overrides with their reason and what was missing.");
        group.MapPut("/{id:guid}/checklist/{requirementId:guid}", async (Guid id, Guid requirementId, CurrentUser user,
                OpportunityStagesHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.TickAsync(user, id, requirementId, true, ct)))
            .RequireAuthorization(Permissions.OpportunitiesEdit)
            .WithName("TickChecklistItem")
            .WithSummary("Tick a checklist item of the opportunity's pipeline; answers the stages with their requirements.");
        group.MapDelete("/{id:guid}/checklist/{requirementId:guid}", async (Guid id, Guid requirementId, CurrentUser user,
                OpportunityStagesHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.TickAsync(user, id, requirementId, false, ct)))
            .RequireAuthorization(Permissions.OpportunitiesEdit)
            .WithName("UntickChecklistItem")
            .WithSummary("Untick a checklist item; answers the stages with their requirements.");
    }
}
