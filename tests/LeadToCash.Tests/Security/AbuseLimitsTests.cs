using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Organization.Auth;
using LeadToCash.Modules.Tasks.Calendar;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace LeadToCash.Tests.Security;

/// <summary>
/// The app with small per-client limits, so the tests reach them quickly: 6 failed sign-ins in 10 minutes, 3 calendar-feed
/// reads a minute.
/// </summary>
public sealed class ThrottledAppFactory : AppFactory
{
    public const int Limit = 6;
    public const int FeedReads = 3;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("SignIn:RateLimit:PermitLimit", Limit.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("SignIn:RateLimit:WindowSeconds", Window.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Calendar:FeedRateLimit:PermitLimit", FeedReads.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Calendar:FeedRateLimit:WindowSeconds", "60");
    }
}

/// <summary>
/// Brute force and abuse of the doors that answer without an account. Password sign-in (the sign-in page and
/// POST /api/v1/auth/token): too many failures from one client answer 429 with Retry-After even for the right password,
/// until the window ends; a locked account answers 429 on the page too, with a message that says for how long. The
/// public calendar feed answers 429 with Retry-After past its per-client limit. (The website-form limit is tested with
/// the forms, WebFormsApiTests. Every client of the in-memory test server has the same address; each sign-in test first
/// lets the previous window end on the app's clock.)
/// </summary>
[DatabaseTest]
public sealed class AbuseLimitsTests(ThrottledAppFactory app) : IClassFixture<ThrottledAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IssueToken_TooManyFailuresFromOneClient_Returns429WithRetryAfterUntilTheWindowEnds()
    {
        StartAFreshWindow();
        using var client = app.AnonymousClient();
        var failures = new List<HttpStatusCode>();
        for (var i = 0; i < ThrottledAppFactory.Limit; i++)
        {
            // Different accounts, each far from its own lockout: only the per-client limit can stop this.
            var email = i % 2 == 0 ? $"nobody{i}@example.test" : DemoUsers.Finance;
            failures.Add((await client.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest(email, "guess-" + i), Ct)).StatusCode);
        }

        app.Clock.Advance(TimeSpan.FromMinutes(4));
        var rightPassword = await client.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest(DemoUsers.Rep2, DemoUsers.Password), Ct);
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        var afterTheWindow = await client.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest(DemoUsers.Rep2, DemoUsers.Password), Ct);

        Assert.All(failures, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        var problem = await rightPassword.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("from this address", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(6), rightPassword.Headers.RetryAfter?.Delta);
        await afterTheWindow.ExpectJsonAsync<IssuedToken>();
    }

    [Fact]
    public async Task IssueToken_SuccessfulSignIns_DoNotCountTowardsTheLimit()
    {
        StartAFreshWindow();
        using var client = app.AnonymousClient();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < ThrottledAppFactory.Limit * 2; i++)
        {
            answers.Add((await client.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest(DemoUsers.Rep, DemoUsers.Password), Ct)).StatusCode);
        }

        Assert.All(answers, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task SignInPage_TooManyFailuresFromOneClient_Answers429WithAReadableMessageAndNoCookie()
    {
        StartAFreshWindow();
        using var browser = app.BrowserClient();
        for (var i = 0; i < ThrottledAppFactory.Limit; i++)
        {
            var failed = await PostLoginAsync(browser, $"nobody{i}@example.test", "guess-" + i);
            await failed.ExpectAsync(HttpStatusCode.OK);
        }

        var rightPassword = await PostLoginAsync(browser, DemoUsers.Rep2, DemoUsers.Password);

        await rightPassword.ExpectAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(ThrottledAppFactory.Window, rightPassword.Headers.RetryAfter?.Delta);
        var html = WebUtility.HtmlDecode(await rightPassword.Content.ReadAsStringAsync(Ct));
        Assert.Contains("data-testid=\"login-error\"", html, StringComparison.Ordinal);
        Assert.Contains("Too many failed sign-ins from this network address. Try again in 10 minutes.", html, StringComparison.Ordinal);
        Assert.False(rightPassword.Headers.TryGetValues("Set-Cookie", out var cookies)
            && cookies.Any(c => c.StartsWith("ltc.auth=", StringComparison.Ordinal) && !c.StartsWith("ltc.auth=;", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SignInPage_AccountLockedOut_Answers429SayingForHowLong()
    {
        StartAFreshWindow();
        using var browser = app.BrowserClient();
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await PostLoginAsync(browser, "zhao.min@demo.test", "wrong-password-" + i));
        }

        Assert.All(answers.Take(4), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var locked = await answers[4].ExpectAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromMinutes(15), locked.Headers.RetryAfter?.Delta);
        var html = WebUtility.HtmlDecode(await locked.Content.ReadAsStringAsync(Ct));
        Assert.Contains("The account is locked; try again in 15 minutes.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CalendarFeed_MoreReadsThanTheLimitFromOneClient_Returns429WithRetryAfter()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var feed = await (await rep.PostAsync("/api/v1/calendar/feed", null, Ct)).ExpectJsonAsync<CalendarFeedCreated>();
        using var calendarApp = app.AnonymousClient();
        var path = new Uri(feed.Url).PathAndQuery;

        var reads = new List<HttpStatusCode>();
        for (var i = 0; i < ThrottledAppFactory.FeedReads; i++)
        {
            reads.Add((await calendarApp.GetAsync(path, Ct)).StatusCode);
        }

        var oneTooMany = await calendarApp.GetAsync(path, Ct);

        Assert.All(reads, s => Assert.Equal(HttpStatusCode.OK, s));
        await oneTooMany.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.InRange(oneTooMany.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
    }

    /// <summary>Lets any earlier test's window end (the limit counts per client, and the test server has one client).</summary>
    private void StartAFreshWindow() => app.Clock.Advance(ThrottledAppFactory.Window);

    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient browser, string email, string password)
    {
        var form = await browser.ReadFormAsync("/account/login", "login");
        var response = await browser.PostAsync(form.Action,
            form.Fill((form.FieldEndingWith(".Email"), email), (form.FieldEndingWith(".Password"), password)), Ct);
        await response.Content.LoadIntoBufferAsync(Ct);
        return response;
    }
}
