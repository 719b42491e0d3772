using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers.ListCustomers;

/// <summary>Filters of the customer list; the export takes the same ones.</summary>
public sealed record CustomerFilter(string? Q = null, string? Industry = null, Guid? OwnerId = null, bool? InPool = null)
{
    public IQueryable<Customer> Apply(IQueryable<Customer> query)
    {
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim();
            query = query.Where(c => c.Name.Contains(q) || (c.Phone != null && c.Phone.Contains(q)) || (c.Region != null && c.Region.Contains(q)));
        }

        if (!string.IsNullOrWhiteSpace(Industry))
        {
            query = query.Where(c => c.Industry == Industry);
        }

        if (OwnerId is { } owner)
        {
            query = query.Where(c => c.OwnerId == owner);
        }

        if (InPool is { } inPool)
        {
            query = inPool ? query.Where(c => c.OwnerId == null) : query.Where(c => c.OwnerId != null);
        }

        return query;
    }
}

public sealed class ListCustomersHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    public static readonly IReadOnlyList<SortField<Customer>> SortFields =
    [
        Keyset.Field<Customer, string>("name", c => c.Name),
        Keyset.Field<Customer, DateTime>("createdAt", c => c.CreatedAt),
        Keyset.Field<Customer, DateTime>("updatedAt", c => c.UpdatedAt),
    ];

    public async Task<ListPage<CustomerDto>> HandleAsync(CurrentUser user, CustomerFilter filter, ListRequest page,
        CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var query = filter.Apply(db.Customers.AsNoTracking());
        return await Keyset.PageAsync(query, page, SortFields, c => c.Id, CustomerDto.Projection, ct);
    }
}

public static class ListCustomersEndpoint
{
    public static void MapListCustomers(this RouteGroupBuilder group) =>
        group.MapGet("/", async ([AsParameters] CustomerQuery query, CurrentUser user, ListCustomersHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(user, query.Filter, query.Page, ct)))
            .RequireAuthorization(Permissions.CustomersRead)
            .WithName("ListCustomers")
            .WithSummary("Customers the caller may see: ?q=&industry=&ownerId=&inPool=&limit=&cursor=&sort=(name|createdAt|updatedAt, - for descending).");
}

public sealed record CustomerQuery(string? Q, string? Industry, Guid? OwnerId, bool? InPool, int? Limit, string? Cursor, string? Sort)
{
    public CustomerFilter Filter => new(Q, Industry, OwnerId, InPool);

    public ListRequest Page => new(Limit, Cursor, Sort);
}
