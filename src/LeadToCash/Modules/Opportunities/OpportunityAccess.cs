using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Opportunities;

public static class OpportunityAccess
{
    /// <summary>Loads a visible opportunity for a change: 404 when not visible, 403 when visible but not changeable.</summary>
    public static async Task<Opportunity> LoadForChangeAsync(AppDbContext db, CurrentUser user, Guid id, CancellationToken ct)
    {
        var opportunity = await db.Opportunities.FirstOrDefaultAsync(o => o.Id == id, ct)
            ?? throw new NotFoundException("The opportunity");
        if (!await RecordAccess.CanChangeAsync(db, user, opportunity, ct))
        {
            throw new ForbiddenException("You can see this opportunity but may not change it.");
        }

        return opportunity;
    }

    /// <summary>One visible opportunity as a single-record answer shows it.</summary>
    public static async Task<OpportunityDto> ReadAsync(AppDbContext db, CurrentUser user, Guid id, CancellationToken ct)
    {
        var o = await db.Opportunities.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct)
            ?? throw new NotFoundException("The opportunity");
        var map = await PipelineMap.LoadAsync(db, o.PipelineId, ct);
        var stage = map.Stage(o.StageId);
        var customerName = await db.Customers.Where(c => c.Id == o.CustomerId).Select(c => c.Name).FirstOrDefaultAsync(ct);
        var ownerName = o.OwnerId is { } owner ? await db.Users.Where(u => u.Id == owner).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) : null;
        var contacts = await db.OpportunityContacts.Where(oc => oc.OpportunityId == id)
            .Join(db.Contacts, oc => oc.ContactId, c => c.Id, (oc, c) => new OpportunityContactDto(c.Id, c.Name, c.Title, c.Role))
            .ToListAsync(ct);
        var canChange = await RecordAccess.CanChangeAsync(db, user, o, ct);
        return new OpportunityDto(o.Id, o.CustomerId, customerName, o.Name, o.AmountMinor, o.Currency, o.ExpectedCloseDate,
            o.PipelineId, PipelineText.Name(map.Pipeline), o.StageId, PipelineText.Name(stage), stage.Kind, Utc(o.StageEnteredAt),
            o.Probability, o.ProbabilityOverridden, Weighted.Of(o.AmountMinor, o.Probability), o.Status, Utc(o.ClosedAt),
            o.LostReason, o.LostToCompetitor, o.SourceChannel, o.Competitors, o.NextStep, o.Description, o.OwnerId, ownerName,
            [.. contacts.OrderBy(c => c.Name, StringComparer.Ordinal)], o.Version, Utc(o.CreatedAt), Utc(o.UpdatedAt), canChange);
    }

    /// <summary>Whether <paramref name="user"/> leads <paramref name="teamId"/> (an Admin: every team).</summary>
    public static bool Manages(CurrentUser user, Guid? teamId) =>
        user.IsAdmin || ((user.Roles.Contains(Roles.Manager) || user.Roles.Contains(Roles.Director))
            && teamId is { } team && user.SubtreeTeamIds.Contains(team));

    public static string Link(Guid id) => $"/opportunities/{id}";

    internal static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    internal static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;
}
