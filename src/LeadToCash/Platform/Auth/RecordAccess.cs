using LeadToCash.Platform.Data;

namespace LeadToCash.Platform.Auth;

/// <summary>
/// Who may change a record they can already see. Seeing is the query filter's job; a visible record the caller
/// may not change answers 403 (<see cref="Errors.ForbiddenException"/>).
/// </summary>
public static class RecordAccess
{
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
