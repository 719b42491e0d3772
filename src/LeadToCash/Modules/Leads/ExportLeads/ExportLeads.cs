using System.Runtime.CompilerServices;
using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Leads.ListLeads;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Export;
using LeadToCash.Platform.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Modules.Leads.ExportLeads;

/// <summary>
/// The lead list as a spreadsheet: the same filter and sort as the list, over the same scoped query, so the file holds
/// exactly the rows the list shows the caller. Headers and statuses in the caller's language, times in the company's
/// time zone.
/// </summary>
public sealed class ExportLeadsHandler(
    IDbContextFactory<AppDbContext> dbFactory,
    ExportService export,
    TimeProvider clock,
    IStringLocalizer<SharedResource> localizer)
{
    public async Task HandleAsync(CurrentUser user, LeadFilter filter, string? sort, ExportFormat format, Stream output,
        CancellationToken ct = default)
    {
        user.Require(Permissions.LeadsExport);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var context = await LeadFilterContext.LoadAsync(db, user, clock.GetUtcNow().UtcDateTime, ct);
        var query = ListLeadsHandler.Order(filter.Apply(db.NarrowToScope(db.Leads.AsNoTracking(), filter.ApplyIndexed), context), sort);
        var rows = Completed(query.Select(LeadListItem.Projection).AsAsyncEnumerable(), context, ct);
        await export.WriteAsync(output, rows, Columns(context.Zone), format, ct);
    }

    private IReadOnlyList<ExportColumn<LeadListItem>> Columns(TimeZoneInfo zone)
    {
        string H(string key) => localizer[$"LeadList.Col.{key}"];
        string Yes(bool value) => value ? localizer["Common.Yes"] : "";
        DateTime? Local(DateTime? utc) => utc is { } u ? Platform.Time.DisplayTime.ToZone(u, zone) : null;
        return
        [
            new("Id", l => l.Id),
            new(H("Company"), l => l.CompanyName),
            new(H("Contact"), l => l.ContactName),
            new(H("Mobile"), l => l.Mobile),
            new(H("Phone"), l => l.Phone),
            new(H("Email"), l => l.Email),
            new(H("Source"), l => l.SourceChannel),
            new(H("Status"), l => (string)localizer[$"Leads.Status.{l.Status}"]),
            new(H("Grade"), l => l.Grade?.ToString()),
            new(H("SuggestedGrade"), l => l.SuggestedGrade.ToString()),
            new(H("Score"), l => l.Score),
            new(H("Owner"), l => l.OwnerName),
            new(H("Team"), l => l.TeamName),
            new(H("Sla"), l => l.Sla == SlaState.None ? "" : (string)localizer[$"LeadList.Sla.{l.Sla}"]),
            new(H("FirstTouchDue"), l => Local(l.FirstTouchDueAt)),
            new(H("FirstTouch"), l => Local(l.FirstTouchAt)),
            new(H("Incomplete"), l => Yes(l.Incomplete)),
            new(H("Duplicate"), l => Yes(l.Duplicate)),
            new(H("Created"), l => Local(l.CreatedAt)),
            new(H("Updated"), l => Local(l.UpdatedAt)),
        ];
    }

    private static async IAsyncEnumerable<LeadListItem> Completed(IAsyncEnumerable<LeadListItem> rows, LeadFilterContext context,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var row in rows.WithCancellation(ct))
        {
            yield return ListLeadsHandler.Complete([row], context)[0];
        }
    }
}

public static class ExportLeadsEndpoint
{
    public static void MapExportLeads(this RouteGroupBuilder group) =>
        group.MapGet("/export", async (string? format, [AsParameters] LeadQuery query, CurrentUser user, ExportLeadsHandler handler,
                TimeProvider clock, HttpContext http, CancellationToken ct) =>
            {
                var kind = (format ?? "xlsx").ToLowerInvariant() switch
                {
                    "xlsx" => ExportFormat.Xlsx,
                    "csv" => ExportFormat.Csv,
                    _ => throw new ValidationException([new ValidationFailure("format", "format must be xlsx or csv.")]),
                };
                user.Require(Permissions.LeadsExport);
                var filter = query.ToFilter();
                _ = ListLeadsHandler.Order(Enumerable.Empty<Lead>().AsQueryable(), query.Sort); // refuses an unknown sort before the file starts
                http.Response.ContentType = ExportService.ContentType(kind);
                http.Response.Headers.ContentDisposition =
                    $"attachment; filename=\"{ExportService.FileName("leads", kind, clock.GetUtcNow().UtcDateTime)}\"";
                await handler.HandleAsync(user, filter, query.Sort, kind, http.Response.Body, ct);
                return Results.Empty;
            })
            .RequireAuthorization(Permissions.LeadsExport)
            .WithName("ExportLeads")
            .WithSummary("The leads the list shows the caller, as .xlsx or .csv: ?format=xlsx|csv plus the list's filters and sort " +
                "(limit and cursor do not apply: the file holds every matching lead).");
}
