using LeadToCash.Platform.Auth;

namespace LeadToCash.Tests.Security;

public sealed partial class EndpointInventoryTests
{
    /// <summary>The opportunity, board, forecast and pipeline endpoints, each with the permission it must name.</summary>
    public static TheoryData<string, string, string> OpportunityEndpoints() => new()
    {
        { "GET", "/api/v1/opportunities/", Permissions.OpportunitiesRead },
        { "POST", "/api/v1/opportunities/", Permissions.OpportunitiesCreate },
        { "GET", "/api/v1/opportunities/{id:guid}", Permissions.OpportunitiesRead },
        { "PUT", "/api/v1/opportunities/{id:guid}", Permissions.OpportunitiesEdit },
        { "POST", "/api/v1/opportunities/{id:guid}/move", Permissions.OpportunitiesMove },
        { "POST", "/api/v1/opportunities/{id:guid}/override", Permissions.OpportunitiesOverride },
        { "POST", "/api/v1/opportunities/{id:guid}/win", Permissions.OpportunitiesMove },
        { "POST", "/api/v1/opportunities/{id:guid}/lose", Permissions.OpportunitiesMove },
        { "POST", "/api/v1/opportunities/{id:guid}/reopen", Permissions.OpportunitiesMove },
        { "POST", "/api/v1/opportunities/bulk/move", Permissions.OpportunitiesMove },
        { "POST", "/api/v1/opportunities/{id:guid}/assign", Permissions.OpportunitiesAssign },
        { "GET", "/api/v1/opportunities/{id:guid}/stages", Permissions.OpportunitiesRead },
        { "GET", "/api/v1/opportunities/{id:guid}/stage-history", Permissions.OpportunitiesRead },
        { "PUT", "/api/v1/opportunities/{id:guid}/checklist/{requirementId:guid}", Permissions.OpportunitiesEdit },
        { "DELETE", "/api/v1/opportunities/{id:guid}/checklist/{requirementId:guid}", Permissions.OpportunitiesEdit },
        { "GET", "/api/v1/opportunities/board", Permissions.OpportunitiesRead },
        { "GET", "/api/v1/opportunities/board/column", Permissions.OpportunitiesRead },
        { "GET", "/api/v1/opportunities/forecast", Permissions.OpportunitiesRead },
        { "GET", "/api/v1/pipelines/", Permissions.OpportunitiesRead },
        { "GET", "/api/v1/pipelines/{id:guid}", Permissions.OpportunitiesRead },
        { "POST", "/api/v1/pipelines/", Permissions.PipelinesManage },
        { "PUT", "/api/v1/pipelines/{id:guid}", Permissions.PipelinesManage },
        { "POST", "/api/v1/pipelines/{id:guid}/default", Permissions.PipelinesManage },
        { "POST", "/api/v1/pipelines/{id:guid}/stages", Permissions.PipelinesManage },
        { "PUT", "/api/v1/pipelines/{id:guid}/stages/{stageId:guid}", Permissions.PipelinesManage },
        { "PUT", "/api/v1/pipelines/{id:guid}/stages/order", Permissions.PipelinesManage },
        { "POST", "/api/v1/pipelines/{id:guid}/stages/{stageId:guid}/requirements", Permissions.PipelinesManage },
        { "DELETE", "/api/v1/pipelines/{id:guid}/stages/{stageId:guid}/requirements/{requirementId:guid}", Permissions.PipelinesManage },
        { "PUT", "/api/v1/pipelines/{id:guid}/stages/{stageId:guid}/requirements/order", Permissions.PipelinesManage },
    };

    [Theory]
    [MemberData(nameof(OpportunityEndpoints))]
    public void Endpoints_OpportunitiesAndPipelines_RequireTheirPermission(string method, string route, string permission)
    {
        var endpoint = Assert.Single(Inventory(), e => e.Route == route && e.Methods.Contains(method));

        Assert.Null(Problem(endpoint));
        Assert.Equal([permission], endpoint.Authorization.Select(a => a.Policy));
    }
}
