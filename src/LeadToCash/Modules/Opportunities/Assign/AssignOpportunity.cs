using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Notifications;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Opportunities.Assign;

public sealed record AssignOpportunityRequest(Guid OwnerId, int? Version = null);

/// <summary>The notifications of opportunities; each has the resource "Notify.{kind}" in both languages.</summary>
public static class OpportunityNotifications
{
    public const string Assigned = "opportunity.assigned";
    public const string Reassigned = "opportunity.reassigned";

    public static readonly IReadOnlyList<string> All = [Assigned, Reassigned];
}

/// <summary>
/// A manager gives an opportunity of the teams they lead to someone of those teams (an Admin: anyone's to anyone); the
/// new and the former owner are told.
/// </summary>
public sealed class AssignOpportunityHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public async Task<OpportunityDto> HandleAsync(CurrentUser user, Guid id, AssignOpportunityRequest request, int? version,
        CancellationToken ct = default)
    {
        user.Require(Permissions.OpportunitiesAssign);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var opportunity = await db.Opportunities.FirstOrDefaultAsync(o => o.Id == id, ct) ?? throw new NotFoundException("The opportunity");
        if (version is { } sent)
        {
            Versioning.EnsureVersion(opportunity.Version, sent);
        }

        var currentTeam = opportunity.OwnerId is { } current
            ? await db.Users.Where(u => u.Id == current).Select(u => u.TeamId).FirstOrDefaultAsync(ct)
            : null;
        if (!OpportunityAccess.Manages(user, currentTeam))
        {
            throw new ForbiddenException("You may only assign opportunities of the teams you manage.");
        }

        var target = await db.Users.Where(u => u.Id == request.OwnerId && u.IsActive).Select(u => new { u.TeamId }).FirstOrDefaultAsync(ct)
            ?? throw new ValidationException([new ValidationFailure("ownerId", "The owner is not an active user.")]);
        if (!OpportunityAccess.Manages(user, target.TeamId))
        {
            throw new ForbiddenException("You may only assign opportunities to people in the teams you manage.");
        }

        var former = opportunity.OwnerId;
        if (former != request.OwnerId)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            opportunity.OwnerId = request.OwnerId;
            var link = OpportunityAccess.Link(opportunity.Id);
            if (request.OwnerId != user.Id)
            {
                Notify.Add(db, request.OwnerId, OpportunityNotifications.Assigned, link, Opportunity.RecordType, opportunity.Id, now, opportunity.Name);
            }

            if (former is { } previous && previous != user.Id)
            {
                Notify.Add(db, previous, OpportunityNotifications.Reassigned, link, Opportunity.RecordType, opportunity.Id, now, opportunity.Name);
            }

            await db.SaveChangesAsync(ct);
        }

        return await OpportunityAccess.ReadAsync(db, user, id, ct);
    }
}

public static class AssignOpportunityEndpoint
{
    public static void MapAssignOpportunity(this RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/assign", async (Guid id, AssignOpportunityRequest request, CurrentUser user, AssignOpportunityHandler handler,
                HttpContext http, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(user, id, request,
                VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.OpportunitiesAssign)
            .WithName("AssignOpportunity")
            .WithSummary("Give an opportunity to someone of the caller's teams ({ownerId, version}); managers within the teams they lead.");
}
