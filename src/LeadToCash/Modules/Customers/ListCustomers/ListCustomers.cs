using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers.ListCustomers;

/// <summary>Filters of the customer list; the export takes the same ones.</summary>
public sealed record CustomerFilter(
    string? Q = null,
    string? Industry = null,
    Guid? OwnerId = null,
    bool? InPool = null,
    CustomerGrade? Grade = null,
    LifecycleStage? Stage = null,
    string? Tag = null,
    Guid? ParentId = null,
    string? Region = null)
{
    /// <param name="query">Customers of <paramref name="db"/>.</param>
    /// <param name="db">The context the query comes from; needed for the tag filter.</param>
    public IQueryable<Customer> Apply(IQueryable<Customer> query, AppDbContext? db = null)
    {
        query = ApplyIndexed(query);
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim();
            query = query.Where(c => c.Name.Contains(q) || (c.Phone != null && c.Phone.Contains(q)) || (c.Region != null && c.Region.Contains(q)));
        }

        if (OwnerId is { } owner)
        {
            query = query.Where(c => c.OwnerId == owner);
        }

        if (!string.IsNullOrWhiteSpace(Tag))
        {
            var tag = Tag.Trim();
            var tags = db?.CustomerTags ?? throw new InvalidOperationException("The tag filter needs the context of the query.");
            query = query.Where(c => tags.Any(t => t.CustomerId == c.Id && t.Name == tag));
        }

        if (ParentId is { } parent)
        {
            query = query.Where(c => c.ParentId == parent);
        }

        return query;
    }

    /// <summary>True when the whole filter is <see cref="ApplyIndexed"/>'s part.</summary>
    public bool IsIndexedOnly => string.IsNullOrWhiteSpace(Q) && OwnerId is null && string.IsNullOrWhiteSpace(Tag) && ParentId is null;

    /// <summary>
    /// The part of the filter that the customer indexes by owner and by pool also hold (industry, pool or owned, grade,
    /// stage, region), which <see cref="Apply"/> starts from; <see cref="AppDbContext.NarrowToScope{T}"/> reads only the
    /// ids that match it.
    /// </summary>
    public IQueryable<Customer> ApplyIndexed(IQueryable<Customer> query)
    {
        if (!string.IsNullOrWhiteSpace(Industry))
        {
            query = query.Where(c => c.Industry == Industry);
        }

        if (InPool is { } inPool)
        {
            query = inPool ? query.Where(c => c.OwnerId == null) : query.Where(c => c.OwnerId != null);
        }

        if (Grade is { } grade)
        {
            query = query.Where(c => c.Grade == grade);
        }

        if (Stage is { } stage)
        {
            query = query.Where(c => c.Stage == stage);
        }

        if (!string.IsNullOrWhiteSpace(Region))
        {
            var region = Region.Trim();
            query = query.Where(c => c.Region == region);
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
        // Never contacted sorts first in "longest without contact" order, last in "most recently contacted".
        Keyset.Field<Customer, DateTime>("lastFollowUpAt", c => c.LastFollowUpSortKey),
    ];

    public async Task<ListPage<CustomerDto>> HandleAsync(CurrentUser user, CustomerFilter filter, ListRequest page,
        CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var query = filter.Apply(db.NarrowToScope(db.Customers.AsNoTracking(), filter.ApplyIndexed), db);
        var countIds = filter.IsIndexedOnly ? db.VisibleIdsWithin<Customer>(filter.ApplyIndexed) : null;
        var result = await Keyset.PageAsync(query, page, SortFields, c => c.Id, CustomerDto.Projection, ct, countIds);
        return result with { Items = await CustomerTags.CompleteAsync(db, result.Items, ct) };
    }
}

public static class ListCustomersEndpoint
{
    public static void MapListCustomers(this RouteGroupBuilder group) =>
        group.MapGet("/", async ([AsParameters] CustomerQuery query, CurrentUser user, ListCustomersHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(user, query.Filter, query.Page, ct)))
            .RequireAuthorization(Permissions.CustomersRead)
            .WithName("ListCustomers")
            .WithSummary("Customers the caller may see: ?q=&industry=&ownerId=&inPool=&grade=(A|B|C)&stage=&tag=&parentId=&region=" +
                "&limit=&cursor=&sort=(name|createdAt|updatedAt|lastFollowUpAt, - for descending).");
}

public sealed record CustomerQuery(string? Q, string? Industry, Guid? OwnerId, bool? InPool, CustomerGrade? Grade, LifecycleStage? Stage,
    string? Tag, Guid? ParentId, string? Region, int? Limit, string? Cursor, string? Sort)
{
    public CustomerFilter Filter => new(Q, Industry, OwnerId, InPool, Grade, Stage, Tag, ParentId, Region);

    public ListRequest Page => new(Limit, Cursor, Sort);
}
