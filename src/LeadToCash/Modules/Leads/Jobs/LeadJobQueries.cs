using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Leads.Jobs;

/// <summary>What the lead jobs share: batches in id order, so that a record that cannot be saved is passed, not retried forever.</summary>
internal static class LeadJobQueries
{
    public const int BatchSize = 100;

    /// <summary>The next batch of <paramref name="due"/> leads after <paramref name="after"/>, tracked for changing.</summary>
    public static Task<List<Lead>> NextBatchAsync(AppDbContext db, Func<IQueryable<Lead>, IQueryable<Lead>> due, Guid? after,
        CancellationToken ct)
    {
        var query = due(db.Leads);
        if (after is { } last)
        {
            query = query.Where(l => l.Id.CompareTo(last) > 0);
        }

        return query.OrderBy(l => l.Id).Take(BatchSize).ToListAsync(ct);
    }
}
