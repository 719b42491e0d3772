using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Options;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Modules.Opportunities.StageMoves;

/// <summary>Move to another open stage of the pipeline: forward through the gates, back freely.</summary>
public sealed record MoveStageRequest(Guid StageId, int? Version = null);

/// <summary>A manager moves forward over unmet requirements, saying why (recorded with what was missing).</summary>
public sealed record OverrideStageRequest(Guid StageId, string? Reason, int? Version = null);

/// <summary>Close as won: the remaining gates must be met, unless a manager overrides with a reason.</summary>
public sealed record WinOpportunityRequest(int? Version = null, string? OverrideReason = null);

/// <summary>Close as lost: a reason from the LostReasons list, and the competitor who won if known.</summary>
public sealed record LoseOpportunityRequest(string? Reason, string? Competitor = null, int? Version = null);

/// <summary>Open a closed deal again, in the given open stage or the one it was closed from.</summary>
public sealed record ReopenOpportunityRequest(Guid? StageId = null, int? Version = null);

/// <summary>
/// Moves of many opportunities to one stage (of their pipeline); with <see cref="OverrideReason"/>, a manager's override.
/// Each goes through the same command as a single move.
/// </summary>
public sealed record BulkMoveRequest(IReadOnlyList<Guid>? Ids, Guid StageId, string? OverrideReason = null);

/// <summary>
/// One opportunity of a bulk move: moved, or why not (<c>error</c>: notFound, forbidden, conflict, invalid or
/// requirements, the last with the <see cref="Missing"/> list).
/// </summary>
public sealed record BulkMoveItem(Guid Id, bool Moved, string? Error = null, string? Message = null,
    IReadOnlyList<UnmetRequirement>? Missing = null, int? Version = null);

public sealed record BulkMoveResult(int Succeeded, int Failed, IReadOnlyList<BulkMoveItem> Items);

/// <summary>
/// The stage commands of an opportunity. Each one checks the caller (the permission, then the record: not visible 404,
/// not theirs to change 403), the version, and the gates; then closes the open stay in the stage history and opens the
/// next (<see cref="StageHistory"/>), so the history and the version bump are the same on every path.
/// </summary>
public sealed class StageMovesHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> strings)
{
    public const int MaxBulk = 200;
    public const int MaxReason = 1000;

    public Task<OpportunityDto> MoveAsync(CurrentUser user, Guid id, MoveStageRequest request, int? version, CancellationToken ct = default)
    {
        user.Require(Permissions.OpportunitiesMove);
        return ChangeAsync(user, id, version, (db, o, map, now) => MoveCoreAsync(db, user, o, map, request.StageId, null, now, ct), ct);
    }

    public Task<OpportunityDto> OverrideAsync(CurrentUser user, Guid id, OverrideStageRequest request, int? version, CancellationToken ct = default)
    {
        user.Require(Permissions.OpportunitiesOverride);
        var reason = Reason(request.Reason, "reason", "Say why the opportunity moves on with requirements missing (at most 1000 characters).");
        return ChangeAsync(user, id, version, (db, o, map, now) => MoveCoreAsync(db, user, o, map, request.StageId, reason, now, ct), ct);
    }

    public Task<OpportunityDto> WinAsync(CurrentUser user, Guid id, WinOpportunityRequest request, int? version, CancellationToken ct = default)
    {
        user.Require(Permissions.OpportunitiesMove);
        string? reason = null;
        if (request.OverrideReason is not null)
        {
            user.Require(Permissions.OpportunitiesOverride);
            reason = Reason(request.OverrideReason, "overrideReason", "Say why the opportunity is won with requirements missing (at most 1000 characters).");
        }

        return ChangeAsync(user, id, version, async (db, o, map, now) =>
        {
            EnsureOpen(o);
            var won = map.Won ?? throw new ConflictException("The pipeline has no won stage; an Admin must add one first.");
            var missing = StageGate.Missing(map, StageGate.StagesLeftToWin(map, map.Stage(o.StageId)), await GateFacts.LoadAsync(db, o, ct));
            if (missing.Count > 0 && reason is null)
            {
                throw StageGate.Refusal(map, missing, strings);
            }

            o.ProbabilityOverridden = false;
            await StageHistory.EnterAsync(db, o, won, missing.Count > 0 ? StageEntryKind.Override : StageEntryKind.Closed, user.Id, now,
                missing.Count > 0 ? reason : null, missing, ct);
            o.Status = OpportunityStatus.Won;
            o.ClosedAt = now;
            o.LostReason = null;
            o.LostToCompetitor = null;
            await MarkCustomerWonAsync(db, o.CustomerId, now, ct);
        }, ct);
    }

