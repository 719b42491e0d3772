using LeadToCash.Components.Pages.Organization;
using LeadToCash.Modules.Organization;
using LeadToCash.Modules.Organization.Teams;

namespace LeadToCash.Tests.Components;

public sealed class TeamTreeBuilderTests
{
    private static readonly TeamDto Company = Team("云帆", TeamKind.Company, null);
    private static readonly TeamDto Sales = Team("销售中心", TeamKind.Department, Company.Id);
    private static readonly TeamDto Finance = Team("财务部", TeamKind.Department, Company.Id);
    private static readonly TeamDto East = Team("华东大区", TeamKind.Region, Sales.Id);
    private static readonly TeamDto Sh2 = Team("上海销售二组", TeamKind.Team, East.Id);
    private static readonly TeamDto Sh1 = Team("上海销售一组", TeamKind.Team, East.Id);

    private static readonly IReadOnlyList<TeamDto> Flat = [Sh2, Finance, East, Company, Sh1, Sales];

    [Fact]
    public void Build_FlatList_NestsEachTeamUnderItsParent()
    {
        var roots = TeamTreeBuilder.Build(Flat);

        var company = Assert.Single(roots);
        Assert.Equal(Company, company.Value);
        var sales = Assert.Single(company.Children!, c => c.Value == Sales);
        var east = Assert.Single(sales.Children!);
        Assert.Equal(East, east.Value);
        Assert.Equal([Sh1.Id, Sh2.Id], east.Children!.Select(c => c.Value!.Id));
        Assert.Null(east.Children!.First().Children);
        Assert.False(east.Children!.First().Expandable);
        Assert.True(east.Expandable);
    }

    [Fact]
    public void Build_Siblings_OrderedByKindThenName()
    {
        var extraRegion = Team("华南大区", TeamKind.Region, Company.Id);

        var company = Assert.Single(TeamTreeBuilder.Build([.. Flat, extraRegion]));

        // Regions before departments; then by name in code-point order (财 U+8D22 before 销 U+9500), whatever the UI language.
        Assert.Equal([extraRegion.Id, Finance.Id, Sales.Id], company.Children!.Select(c => c.Value!.Id));
    }

    [Fact]
    public void Build_ParentNotInList_TeamBecomesRoot()
    {
        var roots = TeamTreeBuilder.Build([East, Sh1, Sh2]);

        var east = Assert.Single(roots);
        Assert.Equal(East, east.Value);
        Assert.Equal(2, east.Children!.Count);
    }

    [Fact]
    public void Build_CycleInData_EveryTeamShownOnce()
    {
        var aId = Guid.NewGuid();
        var b = Team("B", TeamKind.Team, aId);
        var a = Team("A", TeamKind.Team, b.Id) with { Id = aId };

        var roots = TeamTreeBuilder.Build([Company, a, b]);

        var all = TeamTreeBuilder.Flatten([Company, a, b]).Select(x => x.Team.Id).ToList();
        Assert.Equal(3, all.Count);
        Assert.Equal(3, all.Distinct().Count());
        Assert.Equal(2, roots.Count);
    }

    [Fact]
    public void Build_Expanded_FollowsArgument()
    {
        Assert.True(TeamTreeBuilder.Build(Flat)[0].Expanded);
        Assert.False(TeamTreeBuilder.Build(Flat, expanded: false)[0].Expanded);
    }

    [Fact]
    public void Flatten_Tree_DepthFirstWithDepth()
    {
        var flat = TeamTreeBuilder.Flatten(Flat);

        Assert.Equal(
            [("云帆", 0), ("财务部", 1), ("销售中心", 1), ("华东大区", 2), ("上海销售一组", 3), ("上海销售二组", 3)],
            flat.Select(x => (x.Team.Name, x.Depth)));
    }

    [Fact]
    public void SubtreeOf_Region_IncludesItselfAndTeamsBelow()
    {
        var subtree = TeamTreeBuilder.SubtreeOf(Flat, East.Id);

        Assert.Equal(new HashSet<Guid> { East.Id, Sh1.Id, Sh2.Id }, subtree);
    }

    [Fact]
    public void PathOf_Team_NamesFromTheTopDown()
    {
        Assert.Equal(["云帆", "销售中心", "华东大区", "上海销售一组"], TeamTreeBuilder.PathOf(Flat, Sh1.Id));
    }

    private static TeamDto Team(string name, TeamKind kind, Guid? parentId) =>
        new(Guid.NewGuid(), name, kind, parentId, null, null, 0, 1);
}
