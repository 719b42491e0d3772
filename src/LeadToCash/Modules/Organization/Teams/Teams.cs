using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Organization.Teams;

public sealed record TeamDto(Guid Id, string Name, TeamKind Kind, Guid? ParentId, Guid? HeadUserId, string? HeadName,
    int MemberCount, int Version);

public sealed record SaveTeamRequest(string Name, TeamKind Kind, Guid? ParentId, Guid? HeadUserId, int? Version = null);

public sealed class SaveTeamValidator : AbstractValidator<SaveTeamRequest>
{
    public SaveTeamValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(100);
        RuleFor(x => x.Kind).IsInEnum();
    }
}

public sealed class TeamsHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    private static readonly SaveTeamValidator Validator = new();

    public async Task<IReadOnlyList<TeamDto>> ListAsync(CurrentUser user, CancellationToken ct = default)
    {
        user.Require(Permissions.OrgRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await db.Teams.AsNoTracking()
            .OrderBy(t => t.Kind).ThenBy(t => t.Name)
            .Select(t => new TeamDto(t.Id, t.Name, t.Kind, t.ParentId, t.HeadUserId,
                db.Users.Where(u => u.Id == t.HeadUserId).Select(u => u.DisplayName).FirstOrDefault(),
                db.Users.Count(u => u.TeamId == t.Id && u.IsActive), t.Version))
            .ToListAsync(ct);
    }

    public async Task<TeamDto> CreateAsync(CurrentUser user, SaveTeamRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.TeamsManage);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        await CheckReferencesAsync(db, request, ct);
        if (request.ParentId is null && await db.Teams.AnyAsync(t => t.ParentId == null, ct))
        {
            throw Invalid("parentId", "Only the company has no parent team; choose a parent.");
        }

        var team = new Team { Name = request.Name.Trim(), Kind = request.Kind, ParentId = request.ParentId, HeadUserId = request.HeadUserId };
        db.Teams.Add(team);
        await db.SaveChangesAsync(ct);
        return (await ListAsync(user, ct)).Single(t => t.Id == team.Id);
    }

    public async Task<TeamDto> UpdateAsync(CurrentUser user, Guid id, SaveTeamRequest request, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.TeamsManage);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw new NotFoundException("The team");
        Versioning.EnsureVersion(team.Version, version);
        await CheckReferencesAsync(db, request, ct);
        var tree = await CurrentUserResolver.LoadTreeAsync(db, ct);
        if (request.ParentId == id || tree.WouldCycle(id, request.ParentId))
        {
            throw Invalid("parentId", "A team cannot be placed under itself or one of its own sub-teams.");
        }

        if ((team.ParentId is null) != (request.ParentId is null))
        {
            throw Invalid("parentId", "The company stays at the top of the tree; other teams need a parent.");
        }

        team.Name = request.Name.Trim();
        team.Kind = request.Kind;
        team.ParentId = request.ParentId;
        team.HeadUserId = request.HeadUserId;
        await db.SaveChangesAsync(ct);
        return (await ListAsync(user, ct)).Single(t => t.Id == id);
    }

    private static async Task CheckReferencesAsync(AppDbContext db, SaveTeamRequest request, CancellationToken ct)
    {
        if (request.ParentId is { } parent && !await db.Teams.AnyAsync(t => t.Id == parent, ct))
        {
            throw Invalid("parentId", "The parent team does not exist.");
        }

        if (request.HeadUserId is { } head && !await db.Users.AnyAsync(u => u.Id == head && u.IsActive, ct))
        {
            throw Invalid("headUserId", "The head must be an active user.");
        }
    }

    private static ValidationException Invalid(string field, string message) => new([new ValidationFailure(field, message)]);
}

public static class TeamEndpoints
{
    public static void MapTeams(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/teams").WithTags("Organisation");
        group.MapGet("/", async (CurrentUser user, TeamsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, ct)))
            .RequireAuthorization(Permissions.OrgRead)
            .WithName("ListTeams")
            .WithSummary("The organisation tree as a flat list (each team names its parent).");
        group.MapPost("/", async (SaveTeamRequest request, CurrentUser user, TeamsHandler handler, CancellationToken ct) =>
            {
                var team = await handler.CreateAsync(user, request, ct);
                return TypedResults.Created($"/api/v1/teams/{team.Id}", team);
            })
            .RequireAuthorization(Permissions.TeamsManage)
            .WithName("CreateTeam");
        group.MapPut("/{id:guid}", async (Guid id, SaveTeamRequest request, CurrentUser user, TeamsHandler handler,
                HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.UpdateAsync(user, id, request, Platform.Api.VersionHeader.Required(request.Version, http.Request), ct)))
            .RequireAuthorization(Permissions.TeamsManage)
            .WithName("UpdateTeam")
            .WithSummary("Rename, re-parent (no cycles) or change the head of a team; send its version.");
    }
}
