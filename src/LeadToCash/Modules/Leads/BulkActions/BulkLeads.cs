using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Leads.Assignment;
using LeadToCash.Modules.Leads.Disqualify;
using LeadToCash.Modules.Leads.Screening;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Errors;

namespace LeadToCash.Modules.Leads.BulkActions;

public sealed record BulkAssignRequest(IReadOnlyList<Guid>? Ids, Guid? OwnerId);

public sealed record BulkRegradeRequest(IReadOnlyList<Guid>? Ids, LeadGrade? Grade, string? Reason);

public sealed record BulkDisqualifyRequest(IReadOnlyList<Guid>? Ids, string? Reason);

/// <summary>
/// Why one lead of a bulk action was refused: <c>error</c> is notFound (not visible), forbidden, conflict (e.g. closed)
/// or invalid; <c>message</c> says it in words.
/// </summary>
public sealed record BulkFailure(Guid Id, string Error, string Message);

public sealed record BulkResult(int Succeeded, IReadOnlyList<BulkFailure> Failed);

/// <summary>
/// Bulk actions on leads selected in the list. Each lead goes through the same command as a single change (checks,
/// history, notifications) in its own transaction, so one refused lead leaves the others done.
/// </summary>
public sealed class BulkLeadsHandler(AssignLeadHandler assign, ScreenLeadHandler screen, DisqualifyLeadHandler disqualify)
{
    public const int MaxIds = 500;

    public Task<BulkResult> AssignAsync(CurrentUser user, BulkAssignRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.LeadsAssign);
        var ids = CheckIds(request.Ids);
        return EachAsync(ids, id => assign.HandleAsync(user, id, new AssignLeadRequest(request.OwnerId), ct), ct);
    }

    public Task<BulkResult> RegradeAsync(CurrentUser user, BulkRegradeRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.LeadsScreen);
        var failures = new List<ValidationFailure>();
        var ids = CheckIds(request.Ids, failures);
        if (request.Grade is null)
        {
            failures.Add(new ValidationFailure("grade", "Choose the grade (A, B or C)."));
        }

        CheckReason(request.Reason, "Say why these leads are re-graded (at most 500 characters).", "GradeReason", failures);
        Throw(failures);
        return EachAsync(ids, id => screen.HandleAsync(user, id, new ScreenLeadRequest(request.Grade!.Value, request.Reason!.Trim()), ct), ct);
    }

    public Task<BulkResult> DisqualifyAsync(CurrentUser user, BulkDisqualifyRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.LeadsEdit);
        var failures = new List<ValidationFailure>();
        var ids = CheckIds(request.Ids, failures);
        CheckReason(request.Reason, "Say why these leads are disqualified (at most 500 characters).", "DisqualifyReason", failures);
        Throw(failures);
        return EachAsync(ids, id => disqualify.HandleAsync(user, id, new DisqualifyLeadRequest(request.Reason!.Trim()), ct), ct);
    }

    private static async Task<BulkResult> EachAsync(IReadOnlyList<Guid> ids, Func<Guid, Task> action, CancellationToken ct)
    {
        var succeeded = 0;
        var failed = new List<BulkFailure>();
        foreach (var id in ids)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                await action(id);
                succeeded++;
            }
            catch (NotFoundException e)
            {
                failed.Add(new BulkFailure(id, "notFound", e.Message));
            }
            catch (ForbiddenException e)
            {
                failed.Add(new BulkFailure(id, "forbidden", e.Message));
            }
            catch (ConflictException e)
            {
                failed.Add(new BulkFailure(id, "conflict", e.Message));
            }
            catch (ValidationException e)
            {
                failed.Add(new BulkFailure(id, "invalid", string.Join(" ", e.Errors.Select(f => f.ErrorMessage))));
            }
        }

        return new BulkResult(succeeded, failed);
    }

    private static List<Guid> CheckIds(IReadOnlyList<Guid>? ids)
    {
        var failures = new List<ValidationFailure>();
        var result = CheckIds(ids, failures);
        Throw(failures);
        return result;
    }

    private static List<Guid> CheckIds(IReadOnlyList<Guid>? ids, List<ValidationFailure> failures)
    {
        var distinct = (ids ?? []).Where(id => id != Guid.Empty).Distinct().ToList();
        if (distinct.Count == 0)
        {
            failures.Add(new ValidationFailure("ids", "Select at least one lead."));
        }
        else if (distinct.Count > MaxIds)
        {
            failures.Add(new ValidationFailure("ids", $"A bulk action takes at most {MaxIds} leads at a time; you sent {distinct.Count}."));
        }

        return distinct;
    }

    private static void CheckReason(string? reason, string message, string code, List<ValidationFailure> failures)
    {
        var text = reason?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 500)
        {
            failures.Add(new ValidationFailure("reason", message) { ErrorCode = code });
        }
    }

    private static void Throw(List<ValidationFailure> failures)
    {
        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }
    }
}

public static class BulkLeadsEndpoints
{
    public static void MapBulkLeads(this RouteGroupBuilder group)
    {
        group.MapPost("/bulk/assign", async (BulkAssignRequest request, CurrentUser user, BulkLeadsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.AssignAsync(user, request, ct)))
            .RequireAuthorization(Permissions.LeadsAssign)
            .WithName("BulkAssignLeads")
            .WithSummary($"Assign up to {BulkLeadsHandler.MaxIds} leads to a rep ({{ids, ownerId}}; ownerId null = the team pool). " +
                "Each lead is its own change: {succeeded, failed: [{id, error, message}]}.");
        group.MapPost("/bulk/regrade", async (BulkRegradeRequest request, CurrentUser user, BulkLeadsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.RegradeAsync(user, request, ct)))
            .RequireAuthorization(Permissions.LeadsScreen)
            .WithName("BulkRegradeLeads")
            .WithSummary($"Re-grade up to {BulkLeadsHandler.MaxIds} leads with a reason ({{ids, grade, reason}}); the answer lists the leads refused.");
        group.MapPost("/bulk/disqualify", async (BulkDisqualifyRequest request, CurrentUser user, BulkLeadsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.DisqualifyAsync(user, request, ct)))
            .RequireAuthorization(Permissions.LeadsEdit)
            .WithName("BulkDisqualifyLeads")
            .WithSummary($"Disqualify up to {BulkLeadsHandler.MaxIds} leads with a reason ({{ids, reason}}); the answer lists the leads refused.");
    }
}
