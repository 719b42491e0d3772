using LeadToCash.Platform.Auth;

namespace LeadToCash.Tests.Security;

public sealed partial class EndpointInventoryTests
{
    /// <summary>
    /// The negotiation-minutes, playbook and quote-rule endpoints, each with the permission it must name. The minutes'
    /// handlers then check the opportunity (visible: else 404; changeable, or its bottom lines visible: else 403).
    /// </summary>
    public static TheoryData<string, string, string> NegotiationEndpoints() => new()
    {
        { "GET", "/api/v1/opportunities/{id:guid}/negotiations", Permissions.NegotiationsRead },
        { "POST", "/api/v1/opportunities/{id:guid}/negotiations", Permissions.NegotiationsEdit },
        { "GET", "/api/v1/opportunities/{id:guid}/negotiations/export", Permissions.NegotiationsRead },
        { "GET", "/api/v1/negotiations/{id:guid}", Permissions.NegotiationsRead },
        { "PUT", "/api/v1/negotiations/{id:guid}", Permissions.NegotiationsEdit },
        { "DELETE", "/api/v1/negotiations/{id:guid}", Permissions.NegotiationsEdit },
        { "PUT", "/api/v1/negotiations/{id:guid}/open-items/{itemId:guid}", Permissions.NegotiationsEdit },
        { "PUT", "/api/v1/negotiations/{id:guid}/bottom-line", Permissions.NegotiationsEdit },
        { "GET", "/api/v1/playbook/", Permissions.PlaybookRead },
        { "GET", "/api/v1/playbook/{id:guid}", Permissions.PlaybookRead },
        { "POST", "/api/v1/playbook/", Permissions.PlaybookManage },
        { "PUT", "/api/v1/playbook/{id:guid}", Permissions.PlaybookManage },
        { "DELETE", "/api/v1/playbook/{id:guid}", Permissions.PlaybookManage },
        { "POST", "/api/v1/playbook/reorder", Permissions.PlaybookManage },
        { "GET", "/api/v1/settings/opportunities/", Permissions.SettingsRead },
        { "PUT", "/api/v1/settings/opportunities/", Permissions.SettingsManage },
    };

    [Theory]
    [MemberData(nameof(NegotiationEndpoints))]
    public void Endpoints_NegotiationsPlaybookAndQuoteRules_RequireTheirPermission(string method, string route, string permission)
    {
        var endpoint = Assert.Single(Inventory(), e => e.Route == route && e.Methods.Contains(method));

        Assert.Null(Problem(endpoint));
        Assert.Equal([permission], endpoint.Authorization.Select(a => a.Policy));
    }
}
