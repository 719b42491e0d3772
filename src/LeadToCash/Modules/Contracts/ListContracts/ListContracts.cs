using System.Linq.Expressions;
using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Export;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Contracts.ListContracts;

/// <summary>Filters of the contract list: text (number, title, customer), status, owner, customer, opportunity.</summary>
public sealed record ContractFilter(string? Q = null, ContractStatus? Status = null, Guid? OwnerId = null, Guid? CustomerId = null,
    Guid? OpportunityId = null)
{
    public IQueryable<Contract> Apply(IQueryable<Contract> query, AppDbContext db)
    {
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim();
            // The customer's name counts only when the caller can see the customer (the subquery is scoped too).
            query = query.Where(c => c.Number.Contains(q) || c.Title.Contains(q) || db.Customers.Any(x => x.Id == c.CustomerId && x.Name.Contains(q)));
        }

        if (Status is { } status)
        {
            query = query.Where(c => c.Status == status);
        }

        if (OwnerId is { } owner)
        {
            query = query.Where(c => c.OwnerId == owner);
        }

        if (CustomerId is { } customer)
        {
            query = query.Where(c => c.CustomerId == customer);
        }

        if (OpportunityId is { } opportunity)
        {
            query = query.Where(c => c.OpportunityId == opportunity);
        }

        return query;
    }
}

/// <summary>Reading contracts: one with everything its page shows, the list (keyset pages) and its export.</summary>
public sealed class ListContractsHandler(IDbContextFactory<AppDbContext> dbFactory, ExportService export)
{
    public const string DefaultSort = "-updatedAt";

    public static readonly IReadOnlyList<SortField<Contract>> SortFields =
    [
        Keyset.Field<Contract, DateTime>("updatedAt", c => c.UpdatedAt),
        Keyset.Field<Contract, string>("number", c => c.Number),
        Keyset.Field<Contract, string>("title", c => c.Title),
        Keyset.Field<Contract, long>("amount", c => c.AmountMinor),
        Keyset.Field<Contract, DateTime>("createdAt", c => c.CreatedAt),
    ];

    private static readonly IReadOnlyList<ExportColumn<ContractListItem>> Columns =
    [
        new("Number", c => c.Number),
        new("Title", c => c.Title),
        new("Status", c => c.Status.ToString()),
        new("Customer", c => c.CustomerName),
        new("Amount", c => new Platform.Money.Money(c.AmountMinor, c.Currency).ToDecimal()),
        new("Currency", c => c.Currency),
        new("Received", c => new Platform.Money.Money(c.ReceivedMinor, c.Currency).ToDecimal()),
        new("SigningDate", c => c.SigningDate),
        new("EndDate", c => c.EndDate),
        new("Owner", c => c.OwnerName),
        new("UpdatedAt", c => c.UpdatedAt),
    ];

