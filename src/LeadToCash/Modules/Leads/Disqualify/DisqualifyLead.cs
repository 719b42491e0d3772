using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Leads.Disqualify;

public sealed record DisqualifyLeadRequest(string? Reason);

/// <summary>Closes a lead as not worth pursuing, with the reason (kept in its history).</summary>
public sealed class DisqualifyLeadHandler(IDbContextFactory<AppDbContext> dbFactory, LeadDesk desk)
{
    public async Task<LeadDto> HandleAsync(CurrentUser user, Guid id, DisqualifyLeadRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.LeadsEdit);
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > 500)
        {
            throw new ValidationException([new ValidationFailure("reason", "Say why the lead is disqualified (at most 500 characters).") { ErrorCode = "DisqualifyReason" }]);
        }

        await using var db = await dbFactory.OpenAsync(user, ct);
        var lead = await LeadAccess.LoadForChangeAsync(db, user, id, ct);
        LeadAccess.EnsureOpen(lead);
        lead.Status = LeadStatus.Disqualified;
        lead.DisqualifyReason = reason;
        await db.SaveChangesAsync(ct);
        return await LeadAccess.ReadAsync(db, user, id, desk.Now, ct);
    }
}

public static class DisqualifyLeadEndpoint
{
    public static void MapDisqualifyLead(this RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/disqualify", async (Guid id, DisqualifyLeadRequest request, CurrentUser user, DisqualifyLeadHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(user, id, request, ct)))
            .RequireAuthorization(Permissions.LeadsEdit)
            .WithName("DisqualifyLead")
            .WithSummary("Disqualify a lead with a reason.");
}
