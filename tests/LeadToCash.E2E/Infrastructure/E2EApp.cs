using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LeadToCash.Modules.Organization.Auth;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LeadToCash.E2E.Infrastructure;

/// <summary>
/// The browser tests run in two groups side by side (a browser test waits on the page most of its time); the tests of a
/// group share one app server and one browser and run one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class E2EDefinition : ICollectionFixture<E2EApp>
{
    public const string Name = "E2E";
}

/// <summary>The long journeys, across several pages and people: the second group (see <see cref="E2EDefinition"/>).</summary>
[CollectionDefinition(Name)]
public sealed class E2EJourneysDefinition : ICollectionFixture<E2EApp>
{
    public const string Name = "E2E journeys";
}

/// <summary>
/// The app served by Kestrel on a free loopback port (on its own copy of the demo database, like the integration
/// tests), plus one headless Chromium for the whole run. Each test opens its own <see cref="IBrowserContext"/>.
/// </summary>
public sealed class E2EApp : IAsyncLifetime
{
    /// <summary>
    /// The bound of every browser step (expectation, action, navigation): long enough for a busy build machine,
    /// short enough that a broken page fails the run in minutes rather than hanging it.
    /// </summary>
    public const float Timeout = 30_000;

    // Debian's Chromium; Playwright downloads no browser here. Every host name but the loopback fails to resolve,
    // so nothing leaves the machine (fonts, update checks, ...).
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    ];

    private readonly KestrelAppFactory _server = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Uri BaseUrl => _server.BaseUrl;

    /// <summary>
    /// The app's clock (it starts at <see cref="AppFactory.Start"/>). Tests move it forward to let time-driven rules
    /// fall due; it never goes back, so a later test of the run sees the moved clock. The browser keeps real time.
    /// </summary>
    public FakeTimeProvider Clock => _server.Clock;

    /// <summary>The app's services, to run a scheduled job's work (RunAsync) against the moved clock.</summary>
    public IServiceProvider Services => _server.Services;

    private IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not started.");

    public async ValueTask InitializeAsync()
    {
        SetDefaultExpectTimeout(Timeout);
        await _server.InitializeAsync();
        _server.Listen();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>
    /// A fresh browser profile (no cookies) with one tab; its Accept-Language follows <paramref name="locale"/>.
    /// </summary>
    public async Task<BrowserSession> OpenAsync(string locale = "zh-CN", int width = 1280, int height = 800) =>
        await BrowserSession.StartAsync(await NewContextAsync(locale, width, height));

    private async Task<IBrowserContext> NewContextAsync(string locale, int width, int height)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl.ToString(),
            Locale = locale,
            TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(Timeout);
        context.SetDefaultNavigationTimeout(Timeout);
        return context;
    }

    /// <summary>
    /// An API client for the same server, signed in with a bearer token (POST /api/v1/auth/token) as the given demo
    /// user. A plain client on the real port: the factory's own clients assume the in-memory test server.
    /// </summary>
    public async Task<HttpClient> ApiClientForAsync(string email, string password = DemoUsers.Password)
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en-US"));
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest(email, password));
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<IssuedToken>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);
        return client;
    }

    /// <summary>A context that sees every record of the app's database, for finding what a browser step created.</summary>
    public Task<LeadToCash.Platform.Data.AppDbContext> SystemDbAsync() => _server.SystemDbAsync();

    /// <summary>The app factory of the integration tests, served by Kestrel on a real port instead of in memory.</summary>
    private sealed class KestrelAppFactory : AppFactory
    {
        public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            // Outside Development the host serves only published assets; the browser also needs the framework's
            // and MudBlazor's scripts and styles from the build output.
            builder.UseStaticWebAssets();
        }

        public void Listen()
        {
            UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
                .Addresses.First();
            BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        }
    }
}
