using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Products.Catalogue;

/// <summary>Filters of the product list (the export takes the same ones): text in code or name, product line, active or not.</summary>
public sealed record ProductFilter(string? Q = null, string? Line = null, bool? Active = null)
{
    public IQueryable<Product> Apply(IQueryable<Product> query)
    {
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim();
            var key = ProductValidator.Key(q);
            query = query.Where(p => p.CodeKey.Contains(key) || p.Name.Contains(q));
        }

        if (!string.IsNullOrWhiteSpace(Line))
        {
            var line = Line.Trim();
            query = query.Where(p => p.Line == line);
        }

        if (Active is { } active)
        {
            query = query.Where(p => p.IsActive == active);
        }

        return query;
    }
}

/// <summary>
/// The price book: everyone with products.read reads it (quotes are made from it); only products.manage (the Admin)
/// creates, changes and deactivates products. Products are never deleted: quotes keep pointing at them.
/// </summary>
public sealed class ProductCatalogueHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    private static readonly ProductValidator Validator = new();

    public static readonly IReadOnlyList<SortField<Product>> SortFields =
    [
        Keyset.Field<Product, string>("code", p => p.CodeKey),
        Keyset.Field<Product, string>("name", p => p.Name),
        Keyset.Field<Product, long>("listPrice", p => p.ListPriceMinor),
        Keyset.Field<Product, DateTime>("updatedAt", p => p.UpdatedAt),
    ];

    public async Task<ListPage<ProductDto>> ListAsync(CurrentUser user, ProductFilter filter, ListRequest page, CancellationToken ct = default)
    {
        user.Require(Permissions.ProductsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await Keyset.PageAsync(filter.Apply(db.Products.AsNoTracking()), page, SortFields, p => p.Id, ProductDto.Projection, ct);
    }

    /// <summary>The product lines in use, for the list's filter and the form's suggestions.</summary>
    public async Task<IReadOnlyList<string>> LinesAsync(CurrentUser user, CancellationToken ct = default)
    {
        user.Require(Permissions.ProductsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await db.Products.AsNoTracking().Where(p => p.Line != null).Select(p => p.Line!).Distinct().OrderBy(l => l).ToListAsync(ct);
    }

    public async Task<ProductDto> GetAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.ProductsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await ReadAsync(db, id, ct);
    }

    public async Task<ProductDto> CreateAsync(CurrentUser user, ProductRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.ProductsManage);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var product = new Product { Code = request.Code.Trim(), Name = request.Name.Trim() };
        Apply(product, request);
        await EnsureCodeFreeAsync(db, product, ct);
        db.Products.Add(product);
        await SaveAsync(db, product, ct);
        return await ReadAsync(db, product.Id, ct);
    }

    public async Task<ProductDto> UpdateAsync(CurrentUser user, Guid id, ProductRequest request, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.ProductsManage);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var product = await db.Products.FirstOrDefaultAsync(p => p.Id == id, ct) ?? throw new NotFoundException("The product");
        Versioning.EnsureVersion(product.Version, version);
        Apply(product, request);
        await EnsureCodeFreeAsync(db, product, ct);
        await SaveAsync(db, product, ct);
        return await ReadAsync(db, id, ct);
    }

    /// <summary>Takes the product off the list new quote lines choose from (or back on); quotes that have it keep it.</summary>
    public async Task<ProductDto> SetActiveAsync(CurrentUser user, Guid id, bool active, CancellationToken ct = default)
    {
        user.Require(Permissions.ProductsManage);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var product = await db.Products.FirstOrDefaultAsync(p => p.Id == id, ct) ?? throw new NotFoundException("The product");
        if (product.IsActive != active)
        {
            product.IsActive = active;
            await db.SaveChangesAsync(ct);
        }

        return await ReadAsync(db, id, ct);
    }

    private static void Apply(Product product, ProductRequest request)
    {
        product.Code = request.Code.Trim();
        product.CodeKey = ProductValidator.Key(request.Code);
        product.Name = request.Name.Trim();
        product.Line = string.IsNullOrWhiteSpace(request.Line) ? null : request.Line.Trim();
        product.Unit = string.IsNullOrWhiteSpace(request.Unit) ? product.Unit : request.Unit.Trim();
        product.ListPriceMinor = request.ListPriceMinor;
        product.Currency = request.Currency ?? product.Currency;
        product.FloorPriceMinor = request.FloorPriceMinor;
        product.Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        product.IsActive = request.IsActive;
    }

    private static async Task EnsureCodeFreeAsync(AppDbContext db, Product product, CancellationToken ct)
    {
        var taken = await db.Products.AsNoTracking().Where(p => p.CodeKey == product.CodeKey && p.Id != product.Id)
            .Select(p => p.Name).FirstOrDefaultAsync(ct);
        if (taken is not null)
        {
            throw CodeTaken(product.Code, taken);
        }
    }

    // Two people saving the same code at once: the unique index decides, and the loser hears it like the check above.
    private static async Task SaveAsync(AppDbContext db, Product product, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            if (await db.Products.AsNoTracking().AnyAsync(p => p.CodeKey == product.CodeKey && p.Id != product.Id, ct))
            {
                throw CodeTaken(product.Code, null);
            }

            throw;
        }
    }

    private static ValidationException CodeTaken(string code, string? name) => new([new ValidationFailure("code",
        name is null ? $"The code '{code}' is already used by another product." : $"The code '{code}' is already used by the product '{name}'.")
        { ErrorCode = "ProductCodeTaken" }]);

    private static async Task<ProductDto> ReadAsync(AppDbContext db, Guid id, CancellationToken ct) =>
        await db.Products.AsNoTracking().Where(p => p.Id == id).Select(ProductDto.Projection).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("The product");
}

