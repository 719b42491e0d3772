using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Products.Catalogue;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Export;
using LeadToCash.Platform.Money;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Products.ExportProducts;

/// <summary>
/// The price book as .xlsx or .csv, prices in major units (元) so that the file imports back as it is: the column
/// headers are the import's field names.
/// </summary>
public sealed class ExportProductsHandler(IDbContextFactory<AppDbContext> dbFactory, ExportService export)
{
    private static readonly IReadOnlyList<ExportColumn<ProductDto>> Columns =
    [
        new("Code", p => p.Code),
        new("Name", p => p.Name),
        new("Line", p => p.Line),
        new("Unit", p => p.Unit),
        new("ListPrice", p => new Money(p.ListPriceMinor, p.Currency).ToDecimal()),
        new("FloorPrice", p => p.FloorPriceMinor is { } floor ? new Money(floor, p.Currency).ToDecimal() : null),
        new("Currency", p => p.Currency),
        new("Active", p => p.IsActive),
        new("Description", p => p.Description),
        new("UpdatedAt", p => p.UpdatedAt),
    ];

    public async Task HandleAsync(CurrentUser user, ProductFilter filter, ExportFormat format, Stream output, CancellationToken ct = default)
    {
        user.Require(Permissions.ProductsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var rows = filter.Apply(db.Products.AsNoTracking()).OrderBy(p => p.CodeKey).ThenBy(p => p.Id).Select(ProductDto.Projection).AsAsyncEnumerable();
        await export.WriteAsync(output, rows, Columns, format, ct);
    }
}

public static class ExportProductsEndpoint
{
    public static void MapExportProducts(this RouteGroupBuilder group) =>
        group.MapGet("/export", async (string? format, string? q, string? line, bool? active, CurrentUser user, ExportProductsHandler handler,
                TimeProvider clock, HttpContext http, CancellationToken ct) =>
            {
                var kind = (format ?? "xlsx").ToLowerInvariant() switch
                {
                    "xlsx" => ExportFormat.Xlsx,
                    "csv" => ExportFormat.Csv,
                    _ => throw new ValidationException([new ValidationFailure("format", "format must be xlsx or csv.")]),
                };
                user.Require(Permissions.ProductsRead);
                http.Response.ContentType = ExportService.ContentType(kind);
                http.Response.Headers.ContentDisposition =
                    $"attachment; filename=\"{ExportService.FileName("products", kind, clock.GetUtcNow().UtcDateTime)}\"";
                await handler.HandleAsync(user, new ProductFilter(q, line, active), kind, http.Response.Body, ct);
                return Results.Empty;
            })
            .RequireAuthorization(Permissions.ProductsRead)
            .WithName("ExportProducts")
            .WithSummary("The price book as .xlsx or .csv (?format=xlsx|csv plus the list's filters q, line, active); prices in major units.");
}
