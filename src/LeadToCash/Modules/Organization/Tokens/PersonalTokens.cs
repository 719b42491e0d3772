using FluentValidation;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Organization.Tokens;

public sealed record CreateTokenRequest(string Name, int? ExpiresInDays = null, Guid? UserId = null);

public sealed record TokenDto(Guid Id, Guid UserId, string Name, string Prefix, DateTime CreatedAt, DateTime? ExpiresAt,
    DateTime? RevokedAt, DateTime? LastUsedAt);

/// <summary>The clear token, shown once.</summary>
public sealed record CreatedToken(TokenDto Token, string Secret);

public sealed class CreateTokenValidator : AbstractValidator<CreateTokenRequest>
{
    public CreateTokenValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(100);
        RuleFor(x => x.ExpiresInDays).InclusiveBetween(1, 3650);
    }
}

/// <summary>Personal access tokens: a user manages their own; an Admin (users.manage) anyone's.</summary>
public sealed class PersonalTokensHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private static readonly CreateTokenValidator Validator = new();

    public async Task<IReadOnlyList<TokenDto>> ListAsync(CurrentUser user, Guid? userId, CancellationToken ct = default)
    {
        var owner = Owner(user, userId);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ApiTokens.AsNoTracking()
            .Where(t => t.UserId == owner && t.Kind == ApiTokenKind.Personal)
            .ToListAsync(ct);
        return rows.OrderByDescending(t => t.CreatedAt).Select(ToDto).ToList();
    }

    public async Task<CreatedToken> CreateAsync(CurrentUser user, CreateTokenRequest request, CancellationToken ct = default)
    {
        await Validator.ValidateAndThrowAsync(request, ct);
        var owner = Owner(user, request.UserId);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.AnyAsync(u => u.Id == owner && u.IsActive, ct))
        {
            throw new NotFoundException("The user");
        }

        var secret = ApiTokenFormat.NewSecret(ApiTokenKind.Personal);
        var now = clock.GetUtcNow().UtcDateTime;
        var token = new ApiToken
        {
            UserId = owner,
            Kind = ApiTokenKind.Personal,
            Name = request.Name.Trim(),
            TokenHash = ApiTokenFormat.Hash(secret),
            Prefix = secret[..12],
            CreatedAt = now,
            ExpiresAt = request.ExpiresInDays is { } days ? now.AddDays(days) : null,
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return new CreatedToken(ToDto(token), secret);
    }

    public async Task RevokeAsync(CurrentUser user, Guid tokenId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId, ct);
        if (token is null || (token.UserId != user.Id && !user.Has(Permissions.UsersManage)))
        {
            throw new NotFoundException("The token");
        }

        token.RevokedAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    private static Guid Owner(CurrentUser user, Guid? userId)
    {
        if (userId is null || userId == user.Id)
        {
            return user.Id;
        }

        user.Require(Permissions.UsersManage);
        return userId.Value;
    }

    // Stored as UTC; SQLite gives them back without a kind, and the API must say they are UTC.
    private static TokenDto ToDto(ApiToken t) =>
        new(t.Id, t.UserId, t.Name, t.Prefix, Utc(t.CreatedAt), Utc(t.ExpiresAt), Utc(t.RevokedAt), Utc(t.LastUsedAt));

    private static DateTime Utc(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? at) => at is { } value ? Utc(value) : null;
}

public static class PersonalTokenEndpoints
{
    public static void MapPersonalTokens(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tokens").WithTags("Access tokens");
        group.MapGet("/", async (Guid? userId, CurrentUser user, PersonalTokensHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, userId, ct)))
            .RequireAuthorization(Permissions.TokensOwn)
            .WithName("ListTokens")
            .WithSummary("The caller's personal access tokens (an Admin may pass ?userId=).");
        group.MapPost("/", async (CreateTokenRequest request, CurrentUser user, PersonalTokensHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.CreateAsync(user, request, ct)))
            .RequireAuthorization(Permissions.TokensOwn)
            .WithName("CreateToken")
            .WithSummary("Create a personal access token; the secret is in this answer only.");
        group.MapDelete("/{id:guid}", async (Guid id, CurrentUser user, PersonalTokensHandler handler, CancellationToken ct) =>
            {
                await handler.RevokeAsync(user, id, ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Permissions.TokensOwn)
            .WithName("RevokeToken")
            .WithSummary("Revoke a personal access token.");
    }
}