public static class ProductCatalogueEndpoints
{
    public static void MapProductCatalogue(this RouteGroupBuilder group)
    {
        group.MapGet("/", async ([AsParameters] ProductQuery query, CurrentUser user, ProductCatalogueHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, query.Filter, query.Page, ct)))
            .RequireAuthorization(Permissions.ProductsRead)
            .WithName("ListProducts")
            .WithSummary("The price book: ?q= (code or name) &line= &active=true|false &limit=&cursor=&sort=(code|name|listPrice|updatedAt, - for descending).");

        group.MapGet("/lines", async (CurrentUser user, ProductCatalogueHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.LinesAsync(user, ct)))
            .RequireAuthorization(Permissions.ProductsRead)
            .WithName("ListProductLines")
            .WithSummary("The product lines (series) in use.");

        group.MapGet("/{id:guid}", async (Guid id, CurrentUser user, ProductCatalogueHandler handler, HttpContext http, CancellationToken ct) =>
            {
                var product = await handler.GetAsync(user, id, ct);
                http.Response.Headers.ETag = $"\"{product.Version}\"";
                return TypedResults.Ok(product);
            })
            .RequireAuthorization(Permissions.ProductsRead)
            .WithName("GetProduct")
            .WithSummary("One product, with its version (also sent as ETag).");

        group.MapPost("/", async (ProductRequest request, CurrentUser user, ProductCatalogueHandler handler, CancellationToken ct) =>
            {
                var created = await handler.CreateAsync(user, request, ct);
                return TypedResults.Created($"/api/v1/products/{created.Id}", created);
            })
            .RequireAuthorization(Permissions.ProductsManage)
            .WithName("CreateProduct")
            .WithSummary("Add a product. The code is unique without regard to case; prices are in minor units (分), the floor price at most the list price.");

        group.MapPut("/{id:guid}", async (Guid id, ProductRequest request, CurrentUser user, ProductCatalogueHandler handler, HttpContext http,
                CancellationToken ct) =>
            {
                var updated = await handler.UpdateAsync(user, id, request, VersionHeader.Required(request.Version, http.Request), ct);
                http.Response.Headers.ETag = $"\"{updated.Version}\"";
                return TypedResults.Ok(updated);
            })
            .RequireAuthorization(Permissions.ProductsManage)
            .WithName("UpdateProduct")
            .WithSummary("Change a product; send the version you read (field or If-Match). A stale version answers 409.");

        group.MapPost("/{id:guid}/deactivate", async (Guid id, CurrentUser user, ProductCatalogueHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.SetActiveAsync(user, id, false, ct)))
            .RequireAuthorization(Permissions.ProductsManage)
            .WithName("DeactivateProduct")
            .WithSummary("Take a product off the price book for new quote lines; existing quotes keep it.");

        group.MapPost("/{id:guid}/activate", async (Guid id, CurrentUser user, ProductCatalogueHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.SetActiveAsync(user, id, true, ct)))
            .RequireAuthorization(Permissions.ProductsManage)
            .WithName("ActivateProduct")
            .WithSummary("Put a deactivated product back on the price book.");
    }
}

public sealed record ProductQuery(string? Q, string? Line, bool? Active, int? Limit, string? Cursor, string? Sort)
{
    public ProductFilter Filter => new(Q, Line, Active);

    public ListRequest Page => new(Limit, Cursor, Sort);
}
