using LeadToCash.Platform.Auth;

namespace LeadToCash.Tests.Security;

public sealed partial class EndpointInventoryTests
{
    /// <summary>The payment plan, receipt, invoice and receivables endpoints, each with the permission it must name.</summary>
    public static TheoryData<string, string, string> ReceivablesEndpoints() => new()
    {
        { "GET", "/api/v1/contracts/{id:guid}/receivables", Permissions.ReceivablesRead },
        { "PUT", "/api/v1/contracts/{id:guid}/payment-plan", Permissions.ContractsEdit },
        { "POST", "/api/v1/contracts/{id:guid}/receipts", Permissions.PaymentsRecord },
        { "PUT", "/api/v1/receipts/{id:guid}", Permissions.PaymentsRecord },
        { "DELETE", "/api/v1/receipts/{id:guid}", Permissions.PaymentsRecord },
        { "POST", "/api/v1/contracts/{id:guid}/invoices", Permissions.PaymentsRecord },
        { "DELETE", "/api/v1/invoices/{id:guid}", Permissions.PaymentsRecord },
        { "GET", "/api/v1/receivables/summary", Permissions.ReceivablesRead },
        { "GET", "/api/v1/receivables/instalments", Permissions.ReceivablesRead },
        { "GET", "/api/v1/receivables/export", Permissions.ReceivablesRead },
        { "GET", "/api/v1/customers/{id:guid}/receivables", Permissions.ReceivablesRead },
    };

    [Theory]
    [MemberData(nameof(ReceivablesEndpoints))]
    public void Endpoints_Receivables_RequireTheirPermission(string method, string route, string permission)
    {
        var endpoint = Assert.Single(Inventory(), e => e.Route == route && e.Methods.Contains(method));

        Assert.Null(Problem(endpoint));
        Assert.Equal([permission], endpoint.Authorization.Select(a => a.Policy));
    }
}
