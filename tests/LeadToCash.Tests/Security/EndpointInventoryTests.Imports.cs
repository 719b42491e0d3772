using LeadToCash.Platform.Auth;

namespace LeadToCash.Tests.Security;

public sealed partial class EndpointInventoryTests
{
    /// <summary>The people and opportunity imports, each door with the permission it must name.</summary>
    public static TheoryData<string, string, string> ImportEndpoints()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (path, permission) in new[] { ("users", Permissions.UsersManage), ("opportunities", Permissions.OpportunitiesImport) })
        {
            data.Add("GET", $"/api/v1/{path}/imports/", permission);
            data.Add("POST", $"/api/v1/{path}/imports/", permission);
            data.Add("POST", $"/api/v1/{path}/imports/{{id:guid}}/preview", permission);
            data.Add("POST", $"/api/v1/{path}/imports/{{id:guid}}/start", permission);
            data.Add("GET", $"/api/v1/{path}/imports/{{id:guid}}", permission);
            data.Add("GET", $"/api/v1/{path}/imports/{{id:guid}}/rejected", permission);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ImportEndpoints))]
    public void Endpoints_PeopleAndOpportunityImports_RequireTheirPermission(string method, string route, string permission)
    {
        var endpoint = Assert.Single(Inventory(), e => e.Route == route && e.Methods.Contains(method));

        Assert.Null(Problem(endpoint));
        Assert.Equal([permission], endpoint.Authorization.Select(a => a.Policy));
    }
}
