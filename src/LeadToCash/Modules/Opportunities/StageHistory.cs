using Microsoft.EntityFrameworkCore;
using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Opportunities;

/// <summary>
/// The one way an opportunity changes stage: the open stay (<see cref="StageEntry"/>) is closed and a new one opened, the
/// stage and its entry time set, and the probability taken from the new stage unless the owner overrode it. Every
/// command (create, move, override, win, lose, reopen, bulk) goes through here, so the history is the same whatever the path.
/// </summary>
public static class StageHistory
{
    public static async Task<StageEntry> EnterAsync(AppDbContext db, Opportunity opportunity, PipelineStage stage, StageEntryKind kind,
        Guid? actorId, DateTime now, string? overrideReason = null, IEnumerable<StageRequirement>? missing = null,
        CancellationToken ct = default)
    {
        var open = await db.StageEntries.Where(e => e.OpportunityId == opportunity.Id && e.ExitedAt == null).ToListAsync(ct);
        foreach (var stay in open)
        {
            stay.ExitedAt = now;
            stay.ExitedBy = actorId;
        }

        var from = kind == StageEntryKind.Created ? (Guid?)null : opportunity.StageId;
        opportunity.StageId = stage.Id;
        opportunity.PipelineId = stage.PipelineId;
        opportunity.StageEnteredAt = now;
        if (!opportunity.ProbabilityOverridden)
        {
            opportunity.Probability = stage.Probability;
        }

        var missingCodes = missing?.Select(StageGate.CodeOf).ToList() ?? [];
        var entry = new StageEntry
        {
            OpportunityId = opportunity.Id,
            PipelineId = stage.PipelineId,
            StageId = stage.Id,
            FromStageId = from,
            Kind = kind,
            EnteredAt = now,
            EnteredBy = actorId,
            OverrideReason = overrideReason,
            MissingRequirements = missingCodes.Count == 0 ? null : string.Join('\n', missingCodes),
        };
        db.StageEntries.Add(entry);
        return entry;
    }
}
