using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Leads.Screening;

/// <summary>
/// Screening (初筛): confirm the suggested grade, or set another with a reason. Re-grading a screened lead also needs a
/// reason. An unowned lead is then placed by the assignment rules.
/// </summary>
public sealed record ScreenLeadRequest(LeadGrade Grade, string? Reason = null);

public sealed class ScreenLeadHandler(IDbContextFactory<AppDbContext> dbFactory, LeadDesk desk)
{
    public async Task<LeadDto> HandleAsync(CurrentUser user, Guid id, ScreenLeadRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.LeadsScreen);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var lead = await LeadAccess.LoadVisibleAsync(db, id, ct);
        LeadAccess.EnsureOpen(lead);
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        var current = lead.Grade ?? lead.SuggestedGrade;
        if (request.Grade != current && reason is null)
        {
            throw new ValidationException([new ValidationFailure("reason",
                "Say why the grade differs from the " + (lead.Grade is null ? "suggested one." : "current one.")) { ErrorCode = "GradeReason" }]);
        }

        if (reason is { Length: > 500 })
        {
            throw new ValidationException([new ValidationFailure("reason", "The reason may have at most 500 characters.")]);
        }

        var rules = await LeadDesk.RulebookAsync(db, ct);
        var now = desk.Now;
        var firstScreening = lead.ScreenedAt is null;
        lead.Grade = request.Grade;
        lead.GradeReason = reason;
        lead.ScreenedAt = now;
        lead.ScreenedBy = user.Id;
        if (lead.OwnerId is null && firstScreening)
        {
            await desk.AssignByRulesAsync(db, lead, rules, ct);
        }
        else if (lead.OwnerId is null)
        {
            lead.Status = LeadStatus.Pool;
        }
        else if (lead.FirstTouchAt is null && lead.AssignedAt is { } assigned)
        {
            lead.FirstTouchDueAt = LeadRules.FirstTouchDeadline(assigned, request.Grade, rules.Settings, rules.Calendar);
        }

        await db.SaveChangesAsync(ct);
        return await LeadAccess.AfterChangeAsync(db, user, lead, now, ct);
    }
}

public static class ScreenLeadEndpoint
{
    public static void MapScreenLead(this RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/screen", async (Guid id, ScreenLeadRequest request, CurrentUser user, ScreenLeadHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(user, id, request, ct)))
            .RequireAuthorization(Permissions.LeadsScreen)
            .WithName("ScreenLead")
            .WithSummary("Screen (初筛) or re-grade a lead: {grade, reason}; a reason is required when the grade changes.");
}