    public async Task<OpportunityDto> LoseAsync(CurrentUser user, Guid id, LoseOpportunityRequest request, int? version, CancellationToken ct = default)
    {
        user.Require(Permissions.OpportunitiesMove);
        var failures = new List<ValidationFailure>();
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            failures.Add(new ValidationFailure("reason", "Choose why the opportunity was lost.") { ErrorCode = "LostReason" });
        }

        if (request.Competitor is { Length: > 200 })
        {
            failures.Add(new ValidationFailure("competitor", "The competitor's name has at most 200 characters."));
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }

        return await ChangeAsync(user, id, version, async (db, o, map, now) =>
        {
            EnsureOpen(o);
            await OptionCodes.EnsureValidAsync(db, OptionLists.LostReasons, request.Reason, "reason", ct);
            var lost = map.Lost ?? throw new ConflictException("The pipeline has no lost stage; an Admin must add one first.");
            o.ProbabilityOverridden = false;
            await StageHistory.EnterAsync(db, o, lost, StageEntryKind.Closed, user.Id, now, ct: ct);
            o.Status = OpportunityStatus.Lost;
            o.ClosedAt = now;
            o.LostReason = request.Reason;
            o.LostToCompetitor = CreateOpportunity.CreateOpportunityHandler.Clean(request.Competitor);
        }, ct);
    }

    public Task<OpportunityDto> ReopenAsync(CurrentUser user, Guid id, ReopenOpportunityRequest request, int? version, CancellationToken ct = default)
    {
        user.Require(Permissions.OpportunitiesMove);
        return ChangeAsync(user, id, version, async (db, o, map, now) =>
        {
            if (o.Status == OpportunityStatus.Open)
            {
                throw new ConflictException("The opportunity is open already.");
            }

            PipelineStage target;
            if (request.StageId is { } stageId)
            {
                target = OpenTarget(map, stageId);
            }
            else
            {
                // Back to the stage it was closed from, while that stage is still in use.
                var from = await db.StageEntries.Where(e => e.OpportunityId == o.Id && e.StageId == o.StageId)
                    .OrderByDescending(e => e.EnteredAt).Select(e => e.FromStageId).FirstOrDefaultAsync(ct);
                target = (from is { } f ? map.Find(f) : null) is { Kind: StageKind.Open, IsActive: true } previous ? previous
                    : map.FirstOpen ?? throw new ConflictException("The pipeline has no open stage; an Admin must add one first.");
            }

            await StageHistory.EnterAsync(db, o, target, StageEntryKind.Reopened, user.Id, now, ct: ct);
            o.Status = OpportunityStatus.Open;
            o.ClosedAt = null;
            o.LostReason = null;
            o.LostToCompetitor = null;
        }, ct);
    }

    /// <summary>Each opportunity through <see cref="MoveAsync"/> (or <see cref="OverrideAsync"/>) in its own transaction.</summary>
    public async Task<BulkMoveResult> BulkMoveAsync(CurrentUser user, BulkMoveRequest request, CancellationToken ct = default)
    {
        user.Require(request.OverrideReason is null ? Permissions.OpportunitiesMove : Permissions.OpportunitiesOverride);
        var ids = (request.Ids ?? []).Where(i => i != Guid.Empty).Distinct().ToList();
        if (ids.Count == 0 || ids.Count > MaxBulk)
        {
            throw new ValidationException([new ValidationFailure("ids", ids.Count == 0
                ? "Select at least one opportunity."
                : $"A bulk move takes at most {MaxBulk} opportunities at a time; you sent {ids.Count}.")]);
        }

        if (request.OverrideReason is not null)
        {
            Reason(request.OverrideReason, "overrideReason", "Say why the opportunities move on with requirements missing (at most 1000 characters).");
        }

        var items = new List<BulkMoveItem>();
        foreach (var id in ids)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var moved = request.OverrideReason is { } reason
                    ? await OverrideAsync(user, id, new OverrideStageRequest(request.StageId, reason), null, ct)
                    : await MoveAsync(user, id, new MoveStageRequest(request.StageId), null, ct);
                items.Add(new BulkMoveItem(id, true, Version: moved.Version));
            }
            catch (RequirementsNotMetException e)
            {
                items.Add(new BulkMoveItem(id, false, "requirements", e.Message, e.Missing));
            }
            catch (NotFoundException e)
            {
                items.Add(new BulkMoveItem(id, false, "notFound", e.Message));
            }
            catch (ForbiddenException e)
            {
                items.Add(new BulkMoveItem(id, false, "forbidden", e.Message));
            }
            catch (Exception e) when (e is ConflictException or DbUpdateConcurrencyException)
            {
                items.Add(new BulkMoveItem(id, false, "conflict", e.Message));
            }
            catch (ValidationException e)
            {
                items.Add(new BulkMoveItem(id, false, "invalid", string.Join(" ", e.Errors.Select(f => f.ErrorMessage))));
            }
        }

        var succeeded = items.Count(i => i.Moved);
        return new BulkMoveResult(succeeded, items.Count - succeeded, items);
    }

    private async Task MoveCoreAsync(AppDbContext db, CurrentUser user, Opportunity o, PipelineMap map, Guid stageId, string? overrideReason,
        DateTime now, CancellationToken ct)
    {
        EnsureOpen(o);
        var target = OpenTarget(map, stageId);
        var current = map.Stage(o.StageId);
        if (target.Id == current.Id)
        {
            throw new ConflictException("The opportunity is in this stage already.");
        }

        if (!StageGate.IsForward(current, target))
        {
            await StageHistory.EnterAsync(db, o, target, StageEntryKind.Back, user.Id, now, ct: ct);
            return;
        }

        var missing = StageGate.Missing(map, StageGate.StagesLeft(map, current, target), await GateFacts.LoadAsync(db, o, ct));
        if (missing.Count > 0 && overrideReason is null)
        {
            throw StageGate.Refusal(map, missing, strings);
        }

        var kind = missing.Count > 0 ? StageEntryKind.Override : StageEntryKind.Forward;
        await StageHistory.EnterAsync(db, o, target, kind, user.Id, now, missing.Count > 0 ? overrideReason : null, missing, ct);
    }

    private async Task<OpportunityDto> ChangeAsync(CurrentUser user, Guid id, int? version,
        Func<AppDbContext, Opportunity, PipelineMap, DateTime, Task> change, CancellationToken ct)
    {
        await using var db = await dbFactory.OpenAsync(user, ct);
        var opportunity = await OpportunityAccess.LoadForChangeAsync(db, user, id, ct);
        if (version is { } sent)
        {
            Versioning.EnsureVersion(opportunity.Version, sent);
        }

        var map = await PipelineMap.LoadAsync(db, opportunity.PipelineId, ct);
        await change(db, opportunity, map, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return await OpportunityAccess.ReadAsync(db, user, id, ct);
    }

    private static PipelineStage OpenTarget(PipelineMap map, Guid stageId)
    {
        var target = map.Find(stageId)
            ?? throw new ValidationException([new ValidationFailure("stageId", "The stage is not one of this opportunity's pipeline.")]);
        if (target.Kind != StageKind.Open)
        {
            throw new ValidationException([new ValidationFailure("stageId", "Close an opportunity with win or lose, not by moving it.")]);
        }

        return target.IsActive
            ? target
            : throw new ValidationException([new ValidationFailure("stageId", "The stage is no longer used.")]);
    }

    private static void EnsureOpen(Opportunity o)
    {
        if (o.Status != OpportunityStatus.Open)
        {
            throw new ConflictException($"The opportunity is closed ({o.Status}); reopen it first.");
        }
    }

    private static string Reason(string? reason, string field, string message)
    {
        var text = reason?.Trim();
        return string.IsNullOrEmpty(text) || text.Length > MaxReason
            ? throw new ValidationException([new ValidationFailure(field, message) { ErrorCode = "OverrideReason" }])
            : text;
    }

    /// <summary>A won deal makes the customer a customer (again): the won-deal clock of the pool starts over.</summary>
    private static async Task MarkCustomerWonAsync(AppDbContext db, Guid customerId, DateTime now, CancellationToken ct)
    {
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, ct);
        if (customer is null)
        {
            return;
        }

        customer.Stage = customer.LastWonAt is null ? LifecycleStage.Customer : LifecycleStage.RepeatCustomer;
        customer.LastWonAt = now;
    }
}

