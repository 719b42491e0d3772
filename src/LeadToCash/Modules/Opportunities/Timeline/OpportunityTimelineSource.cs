using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Opportunities.Timeline;

/// <summary>
/// Puts a customer's opportunities on its timeline: created, moved between stages, won, lost, reopened (labels
/// "Timeline.Opportunity…"). Only the opportunities the reader can see (the context is scoped); a customer has few, so
/// all their stage history is read and the window's events returned.
/// </summary>
public sealed class OpportunityTimelineSource : ICustomerTimelineSource
{
    public const string Created = "OpportunityCreated";
    public const string Stage = "OpportunityStage";
    public const string Won = "OpportunityWon";
    public const string Lost = "OpportunityLost";
    public const string Reopened = "OpportunityReopened";

    public async Task<TimelineSlice> ReadAsync(AppDbContext db, Guid customerId, TimelineWindow window, CancellationToken ct)
    {
        var deals = await db.Opportunities.AsNoTracking().Where(o => o.CustomerId == customerId)
            .Select(o => new { o.Id, o.Name, o.LostToCompetitor, o.CreatedAt, o.CreatedBy, o.StageId }).ToListAsync(ct);
        if (deals.Count == 0)
        {
            return TimelineSlice.Empty;
        }

        var ids = deals.Select(d => d.Id).ToList();
        var entries = await db.StageEntries.AsNoTracking().Where(e => ids.Contains(e.OpportunityId)).ToListAsync(ct);
        var stageIds = entries.SelectMany(e => new[] { e.StageId, e.FromStageId ?? e.StageId }).Concat(deals.Select(d => d.StageId)).Distinct().ToList();
        var stages = await db.PipelineStages.AsNoTracking().Where(s => stageIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var people = entries.Select(e => e.EnteredBy).Concat(deals.Select(d => d.CreatedBy)).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var byId = deals.ToDictionary(d => d.Id);
        string StageName(Guid? id) => id is { } s && stages.TryGetValue(s, out var stage) ? PipelineText.Name(stage) : "";

        string? Person(Guid? id) => id is { } by ? names.GetValueOrDefault(by) : null;

        // Created: from the deal itself (also those imported without a stage history); the stage it started in.
        var result = new List<TimelineEntry>();
        foreach (var deal in deals)
        {
            var at = DateTime.SpecifyKind(deal.CreatedAt, DateTimeKind.Utc);
            if (window.Contains(at))
            {
                var start = entries.Where(e => e.OpportunityId == deal.Id && e.Kind is StageEntryKind.Created or StageEntryKind.Imported)
                    .Select(e => (Guid?)e.StageId).FirstOrDefault() ?? deal.StageId;
                result.Add(new TimelineEntry(at, Created, deal.Name, StageName(start), OpportunityAccess.Link(deal.Id), deal.CreatedBy,
                    Person(deal.CreatedBy), deal.Id));
            }
        }

        foreach (var e in entries.Where(e => e.Kind is not (StageEntryKind.Created or StageEntryKind.Imported)))
        {
            var at = DateTime.SpecifyKind(e.EnteredAt, DateTimeKind.Utc);
            if (!window.Contains(at))
            {
                continue;
            }

            var deal = byId[e.OpportunityId];
            var stageKind = stages.TryGetValue(e.StageId, out var entered) ? entered.Kind : StageKind.Open;
            var (kind, detail) = e.Kind switch
            {
                StageEntryKind.Reopened => (Reopened, StageName(e.StageId)),
                _ when stageKind == StageKind.Won => (Won, e.OverrideReason),
                _ when stageKind == StageKind.Lost => (Lost, string.Join(" · ", new[] { deal.LostToCompetitor }.OfType<string>())),
                _ => (Stage, $"{StageName(e.FromStageId)} → {StageName(e.StageId)}" + (e.OverrideReason is { } why ? $" ({why})" : "")),
            };
            result.Add(new TimelineEntry(at, kind, deal.Name, string.IsNullOrEmpty(detail) ? null : detail, OpportunityAccess.Link(deal.Id),
                e.EnteredBy, Person(e.EnteredBy), deal.Id));
        }

        return new TimelineSlice(result);
    }
}
