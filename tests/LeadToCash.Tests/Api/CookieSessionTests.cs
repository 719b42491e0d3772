using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Organization.Users;
using LeadToCash.Platform.Auth;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Api;

/// <summary>
/// The browser session: the real sign-in form (static server rendering, antiforgery), the cookie, sign-out and
/// deactivation ending it, also for a copy of the cookie kept elsewhere.
/// </summary>
[DatabaseTest]
public sealed class CookieSessionTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string AuthCookie = "ltc.auth";
    private const string Password = "a-long-enough-password";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Home_NotSignedIn_RedirectsToLogin()
    {
        using var browser = app.BrowserClient();

        var response = await browser.GetAsync("/", Ct);

        AssertRedirectsToLogin(response);
    }

    [Fact]
    public async Task SignIn_LoginForm_SetsCookieAndOpensTheHomePage()
    {
        var (email, name) = await CreateUserAsync("form");
        using var browser = app.BrowserClient();

        var signIn = await PostLoginAsync(browser, email, Password);
        var home = await browser.GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", LocalTarget(signIn));
        Assert.NotEmpty(AuthCookies(signIn));
        var html = await (await home.ExpectAsync(HttpStatusCode.OK)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("data-testid=\"welcome\"", html, StringComparison.Ordinal);
        Assert.Contains(name, WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsTheErrorAndSetsNoCookie()
    {
        var (email, _) = await CreateUserAsync("wrong");
        using var browser = app.BrowserClient();

        var response = await PostLoginAsync(browser, email, "not-the-password");

        var html = await (await response.ExpectAsync(HttpStatusCode.OK)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("data-testid=\"login-error\"", html, StringComparison.Ordinal);
        Assert.Contains("The e-mail or password is wrong.", html, StringComparison.Ordinal);
        Assert.Empty(AuthCookies(response));
        AssertRedirectsToLogin(await browser.GetAsync("/", Ct));
    }

    [Theory]
    [InlineData("/settings/company", "/settings/company")]
    [InlineData("//evil.example/steal", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    public async Task SignIn_ReturnUrl_GoesBackOnlyToLocalPages(string returnUrl, string expected)
    {
        var (email, _) = await CreateUserAsync("return");
        using var browser = app.BrowserClient();

        var response = await PostLoginAsync(browser, email, Password, "/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, LocalTarget(response));
    }

    [Fact]
    public async Task SignOut_OldCookieReplayed_NoLongerWorks()
    {
        var (email, _) = await CreateUserAsync("sign-out");
        using var browser = app.BrowserClient();
        var signIn = await PostLoginAsync(browser, email, Password);
        var oldCookie = CookieHeader(signIn);
        await (await browser.GetAsync("/", Ct)).ExpectAsync(HttpStatusCode.OK);
        var page = await browser.ReadFormAsync("/account/login", "login");
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        var signOut = await browser.PostAsync("/account/logout",
            new FormUrlEncodedContent([new(HtmlForm.AntiforgeryField, page.Fields[HtmlForm.AntiforgeryField])]), Ct);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/account/login", LocalTarget(signOut));
        AssertRedirectsToLogin(await browser.GetAsync("/", Ct));
        using var replay = app.AnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", oldCookie);
        AssertRedirectsToLogin(await replay.SendAsync(request, Ct));
    }

    [Fact]
    public async Task SignOut_WithoutAntiforgeryToken_IsRefusedAndTheSessionStays()
    {
        var (email, _) = await CreateUserAsync("csrf");
        using var browser = app.BrowserClient();
        await PostLoginAsync(browser, email, Password);

        var signOut = await browser.PostAsync("/account/logout", new FormUrlEncodedContent([new("returnUrl", "/")]), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        await (await browser.GetAsync("/", Ct)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DeactivateUser_CookieSession_EndsAndSignInIsRefused()
    {
        var (email, _) = await CreateUserAsync("deactivated");
        using var browser = app.BrowserClient();
        var signIn = await PostLoginAsync(browser, email, Password);
        var oldCookie = CookieHeader(signIn);
        await (await browser.GetAsync("/", Ct)).ExpectAsync(HttpStatusCode.OK);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        await (await admin.PostAsync($"/api/v1/users/{await UserIdAsync(email)}/deactivate", null, Ct)).ExpectAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        AssertRedirectsToLogin(await browser.GetAsync("/", Ct));
        using var replay = app.AnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Add("Cookie", oldCookie);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.SendAsync(request, Ct)).StatusCode);
        using var again = app.BrowserClient();
        var refused = await PostLoginAsync(again, email, Password);
        var html = await (await refused.ExpectAsync(HttpStatusCode.OK)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("This account is deactivated.", html, StringComparison.Ordinal);
        Assert.Empty(AuthCookies(refused));
    }

    [Fact]
    public async Task Cookie_ApiCallWithCookie_WorksLikeABearerToken()
    {
        var (email, _) = await CreateUserAsync("cookie-api");
        using var browser = app.BrowserClient();
        await PostLoginAsync(browser, email, Password);

        var me = await browser.GetJsonAsync<MeDto>("/api/v1/me");
        var forbidden = await browser.GetAsync("/api/v1/recycle-bin", Ct);

        Assert.Equal(email, me.Email);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Null(forbidden.Headers.Location);
    }

    /// <summary>GETs the sign-in page and posts its form, with the fields the page renders.</summary>
    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient browser, string email, string password,
        string page = "/account/login")
    {
        var form = await browser.ReadFormAsync(page, "login");
        Assert.True(form.Fields.ContainsKey(HtmlForm.AntiforgeryField), "The sign-in form renders no antiforgery token.");
        return await browser.PostAsync(form.Action,
            form.Fill((form.FieldEndingWith(".Email"), email), (form.FieldEndingWith(".Password"), password)), Ct);
    }

    private static List<string> AuthCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Where(c => c.StartsWith(AuthCookie, StringComparison.Ordinal) && !c.StartsWith(AuthCookie + "=;", StringComparison.Ordinal)).ToList()
            : [];

    /// <summary>The session cookie as a browser would send it back.</summary>
    private static string CookieHeader(HttpResponseMessage signIn)
    {
        var cookies = AuthCookies(signIn);
        Assert.NotEmpty(cookies);
        return string.Join("; ", cookies.Select(c => c.Split(';')[0]));
    }

    private static void AssertRedirectsToLogin(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", LocalTarget(response).Split('?')[0]);
    }

    /// <summary>Where a redirect goes, as a path on this site (fails for another site).</summary>
    private static string LocalTarget(HttpResponseMessage response)
    {
        var location = response.Headers.Location;
        Assert.NotNull(location);
        if (!location.IsAbsoluteUri)
        {
            return location.OriginalString;
        }

        Assert.Equal(response.RequestMessage!.RequestUri!.Authority, location.Authority);
        return location.PathAndQuery;
    }

    private async Task<(string Email, string Name)> CreateUserAsync(string name)
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        Guid team;
        await using (var db = await app.SystemDbAsync())
        {
            team = (await db.Teams.SingleAsync(t => t.Name == "上海销售一组", Ct)).Id;
        }

        var request = new CreateUserRequest($"{name}.{Guid.NewGuid().ToString("N")[..8]}@demo.test", "测试" + name, Password, team, [Roles.Rep]);
        await (await admin.PostAsJsonAsync("/api/v1/users", request, Ct)).ExpectAsync(HttpStatusCode.Created);
        return (request.Email, request.DisplayName);
    }

    private async Task<Guid> UserIdAsync(string email)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
    }
}
