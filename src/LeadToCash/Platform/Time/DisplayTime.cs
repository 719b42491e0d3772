using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Time;

/// <summary>Turns stored UTC times into the company's time zone for display (one lookup per circuit).</summary>
public sealed class DisplayTime(IDbContextFactory<AppDbContext> dbFactory)
{
    private TimeZoneInfo? _zone;

    public async Task<TimeZoneInfo> ZoneAsync()
    {
        if (_zone is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var id = await db.CompanySettings.AsNoTracking().Select(c => c.TimeZone).FirstOrDefaultAsync() ?? "Asia/Shanghai";
            _zone = TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
        }

        return _zone;
    }

    public static DateTime ToZone(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
}
