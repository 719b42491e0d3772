using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Leads.Merge;

/// <summary>Merge <c>sourceId</c> into <c>targetId</c>: its contact attempts move, blanks are filled, it closes as merged.</summary>
public sealed record MergeLeadsRequest(Guid TargetId, Guid SourceId);

public sealed class MergeLeadsHandler(IDbContextFactory<AppDbContext> dbFactory, LeadDesk desk)
{
    public async Task<LeadDto> HandleAsync(CurrentUser user, MergeLeadsRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.LeadsMerge);
        if (request.TargetId == request.SourceId)
        {
            throw new ValidationException([new ValidationFailure("sourceId", "A lead cannot be merged into itself.")]);
        }

        await using var db = await dbFactory.OpenAsync(user, ct);
        var target = await LeadAccess.LoadForChangeAsync(db, user, request.TargetId, ct);
        var source = await LeadAccess.LoadForChangeAsync(db, user, request.SourceId, ct);
        LeadAccess.EnsureOpen(target);
        LeadAccess.EnsureOpen(source);

        target.CompanyName ??= source.CompanyName;
        target.ContactName ??= source.ContactName;
        target.Title ??= source.Title;
        target.Mobile ??= source.Mobile;
        target.Phone ??= source.Phone;
        target.Email ??= source.Email;
        target.WeChat ??= source.WeChat;
        target.Industry ??= source.Industry;
        target.CompanySize ??= source.CompanySize;
        target.Region ??= source.Region;
        target.BudgetMinor ??= source.BudgetMinor;
        target.PurchaseWithinMonths ??= source.PurchaseWithinMonths;
        target.DecisionMakerIdentified |= source.DecisionMakerIdentified;
        target.Need ??= source.Need;
        target.Notes = Join(target.Notes, source.Notes, "\n");
        target.Tags = Join(target.Tags, source.Tags, ",");
        if (source.FirstTouchAt is { } touched && (target.FirstTouchAt is null || touched < target.FirstTouchAt))
        {
            target.FirstTouchAt = touched;
        }

        if (source.LastActivityAt is { } last && (target.LastActivityAt is null || last > target.LastActivityAt))
        {
            target.LastActivityAt = last;
        }

        if (target.FirstTouchAt is not null && target.Status == LeadStatus.Assigned)
        {
            target.Status = LeadStatus.Contacted;
        }

        LeadDesk.Derive(target, await LeadDesk.RulebookAsync(db, ct));
        await foreach (var activity in db.LeadActivities.Where(a => a.LeadId == source.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            activity.LeadId = target.Id;
        }

        source.Status = LeadStatus.Merged;
        source.MergedIntoId = target.Id;
        if (target.DuplicateOfLeadId == source.Id)
        {
            target.DuplicateOfLeadId = null;
            target.DuplicateField = null;
        }

        await db.SaveChangesAsync(ct);
        return await LeadAccess.ReadAsync(db, user, target.Id, desk.Now, ct);
    }

    private static string? Join(string? first, string? second, string separator)
    {
        if (string.IsNullOrEmpty(second) || first == second)
        {
            return first;
        }

        var joined = string.IsNullOrEmpty(first) ? second : first + separator + second;
        return joined.Length > (separator == "," ? 500 : 4000) ? first : joined;
    }
}

public static class MergeLeadsEndpoint
{
    public static void MapMergeLeads(this RouteGroupBuilder group) =>
        group.MapPost("/merge", async (MergeLeadsRequest request, CurrentUser user, MergeLeadsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(user, request, ct)))
            .RequireAuthorization(Permissions.LeadsMerge)
            .WithName("MergeLeads")
            .WithSummary("Merge one lead into another (managers): contact attempts move, history is kept on both.");
}
