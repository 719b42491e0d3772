using System.Runtime.CompilerServices;
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
    private const int Batch = 500;

    private static readonly IReadOnlyList<ExportColumn<CustomerDto>> Columns =
    [
        new("Id", c => c.Id),
        new("Name", c => c.Name),
        new("Industry", c => c.Industry),
        new("Size", c => c.Size),
        new("Region", c => c.Region),
        new("Phone", c => c.Phone),
        new("Website", c => c.Website),
        new("Address", c => c.Address),
        new("SourceChannel", c => c.SourceChannel),
        new("Grade", c => c.Grade.ToString()),
        new("Stage", c => c.Stage.ToString()),
        new("ParentId", c => c.ParentId),
        new("Parent", c => c.ParentName),
        new("Tags", c => c.Tags is null ? null : string.Join(", ", c.Tags)),
        new("SystemTags", c => c.SystemTags is null ? null : string.Join(", ", c.SystemTags)),
        new("Owner", c => c.OwnerName),
        new("InPool", c => c.OwnerId is null),
        new("LastFollowUpAt", c => c.LastFollowUpAt),
        new("NextFollowUpAt", c => c.NextFollowUpAt),
        new("CreatedAt", c => c.CreatedAt),
        new("UpdatedAt", c => c.UpdatedAt),
    ];

    public async Task HandleAsync(CurrentUser user, CustomerFilter filter, ExportFormat format, Stream output, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersExport);
        await using var db = await dbFactory.OpenAsync(user, ct);
        // A second context for the tags and parent names, while the first one streams the rows.
        await using var lookups = await dbFactory.OpenAsync(user, ct);
        var rows = filter.Apply(db.Customers.AsNoTracking(), db)
            .OrderBy(c => c.Name).ThenBy(c => c.Id)
            .Select(CustomerDto.Projection)
            .AsAsyncEnumerable();
        await export.WriteAsync(output, CompleteAsync(rows, lookups, ct), Columns, format, ct);
    }

    private static async IAsyncEnumerable<CustomerDto> CompleteAsync(IAsyncEnumerable<CustomerDto> rows, AppDbContext lookups,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var batch = new List<CustomerDto>(Batch);
        await foreach (var row in rows.WithCancellation(ct))
        {
            batch.Add(row);
            if (batch.Count == Batch)
            {
                foreach (var complete in await CustomerTags.CompleteAsync(lookups, batch, ct))
                {
                    yield return complete;
                }

                batch.Clear();
            }
        }

        foreach (var complete in await CustomerTags.CompleteAsync(lookups, batch, ct))
        {
            yield return complete;
        }
    }
}

public static class ExportCustomersEndpoint
{
    public static void MapExportCustomers(this RouteGroupBuilder group) =>
        group.MapGet("/export", async (string? format, [AsParameters] ExportCustomersQuery query,
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
                await handler.HandleAsync(user, query.Filter, kind, http.Response.Body, ct);
                return Results.Empty;
            })
            .RequireAuthorization(Permissions.CustomersExport)
            .WithName("ExportCustomers")
            .WithSummary("The customers the caller may see, as .xlsx or .csv (?format=xlsx|csv plus the list's filters).");
}

public sealed record ExportCustomersQuery(string? Q, string? Industry, Guid? OwnerId, bool? InPool, CustomerGrade? Grade,
    LifecycleStage? Stage, string? Tag, Guid? ParentId, string? Region)
{
    public CustomerFilter Filter => new(Q, Industry, OwnerId, InPool, Grade, Stage, Tag, ParentId, Region);
}
