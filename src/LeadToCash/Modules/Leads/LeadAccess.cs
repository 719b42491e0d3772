using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Leads;

/// <summary>Loading leads for the lead commands: 404 when not visible, 403 when visible but not changeable.</summary>
public static class LeadAccess
{
    public static async Task<Lead> LoadVisibleAsync(AppDbContext db, Guid id, CancellationToken ct) =>
        await db.Leads.FirstOrDefaultAsync(l => l.Id == id, ct) ?? throw new NotFoundException("The lead");

    public static async Task<Lead> LoadForChangeAsync(AppDbContext db, CurrentUser user, Guid id, CancellationToken ct)
    {
        var lead = await LoadVisibleAsync(db, id, ct);
        if (!await RecordAccess.CanChangeAsync(db, user, lead, ct))
        {
            throw new ForbiddenException("You can see this lead but may not change it.");
        }

        return lead;
    }

    public static void EnsureOpen(Lead lead)
    {
        if (!LeadRules.IsOpen(lead.Status))
        {
            throw new ConflictException($"This lead is closed ({lead.Status.ToString().ToLowerInvariant()}).");
        }
    }

    /// <summary>One visible lead as a single-record answer shows it.</summary>
    public static async Task<LeadDto> ReadAsync(AppDbContext db, CurrentUser user, Guid id, DateTime now, CancellationToken ct)
    {
        var lead = await db.Leads.AsNoTracking().Where(l => l.Id == id).Select(LeadDto.Projection).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("The lead");
        var settings = await db.LeadSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new LeadSettings();
        var teamName = await db.Teams.Where(t => t.Id == lead.TeamId).Select(t => t.Name).FirstOrDefaultAsync(ct);
        var screenedBy = lead.ScreenedBy is { } by
            ? await db.Users.Where(u => u.Id == by).Select(u => u.DisplayName).FirstOrDefaultAsync(ct)
            : null;
        return lead with
        {
            Sla = LeadRules.Sla(lead.FirstTouchDueAt, lead.FirstTouchAt, now, settings),
            TeamName = teamName,
            ScreenedByName = screenedBy,
            CanChange = await RecordAccess.CanChangeAsync(db, user, lead, ct),
        };
    }

    /// <summary>
    /// The answer to a command: the lead as the caller now sees it, or, when the command moved it out of their sight
    /// (an assistant's screening gives it to a rep), as it was saved, marked unchangeable.
    /// </summary>
    public static async Task<LeadDto> AfterChangeAsync(AppDbContext db, CurrentUser user, Lead lead, DateTime now, CancellationToken ct)
    {
        if (await db.Leads.AnyAsync(l => l.Id == lead.Id, ct))
        {
            return await ReadAsync(db, user, lead.Id, now, ct);
        }

        var settings = await db.LeadSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new LeadSettings();
        var ownerName = lead.OwnerId is { } owner ? await db.Users.Where(u => u.Id == owner).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) : null;
        var dto = CompiledProjection(lead);
        return dto with
        {
            OwnerName = ownerName,
            Sla = LeadRules.Sla(dto.FirstTouchDueAt, dto.FirstTouchAt, now, settings),
            ScreenedByName = lead.ScreenedBy == user.Id ? user.DisplayName : null,
            CanChange = false,
        };
    }

    private static readonly Func<Lead, LeadDto> CompiledProjection = LeadDto.Projection.Compile();

    /// <summary>Whether <paramref name="user"/> may direct leads to <paramref name="teamId"/>'s people or pool.</summary>
    public static bool Manages(CurrentUser user, Guid? teamId) =>
        user.IsAdmin || (teamId is { } team && user.SubtreeTeamIds.Contains(team)
            && (user.Roles.Contains(Roles.Manager) || user.Roles.Contains(Roles.Director)));
}
