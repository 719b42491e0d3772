using LeadToCash.Platform.Auth;

namespace LeadToCash.Tests.Security;

public sealed partial class EndpointInventoryTests
{
    /// <summary>The price book, quote and approval endpoints, each with the permission it must name.</summary>
    public static TheoryData<string, string, string> QuoteEndpoints() => new()
    {
        { "GET", "/api/v1/products/", Permissions.ProductsRead },
        { "GET", "/api/v1/products/lines", Permissions.ProductsRead },
        { "GET", "/api/v1/products/{id:guid}", Permissions.ProductsRead },
        { "GET", "/api/v1/products/export", Permissions.ProductsRead },
        { "POST", "/api/v1/products/", Permissions.ProductsManage },
        { "PUT", "/api/v1/products/{id:guid}", Permissions.ProductsManage },
        { "POST", "/api/v1/products/{id:guid}/deactivate", Permissions.ProductsManage },
        { "POST", "/api/v1/products/{id:guid}/activate", Permissions.ProductsManage },
        { "GET", "/api/v1/products/imports/", Permissions.ProductsManage },
        { "POST", "/api/v1/products/imports/", Permissions.ProductsManage },
        { "POST", "/api/v1/products/imports/{id:guid}/preview", Permissions.ProductsManage },
        { "POST", "/api/v1/products/imports/{id:guid}/start", Permissions.ProductsManage },
        { "GET", "/api/v1/products/imports/{id:guid}", Permissions.ProductsManage },
        { "GET", "/api/v1/products/imports/{id:guid}/rejected", Permissions.ProductsManage },
        { "GET", "/api/v1/opportunities/{id:guid}/quotes", Permissions.QuotesRead },
        { "POST", "/api/v1/opportunities/{id:guid}/quotes", Permissions.QuotesEdit },
        { "GET", "/api/v1/quotes/{id:guid}", Permissions.QuotesRead },
        { "PUT", "/api/v1/quotes/{id:guid}", Permissions.QuotesEdit },
        { "GET", "/api/v1/quotes/{id:guid}/versions", Permissions.QuotesRead },
        { "GET", "/api/v1/quotes/{id:guid}/compare", Permissions.QuotesRead },
        { "POST", "/api/v1/quotes/{id:guid}/revise", Permissions.QuotesEdit },
        { "POST", "/api/v1/quotes/{id:guid}/submit", Permissions.QuotesEdit },
        { "POST", "/api/v1/quotes/{id:guid}/send", Permissions.QuotesEdit },
        { "POST", "/api/v1/quotes/{id:guid}/accept", Permissions.QuotesEdit },
        { "POST", "/api/v1/quotes/{id:guid}/reject", Permissions.QuotesEdit },
        { "GET", "/api/v1/quotes/{id:guid}/pdf", Permissions.QuotesRead },
        { "GET", "/api/v1/quotes/{id:guid}/xlsx", Permissions.QuotesRead },
        { "GET", "/api/v1/approvals/", Permissions.ApprovalsDecide },
        { "GET", "/api/v1/approvals/{id:guid}", Permissions.ApprovalsDecide },
        { "POST", "/api/v1/approvals/{id:guid}/approve", Permissions.ApprovalsDecide },
        { "POST", "/api/v1/approvals/{id:guid}/reject", Permissions.ApprovalsDecide },
    };

    [Theory]
    [MemberData(nameof(QuoteEndpoints))]
    public void Endpoints_ProductsQuotesAndApprovals_RequireTheirPermission(string method, string route, string permission)
    {
        var endpoint = Assert.Single(Inventory(), e => e.Route == route && e.Methods.Contains(method));

        Assert.Null(Problem(endpoint));
        Assert.Equal([permission], endpoint.Authorization.Select(a => a.Policy));
    }
}
