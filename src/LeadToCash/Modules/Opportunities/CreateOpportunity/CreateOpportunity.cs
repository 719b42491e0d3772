using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Options;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Opportunities.CreateOpportunity;

/// <summary>
/// A new opportunity of a customer the caller can see. It starts in the first open stage of the pipeline (the default
/// one unless given) with that stage's probability; the source channel is the customer's unless given; the owner is the
/// caller unless a manager names someone of the teams they lead.
/// </summary>
public sealed record CreateOpportunityRequest(
    Guid CustomerId,
    string Name,
    long? AmountMinor = null,
    string? Currency = null,
    DateOnly? ExpectedCloseDate = null,
    Guid? PipelineId = null,
    IReadOnlyList<Guid>? ContactIds = null,
    string? SourceChannel = null,
    string? Competitors = null,
    string? NextStep = null,
    string? Description = null,
    Guid? OwnerId = null,
    Guid? SourceLeadId = null) : IOpportunityFields;

public sealed class CreateOpportunityHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private static readonly OpportunityFieldsValidator Validator = new();

    public async Task<OpportunityDto> HandleAsync(CurrentUser user, CreateOpportunityRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.OpportunitiesCreate);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == request.CustomerId, ct)
            ?? throw new ValidationException([new ValidationFailure("customerId", "The customer does not exist or you cannot see it.")]);
        var contacts = await OpportunityContacts.CheckAsync(db, customer.Id, request.ContactIds, ct);
        var source = request.SourceChannel ?? customer.SourceChannel;
        if (request.SourceChannel is not null)
        {
            await OptionCodes.EnsureValidAsync(db, OptionLists.SourceChannels, request.SourceChannel, "sourceChannel", ct);
        }

        var pipelineId = request.PipelineId
            ?? await db.Pipelines.Where(p => p.IsActive).OrderByDescending(p => p.IsDefault).ThenBy(p => p.SortOrder).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct)
            ?? throw new ConflictException("There is no active pipeline; an Admin must set one up first.");
        var map = await db.Pipelines.AnyAsync(p => p.Id == pipelineId && p.IsActive, ct)
            ? await PipelineMap.LoadAsync(db, pipelineId, ct)
            : throw new ValidationException([new ValidationFailure("pipelineId", "The pipeline does not exist or is no longer used.")]);
        var first = map.FirstOpen ?? throw new ConflictException("The pipeline has no open stage; an Admin must add one first.");

        var ownerId = request.OwnerId ?? user.Id;
        if (ownerId != user.Id)
        {
            var ownerTeam = await db.Users.Where(u => u.Id == ownerId && u.IsActive).Select(u => new { u.TeamId }).FirstOrDefaultAsync(ct)
                ?? throw new ValidationException([new ValidationFailure("ownerId", "The owner is not an active user.")]);
            if (!user.Has(Permissions.OpportunitiesAssign) || !OpportunityAccess.Manages(user, ownerTeam.TeamId))
            {
                throw new ForbiddenException("You may only create opportunities for people in the teams you manage.");
            }
        }

        var currency = request.Currency
            ?? await db.OpportunitySettings.Select(s => s.DefaultCurrency).FirstOrDefaultAsync(ct)
            ?? "CNY";
        var now = clock.GetUtcNow().UtcDateTime;
        var opportunity = new Opportunity
        {
            CustomerId = customer.Id,
            Name = request.Name.Trim(),
            AmountMinor = request.AmountMinor ?? 0,
            Currency = currency,
            ExpectedCloseDate = request.ExpectedCloseDate,
            SourceChannel = source,
            Competitors = Clean(request.Competitors),
            NextStep = Clean(request.NextStep),
            Description = Clean(request.Description),
            OwnerId = ownerId,
            SourceLeadId = request.SourceLeadId,
            Status = OpportunityStatus.Open,
        };
        db.Opportunities.Add(opportunity);
        await StageHistory.EnterAsync(db, opportunity, first, StageEntryKind.Created, user.Id, now, ct: ct);
        await OpportunityContacts.WriteAsync(db, opportunity.Id, contacts, ct);
        if (customer.Stage == LifecycleStage.Prospect)
        {
            // A prospect with a deal in the works is "in opportunity" (商机中).
            customer.Stage = LifecycleStage.InOpportunity;
        }

        await db.SaveChangesAsync(ct);
        return await OpportunityAccess.ReadAsync(db, user, opportunity.Id, ct);
    }

    internal static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

public static class CreateOpportunityEndpoint
{
    public static void MapCreateOpportunity(this RouteGroupBuilder group) =>
        group.MapPost("/", async (CreateOpportunityRequest request, CurrentUser user, CreateOpportunityHandler handler, CancellationToken ct) =>
            {
                var created = await handler.HandleAsync(user, request, ct);
                return TypedResults.Created($"/api/v1/opportunities/{created.Id}", created);
            })
            .RequireAuthorization(Permissions.OpportunitiesCreate)
            .WithName("CreateOpportunity")
            .WithSummary("Create an opportunity of a visible customer ({customerId, name, amountMinor, currency, expectedCloseDate, " +
                "pipelineId, contactIds, sourceChannel, competitors, nextStep, description, ownerId}). It starts in the pipeline's " +
                "first open stage (the default pipeline unless given), owned by the caller unless a manager names someone of their teams.");
}
