using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers.DeleteCustomer;

public sealed class DeleteCustomerHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>Moves the customer to the recycle bin (soft delete); an Admin can restore it.</summary>
    public async Task HandleAsync(CurrentUser user, Guid id, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersDelete);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var customer = await CustomerAccess.LoadForChangeAsync(db, user, id, ct);
        Versioning.EnsureVersion(customer.Version, version);
        db.Customers.Remove(customer);
        await db.SaveChangesAsync(ct);
    }
}

public static class DeleteCustomerEndpoint
{
    public static void MapDeleteCustomer(this RouteGroupBuilder group) =>
        group.MapDelete("/{id:guid}", async (Guid id, int? version, CurrentUser user, DeleteCustomerHandler handler,
                HttpContext http, CancellationToken ct) =>
            {
                await handler.HandleAsync(user, id, VersionHeader.Required(version, http.Request), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Permissions.CustomersDelete)
            .WithName("DeleteCustomer")
            .WithSummary("Move a customer to the recycle bin; send its version (?version= or If-Match).");
}
