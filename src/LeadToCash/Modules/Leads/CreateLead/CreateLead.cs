using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Matching;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Leads.CreateLead;

/// <summary>
/// A lead entered by hand. Without an owner or <c>toPool</c>, a rep keeps the lead they enter; assistants and managers
/// put it into their team's pool for screening and assignment.
/// </summary>
public sealed record CreateLeadRequest(
    string? SourceChannel,
    string? CompanyName = null,
    string? ContactName = null,
    string? Title = null,
    string? Mobile = null,
    string? Phone = null,
    string? Email = null,
    string? WeChat = null,
    string? Industry = null,
    string? CompanySize = null,
    string? Region = null,
    long? BudgetMinor = null,
    int? PurchaseWithinMonths = null,
    bool DecisionMakerIdentified = false,
    string? Need = null,
    string? Notes = null,
    string? Tags = null,
    DateTime? CapturedAt = null,
    Guid? OwnerId = null,
    Guid? TeamId = null,
    bool? ToPool = null) : ILeadFields;

/// <summary>The answer to a capture: the lead and, when the duplicate check found one, what it matched.</summary>
public sealed record CreateLeadResult(LeadDto Lead, DuplicateMatch? Duplicate);

public sealed class CreateLeadHandler(IDbContextFactory<AppDbContext> dbFactory, LeadDesk desk)
{
    public async Task<CreateLeadResult> HandleAsync(CurrentUser user, CreateLeadRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.LeadsCreate);
        await using var db = await dbFactory.OpenAsync(user, ct);
        await LeadFieldsWriter.ValidateAsync(db, request, ct);
        var now = desk.Now;
        if (request.CapturedAt is { } captured && captured > now.AddMinutes(5))
        {
            throw new ValidationException([new ValidationFailure("capturedAt", "The capture time cannot be in the future.")]);
        }

        var (ownerId, teamId) = await PlaceAsync(db, user, request, ct);
        var rules = await LeadDesk.RulebookAsync(db, ct);
        var lead = new Lead { SourceChannel = request.SourceChannel!, TeamId = teamId, OwnerId = ownerId };
        LeadFieldsWriter.Apply(lead, request);
        lead.CapturedAt = request.CapturedAt is { } at ? DateTime.SpecifyKind(at.ToUniversalTime(), DateTimeKind.Utc) : now;
        LeadDesk.Derive(lead, rules);
        var duplicate = await desk.FindDuplicateAsync(lead.PhoneKey, lead.EmailKey, lead.CompanyKey, null, ct);
        if (duplicate is not null && rules.Settings.DuplicateMode == DuplicateMode.Block)
        {
            throw new ConflictException(
                $"This lead duplicates the {duplicate.RecordType} \"{duplicate.Name}\" (same {duplicate.Field})"
                + (duplicate.OwnerName is null ? "." : $", owned by {duplicate.OwnerName}."));
        }

        if (duplicate is not null)
        {
            lead.DuplicateField = duplicate.Field;
            if (duplicate.RecordType == Lead.RecordType)
            {
                lead.DuplicateOfLeadId = duplicate.Id;
            }
            else
            {
                lead.DuplicateOfCustomerId = duplicate.Id;
            }
        }

        await desk.CaptureAsync(db, lead, rules, ct);
        await db.SaveChangesAsync(ct);
        return new CreateLeadResult(await LeadAccess.ReadAsync(db, user, lead.Id, now, ct), duplicate);
    }

    private static async Task<(Guid? OwnerId, Guid TeamId)> PlaceAsync(AppDbContext db, CurrentUser user, CreateLeadRequest request,
        CancellationToken ct)
    {
        if (request.OwnerId is { } owner)
        {
            var ownerTeam = await db.Users.Where(u => u.Id == owner && u.IsActive).Select(u => new { u.TeamId }).FirstOrDefaultAsync(ct)
                ?? throw new ValidationException([new ValidationFailure("ownerId", "The owner is not an active user.")]);
            if (ownerTeam.TeamId is not { } team)
            {
                throw new ValidationException([new ValidationFailure("ownerId", "The owner belongs to no team.")]);
            }

            if (owner != user.Id && !(user.Has(Permissions.LeadsAssign) && LeadAccess.Manages(user, team)))
            {
                throw new ForbiddenException("You may only give leads to people in the teams you manage.");
            }

            return (owner, team);
        }

        var keepsIt = request.ToPool != true && request.TeamId is null && user.Roles.Contains(Roles.Rep);
        if (keepsIt && user.TeamId is { } own)
        {
            return (user.Id, own);
        }

        var poolTeam = request.TeamId ?? user.TeamId
            ?? throw new ValidationException([new ValidationFailure("teamId", "Choose the team whose pool receives the lead.")]);
        if (poolTeam != user.TeamId && !user.IsAdmin && !user.SubtreeTeamIds.Contains(poolTeam))
        {
            throw new ForbiddenException("You may only put leads into the pools of your own teams.");
        }

        return (null, poolTeam);
    }
}

/// <summary>The duplicate check on its own, for the entry form to warn while the user types.</summary>
public sealed record DuplicateCheckQuery(string? CompanyName, string? Mobile, string? Phone, string? Email, Guid? ExceptLeadId);

public static class CreateLeadEndpoint
{
    public static void MapCreateLead(this RouteGroupBuilder group)
    {
        group.MapPost("/", async (CreateLeadRequest request, CurrentUser user, CreateLeadHandler handler, CancellationToken ct) =>
            {
                var created = await handler.HandleAsync(user, request, ct);
                return TypedResults.Created($"/api/v1/leads/{created.Lead.Id}", created);
            })
            .RequireAuthorization(Permissions.LeadsCreate)
            .WithName("CreateLead")
            .WithSummary("Capture a lead by hand. The answer carries the duplicate found (warn mode); block mode answers 409.");

        group.MapGet("/duplicates", async ([AsParameters] DuplicateCheckQuery query, CurrentUser user, LeadDesk desk, CancellationToken ct) =>
            {
                user.Require(Permissions.LeadsCreate);
                var match = await desk.FindDuplicateAsync(
                    DuplicateKeys.Phone(query.Mobile) ?? DuplicateKeys.Phone(query.Phone), DuplicateKeys.Email(query.Email),
                    DuplicateKeys.Company(query.CompanyName), query.ExceptLeadId, ct);
                return TypedResults.Ok(new DuplicateCheckResult(match));
            })
            .RequireAuthorization(Permissions.LeadsCreate)
            .WithName("CheckLeadDuplicates")
            .WithSummary("The existing lead or customer that these details match, if any: ?companyName=&mobile=&phone=&email=.");
    }
}

public sealed record DuplicateCheckResult(DuplicateMatch? Match);
