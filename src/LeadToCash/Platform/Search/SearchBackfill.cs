using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Search;

/// <summary>
/// Spells the records written before the spellings existed (Pinyin still null), in batches, at start-up. Idempotent:
/// a spelled record is never read again, and every later write keeps its spelling current
/// (<see cref="SearchSpellingInterceptor"/>). Writes only the two derived columns: no version, no history.
/// </summary>
public static class SearchBackfill
{
    private const int BatchSize = 500;

    public static async Task<int> RunAsync(IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct = default)
    {
        await using var db = await dbFactory.OpenAsSystemAsync(ct);
        var count = 0;

        // Deleted records too: a record restored from the recycle bin must be findable again.
        var customers = db.Customers.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]);
        count += await SpellAsync(db,
            () => customers.Where(c => c.Pinyin == null).OrderBy(c => c.Id).Select(c => new Names(c.Id, c.Name, null)),
            (id, pinyin, initials) => customers.Where(c => c.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Pinyin, pinyin).SetProperty(c => c.PinyinInitials, initials), ct),
            ct);

        var contacts = db.Contacts.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]);
        count += await SpellAsync(db,
            () => contacts.Where(c => c.Pinyin == null).OrderBy(c => c.Id).Select(c => new Names(c.Id, c.Name, null)),
            (id, pinyin, initials) => contacts.Where(c => c.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Pinyin, pinyin).SetProperty(c => c.PinyinInitials, initials), ct),
            ct);

        var leads = db.Leads.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]);
        count += await SpellAsync(db,
            () => leads.Where(l => l.Pinyin == null && (l.CompanyName != null || l.ContactName != null))
                .OrderBy(l => l.Id).Select(l => new Names(l.Id, l.CompanyName, l.ContactName)),
            (id, pinyin, initials) => leads.Where(l => l.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Pinyin, pinyin).SetProperty(l => l.PinyinInitials, initials), ct),
            ct);
        return count;
    }

    private static async Task<int> SpellAsync(AppDbContext db, Func<IQueryable<Names>> unspelled,
        Func<Guid, string, string, Task<int>> write, CancellationToken ct)
    {
        var count = 0;
        while (true)
        {
            // Every written row leaves the "unspelled" set (its Pinyin is no longer null), so each batch is new.
            var batch = await unspelled().Take(BatchSize).ToListAsync(ct);
            if (batch.Count == 0)
            {
                return count;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            foreach (var names in batch)
            {
                var (pinyin, initials) = SearchSpellings.Of(names.First, names.Second);
                await write(names.Id, pinyin, initials);
            }

            await transaction.CommitAsync(ct);
            count += batch.Count;
        }
    }

    private sealed record Names(Guid Id, string? First, string? Second);
}
