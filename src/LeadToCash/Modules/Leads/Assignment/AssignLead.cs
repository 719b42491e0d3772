using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Notifications;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Leads.Assignment;

/// <summary>A manager gives a lead to a rep of their teams (or, with no owner, puts it into the lead's team pool).</summary>
public sealed record AssignLeadRequest(Guid? OwnerId);

public sealed class AssignLeadHandler(IDbContextFactory<AppDbContext> dbFactory, LeadDesk desk)
{
    public async Task<LeadDto> HandleAsync(CurrentUser user, Guid id, AssignLeadRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.LeadsAssign);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var lead = await LeadAccess.LoadVisibleAsync(db, id, ct);
        LeadAccess.EnsureOpen(lead);
        var currentTeam = lead.OwnerId is { } current
            ? await db.Users.Where(u => u.Id == current).Select(u => u.TeamId).FirstOrDefaultAsync(ct)
            : lead.TeamId;
        if (!LeadAccess.Manages(user, currentTeam) && !LeadAccess.Manages(user, lead.TeamId))
        {
            throw new ForbiddenException("You may only assign leads of the teams you manage.");
        }

        var rules = await LeadDesk.RulebookAsync(db, ct);
        var now = desk.Now;
        var former = lead.OwnerId;
        if (request.OwnerId is not { } owner)
        {
            LeadDesk.ReturnToPool(lead);
        }
        else
        {
            var target = await db.Users.Where(u => u.Id == owner && u.IsActive)
                .Select(u => new { u.TeamId, u.DisplayName }).FirstOrDefaultAsync(ct)
                ?? throw new ValidationException([new ValidationFailure("ownerId", "The owner is not an active user.")]);
            if (target.TeamId is not { } team || !LeadAccess.Manages(user, team))
            {
                throw new ForbiddenException("You may only assign leads to people in the teams you manage.");
            }

            if (owner != former)
            {
                lead.TeamId = team;
                LeadDesk.StartOwnership(lead, owner, user.Id, now, rules);
                if (owner != user.Id)
                {
                    Notify.Add(db, owner, "lead.assigned", LeadDesk.LeadLink(lead.Id), Lead.RecordType, lead.Id, now, LeadName(lead));
                }
            }
        }

        if (former is { } previous && previous != lead.OwnerId && previous != user.Id)
        {
            Notify.Add(db, previous, "lead.reassigned", LeadDesk.LeadLink(lead.Id), Lead.RecordType, lead.Id, now, LeadName(lead));
        }

        await db.SaveChangesAsync(ct);
        return await LeadAccess.AfterChangeAsync(db, user, lead, now, ct);
    }

    internal static string LeadName(Lead lead) => lead.CompanyName ?? lead.ContactName ?? "";
}

public sealed class ClaimLeadHandler(IDbContextFactory<AppDbContext> dbFactory, LeadDesk desk)
{
    /// <summary>
    /// A rep takes a screened lead from the pool. Two reps claiming at once: the version check lets exactly one save;
    /// the other gets 409 naming who has it.
    /// </summary>
    public async Task<LeadDto> ClaimAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.LeadsClaim);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var lead = await db.Leads.FirstOrDefaultAsync(l => l.Id == id, ct) ?? throw await LostClaimAsync(db, user, id, ct);
        if (lead.OwnerId is { } owner)
        {
            throw new ConflictException(await ClaimedByAsync(db, owner, user));
        }

        LeadAccess.EnsureOpen(lead);
        if (lead.Status == LeadStatus.New)
        {
            throw new ConflictException("This lead is waiting for screening; it can be claimed once it is screened.");
        }

        var rules = await LeadDesk.RulebookAsync(db, ct);
        if (rules.Settings.ClaimLimit > 0)
        {
            var open = await db.Leads.OwnedOpen().CountAsync(l => l.OwnerId == user.Id, ct);
            if (open >= rules.Settings.ClaimLimit)
            {
                throw new ConflictException($"You already have {open} open leads, the most the company allows ({rules.Settings.ClaimLimit}). Work or release some first.");
            }
        }

        var now = desk.Now;
        if (user.TeamId is { } team)
        {
            lead.TeamId = team;
        }

        // A claimed nurture (C) lead gets B's first-touch deadline (LeadRules.FirstTouchAllowance).
        LeadDesk.StartOwnership(lead, user.Id, user.Id, now, rules);

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw await LostClaimAsync(db, user, id, ct);
        }

        return await LeadAccess.ReadAsync(db, user, id, now, ct);
    }

    /// <summary>The owner gives a lead back to the team's pool.</summary>
    public async Task<LeadDto> ReleaseAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.LeadsClaim);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var lead = await LeadAccess.LoadVisibleAsync(db, id, ct);
        LeadAccess.EnsureOpen(lead);
        if (lead.OwnerId != user.Id)
        {
            throw new ForbiddenException("Only the owner can release a lead to the pool.");
        }

        LeadDesk.ReturnToPool(lead);
        await db.SaveChangesAsync(ct);
        return await LeadAccess.AfterChangeAsync(db, user, lead, desk.Now, ct);
    }

    // A lead of a pool the rep can see that someone else has just taken is "already claimed by X" (409), not 404.
    private async Task<Exception> LostClaimAsync(AppDbContext db, CurrentUser user, Guid id, CancellationToken ct)
    {
        var state = await desk.OwnerOfAsync(id, ct);
        if (state is not { OwnerId: { } winner } || !(user.Scope.SeesAll || user.Scope.PoolTeamIds.Contains(state.Value.TeamId)))
        {
            return new NotFoundException("The lead");
        }

        return new ConflictException(await ClaimedByAsync(db, winner, user));
    }

    private static async Task<string> ClaimedByAsync(AppDbContext db, Guid owner, CurrentUser user)
    {
        if (owner == user.Id)
        {
            return "You already own this lead.";
        }

        var name = await db.Users.Where(u => u.Id == owner).Select(u => u.DisplayName).FirstOrDefaultAsync();
        return $"This lead has already been claimed by {name}.";
    }
}

public static class AssignLeadEndpoints
{
    public static void MapAssignLead(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/assign", async (Guid id, AssignLeadRequest request, CurrentUser user, AssignLeadHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(user, id, request, ct)))
            .RequireAuthorization(Permissions.LeadsAssign)
            .WithName("AssignLead")
            .WithSummary("Assign or reassign a lead to a rep of the caller's teams ({ownerId}), or to the team pool ({ownerId: null}).");
        group.MapPost("/{id:guid}/claim", async (Guid id, CurrentUser user, ClaimLeadHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ClaimAsync(user, id, ct)))
            .RequireAuthorization(Permissions.LeadsClaim)
            .WithName("ClaimLead")
            .WithSummary("Claim a screened lead from the pool (公海); 409 \"already claimed by X\" when someone was faster, or over the claim limit.");
        group.MapPost("/{id:guid}/release", async (Guid id, CurrentUser user, ClaimLeadHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ReleaseAsync(user, id, ct)))
            .RequireAuthorization(Permissions.LeadsClaim)
            .WithName("ReleaseLead")
            .WithSummary("Give an owned lead back to the team pool.");
    }
}
