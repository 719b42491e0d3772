using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Opportunities;

/// <summary>
/// A person's open opportunities in a hand-over: deals have no pool, so they go to the colleagues round-robin (or, when
/// the rest goes to the pool without colleagues, to the person's manager). Closed deals stay with their owner as history.
/// </summary>
public sealed class OpportunityHandOverPart : IHandOverPart
{
    public const string KindName = "opportunities";

    public string Kind => KindName;

    public int Order => 30;

    public bool HasPool => false;

    public Task<int> CountAsync(AppDbContext db, Guid userId, CancellationToken ct) => Open(db, userId).CountAsync(ct);

    public async Task MoveAsync(HandOverMove move, CancellationToken ct)
    {
        var deals = await Open(move.Db, move.FromUserId).OrderBy(o => o.Name).ThenBy(o => o.Id).ToListAsync(ct);
        foreach (var deal in deals)
        {
            var to = move.Next(Kind);
            deal.OwnerId = to.Id;
            move.Moved(Kind, to.Id);
        }
    }

    private static IQueryable<Opportunity> Open(AppDbContext db, Guid userId) =>
        db.Opportunities.Where(o => o.OwnerId == userId && o.Status == OpportunityStatus.Open);
}
