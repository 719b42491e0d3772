using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Export;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers.ExportContacts;

/// <summary>A contact as the export writes it, with its customer (the headers are ones the customer import recognises).</summary>
public sealed record ContactExportRow(
    Guid Id,
    Guid CustomerId,
    string Customer,
    string Name,
    string? Title,
    string? Mobile,
    string? Phone,
    string? Email,
    string? WeChat,
    PurchaseRole? Role,
    ContactStance? Stance,
    bool IsPrimary,
    string? Owner,
    DateTime CreatedAt);

/// <summary>The contacts of the customers the caller may see, as .xlsx or .csv.</summary>
public sealed class ExportContactsHandler(IDbContextFactory<AppDbContext> dbFactory, ExportService export)
{
    private static readonly IReadOnlyList<ExportColumn<ContactExportRow>> Columns =
    [
        new("Id", c => c.Id),
        new("CustomerId", c => c.CustomerId),
        new("Customer", c => c.Customer),
        new("Contact", c => c.Name),
        new("Title", c => c.Title),
        new("Mobile", c => c.Mobile),
        new("Contact Phone", c => c.Phone),
        new("Email", c => c.Email),
        new("WeChat", c => c.WeChat),
        new("Role", c => c.Role?.ToString()),
        new("Stance", c => c.Stance?.ToString()),
        new("Primary", c => c.IsPrimary),
        new("Owner", c => c.Owner),
        new("CreatedAt", c => c.CreatedAt),
    ];

    public async Task HandleAsync(CurrentUser user, string? q, Guid? customerId, ExportFormat format, Stream output, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersExport);
        await using var db = await dbFactory.OpenAsync(user, ct);
        // Contacts are not scoped themselves: only those of customers the caller sees (the join carries the customers' scope).
        var contacts = db.Contacts.AsNoTracking();
        if (customerId is { } customer)
        {
            contacts = contacts.Where(c => c.CustomerId == customer);
        }

        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim();
            contacts = contacts.Where(c => c.Name.Contains(text) || (c.Mobile != null && c.Mobile.Contains(text))
                || (c.Email != null && c.Email.Contains(text)));
        }

        var rows = (from c in contacts
                    join x in db.Customers.AsNoTracking() on c.CustomerId equals x.Id
                    orderby x.Name, x.Id, c.IsPrimary descending, c.Name, c.Id
                    select new ContactExportRow(c.Id, x.Id, x.Name, c.Name, c.Title, c.Mobile, c.Phone, c.Email, c.WeChat, c.Role, c.Stance,
                        c.IsPrimary, x.Owner != null ? x.Owner.DisplayName : null, DateTime.SpecifyKind(c.CreatedAt, DateTimeKind.Utc)))
            .AsAsyncEnumerable();
        await export.WriteAsync(output, rows, Columns, format, ct);
    }
}

public static class ExportContactsEndpoint
{
    public static void MapExportContacts(this RouteGroupBuilder group) =>
        group.MapGet("/export", async (string? format, string? q, Guid? customerId, CurrentUser user, ExportContactsHandler handler,
                TimeProvider clock, HttpContext http, CancellationToken ct) =>
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
                    $"attachment; filename=\"{ExportService.FileName("contacts", kind, clock.GetUtcNow().UtcDateTime)}\"";
                await handler.HandleAsync(user, q, customerId, kind, http.Response.Body, ct);
                return Results.Empty;
            })
            .RequireAuthorization(Permissions.CustomersExport)
            .WithName("ExportContacts")
            .WithSummary("The contacts of the customers the caller may see, as .xlsx or .csv (?format=xlsx|csv&q=&customerId=). The " +
                "headers are ones the customer import recognises, so the file can be imported again.");
}
