using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Organization.Auth;
using LeadToCash.Modules.Organization.Tokens;
using LeadToCash.Modules.Organization.Users;
using LeadToCash.Platform.Auth;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Api;

/// <summary>
/// Sign-in, lockout, bearer and personal access tokens, deactivation. Each test that locks, revokes or deactivates
/// works on a user of its own, created through the API, so that the demo users stay as they are.
/// </summary>
[DatabaseTest]
public sealed class AuthTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Password = "a-long-enough-password";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IssueToken_WrongPassword_Returns401Problem()
    {
        using var client = app.AnonymousClient();

        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest(DemoUsers.Rep, "wrong-password-2026"), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task IssueToken_UnknownUser_Returns401LikeAWrongPassword()
    {
        using var client = app.AnonymousClient();

        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest("nobody@demo.test", Password), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task IssueToken_RightPassword_ReturnsBearerTokenValidFor8Hours()
    {
        using var client = app.AnonymousClient();

        var issued = await (await client.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest(DemoUsers.Rep2, DemoUsers.Password), Ct))
            .ExpectJsonAsync<IssuedToken>();

        Assert.Equal("Bearer", issued.TokenType);
        Assert.StartsWith(ApiTokenFormat.SessionPrefix, issued.AccessToken, StringComparison.Ordinal);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddHours(8), issued.ExpiresAt);
    }

    [Fact]
    public async Task IssueToken_FiveWrongPasswords_LocksOutWith429AndRetryAfter()
    {
        var email = await CreateUserAsync("lockout");
        using var client = app.AnonymousClient();

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await client.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest(email, "wrong-password-" + i), Ct));
        }

        var withRightPassword = await client.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest(email, Password), Ct);

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 4), answers.Take(4).Select(r => r.StatusCode));
        await answers[4].ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        await withRightPassword.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = withRightPassword.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
    }

    [Fact]
    public async Task IssueToken_LockoutOverOnTheAppsClock_SignsInAgain()
    {
        // Identity's own UserManager reads the system clock; the app's AppUserManager locks on the injected TimeProvider,
        // which is what makes this testable without waiting.
        var email = await CreateUserAsync("lockout-ends");
        using var client = app.AnonymousClient();
        for (var i = 0; i < 5; i++)
        {
            await client.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest(email, "wrong-password-" + i), Ct);
        }

        app.Clock.Advance(TimeSpan.FromMinutes(14));
        var stillLocked = await client.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest(email, Password), Ct);
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var afterLockout = await client.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest(email, Password), Ct);

        await stillLocked.ExpectAsync(HttpStatusCode.TooManyRequests);
        Assert.InRange(stillLocked.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
        var issued = await afterLockout.ExpectJsonAsync<IssuedToken>();
        using var signedIn = app.ClientWithToken(issued.AccessToken);
        await (await signedIn.GetAsync("/api/v1/me", Ct)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task IssueToken_SuccessfulSignIn_ResetsTheFailureCount()
    {
        var email = await CreateUserAsync("reset-count");
        using var client = app.AnonymousClient();
        for (var i = 0; i < 4; i++)
        {
            await client.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest(email, "wrong"), Ct);
        }

        await (await client.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest(email, Password), Ct)).ExpectAsync(HttpStatusCode.OK);
        var oneMoreWrong = await client.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest(email, "wrong"), Ct);

        await oneMoreWrong.ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_BearerToken_RevokesIt()
    {
        using var client = app.ClientWithToken(await app.SignInAsync(DemoUsers.Rep2));
        await (await client.GetAsync("/api/v1/me", Ct)).ExpectAsync(HttpStatusCode.OK);

        var logout = await client.PostAsync("/api/v1/auth/logout", null, Ct);
        var after = await client.GetAsync("/api/v1/me", Ct);

        await logout.ExpectAsync(HttpStatusCode.NoContent);
        await after.ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task BearerToken_After8Hours_Expires()
    {
        using var client = app.ClientWithToken(await app.SignInAsync(DemoUsers.Rep2));
        await (await client.GetAsync("/api/v1/me", Ct)).ExpectAsync(HttpStatusCode.OK);

        app.Clock.Advance(TimeSpan.FromHours(8));
        var after = await client.GetAsync("/api/v1/me", Ct);

        await after.ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Me_NoToken_Returns401NotARedirect()
    {
        using var client = app.AnonymousClient();

        var response = await client.GetAsync("/api/v1/me", Ct);

        await response.ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Null(response.Headers.Location);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task Me_UnknownBearerToken_Returns401()
    {
        using var client = app.ClientWithToken(ApiTokenFormat.NewSecret(Modules.Organization.ApiTokenKind.Personal));

        var response = await client.GetAsync("/api/v1/me", Ct);

        await response.ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PersonalToken_CreatedUsedListedRevoked_WorksUntilRevoked()
    {
        var email = await CreateUserAsync("pat");
        using var owner = app.ClientWithToken(await app.SignInAsync(email, Password));

        var created = await (await owner.PostAsJsonAsync("/api/v1/tokens", new CreateTokenRequest("nightly export", 30), Ct))
            .ExpectJsonAsync<CreatedToken>();
        using var script = app.ClientWithToken(created.Secret);
        var me = await script.GetJsonAsync<MeDto>("/api/v1/me");
        var listed = await owner.GetJsonAsync<List<TokenDto>>("/api/v1/tokens");
        var listText = await owner.GetStringAsync("/api/v1/tokens", Ct);
        await (await owner.DeleteAsync($"/api/v1/tokens/{created.Token.Id}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        var afterRevoke = await script.GetAsync("/api/v1/me", Ct);

        Assert.StartsWith(ApiTokenFormat.PersonalPrefix, created.Secret, StringComparison.Ordinal);
        Assert.Equal(email, me.Email);
        var token = Assert.Single(listed);
        Assert.Equal("nightly export", token.Name);
        Assert.Equal(created.Secret[..12], token.Prefix);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddDays(30), token.ExpiresAt);
        Assert.DoesNotContain(created.Secret, listText, StringComparison.Ordinal);
        await afterRevoke.ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.NotNull((await owner.GetJsonAsync<List<TokenDto>>("/api/v1/tokens")).Single().RevokedAt);
    }

    [Fact]
    public async Task ListTokensAndUsers_Timestamps_AreMarkedAsUtc()
    {
        var email = await CreateUserAsync("utc");
        using var owner = app.ClientWithToken(await app.SignInAsync(email, Password));
        await (await owner.PostAsJsonAsync("/api/v1/tokens", new CreateTokenRequest("utc check", 1), Ct)).ExpectAsync(HttpStatusCode.OK);
        using var script = app.ClientWithToken((await (await owner.PostAsJsonAsync("/api/v1/tokens", new CreateTokenRequest("used"), Ct))
            .ExpectJsonAsync<CreatedToken>()).Secret);
        await (await script.GetAsync("/api/v1/me", Ct)).ExpectAsync(HttpStatusCode.OK);

        var tokens = await owner.GetJsonAsync<List<System.Text.Json.JsonElement>>("/api/v1/tokens");
        var users = (await owner.GetJsonAsync<System.Text.Json.JsonElement>("/api/v1/users")).GetProperty("items").EnumerateArray().ToList();

        // A time without a zone would be read as local time by clients.
        var times = tokens.SelectMany(t => new[] { t.GetProperty("createdAt"), t.GetProperty("expiresAt"), t.GetProperty("lastUsedAt") })
            .Concat(users.Select(u => u.GetProperty("createdAt")))
            .Where(t => t.ValueKind == System.Text.Json.JsonValueKind.String)
            .Select(t => t.GetString()!)
            .ToList();
        Assert.True(times.Count > users.Count + 2);
        Assert.All(times, t => Assert.EndsWith("Z", t, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PersonalToken_Stored_OnlyAsHash()
    {
        var email = await CreateUserAsync("pat-hash");
        using var owner = app.ClientWithToken(await app.SignInAsync(email, Password));

        var created = await (await owner.PostAsJsonAsync("/api/v1/tokens", new CreateTokenRequest("ci"), Ct)).ExpectJsonAsync<CreatedToken>();

        await using var db = await app.SystemDbAsync();
        var rows = await db.ApiTokens.AsNoTracking().ToListAsync(Ct);
        var row = Assert.Single(rows, t => t.Id == created.Token.Id);
        Assert.Equal(ApiTokenFormat.Hash(created.Secret), row.TokenHash);
        Assert.Matches("^[0-9a-f]{64}$", row.TokenHash);
        Assert.Equal(created.Secret[..12], row.Prefix);
        Assert.DoesNotContain(rows, t => t.TokenHash.Contains(created.Secret[12..], StringComparison.Ordinal)
            || t.Name.Contains(created.Secret[12..], StringComparison.Ordinal));
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM \"ApiTokens\"";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var value = reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "";
                Assert.DoesNotContain(created.Secret[12..], value, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task PersonalToken_OtherUsersToken_CannotBeRevoked()
    {
        var email = await CreateUserAsync("pat-other");
        using var owner = app.ClientWithToken(await app.SignInAsync(email, Password));
        var created = await (await owner.PostAsJsonAsync("/api/v1/tokens", new CreateTokenRequest("mine"), Ct)).ExpectJsonAsync<CreatedToken>();
        using var someoneElse = await app.ClientForAsync(DemoUsers.Rep2);

        var response = await someoneElse.DeleteAsync($"/api/v1/tokens/{created.Token.Id}", Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        using var script = app.ClientWithToken(created.Secret);
        await (await script.GetAsync("/api/v1/me", Ct)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DeactivateUser_ExistingTokensAndSignIn_StopWorking()
    {
        var email = await CreateUserAsync("deactivated");
        var userId = await UserIdAsync(email);
        using var session = app.ClientWithToken(await app.SignInAsync(email, Password));
        var pat = await (await session.PostAsJsonAsync("/api/v1/tokens", new CreateTokenRequest("script"), Ct)).ExpectJsonAsync<CreatedToken>();
        using var script = app.ClientWithToken(pat.Secret);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var deactivated = await (await admin.PostAsync($"/api/v1/users/{userId}/deactivate", null, Ct)).ExpectJsonAsync<UserDto>();

        Assert.False(deactivated.IsActive);
        await (await session.GetAsync("/api/v1/me", Ct)).ExpectAsync(HttpStatusCode.Unauthorized);
        await (await script.GetAsync("/api/v1/me", Ct)).ExpectAsync(HttpStatusCode.Unauthorized);
        using var anonymous = app.AnonymousClient();
        var signIn = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest(email, Password), Ct);
        await signIn.ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ReactivateUser_AfterDeactivation_SignsInAgainButOldTokensStayRevoked()
    {
        var email = await CreateUserAsync("reactivated");
        var userId = await UserIdAsync(email);
        using var old = app.ClientWithToken(await app.SignInAsync(email, Password));
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        await (await admin.PostAsync($"/api/v1/users/{userId}/deactivate", null, Ct)).ExpectAsync(HttpStatusCode.OK);

        await (await admin.PostAsync($"/api/v1/users/{userId}/reactivate", null, Ct)).ExpectAsync(HttpStatusCode.OK);

        await (await old.GetAsync("/api/v1/me", Ct)).ExpectAsync(HttpStatusCode.Unauthorized);
        using var fresh = app.ClientWithToken(await app.SignInAsync(email, Password));
        await (await fresh.GetAsync("/api/v1/me", Ct)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DeactivateUser_Yourself_Returns409()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var me = await admin.GetJsonAsync<MeDto>("/api/v1/me");

        var response = await admin.PostAsync($"/api/v1/users/{me.Id}/deactivate", null, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task CreateUser_PasswordShorterThan12_Returns400NamingPassword()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var response = await admin.PostAsJsonAsync("/api/v1/users", await NewUserAsync("short-password", "only11chars"), Ct);

        await response.ExpectFieldErrorAsync("password");
    }

    [Fact]
    public async Task CreateUser_DuplicateEmail_Returns400NamingEmail()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var request = await NewUserAsync("duplicate", Password) with { Email = DemoUsers.Rep.ToUpperInvariant() };

        var response = await admin.PostAsJsonAsync("/api/v1/users", request, Ct);

        await response.ExpectFieldErrorAsync("email");
    }

    [Fact]
    public async Task CreateUser_Rep_Returns403()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync("/api/v1/users", await NewUserAsync("by-a-rep", Password), Ct);

        await response.ExpectAsync(HttpStatusCode.Forbidden);
    }

    /// <summary>A Rep in 上海销售二组 created by the Admin through the API; returns the e-mail.</summary>
    private async Task<string> CreateUserAsync(string name)
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var request = await NewUserAsync(name, Password);
        await (await admin.PostAsJsonAsync("/api/v1/users", request, Ct)).ExpectAsync(HttpStatusCode.Created);
        return request.Email;
    }

    private async Task<CreateUserRequest> NewUserAsync(string name, string password)
    {
        await using var db = await app.SystemDbAsync();
        var team = await db.Teams.SingleAsync(t => t.Name == "上海销售二组", Ct);
        return new CreateUserRequest($"{name}.{Guid.NewGuid().ToString("N")[..8]}@demo.test", "测试 " + name, password, team.Id, [Roles.Rep]);
    }

    private async Task<Guid> UserIdAsync(string email)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
    }
}
