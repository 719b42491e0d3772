using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Leads.GetLead;

/// <summary>The lead page's data: the lead, its contact attempts and what the duplicate check matched.</summary>
public sealed record LeadDetail(LeadDto Lead, IReadOnlyList<LeadActivityDto> Activities, DuplicateMatch? Duplicate);

public sealed class GetLeadHandler(IDbContextFactory<AppDbContext> dbFactory, LeadDesk desk)
{
    public async Task<LeadDetail> HandleAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.LeadsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var lead = await LeadAccess.ReadAsync(db, user, id, desk.Now, ct);
        var activities = await db.LeadActivities.AsNoTracking()
            .Where(a => a.LeadId == id)
            .OrderByDescending(a => a.OccurredAt)
            .Select(a => new LeadActivityDto(a.Id, a.Kind, a.Outcome, a.Notes, DateTime.SpecifyKind(a.OccurredAt, DateTimeKind.Utc),
                a.UserId, db.Users.Where(u => u.Id == a.UserId).Select(u => u.DisplayName).FirstOrDefault()))
            .ToListAsync(ct);
        DuplicateMatch? duplicate = null;
        if (lead.DuplicateOfLeadId is not null || lead.DuplicateOfCustomerId is not null)
        {
            var source = await db.Leads.AsNoTracking().Where(l => l.Id == id)
                .Select(l => new { l.PhoneKey, l.EmailKey, l.CompanyKey }).FirstAsync(ct);
            duplicate = await desk.FindDuplicateAsync(source.PhoneKey, source.EmailKey, source.CompanyKey, id, ct);
        }

        return new LeadDetail(lead, activities, duplicate);
    }
}

public static class GetLeadEndpoint
{
    public static void MapGetLead(this RouteGroupBuilder group) =>
        group.MapGet("/{id:guid}", async (Guid id, CurrentUser user, GetLeadHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(user, id, ct)))
            .RequireAuthorization(Permissions.LeadsRead)
            .WithName("GetLead")
            .WithSummary("One lead with its contact attempts and its duplicate match; 404 when the caller may not see it.");
}
