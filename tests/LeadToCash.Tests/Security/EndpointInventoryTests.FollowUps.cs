using LeadToCash.Platform.Auth;

namespace LeadToCash.Tests.Security;

public sealed partial class EndpointInventoryTests
{
    /// <summary>The follow-up, cadence, customer-rules and timeline endpoints, each with the permission it must name.</summary>
    public static TheoryData<string, string, string> FollowUpEndpoints() => new()
    {
        { "POST", "/api/v1/customers/{id:guid}/follow-ups", Permissions.FollowUpsLog },
        { "GET", "/api/v1/customers/{id:guid}/follow-ups", Permissions.CustomersRead },
        { "GET", "/api/v1/customers/{id:guid}/timeline", Permissions.CustomersRead },
        { "GET", "/api/v1/follow-ups/{id:guid}", Permissions.CustomersRead },
        { "PUT", "/api/v1/follow-ups/{id:guid}", Permissions.FollowUpsLog },
        { "DELETE", "/api/v1/follow-ups/{id:guid}", Permissions.FollowUpsLog },
        { "GET", "/api/v1/follow-ups/activity", Permissions.CustomersRead },
        { "GET", "/api/v1/follow-ups/due", Permissions.CustomersRead },
        { "GET", "/api/v1/follow-ups/due/counts", Permissions.CustomersRead },
        { "GET", "/api/v1/follow-ups/due/by-rep", Permissions.CustomersAssign },
        { "GET", "/api/v1/settings/customers/", Permissions.SettingsRead },
        { "PUT", "/api/v1/settings/customers/", Permissions.SettingsManage },
    };

    [Theory]
    [MemberData(nameof(FollowUpEndpoints))]
    public void Endpoints_FollowUpsCadenceAndTimeline_RequireTheirPermission(string method, string route, string permission)
    {
        var endpoint = Assert.Single(Inventory(), e => e.Route == route && e.Methods.Contains(method));

        Assert.Null(Problem(endpoint));
        Assert.Equal([permission], endpoint.Authorization.Select(a => a.Policy));
    }
}
