using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Export;

namespace LeadToCash.Modules.Opportunities.Negotiations;

/// <summary>Negotiation minutes (谈判纪要) of opportunities, their open items and bottom lines, export and timeline.</summary>
public static class NegotiationsModule
{
    public static IServiceCollection AddNegotiations(this IServiceCollection services) => services
        .AddScoped<NegotiationMinutesHandler>()
        .AddScoped<ExportMinutesHandler>()
        .AddScoped<ICustomerTimelineSource, NegotiationTimelineSource>();

    public static void MapNegotiations(this RouteGroupBuilder api)
    {
        var deals = api.MapGroup("/opportunities").WithTags("Negotiations");
        deals.MapGet("/{id:guid}/negotiations", async (Guid id, string? q, CurrentUser user, NegotiationMinutesHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.ListAsync(user, id, q, ct)))
            .RequireAuthorization(Permissions.NegotiationsRead)
            .WithName("ListNegotiationMinutes")
            .WithSummary("The negotiation minutes of an opportunity the caller can see, latest meeting first (?q= searches attendees, " +
                "terms, open items and next steps). bottomLine is present only for the owner, the managers above the owner and the Admin " +
                "(bottomLineVisible); for everyone else it is left out.");
        deals.MapPost("/{id:guid}/negotiations", async (Guid id, NegotiationMinutesRequest request, CurrentUser user,
                NegotiationMinutesHandler handler, CancellationToken ct) =>
            {
                var created = await handler.CreateAsync(user, id, request, ct);
                return TypedResults.Created($"/api/v1/negotiations/{created.Id}", created);
            })
            .RequireAuthorization(Permissions.NegotiationsEdit)
            .WithName("CreateNegotiationMinutes")
            .WithSummary("Write the minutes of a negotiation meeting (those who may change the opportunity): attendees, agreed terms " +
                "(agreedPriceMinor in minor units of the opportunity's currency), open items with owners and due dates, next steps. " +
                "Bottom lines are set with PUT /api/v1/negotiations/{id}/bottom-line.");
        deals.MapGet("/{id:guid}/negotiations/export", async (Guid id, string? format, CurrentUser user, ExportMinutesHandler handler,
                TimeProvider clock, HttpContext http, CancellationToken ct) =>
            {
                var kind = (format ?? "xlsx").ToLowerInvariant() switch
                {
                    "xlsx" => ExportFormat.Xlsx,
                    "csv" => ExportFormat.Csv,
                    _ => throw new ValidationException([new ValidationFailure("format", "format must be xlsx or csv.")]),
                };
                http.Response.ContentType = ExportService.ContentType(kind);
                http.Response.Headers.ContentDisposition =
                    $"attachment; filename=\"{ExportService.FileName("negotiations", kind, clock.GetUtcNow().UtcDateTime)}\"";
                await handler.HandleAsync(user, id, kind, http.Response.Body, ct);
                return Results.Empty;
            })
            .RequireAuthorization(Permissions.NegotiationsRead)
            .WithName("ExportNegotiationMinutes")
            .WithSummary("The opportunity's minutes as .xlsx or .csv (?format=xlsx|csv). The PriceFloor and AcceptablePaymentTerms " +
                "columns are in the files of those who may see bottom lines only.");

        var minutes = api.MapGroup("/negotiations").WithTags("Negotiations");
        minutes.MapGet("/{id:guid}", async (Guid id, CurrentUser user, NegotiationMinutesHandler handler, HttpContext http,
                CancellationToken ct) =>
            {
                var found = await handler.GetAsync(user, id, ct);
                http.Response.Headers.ETag = $"\"{found.Version}\"";
                return TypedResults.Ok(found);
            })
            .RequireAuthorization(Permissions.NegotiationsRead)
            .WithName("GetNegotiationMinutes")
            .WithSummary("One negotiation minutes record of an opportunity the caller can see, with its version (also sent as ETag).");
        minutes.MapPut("/{id:guid}", async (Guid id, NegotiationMinutesRequest request, CurrentUser user, NegotiationMinutesHandler handler,
                HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.UpdateAsync(user, id, request, VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.NegotiationsEdit)
            .WithName("UpdateNegotiationMinutes")
            .WithSummary("Change the minutes (the open items sent replace the old ones; keep one by sending its id); send the version " +
                "you read (field or If-Match). A stale version answers 409.");
        minutes.MapDelete("/{id:guid}", async (Guid id, int? version, CurrentUser user, NegotiationMinutesHandler handler, HttpContext http,
                CancellationToken ct) =>
            {
                await handler.DeleteAsync(user, id, VersionHeader.Required(version, http.Request), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Permissions.NegotiationsEdit)
            .WithName("DeleteNegotiationMinutes")
            .WithSummary("Move the minutes to the recycle bin; send their version (?version= or If-Match).");
        minutes.MapPut("/{id:guid}/open-items/{itemId:guid}", async (Guid id, Guid itemId, OpenItemDoneRequest request, CurrentUser user,
                NegotiationMinutesHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.SetOpenItemDoneAsync(user, id, itemId, request.IsDone, ct)))
            .RequireAuthorization(Permissions.NegotiationsEdit)
            .WithName("TickNegotiationOpenItem")
            .WithSummary("Tick an open item done ({\"isDone\": true}) or open again; the minutes get a new version.");
        minutes.MapPut("/{id:guid}/bottom-line", async (Guid id, NegotiationBottomLineRequest request, CurrentUser user,
                NegotiationMinutesHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.SetBottomLineAsync(user, id, request, ct)))
            .RequireAuthorization(Permissions.NegotiationsEdit)
            .WithName("SetNegotiationBottomLine")
            .WithSummary("Our bottom lines for these minutes (price floor in minor units, acceptable payment terms; both empty removes " +
                "them). Only the opportunity's owner, the managers above the owner and the Admin: anyone else answers 403. Never " +
                "written to the change history.");
    }
}
