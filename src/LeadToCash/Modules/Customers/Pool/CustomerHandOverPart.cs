using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers.Pool;

/// <summary>
/// A person's customers in a hand-over: to the colleagues round-robin (ownership starts again: pool clocks and cadence
/// from now) or into the pool of the person's team.
/// </summary>
public sealed class CustomerHandOverPart : IHandOverPart
{
    public const string KindName = "customers";

    public string Kind => KindName;

    public int Order => 20;

    public bool HasPool => true;

    public Task<int> CountAsync(AppDbContext db, Guid userId, CancellationToken ct) =>
        db.Customers.CountAsync(c => c.OwnerId == userId, ct);

    public async Task MoveAsync(HandOverMove move, CancellationToken ct)
    {
        var customers = await move.Db.Customers.Where(c => c.OwnerId == move.FromUserId).OrderBy(c => c.Name).ThenBy(c => c.Id).ToListAsync(ct);
        if (customers.Count == 0)
        {
            return;
        }

        var rules = await CustomerRulebook.LoadAsync(move.Db, ct);
        foreach (var customer in customers)
        {
            if (move.ToPool && move.FromTeamId is { } team)
            {
                CustomerPool.ReturnToPool(customer, team, move.Now, rules);
                move.Moved(Kind, null);
            }
            else
            {
                var to = move.Next(Kind);
                CustomerPool.TakeOwnership(customer, to.Id, move.Now, rules);
                move.Moved(Kind, to.Id);
            }
        }
    }
}
