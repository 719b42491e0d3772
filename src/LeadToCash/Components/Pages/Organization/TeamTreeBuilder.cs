using LeadToCash.Modules.Organization;
using LeadToCash.Modules.Organization.Teams;
using MudBlazor;

namespace LeadToCash.Components.Pages.Organization;

/// <summary>Turns the flat team list of <see cref="TeamsHandler.ListAsync"/> into what the organisation pages show.</summary>
public static class TeamTreeBuilder
{
    /// <summary>
    /// The tree: each team under its parent, siblings by kind then name (ordinal, so that 一组 comes before 二组 in every language). A team whose parent is not in the list
    /// becomes a root, and teams caught in a cycle (a data error) are shown once at the top instead of vanishing.
    /// </summary>
    public static List<TreeItemData<TeamDto>> Build(IReadOnlyList<TeamDto> teams, bool expanded = true)
    {
        var ids = teams.Select(t => t.Id).ToHashSet();
        var byParent = teams.ToLookup(t => t.ParentId is { } p && ids.Contains(p) && p != t.Id ? p : (Guid?)null);
        var placed = new HashSet<Guid>();

        List<TreeItemData<TeamDto>> ChildrenOf(IEnumerable<TeamDto> siblings) =>
            [.. Ordered(siblings).Where(t => placed.Add(t.Id)).Select(t => Item(t, ChildrenOf(byParent[t.Id])))];

        TreeItemData<TeamDto> Item(TeamDto team, List<TreeItemData<TeamDto>> children) => new()
        {
            Value = team,
            Text = team.Name,
            Expanded = expanded,
            Expandable = children.Count > 0,
            Children = children.Count > 0 ? children : null,
        };

        var roots = ChildrenOf(byParent[null]);
        while (teams.FirstOrDefault(t => !placed.Contains(t.Id)) is { } stranded)
        {
            roots.AddRange(ChildrenOf([stranded]));
        }

        return roots;
    }

    /// <summary>Every team in tree order with its depth, for pickers that indent the names.</summary>
    public static IReadOnlyList<(TeamDto Team, int Depth)> Flatten(IReadOnlyList<TeamDto> teams)
    {
        var result = new List<(TeamDto, int)>();

        void Walk(IEnumerable<ITreeItemData<TeamDto>> items, int depth)
        {
            foreach (var item in items)
            {
                result.Add((item.Value!, depth));
                Walk(item.Children ?? [], depth + 1);
            }
        }

        Walk(Build(teams), 0);
        return result;
    }

    /// <summary>The team and all teams below it.</summary>
    public static IReadOnlySet<Guid> SubtreeOf(IReadOnlyList<TeamDto> teams, Guid teamId) =>
        Tree(teams).SubtreeOf(teamId).ToHashSet();

    /// <summary>The names from the top of the organisation down to the team, e.g. "Company › Sales › East".</summary>
    public static IReadOnlyList<string> PathOf(IReadOnlyList<TeamDto> teams, Guid teamId)
    {
        var tree = Tree(teams);
        return [.. tree.PathToRoot(teamId).Reverse().Select(id => tree.Find(id)!.Name)];
    }

    private static IOrderedEnumerable<TeamDto> Ordered(IEnumerable<TeamDto> teams) =>
        teams.OrderBy(t => t.Kind).ThenBy(t => t.Name, StringComparer.Ordinal);

    private static TeamTree Tree(IReadOnlyList<TeamDto> teams) =>
        new(teams.Select(t => new TeamNode(t.Id, t.Name, t.ParentId, t.HeadUserId, t.Kind)));
}
