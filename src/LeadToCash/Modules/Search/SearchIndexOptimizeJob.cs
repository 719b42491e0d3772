using LeadToCash.Platform.Data;
using LeadToCash.Platform.Jobs;
using LeadToCash.Platform.Time;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Search;

/// <summary>
/// Nightly upkeep of the SQLite search index: between <see cref="NightStart"/> and <see cref="NightEnd"/> (company time)
/// each FTS5 table is merged into one segment ('optimize'). Every insert, update and delete adds a small segment, and a
/// delete in a contentless table leaves a tombstone; FTS5 merges segments only partly on its own, so after busy days a
/// lookup reads many segments and skips many tombstones. Optimizing an index that is already one segment costs almost
/// nothing, so a second run in the same night (a restart) is harmless. The same hour refreshes SQLite's planner
/// statistics ('PRAGMA optimize', which analyzes only the tables whose size changed enough): the customer list
/// starts from the owner indexes or walks a sort index depending on them.
/// PostgreSQL needs nothing here: autovacuum keeps its GIN indexes (and their pending lists) and statistics current.
/// </summary>
public sealed class SearchIndexOptimizeJob(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, DisplayTime display)
    : IScheduledWork
{
    /// <summary>Checked hourly, so the work runs once a night, in the hour after <see cref="NightStart"/>.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    public static readonly TimeOnly NightStart = new(3, 0);
    public static readonly TimeOnly NightEnd = NightStart.Add(Interval);

    /// <summary>Optimizes the index when it is the night hour on SQLite; answers how many tables it optimized.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Database.IsSqlite())
        {
            return 0;
        }

        var now = TimeOnly.FromDateTime(DisplayTime.ToZone(clock.GetUtcNow().UtcDateTime, await display.ZoneAsync()));
        return now >= NightStart && now < NightEnd ? await OptimizeAsync(db, ct) : 0;
    }

    private static async Task<int> OptimizeAsync(AppDbContext db, CancellationToken ct)
    {
        var tables = Enum.GetValues<SearchSource>().Select(SearchIndex.SqliteTable).ToList();
        foreach (var table in tables)
        {
            // FTS5's special insert: the table's own name as the column, the command as the value. Names come from this code only.
            var command = $"""INSERT INTO "{table}" ("{table}") VALUES ('optimize')""";
            await db.Database.ExecuteSqlRawAsync(command, ct);
        }

        // 0x10002: also analyze tables never analyzed before (a database that grew since installation has no statistics).
        await db.Database.ExecuteSqlRawAsync("PRAGMA optimize=0x10002", ct);
        return tables.Count;
    }
}
