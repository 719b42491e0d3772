using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Leads;

/// <summary>
/// A person's open leads in a hand-over, through the lead rules: to a colleague the ownership starts again
/// (<see cref="LeadDesk.StartOwnership"/>: first-touch clock for untouched leads, pool clock from now, the colleague's
/// team), or back to the lead's team pool (<see cref="LeadDesk.ReturnToPool"/>). Closed leads keep their owner: they
/// are the record of who worked them.
/// </summary>
public sealed class LeadHandOverPart : IHandOverPart
{
    public const string KindName = "leads";

    public string Kind => KindName;

    public int Order => 10;

    public bool HasPool => true;

    public Task<int> CountAsync(AppDbContext db, Guid userId, CancellationToken ct) =>
        db.Leads.OwnedOpen().CountAsync(l => l.OwnerId == userId, ct);

    public async Task MoveAsync(HandOverMove move, CancellationToken ct)
    {
        var leads = await move.Db.Leads.OwnedOpen().Where(l => l.OwnerId == move.FromUserId).OrderBy(l => l.Id).ToListAsync(ct);
        if (leads.Count == 0)
        {
            return;
        }

        var rules = await LeadDesk.RulebookAsync(move.Db, ct);
        foreach (var lead in leads)
        {
            if (move.ToPool)
            {
                LeadDesk.ReturnToPool(lead);
                move.Moved(Kind, null);
            }
            else
            {
                var to = move.Next(Kind);
                if (to.TeamId is { } team)
                {
                    lead.TeamId = team;
                }

                LeadDesk.StartOwnership(lead, to.Id, move.ActorId, move.Now, rules);
                move.Moved(Kind, to.Id);
            }
        }
    }
}
