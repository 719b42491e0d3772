using FluentValidation;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Leads.Activities;

/// <summary>A contact attempt: how, with what outcome, when (default now). The first one stops the first-touch clock.</summary>
public sealed record LogLeadActivityRequest(LeadActivityKind Kind, LeadActivityOutcome Outcome, string? Notes = null, DateTime? OccurredAt = null);

public sealed class LogLeadActivityValidator : AbstractValidator<LogLeadActivityRequest>
{
    public LogLeadActivityValidator()
    {
        RuleFor(x => x.Kind).IsInEnum();
        RuleFor(x => x.Outcome).IsInEnum();
        RuleFor(x => x.Notes).MaximumLength(2000);
    }
}

public sealed class LogLeadActivityHandler(IDbContextFactory<AppDbContext> dbFactory, LeadDesk desk)
{
    private static readonly LogLeadActivityValidator Validator = new();

    public async Task<LeadActivityDto> HandleAsync(CurrentUser user, Guid id, LogLeadActivityRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.LeadsEdit);
        await Validator.ValidateAndThrowAsync(request, ct);
        var now = desk.Now;
        var occurredAt = request.OccurredAt is { } at ? DateTime.SpecifyKind(at.ToUniversalTime(), DateTimeKind.Utc) : now;
        if (occurredAt > now.AddMinutes(5))
        {
            throw new ValidationException([new FluentValidation.Results.ValidationFailure("occurredAt", "A contact attempt cannot be in the future.")]);
        }

        await using var db = await dbFactory.OpenAsync(user, ct);
        var lead = await LeadAccess.LoadForChangeAsync(db, user, id, ct);
        LeadAccess.EnsureOpen(lead);
        if (lead.AssignedAt is { } assigned && occurredAt < assigned && lead.FirstTouchAt is null)
        {
            occurredAt = assigned;
        }

        var activity = new LeadActivity
        {
            LeadId = id,
            Kind = request.Kind,
            Outcome = request.Outcome,
            Notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim(),
            OccurredAt = occurredAt,
            UserId = user.Id,
            CreatedAt = now,
        };
        db.LeadActivities.Add(activity);
        if (lead.FirstTouchAt is null && lead.OwnerId is not null)
        {
            var rules = await LeadDesk.RulebookAsync(db, ct);
            lead.FirstTouchAt = occurredAt;
            lead.ResponseMinutes = lead.AssignedAt is { } from
                ? (int)Math.Round(rules.Calendar.WorkingTimeBetween(from, occurredAt).TotalMinutes)
                : null;
            if (lead.Status == LeadStatus.Assigned)
            {
                lead.Status = LeadStatus.Contacted;
            }
        }

        if (lead.LastActivityAt is null || occurredAt > lead.LastActivityAt)
        {
            lead.LastActivityAt = occurredAt;
        }

        await db.SaveChangesAsync(ct);
        return new LeadActivityDto(activity.Id, activity.Kind, activity.Outcome, activity.Notes, occurredAt, user.Id, user.DisplayName);
    }
}

public static class LogLeadActivityEndpoint
{
    public static void MapLogLeadActivity(this RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/activities", async (Guid id, LogLeadActivityRequest request, CurrentUser user, LogLeadActivityHandler handler,
                CancellationToken ct) =>
            {
                var logged = await handler.HandleAsync(user, id, request, ct);
                return TypedResults.Created($"/api/v1/leads/{id}", logged);
            })
            .RequireAuthorization(Permissions.LeadsEdit)
            .WithName("LogLeadActivity")
            .WithSummary("Log a contact attempt (call, visit, WeChat, e-mail) with its outcome; the first one stops the first-touch clock.");
}