public static class StageMovesEndpoints
{
    public static void MapStageMoves(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/move", async (Guid id, MoveStageRequest request, CurrentUser user, StageMovesHandler handler,
                HttpContext http, CancellationToken ct) => TypedResults.Ok(await handler.MoveAsync(user, id, request,
                VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.OpportunitiesMove)
            .WithName("MoveOpportunity")
            .WithSummary("Move to another open stage ({stageId, version}). Forward is refused with 409 and the list of unmet " +
                "requirements (problem member 'missing': kind, code, text in the caller's language, stage) unless every gate on " +
                "the way is met; back is always allowed.");
        group.MapPost("/{id:guid}/override", async (Guid id, OverrideStageRequest request, CurrentUser user, StageMovesHandler handler,
                HttpContext http, CancellationToken ct) => TypedResults.Ok(await handler.OverrideAsync(user, id, request,
                VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.OpportunitiesOverride)
            .WithName("OverrideOpportunityGate")
            .WithSummary("A manager moves forward over unmet requirements ({stageId, reason, version}); the stage history records " +
                "the override, the reason and what was missing.");
        group.MapPost("/{id:guid}/win", async (Guid id, WinOpportunityRequest request, CurrentUser user, StageMovesHandler handler,
                HttpContext http, CancellationToken ct) => TypedResults.Ok(await handler.WinAsync(user, id, request,
                VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.OpportunitiesMove)
            .WithName("WinOpportunity")
            .WithSummary("Close as won ({version, overrideReason}): the gates of the remaining open stages must be met (409 with the " +
                "missing list otherwise) unless a manager gives an override reason.");
        group.MapPost("/{id:guid}/lose", async (Guid id, LoseOpportunityRequest request, CurrentUser user, StageMovesHandler handler,
                HttpContext http, CancellationToken ct) => TypedResults.Ok(await handler.LoseAsync(user, id, request,
                VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.OpportunitiesMove)
            .WithName("LoseOpportunity")
            .WithSummary("Close as lost ({reason, competitor, version}): the reason is a code of the option list lost-reasons.");
        group.MapPost("/{id:guid}/reopen", async (Guid id, ReopenOpportunityRequest request, CurrentUser user, StageMovesHandler handler,
                HttpContext http, CancellationToken ct) => TypedResults.Ok(await handler.ReopenAsync(user, id, request,
                VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.OpportunitiesMove)
            .WithName("ReopenOpportunity")
            .WithSummary("Open a won or lost opportunity again ({stageId, version}; without stageId: the stage it was closed from).");
        group.MapPost("/bulk/move", async (BulkMoveRequest request, CurrentUser user, StageMovesHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.BulkMoveAsync(user, request, ct)))
            .RequireAuthorization(Permissions.OpportunitiesMove)
            .WithName("BulkMoveOpportunities")
            .WithSummary($"Move up to {StageMovesHandler.MaxBulk} opportunities to one stage ({{ids, stageId, overrideReason}}); each " +
                "goes through the single move (gates, history, version) and the answer lists every one: {succeeded, failed, " +
                "items: [{id, moved, error, message, missing}]}. An override reason needs opportunities.override.");
    }
}
