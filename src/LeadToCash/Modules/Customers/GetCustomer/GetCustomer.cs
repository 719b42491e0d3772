using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers.GetCustomer;

public sealed class GetCustomerHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<CustomerDto> HandleAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await db.Customers.AsNoTracking().Where(c => c.Id == id).Select(CustomerDto.Projection).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("The customer");
    }

    /// <summary>
    /// Whether the user may change (edit, delete) this customer, so that a page offers only what will work;
    /// false when the customer is not visible. The permissions (customers.edit, customers.delete) are checked apart.
    /// </summary>
    public async Task<bool> CanChangeAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        return customer is not null && await CustomerAccess.CanChangeAsync(db, user, customer, ct);
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
