using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Auth;

/// <summary>
/// Who may change a record they can already see. Seeing is the query filter's job; a visible record the caller
/// may not change answers 403 (<see cref="Errors.ForbiddenException"/>).
/// </summary>
public static class RecordAccess
{
    /// <summary>
    /// Whether <paramref name="user"/> may change a scoped record they can see: reads the owner's team and the user's
    /// share, then applies <see cref="CanChange(CurrentUser, IScopedRecord, Guid?, CollaboratorAccess?)"/>.
    /// </summary>
    public static async Task<bool> CanChangeAsync(AppDbContext db, CurrentUser user, IScopedRecord record, CancellationToken ct)
    {
        var ownerTeam = record.OwnerId is { } owner
            ? await db.Users.Where(u => u.Id == owner).Select(u => u.TeamId).FirstOrDefaultAsync(ct)
            : null;
        var share = await db.Collaborators
            .Where(c => c.RecordId == record.Id && c.UserId == user.Id)
            .Select(c => (CollaboratorAccess?)c.Access).FirstOrDefaultAsync(ct);
        return CanChange(user, record, ownerTeam, share);
    }

    public static bool CanChange(CurrentUser user, IScopedRecord record, Guid? ownerTeamId, CollaboratorAccess? share)
    {
        if (user.IsAdmin || record.OwnerId == user.Id || share == CollaboratorAccess.Edit)
        {
            return true;
        }

        var leads = user.Roles.Contains(Roles.Director) || user.Roles.Contains(Roles.Manager);
        if (record.OwnerId is not null)
        {
            return leads && ownerTeamId is { } team && user.SubtreeTeamIds.Contains(team);
        }

        var tendsPool = leads || user.Roles.Contains(Roles.Assistant);
        return tendsPool && record.PoolTeamId is { } pool && user.SubtreeTeamIds.Contains(pool);
    }
}
