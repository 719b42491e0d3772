using LeadToCash.Modules.Organization;

namespace LeadToCash.Tests;

public sealed class TeamTreeSmokeTests
{
    [Fact]
    public void ManagerOf_HeadOfOwnTeam_IsHeadOfParent()
    {
        var director = Guid.NewGuid();
        var manager = Guid.NewGuid();
        var region = new TeamNode(Guid.NewGuid(), "Region", null, director, TeamKind.Region);
        var team = new TeamNode(Guid.NewGuid(), "Team", region.Id, manager, TeamKind.Team);
        var tree = new TeamTree([region, team]);

        Assert.Equal(director, tree.ManagerOf(manager, team.Id));
    }
}
