using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Leads.UpdateLead;

/// <summary>
/// The captured fields. Grade, owner and status change only through their commands (screen, assign, claim, release,
/// disqualify, convert, merge); the suggested grade follows the fields.
/// </summary>
public sealed record UpdateLeadRequest(
    string? SourceChannel,
    string? CompanyName = null,
    string? ContactName = null,
    string? Title = null,
    string? Mobile = null,
    string? Phone = null,
    string? Email = null,
    string? WeChat = null,
    string? Industry = null,
    string? CompanySize = null,
    string? Region = null,
    long? BudgetMinor = null,
    int? PurchaseWithinMonths = null,
    bool DecisionMakerIdentified = false,
    string? Need = null,
    string? Notes = null,
    string? Tags = null,
    int? Version = null) : ILeadFields;

public sealed class UpdateLeadHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public async Task<LeadDto> HandleAsync(CurrentUser user, Guid id, UpdateLeadRequest request, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.LeadsEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var lead = await LeadAccess.LoadForChangeAsync(db, user, id, ct);
        Versioning.EnsureVersion(lead.Version, version);
        LeadAccess.EnsureOpen(lead);
        await LeadFieldsWriter.ValidateAsync(db, request, ct);
        var rules = await LeadDesk.RulebookAsync(db, ct);
        LeadFieldsWriter.Apply(lead, request);
        LeadDesk.Derive(lead, rules);
        await db.SaveChangesAsync(ct);
        return await LeadAccess.ReadAsync(db, user, id, clock.GetUtcNow().UtcDateTime, ct);
    }
}

public static class UpdateLeadEndpoint
{
    public static void MapUpdateLead(this RouteGroupBuilder group) =>
        group.MapPut("/{id:guid}", async (Guid id, UpdateLeadRequest request, HttpRequest http, CurrentUser user, UpdateLeadHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(user, id, request, VersionHeader.Required(request.Version, http), ct)))
            .RequireAuthorization(Permissions.LeadsEdit)
            .WithName("UpdateLead")
            .WithSummary("Change a lead's captured fields (version in the body or If-Match; 409 when stale).");
}
