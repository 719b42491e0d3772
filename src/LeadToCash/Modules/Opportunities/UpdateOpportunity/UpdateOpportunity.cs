using FluentValidation;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Opportunities.UpdateOpportunity;

/// <summary>
/// The plain fields of an opportunity. Stage, owner and status are not here: they change only through their commands
/// (move, win, lose, reopen, assign), and a request naming them is refused as unknown fields. <see cref="Probability"/>
/// overrides the stage's probability; null goes back to the stage's. <see cref="ContactIds"/> null keeps the contacts.
/// </summary>
public sealed record UpdateOpportunityRequest(
    string Name,
    long? AmountMinor = null,
    string? Currency = null,
    DateOnly? ExpectedCloseDate = null,
    string? Competitors = null,
    string? NextStep = null,
    string? Description = null,
    IReadOnlyList<Guid>? ContactIds = null,
    int? Probability = null,
    int? Version = null) : IOpportunityFields;

public sealed class UpdateOpportunityValidator : AbstractValidator<UpdateOpportunityRequest>
{
    public UpdateOpportunityValidator()
    {
        Include(new OpportunityFieldsValidator());
        RuleFor(x => x.Probability).InclusiveBetween(0, 100).WithMessage("The probability is a percentage from 0 to 100.");
    }
}

public sealed class UpdateOpportunityHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    private static readonly UpdateOpportunityValidator Validator = new();

    public async Task<OpportunityDto> HandleAsync(CurrentUser user, Guid id, UpdateOpportunityRequest request, int version,
        CancellationToken ct = default)
    {
        user.Require(Permissions.OpportunitiesEdit);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var opportunity = await OpportunityAccess.LoadForChangeAsync(db, user, id, ct);
        Versioning.EnsureVersion(opportunity.Version, version);

        opportunity.Name = request.Name.Trim();
        opportunity.AmountMinor = request.AmountMinor ?? 0;
        opportunity.Currency = request.Currency ?? opportunity.Currency;
        opportunity.ExpectedCloseDate = request.ExpectedCloseDate;
        opportunity.Competitors = CreateOpportunity.CreateOpportunityHandler.Clean(request.Competitors);
        opportunity.NextStep = CreateOpportunity.CreateOpportunityHandler.Clean(request.NextStep);
        opportunity.Description = CreateOpportunity.CreateOpportunityHandler.Clean(request.Description);
        if (request.Probability is { } probability)
        {
            opportunity.Probability = probability;
            opportunity.ProbabilityOverridden = true;
        }
        else if (opportunity.ProbabilityOverridden)
        {
            var stage = await db.PipelineStages.AsNoTracking().FirstAsync(s => s.Id == opportunity.StageId, ct);
            opportunity.Probability = stage.Probability;
            opportunity.ProbabilityOverridden = false;
        }

        if (request.ContactIds is not null)
        {
            var contacts = await OpportunityContacts.CheckAsync(db, opportunity.CustomerId, request.ContactIds, ct);
            await OpportunityContacts.WriteAsync(db, opportunity.Id, contacts, ct);
        }

        await db.SaveChangesAsync(ct);
        return await OpportunityAccess.ReadAsync(db, user, id, ct);
    }
}

public static class UpdateOpportunityEndpoint
{
    public static void MapUpdateOpportunity(this RouteGroupBuilder group) =>
        group.MapPut("/{id:guid}", async (Guid id, UpdateOpportunityRequest request, CurrentUser user, UpdateOpportunityHandler handler,
                HttpContext http, CancellationToken ct) =>
            {
                var version = VersionHeader.Required(request.Version, http.Request);
                var updated = await handler.HandleAsync(user, id, request, version, ct);
                http.Response.Headers.ETag = $"\"{updated.Version}\"";
                return TypedResults.Ok(updated);
            })
            .RequireAuthorization(Permissions.OpportunitiesEdit)
            .WithName("UpdateOpportunity")
            .WithSummary("Change an opportunity's plain fields (name, amount, currency, expected close date, competitors, next step, " +
                "description, contacts, probability override); send the version you read. Stage, owner and status change only " +
                "through their commands. A stale version answers 409.");
}
