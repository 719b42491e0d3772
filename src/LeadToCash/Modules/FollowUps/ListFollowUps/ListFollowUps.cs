using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.FollowUps.ListFollowUps;

/// <summary>A customer's follow-ups, newest first, and single records; visible exactly when their customer is.</summary>
public sealed class ListFollowUpsHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public static readonly IReadOnlyList<SortField<FollowUp>> SortFields =
    [
        Keyset.Field<FollowUp, DateTime>("occurredAt", f => f.OccurredAt),
        Keyset.Field<FollowUp, DateTime>("recordedAt", f => f.RecordedAt),
    ];

    public async Task<ListPage<FollowUpDto>> ListAsync(CurrentUser user, Guid customerId, ListRequest page, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, ct))
        {
            throw new NotFoundException("The customer");
        }

        var request = string.IsNullOrWhiteSpace(page.Sort) ? page with { Sort = "-occurredAt" } : page;
        var rows = await Keyset.PageAsync(db.FollowUps.AsNoTracking().Where(f => f.CustomerId == customerId), request, SortFields,
            f => f.Id, FollowUpReader.Projection, ct);
        var items = await FollowUpReader.CompleteAsync(db, user, rows.Items, clock.GetUtcNow().UtcDateTime, ct);
        return new ListPage<FollowUpDto>(items, rows.NextCursor, rows.Count, rows.CountCapped);
    }

    public async Task<FollowUpDto> GetAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var row = await FollowUpReader.Visible(db).AsNoTracking().Where(f => f.Id == id).Select(FollowUpReader.Projection).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("The follow-up");
        return (await FollowUpReader.CompleteAsync(db, user, [row], clock.GetUtcNow().UtcDateTime, ct))[0];
    }
}

public sealed record FollowUpListQuery(int? Limit, string? Cursor, string? Sort)
{
    public ListRequest Page => new(Limit, Cursor, Sort);
}

public static class ListFollowUpsEndpoints
{
    public static void MapListFollowUps(this RouteGroupBuilder customers) =>
        customers.MapGet("/{id:guid}/follow-ups", async (Guid id, [AsParameters] FollowUpListQuery query, CurrentUser user,
                ListFollowUpsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, id, query.Page, ct)))
            .RequireAuthorization(Permissions.CustomersRead)
            .WithName("ListCustomerFollowUps")
            .WithSummary("A customer's follow-ups, newest first (?limit=&cursor=&sort=occurredAt|recordedAt, - for descending; default -occurredAt), " +
                "with participants, author, late flag and files.");

    public static void MapGetFollowUp(this RouteGroupBuilder followUps) =>
        followUps.MapGet("/{id:guid}", async (Guid id, CurrentUser user, ListFollowUpsHandler handler, HttpContext http, CancellationToken ct) =>
            {
                var followUp = await handler.GetAsync(user, id, ct);
                http.Response.Headers.ETag = $"\"{followUp.Version}\"";
                return TypedResults.Ok(followUp);
            })
            .RequireAuthorization(Permissions.CustomersRead)
            .WithName("GetFollowUp")
            .WithSummary("One follow-up, when its customer is visible to the caller; its version is also sent as ETag.");
}
