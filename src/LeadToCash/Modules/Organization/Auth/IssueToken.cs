using FluentValidation;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Organization.Auth;

public sealed record IssueTokenRequest(string Email, string Password);

public sealed record IssuedToken(string AccessToken, string TokenType, DateTime ExpiresAt);

public sealed class IssueTokenValidator : AbstractValidator<IssueTokenRequest>
{
    public IssueTokenValidator()
    {
        RuleFor(x => x.Email).NotEmpty().EmailAddress().MaximumLength(256);
        RuleFor(x => x.Password).NotEmpty().MaximumLength(256);
    }
}

/// <summary>
/// Password sign-in for API clients: a bearer token valid for <see cref="Lifetime"/>. Refused with 429 (and Retry-After)
/// while the account is locked out or the client address has failed too often (<see cref="SignInThrottle"/>).
/// </summary>
public sealed class IssueTokenHandler(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    SignInThrottle throttle,
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider clock,
    ILogger<IssueTokenHandler> logger)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);
    private static readonly IssueTokenValidator Validator = new();

    /// <param name="client">The caller's address (<see cref="SignInThrottle.ClientOf"/>).</param>
    public async Task<IssuedToken> HandleAsync(IssueTokenRequest request, string client, CancellationToken ct = default)
    {
        throttle.EnsureAllowed(client);
        await Validator.ValidateAndThrowAsync(request, ct);
        var user = await users.FindByEmailAsync(request.Email);
        if (user is null)
        {
            AppSignInManager.LogUnknownUser(logger, request.Email);
            throttle.RecordFailure(client);
            throw new UnauthorizedAccessException();
        }

        var result = await signIn.CheckPasswordSignInAsync(user, request.Password, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            throttle.RecordFailure(client);
        }

        if (result.IsLockedOut)
        {
            var end = await users.GetLockoutEndDateAsync(user) ?? clock.GetUtcNow().AddMinutes(15);
            var wait = end - clock.GetUtcNow();
            throw new TooManyRequestsException("Too many failed sign-ins; the account is locked for a while.",
                wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1));
        }

        if (!result.Succeeded)
        {
            throw new UnauthorizedAccessException();
        }

        var secret = ApiTokenFormat.NewSecret(ApiTokenKind.Session);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = new ApiToken
        {
            UserId = user.Id,
            Kind = ApiTokenKind.Session,
            Name = "session",
            TokenHash = ApiTokenFormat.Hash(secret),
            Prefix = secret[..12],
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return new IssuedToken(secret, "Bearer", token.ExpiresAt!.Value);
    }
}

public static class AuthEndpoints
{
    public static void MapAuthEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/auth").WithTags("Authentication");
        group.MapPost("/token", async (IssueTokenRequest request, IssueTokenHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(request, SignInThrottle.ClientOf(http), ct)))
            .AllowAnonymous()
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithName("IssueToken")
            .WithSummary("Sign in with e-mail and password; answers a bearer token. Repeated failures lock the account, and too " +
                "many failures from one client address pause its sign-ins (both 429 with Retry-After).");

        group.MapPost("/logout", async (HttpContext http, CurrentUser user, IDbContextFactory<AppDbContext> dbFactory,
                TimeProvider clock, CancellationToken ct) =>
            {
                if (Guid.TryParse(http.User.FindFirst(ApiTokenHandler.TokenIdClaim)?.Value, out var tokenId))
                {
                    await using var db = await dbFactory.CreateDbContextAsync(ct);
                    var token = await db.ApiTokens.FirstAsync(t => t.Id == tokenId && t.UserId == user.Id, ct);
                    token.RevokedAt = clock.GetUtcNow().UtcDateTime;
                    await db.SaveChangesAsync(ct);
                }

                return TypedResults.NoContent();
            })
            .RequireAuthorization(Permissions.ProfileRead)
            .WithName("Logout")
            .WithSummary("Revoke the bearer token this request was made with.");
    }
}
