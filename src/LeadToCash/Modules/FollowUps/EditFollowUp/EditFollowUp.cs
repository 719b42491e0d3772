using FluentValidation;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Tasks;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.FollowUps.EditFollowUp;

/// <summary>The text of a follow-up its author may correct within a day; when and how it happened stay as recorded.</summary>
public sealed record UpdateFollowUpRequest(string? KeyPoints, string? CustomerFeedback = null, string? NextStep = null, int? Version = null);

public sealed class UpdateFollowUpValidator : AbstractValidator<UpdateFollowUpRequest>
{
    public UpdateFollowUpValidator()
    {
        RuleFor(x => x.KeyPoints).NotEmpty().MaximumLength(4000);
        RuleFor(x => x.CustomerFeedback).MaximumLength(4000);
        RuleFor(x => x.NextStep).MaximumLength(1000);
    }
}

/// <summary>Corrects (author, within 24 hours, version checked) or removes (author or a manager; soft delete) a follow-up.</summary>
public sealed class EditFollowUpHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private static readonly UpdateFollowUpValidator Validator = new();

    public async Task<FollowUpDto> UpdateAsync(CurrentUser user, Guid id, UpdateFollowUpRequest request, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.FollowUpsLog);
        await Validator.ValidateAndThrowAsync(request, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.OpenAsync(user, ct);
        var followUp = await FollowUpReader.Visible(db).FirstOrDefaultAsync(f => f.Id == id, ct) ?? throw new NotFoundException("The follow-up");
        if (followUp.AuthorId != user.Id)
        {
            throw new ForbiddenException("Only the author may correct a follow-up.");
        }

        if (!FollowUpRules.CanEdit(followUp.AuthorId, followUp.RecordedAt, user, now))
        {
            throw new ConflictException("A follow-up can be corrected only within 24 hours of recording it; log a new one instead.");
        }

        Versioning.EnsureVersion(followUp.Version, version);
        followUp.KeyPoints = request.KeyPoints!.Trim();
        followUp.CustomerFeedback = Clean(request.CustomerFeedback);
        followUp.NextStep = Clean(request.NextStep);
        await db.SaveChangesAsync(ct);

        var row = await db.FollowUps.AsNoTracking().Where(f => f.Id == id).Select(FollowUpReader.Projection).SingleAsync(ct);
        return (await FollowUpReader.CompleteAsync(db, user, [row], now, ct))[0];
    }

    /// <summary>
    /// Removes a follow-up (to the recycle bin's history: soft delete) with its open reminder, and winds the customer's clocks
    /// back to the records that remain.
    /// </summary>
    public async Task DeleteAsync(CurrentUser user, Guid id, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.FollowUpsLog);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var followUp = await FollowUpReader.Visible(db).FirstOrDefaultAsync(f => f.Id == id, ct) ?? throw new NotFoundException("The follow-up");
        var customer = await db.Customers.FirstAsync(c => c.Id == followUp.CustomerId, ct);
        if (followUp.AuthorId != user.Id && !FollowUpRules.IsManagerOf(user, await RecordAccess.CanChangeAsync(db, user, customer, ct)))
        {
            throw new ForbiddenException("Only the author or a manager of the customer may remove a follow-up.");
        }

        Versioning.EnsureVersion(followUp.Version, version);
        db.FollowUps.Remove(followUp);
        if (followUp.ReminderTaskId is { } reminderId
            && await db.Tasks.FirstOrDefaultAsync(t => t.Id == reminderId && t.Status == WorkTaskStatus.Open, ct) is { } reminder)
        {
            db.Tasks.Remove(reminder);
        }

        var latest = await db.FollowUps.AsNoTracking()
            .Where(f => f.CustomerId == customer.Id && f.Id != id)
            .OrderByDescending(f => f.OccurredAt).ThenByDescending(f => f.Id)
            .Select(f => new { f.OccurredAt, f.NextFollowUpAt })
            .FirstOrDefaultAsync(ct);
        customer.LastFollowUpAt = latest?.OccurredAt;
        customer.NextFollowUpAt = latest?.NextFollowUpAt;
        CustomerRules.RefreshCadence(customer, await CustomerRulebook.LoadAsync(db, ct));
        await db.SaveChangesAsync(ct);
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

public static class EditFollowUpEndpoints
{
    public static void MapEditFollowUp(this RouteGroupBuilder followUps)
    {
        followUps.MapPut("/{id:guid}", async (Guid id, UpdateFollowUpRequest request, CurrentUser user, EditFollowUpHandler handler,
                HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.UpdateAsync(user, id, request, VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.FollowUpsLog)
            .WithName("UpdateFollowUp")
            .WithSummary("Correct the key points, feedback and next step of your own follow-up within 24 hours; send the version you read.");
        followUps.MapDelete("/{id:guid}", async (Guid id, int? version, CurrentUser user, EditFollowUpHandler handler, HttpContext http,
                CancellationToken ct) =>
            {
                await handler.DeleteAsync(user, id, VersionHeader.Required(version, http.Request), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Permissions.FollowUpsLog)
            .WithName("DeleteFollowUp")
            .WithSummary("Remove a follow-up (its author, or a manager of the customer): ?version= or If-Match. Its open reminder goes too.");
    }
}
