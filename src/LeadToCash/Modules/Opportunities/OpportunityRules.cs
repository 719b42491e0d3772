using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Opportunities;

/// <summary>The company's quote rules as saved by the Admin (<see cref="OpportunitySettings"/>), or the defaults when never saved.</summary>
public static class OpportunityRules
{
    public static async Task<OpportunitySettings> LoadAsync(AppDbContext db, CancellationToken ct) =>
        await db.OpportunitySettings.AsNoTracking().OrderBy(s => s.CreatedAt).FirstOrDefaultAsync(ct) ?? new OpportunitySettings();
}
