using LeadToCash.Platform.Auth;

namespace LeadToCash.Tests.Unit;

public sealed class CurrentUserResolverTests
{
    private readonly OrgFixture _org = new();

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Finance)]
    public void Build_AdminOrFinance_SeesAll(string role)
    {
        var user = CurrentUserResolver.Build(OrgFixture.User(Guid.NewGuid(), _org.Finance), [role], _org.Tree);

        Assert.True(user.Scope.SeesAll);
    }

    [Theory]
    [InlineData(Roles.Director)]
    [InlineData(Roles.Manager)]
    [InlineData(Roles.Rep)]
    [InlineData(Roles.Assistant)]
    public void Build_OtherRoles_DoNotSeeAll(string role)
    {
        var user = CurrentUserResolver.Build(OrgFixture.User(Guid.NewGuid(), _org.Sh1), [role], _org.Tree);

        Assert.False(user.Scope.SeesAll);
    }

    [Fact]
    public void Build_Manager_OwnerTeamsAreSubtreeAndPoolsAreSubtreePlusPathToRoot()
    {
        var user = CurrentUserResolver.Build(OrgFixture.User(_org.EastDirector, _org.East), [Roles.Manager], _org.Tree);

        Assert.Equal(Ids(_org.East, _org.Sh1, _org.Sh2), user.Scope.OwnerTeamIds.Order());
        Assert.Equal(Ids(_org.East, _org.Sh1, _org.Sh2, _org.Sales, _org.Company), user.Scope.PoolTeamIds.Order());
        Assert.Equal(Ids(_org.East, _org.Sh1, _org.Sh2), user.SubtreeTeamIds.Order());
    }

    [Fact]
    public void Build_DirectorHeadingSales_OwnerTeamsAreWholeSalesSubtree()
    {
        var user = CurrentUserResolver.Build(OrgFixture.User(_org.Director, _org.Sales), [Roles.Director], _org.Tree);

        Assert.Equal(Ids(_org.Sales, _org.East, _org.Sh1, _org.Sh2, _org.South, _org.Sz), user.Scope.OwnerTeamIds.Order());
        Assert.Equal(Ids(_org.Sales, _org.East, _org.Sh1, _org.Sh2, _org.South, _org.Sz, _org.Company), user.Scope.PoolTeamIds.Order());
    }

    [Fact]
    public void Build_ManagerHeadingAnotherTeam_SubtreeIncludesHeadedTeam()
    {
        // Manager2 heads Shanghai 2 but sits in Shenzhen: both subtrees count.
        var user = CurrentUserResolver.Build(OrgFixture.User(_org.Manager2, _org.Sz), [Roles.Manager], _org.Tree);

        Assert.Equal(Ids(_org.Sz, _org.Sh2), user.Scope.OwnerTeamIds.Order());
    }

    [Fact]
    public void Build_Rep_OwnsNoTeamsAndSeesPoolsOfOwnTeamAndAbove()
    {
        var id = Guid.NewGuid();

        var user = CurrentUserResolver.Build(OrgFixture.User(id, _org.Sh1), [Roles.Rep], _org.Tree);

        Assert.Equal(id, user.Scope.UserId);
        Assert.Empty(user.Scope.OwnerTeamIds);
        Assert.Equal(Ids(_org.Sh1, _org.East, _org.Sales, _org.Company), user.Scope.PoolTeamIds.Order());
    }

    [Fact]
    public void Build_RepOfTeamWithSubTeams_DoesNotSeePoolsBelow()
    {
        var user = CurrentUserResolver.Build(OrgFixture.User(Guid.NewGuid(), _org.East), [Roles.Rep], _org.Tree);

        Assert.DoesNotContain(_org.Sh1.Id, user.Scope.PoolTeamIds);
        Assert.Equal(Ids(_org.East, _org.Sales, _org.Company), user.Scope.PoolTeamIds.Order());
    }

    [Fact]
    public void Build_Assistant_OwnsNoTeamsAndSeesPoolsBelowAndAbove()
    {
        var user = CurrentUserResolver.Build(OrgFixture.User(Guid.NewGuid(), _org.East), [Roles.Assistant], _org.Tree);

        Assert.Empty(user.Scope.OwnerTeamIds);
        Assert.Equal(Ids(_org.East, _org.Sh1, _org.Sh2, _org.Sales, _org.Company), user.Scope.PoolTeamIds.Order());
    }

    [Fact]
    public void Build_UserWithoutTeam_SeesNoTeamRecords()
    {
        var user = CurrentUserResolver.Build(OrgFixture.User(Guid.NewGuid(), null), [Roles.Rep], _org.Tree);

        Assert.Empty(user.Scope.OwnerTeamIds);
        Assert.Empty(user.Scope.PoolTeamIds);
        Assert.Null(user.TeamName);
    }

    [Fact]
    public void Build_ManagerAndRep_HasPermissionsOfBothRoles()
    {
        var user = CurrentUserResolver.Build(OrgFixture.User(_org.Manager, _org.Sh1), [Roles.Manager, Roles.Rep], _org.Tree);

        Assert.True(user.Has(Permissions.CustomersDelete));
        Assert.Equal(Permissions.ForRoles([Roles.Manager, Roles.Rep]).Order(), user.Permissions.Order());
        Assert.Equal("Shanghai 1", user.TeamName);
    }

    private static IEnumerable<Guid> Ids(params Modules.Organization.TeamNode[] teams) => teams.Select(t => t.Id).Order();
}
