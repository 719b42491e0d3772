using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Customers.ListCustomers;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Export;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers.ExportCustomers;

public sealed class ExportCustomersHandler(IDbContextFactory<AppDbContext> dbFactory, ExportService export)
{
    private static readonly IReadOnlyList<ExportColumn<CustomerDto>> Columns =
    [
        new("Id", c => c.Id),
        new("Name", c => c.Name),
        new("Industry", c => c.Industry),
        new("Region", c => c.Region),
        new("Phone", c => c.Phone),
        new("Website", c => c.Website),
        new("Address", c => c.Address),
        new("SourceChannel", c => c.SourceChannel),
        new("Owner", c => c.OwnerName),
        new("InPool", c => c.OwnerId is null),
        new("CreatedAt", c => c.CreatedAt),
        new("UpdatedAt", c => c.UpdatedAt),
    ];

    public async Task HandleAsync(CurrentUser user, CustomerFilter filter, ExportFormat format, Stream output, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersExport);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var rows = filter.Apply(db.Customers.AsNoTracking())
            .OrderBy(c => c.Name).ThenBy(c => c.Id)
            .Select(CustomerDto.Projection)
            .AsAsyncEnumerable();
        await export.WriteAsync(output, rows, Columns, format, ct);
    }
}

public static class ExportCustomersEndpoint
{
    public static void MapExportCustomers(this RouteGroupBuilder group) =>
        group.MapGet("/export", async (string? format, string? q, string? industry, Guid? ownerId, bool? inPool,
                CurrentUser user, ExportCustomersHandler handler, TimeProvider clock, HttpContext http, CancellationToken ct) =>
            {
                var kind = (format ?? "xlsx").ToLowerInvariant() switch
                {
                    "xlsx" => ExportFormat.Xlsx,
                    "csv" => ExportFormat.Csv,
                    _ => throw new ValidationException([new ValidationFailure("format", "format must be xlsx or csv.")]),
                };
                user.Require(Permissions.CustomersExport);
                http.Response.ContentType = ExportService.ContentType(kind);
                http.Response.Headers.ContentDisposition =
                    $"attachment; filename=\"{ExportService.FileName("customers", kind, clock.GetUtcNow().UtcDateTime)}\"";
                await handler.HandleAsync(user, new CustomerFilter(q, industry, ownerId, inPool), kind, http.Response.Body, ct);
                return Results.Empty;
            })
            .RequireAuthorization(Permissions.CustomersExport)
            .WithName("ExportCustomers")
            .WithSummary("The customers the caller may see, as .xlsx or .csv (?format=xlsx|csv plus the list's filters).");
}
