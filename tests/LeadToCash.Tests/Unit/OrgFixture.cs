using LeadToCash.Modules.Organization;

namespace LeadToCash.Tests.Unit;

/// <summary>
/// A small organisation for the pure rules: company (head: admin) > sales (head: director) > east (head: east
/// director) > sh1 (head: manager), sh2 (head: manager2); sales > south (no head) > sz (no head); company > finance.
/// </summary>
internal sealed class OrgFixture
{
    public Guid Admin { get; } = Guid.NewGuid();
    public Guid Director { get; } = Guid.NewGuid();
    public Guid EastDirector { get; } = Guid.NewGuid();
    public Guid Manager { get; } = Guid.NewGuid();
    public Guid Manager2 { get; } = Guid.NewGuid();

    public TeamNode Company { get; }
    public TeamNode Sales { get; }
    public TeamNode East { get; }
    public TeamNode Sh1 { get; }
    public TeamNode Sh2 { get; }
    public TeamNode South { get; }
    public TeamNode Sz { get; }
    public TeamNode Finance { get; }

    public TeamTree Tree { get; }

    public OrgFixture()
    {
        Company = new TeamNode(Guid.NewGuid(), "Company", null, Admin, TeamKind.Company);
        Sales = new TeamNode(Guid.NewGuid(), "Sales", Company.Id, Director, TeamKind.Department);
        East = new TeamNode(Guid.NewGuid(), "East", Sales.Id, EastDirector, TeamKind.Region);
        Sh1 = new TeamNode(Guid.NewGuid(), "Shanghai 1", East.Id, Manager, TeamKind.Team);
        Sh2 = new TeamNode(Guid.NewGuid(), "Shanghai 2", East.Id, Manager2, TeamKind.Team);
        South = new TeamNode(Guid.NewGuid(), "South", Sales.Id, null, TeamKind.Region);
        Sz = new TeamNode(Guid.NewGuid(), "Shenzhen", South.Id, null, TeamKind.Team);
        Finance = new TeamNode(Guid.NewGuid(), "Finance", Company.Id, null, TeamKind.Department);
        Tree = new TeamTree([Company, Sales, East, Sh1, Sh2, South, Sz, Finance]);
    }

    public static AppUser User(Guid id, TeamNode? team) => new() { Id = id, DisplayName = "Someone", Email = "someone@example.test", TeamId = team?.Id };
}
