using LeadToCash.Modules.Organization;

namespace LeadToCash.Tests.Unit;

public sealed class TeamTreeTests
{
    private readonly OrgFixture _org = new();

    [Fact]
    public void SubtreeOf_Region_ReturnsRegionAndEveryTeamBelow()
    {
        var subtree = _org.Tree.SubtreeOf(_org.East.Id);

        Assert.Equal(new[] { _org.East.Id, _org.Sh1.Id, _org.Sh2.Id }.Order(), subtree.Order());
    }

    [Fact]
    public void SubtreeOf_Company_ReturnsWholeTree()
    {
        var subtree = _org.Tree.SubtreeOf(_org.Company.Id);

        Assert.Equal(_org.Tree.Teams.Select(t => t.Id).Order(), subtree.Order());
    }

    [Fact]
    public void SubtreeOf_TeamWithoutChildren_ReturnsOnlyTheTeam()
    {
        Assert.Equal([_org.Sh1.Id], _org.Tree.SubtreeOf(_org.Sh1.Id));
    }

    [Fact]
    public void SubtreeOf_UnknownTeam_ReturnsNothing()
    {
        Assert.Empty(_org.Tree.SubtreeOf(Guid.NewGuid()));
    }

    [Fact]
    public void PathToRoot_Team_ReturnsTeamAndEveryTeamAboveNearestFirst()
    {
        var path = _org.Tree.PathToRoot(_org.Sh1.Id);

        Assert.Equal([_org.Sh1.Id, _org.East.Id, _org.Sales.Id, _org.Company.Id], path);
    }

    [Fact]
    public void PathToRoot_Company_ReturnsOnlyTheCompany()
    {
        Assert.Equal([_org.Company.Id], _org.Tree.PathToRoot(_org.Company.Id));
    }

    [Fact]
    public void SubtreeOfAndPathToRoot_CyclicData_StopInsteadOfLooping()
    {
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        var tree = new TeamTree([new TeamNode(a, "A", b, null, TeamKind.Team), new TeamNode(b, "B", a, null, TeamKind.Team)]);

        Assert.Equal(new[] { a, b }.Order(), tree.SubtreeOf(a).Order());
        Assert.Equal([a, b], tree.PathToRoot(a));
    }

    [Fact]
    public void ManagerOf_Member_IsHeadOfOwnTeam()
    {
        Assert.Equal(_org.Manager, _org.Tree.ManagerOf(Guid.NewGuid(), _org.Sh1.Id));
    }

    [Fact]
    public void ManagerOf_HeadOfOwnTeam_IsHeadOfParent()
    {
        Assert.Equal(_org.EastDirector, _org.Tree.ManagerOf(_org.Manager, _org.Sh1.Id));
    }

    [Fact]
    public void ManagerOf_TeamsWithoutHead_IsNearestHeadAbove()
    {
        Assert.Equal(_org.Director, _org.Tree.ManagerOf(Guid.NewGuid(), _org.Sz.Id));
    }

    [Fact]
    public void ManagerOf_HeadOfTeamWithoutParent_IsNobody()
    {
        Assert.Null(_org.Tree.ManagerOf(_org.Admin, _org.Company.Id));
    }

    [Fact]
    public void ManagerOf_DirectorOfTopTeamOfOwnTree_IsNobody()
    {
        var director = Guid.NewGuid();
        var region = new TeamNode(Guid.NewGuid(), "Region", null, director, TeamKind.Region);
        var tree = new TeamTree([region, new TeamNode(Guid.NewGuid(), "Team", region.Id, Guid.NewGuid(), TeamKind.Team)]);

        Assert.Null(tree.ManagerOf(director, region.Id));
    }

    [Fact]
    public void ManagerOf_NoTeam_IsNobody()
    {
        Assert.Null(_org.Tree.ManagerOf(Guid.NewGuid(), null));
    }

    [Fact]
    public void WouldCycle_MoveUnderOwnSubTeam_IsTrue()
    {
        Assert.True(_org.Tree.WouldCycle(_org.Sales.Id, _org.Sh1.Id));
    }

    [Fact]
    public void WouldCycle_MoveUnderItself_IsTrue()
    {
        Assert.True(_org.Tree.WouldCycle(_org.East.Id, _org.East.Id));
    }

    [Fact]
    public void WouldCycle_MoveUnderOtherBranch_IsFalse()
    {
        Assert.False(_org.Tree.WouldCycle(_org.Sh1.Id, _org.South.Id));
    }

    [Fact]
    public void WouldCycle_NoParent_IsFalse()
    {
        Assert.False(_org.Tree.WouldCycle(_org.Sh1.Id, null));
    }
}
