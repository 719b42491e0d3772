using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadToCash.Platform.Auth;

public static class ApiTokenFormat
{
    public const string SessionPrefix = "ltc_s_";
    public const string PersonalPrefix = "ltc_pat_";

    public static string NewSecret(ApiTokenKind kind) =>
        (kind == ApiTokenKind.Personal ? PersonalPrefix : SessionPrefix)
        + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

/// <summary>
/// Authenticates "Authorization: Bearer ..." against the stored token hashes: session tokens from
/// POST /api/v1/auth/token and personal access tokens. Revoked, expired or deactivated-user tokens fail.
/// </summary>
public sealed partial class ApiTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IDbContextFactory<AppDbContext> dbFactory,
    AccessCache cache,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string TokenIdClaim = "ltc_token_id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var secret = header["Bearer ".Length..].Trim();
        var hash = ApiTokenFormat.Hash(secret);
        var now = clock.GetUtcNow().UtcDateTime;
        var token = cache.Token(hash);
        if (token is null)
        {
            var generation = cache.Generation;
            await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
            var found = await (from t in db.ApiTokens
                               join u in db.Users on t.UserId equals u.Id
                               where t.TokenHash == hash
                               select new { Token = t, u.IsActive, u.UserName })
                .FirstOrDefaultAsync(Context.RequestAborted);
            if (found is null || found.Token.RevokedAt is not null || !found.IsActive)
            {
                LogRejected(Logger, found?.Token.Prefix ?? "unknown");
                return AuthenticateResult.Fail("The token is unknown, revoked or expired.");
            }

            token = new CachedToken(found.Token.Id, found.Token.Prefix, found.Token.UserId, found.UserName ?? "", found.Token.ExpiresAt,
                found.Token.LastUsedAt);
            cache.PutToken(hash, token, generation);
        }

        if (token.ExpiresAt is { } expires && expires <= now)
        {
            LogRejected(Logger, token.Prefix);
            return AuthenticateResult.Fail("The token is unknown, revoked or expired.");
        }

        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(5))
        {
            await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
            var tokenId = token.TokenId;
            await db.ApiTokens.Where(t => t.Id == tokenId)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
            // Not a change of access: the cached entry just learns the new time.
            cache.TokenUsed(hash, now);
        }

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, token.UserId.ToString()),
            new Claim(ClaimTypes.Name, token.UserName),
            new Claim(TokenIdClaim, token.TokenId.ToString()),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bearer token rejected (prefix {Prefix})")]
    private static partial void LogRejected(ILogger logger, string prefix);
}
