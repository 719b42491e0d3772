using LeadToCash.Platform.Auth;

namespace LeadToCash.Modules.Opportunities.Negotiations;

/// <summary>
/// Who may see (and so write) the bottom lines (底线) of an opportunity's negotiations: its owner, the managers and
/// directors above the owner in the team tree (whose team subtree holds the owner's team), and the Admin. Nobody else,
/// whatever else they may do with the deal: an edit share, a manager of another team, Finance who sees every deal.
/// </summary>
public static class BottomLines
{
    public static bool CanSee(CurrentUser user, Guid? ownerId, Guid? ownerTeamId)
    {
        if (user.IsAdmin || (ownerId is { } owner && owner == user.Id))
        {
            return true;
        }

        var leads = user.Roles.Contains(Roles.Manager) || user.Roles.Contains(Roles.Director);
        return leads && ownerId is not null && ownerTeamId is { } team && user.SubtreeTeamIds.Contains(team);
    }
}
