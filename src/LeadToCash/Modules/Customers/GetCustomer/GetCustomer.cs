using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers.GetCustomer;

public sealed class GetCustomerHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>One visible customer, with whether the caller may change it.</summary>
    public async Task<CustomerDto> HandleAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await CustomerAccess.ReadAsync(db, user, id, ct);
    }
}

public static class GetCustomerEndpoint
{
    public static void MapGetCustomer(this RouteGroupBuilder group) =>
        group.MapGet("/{id:guid}", async (Guid id, CurrentUser user, GetCustomerHandler handler, HttpContext http, CancellationToken ct) =>
            {
                var customer = await handler.HandleAsync(user, id, ct);
                http.Response.Headers.ETag = $"\"{customer.Version}\"";
                return TypedResults.Ok(customer);
            })
            .RequireAuthorization(Permissions.CustomersRead)
            .WithName("GetCustomer")
            .WithSummary("One customer, with its version (also sent as ETag).");
}
