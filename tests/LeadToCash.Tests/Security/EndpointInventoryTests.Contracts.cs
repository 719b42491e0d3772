using LeadToCash.Platform.Auth;

namespace LeadToCash.Tests.Security;

public sealed partial class EndpointInventoryTests
{
    /// <summary>The contract endpoints and the contract settings, each with the permission it must name.</summary>
    public static TheoryData<string, string, string> ContractEndpoints() => new()
    {
        { "GET", "/api/v1/contracts/", Permissions.ContractsRead },
        { "GET", "/api/v1/contracts/export", Permissions.ContractsRead },
        { "GET", "/api/v1/contracts/{id:guid}", Permissions.ContractsRead },
        { "POST", "/api/v1/contracts/", Permissions.ContractsEdit },
        { "PUT", "/api/v1/contracts/{id:guid}", Permissions.ContractsEdit },
        { "POST", "/api/v1/contracts/{id:guid}/submit", Permissions.ContractsEdit },
        { "POST", "/api/v1/contracts/{id:guid}/withdraw", Permissions.ContractsEdit },
        { "POST", "/api/v1/contracts/{id:guid}/sign", Permissions.ContractsEdit },
        { "POST", "/api/v1/contracts/{id:guid}/start", Permissions.ContractsEdit },
        { "POST", "/api/v1/contracts/{id:guid}/complete", Permissions.ContractsEdit },
        { "POST", "/api/v1/contracts/{id:guid}/terminate", Permissions.ContractsTerminate },
        { "GET", "/api/v1/contracts/{id:guid}/milestones", Permissions.ContractsRead },
        { "POST", "/api/v1/contracts/{id:guid}/milestones", Permissions.ContractsEdit },
        { "PUT", "/api/v1/contracts/{id:guid}/milestones/{milestoneId:guid}", Permissions.ContractsEdit },
        { "DELETE", "/api/v1/contracts/{id:guid}/milestones/{milestoneId:guid}", Permissions.ContractsEdit },
        { "GET", "/api/v1/settings/contracts/", Permissions.SettingsRead },
        { "PUT", "/api/v1/settings/contracts/", Permissions.SettingsManage },
    };

    [Theory]
    [MemberData(nameof(ContractEndpoints))]
    public void Endpoints_Contracts_RequireTheirPermission(string method, string route, string permission)
    {
        var endpoint = Assert.Single(Inventory(), e => e.Route == route && e.Methods.Contains(method));

        Assert.Null(Problem(endpoint));
        Assert.Equal([permission], endpoint.Authorization.Select(a => a.Policy));
    }
}