    public async Task<ContractDto> GetAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.ContractsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await ContractStore.ReadAsync(db, user, id, ct);
    }

    public async Task<ListPage<ContractListItem>> ListAsync(CurrentUser user, ContractFilter filter, ListRequest page, CancellationToken ct = default)
    {
        user.Require(Permissions.ContractsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var query = filter.Apply(db.NarrowToScope(db.Contracts.AsNoTracking()), db);
        return await Keyset.PageAsync(query, page with { Sort = string.IsNullOrWhiteSpace(page.Sort) ? DefaultSort : page.Sort },
            SortFields, c => c.Id, Projection(db), ct);
    }

    public async Task ExportAsync(CurrentUser user, ContractFilter filter, ExportFormat format, Stream output, CancellationToken ct = default)
    {
        user.Require(Permissions.ContractsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var rows = filter.Apply(db.NarrowToScope(db.Contracts.AsNoTracking()), db).OrderBy(c => c.Number).ThenBy(c => c.Id)
            .Select(Projection(db)).AsAsyncEnumerable();
        await export.WriteAsync(output, rows, Columns, format, ct);
    }

    /// <summary>The row's columns; the customer's name only when the caller can see the customer.</summary>
    private static Expression<Func<Contract, ContractListItem>> Projection(AppDbContext db) => c => new ContractListItem(
        c.Id, c.Number, c.Title, c.Status, c.CustomerId, db.Customers.Where(x => x.Id == c.CustomerId).Select(x => x.Name).FirstOrDefault(),
        c.AmountMinor, c.Currency, c.SigningDate, c.EndDate, c.OwnerId, db.Users.Where(u => u.Id == c.OwnerId).Select(u => u.DisplayName).FirstOrDefault(),
        c.ReceivedMinor, DateTime.SpecifyKind(c.UpdatedAt, DateTimeKind.Utc));
}

public sealed record ContractQuery(string? Q, ContractStatus? Status, Guid? OwnerId, Guid? CustomerId, Guid? OpportunityId, int? Limit, string? Cursor,
    string? Sort)
{
    public ContractFilter Filter => new(Q, Status, OwnerId, CustomerId, OpportunityId);

    public ListRequest Page => new(Limit, Cursor, Sort);
}

public sealed record ContractExportQuery(string? Q, ContractStatus? Status, Guid? OwnerId, Guid? CustomerId, Guid? OpportunityId)
{
    public ContractFilter Filter => new(Q, Status, OwnerId, CustomerId, OpportunityId);
}

public static class ListContractsEndpoints
{
    public static void MapListContracts(this RouteGroupBuilder contracts)
    {
        contracts.MapGet("/", async ([AsParameters] ContractQuery query, CurrentUser user, ListContractsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, query.Filter, query.Page, ct)))
            .RequireAuthorization(Permissions.ContractsRead)
            .WithName("ListContracts")
            .WithSummary("Contracts the caller may see: ?q= (number, title, customer) &status=(Draft|InApproval|Approved|Rejected|Signed|Executing|" +
                "Completed|Terminated) &ownerId= &customerId= &opportunityId= &limit=&cursor=&sort=(updatedAt|number|title|amount|createdAt, - for descending; " +
                "default -updatedAt).");

        contracts.MapGet("/export", async (string? format, [AsParameters] ContractExportQuery query, CurrentUser user, ListContractsHandler handler,
                TimeProvider clock, HttpContext http, CancellationToken ct) =>
            {
                var kind = (format ?? "xlsx").ToLowerInvariant() switch
                {
                    "xlsx" => ExportFormat.Xlsx,
                    "csv" => ExportFormat.Csv,
                    _ => throw new ValidationException([new ValidationFailure("format", "format must be xlsx or csv.")]),
                };
                user.Require(Permissions.ContractsRead);
                http.Response.ContentType = ExportService.ContentType(kind);
                http.Response.Headers.ContentDisposition =
                    $"attachment; filename=\"{ExportService.FileName("contracts", kind, clock.GetUtcNow().UtcDateTime)}\"";
                await handler.ExportAsync(user, query.Filter, kind, http.Response.Body, ct);
                return Results.Empty;
            })
            .RequireAuthorization(Permissions.ContractsRead)
            .WithName("ExportContracts")
            .WithSummary("The contracts the caller may see, as .xlsx or .csv (?format=xlsx|csv plus the list's filters); amounts in major units.");

        contracts.MapGet("/{id:guid}", async (Guid id, CurrentUser user, ListContractsHandler handler, HttpContext http, CancellationToken ct) =>
            {
                var contract = await handler.GetAsync(user, id, ct);
                http.Response.Headers.ETag = $"\"{contract.Version}\"";
                return TypedResults.Ok(contract);
            })
            .RequireAuthorization(Permissions.ContractsRead)
            .WithName("GetContract")
            .WithSummary("One visible contract: fields, lines, signers, milestones, files (the signed scan), approval rounds with their steps, " +
                "and whether the caller may change or terminate it.");
    }
}
