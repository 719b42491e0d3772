using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LeadToCash.Modules.Organization.Auth;
using LeadToCash.Platform.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>
/// The app under test, on its own copy of the demo database (see <see cref="TestDatabases"/>) with a fake clock.
/// Use it as a class fixture: <c>IClassFixture&lt;AppFactory&gt;</c>.
/// </summary>
public class AppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>Wednesday 25 November 2026, 09:00 in Shanghai.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 1, 0, 0, TimeSpan.Zero);

    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.OrdinalIgnoreCase);

    public FakeTimeProvider Clock { get; } = new(Start);

    public string ConnectionString { get; protected set; } = "";

    public string DataDirectory { get; } = Path.Combine(TestDatabases.RunDirectory, "data-" + Guid.NewGuid().ToString("N")[..8]);

    public virtual async ValueTask InitializeAsync() =>
        ConnectionString = await TestDatabases.CreateCopyAsync(SeedTemplateAsync);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabases.DropCopyAsync(ConnectionString);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// A client signed in with a bearer token as the given demo user, asking for English messages. The token is reused
    /// by later calls until the fake clock comes near its expiry; tests that revoke a token use <see cref="ClientWithToken"/>.
    /// </summary>
    public async Task<HttpClient> ClientForAsync(string email, string password = DemoUsers.Password)
    {
        if (!_tokens.TryGetValue(email, out var token) || token.ExpiresAt <= Clock.GetUtcNow().UtcDateTime.AddMinutes(5))
        {
            token = await IssueAsync(email, password);
            _tokens[email] = token;
        }

        return ClientWithToken(token.AccessToken);
    }

    /// <summary>A client that sends the given bearer token (not cached: for tests that revoke or expire it).</summary>
    public HttpClient ClientWithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en-US"));
        return client;
    }

    /// <summary>A client that keeps cookies and does not follow redirects, like a browser driven by hand.</summary>
    public HttpClient BrowserClient()
    {
        var client = CreateClient(ClientOptionsWith(handleCookies: true));
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en-US"));
        return client;
    }

    /// <summary>A context that sees every record, for arranging data and checking what the API wrote.</summary>
    public Task<AppDbContext> SystemDbAsync() =>
        Services.GetRequiredService<IDbContextFactory<AppDbContext>>().OpenAsSystemAsync(TestContext.Current.CancellationToken);

    /// <summary>A client with no credentials, asking for English messages.</summary>
    public HttpClient AnonymousClient()
    {
        var client = CreateClient(ClientOptionsWith(handleCookies: false));
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en-US"));
        return client;
    }

    // Started first, so that the base address is the real one when the app is served by Kestrel.
    private WebApplicationFactoryClientOptions ClientOptionsWith(bool handleCookies)
    {
        StartServer();
        return new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = handleCookies,
            BaseAddress = ClientOptions.BaseAddress,
        };
    }

    /// <summary>A new bearer token (not cached) for the given user.</summary>
    public async Task<string> SignInAsync(string email, string password = DemoUsers.Password) =>
        (await IssueAsync(email, password)).AccessToken;

    private async Task<IssuedToken> IssueAsync(string email, string password)
    {
        using var client = AnonymousClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest(email, password));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IssuedToken>())!;
    }

    /// <summary>
    /// Hosts are built one at a time: test classes start in parallel, and building several minimal-hosting apps at
    /// once in one process is a known source of rare cross-talk (the app's Program runs for each of them).
    /// </summary>
    internal static readonly Lock HostCreation = new();

    protected override IHost CreateHost(IHostBuilder builder)
    {
        lock (HostCreation)
        {
            return base.CreateHost(builder);
        }
    }

    /// <summary>
    /// Whether the host migrates and prepares its database at start-up, as an installation does. Not needed on a copy
    /// of the template (migrated and prepared once per run), which saves each test class that work.
    /// </summary>
    protected virtual bool MigrateOnStartup => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ConfigureForTests(builder, ConnectionString, DataDirectory);
        builder.UseSetting("Database:MigrateOnStartup", MigrateOnStartup ? "true" : "false");
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    internal static void ConfigureForTests(IWebHostBuilder builder, string connectionString, string dataDirectory)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", TestDatabases.Provider.ToString());
        builder.UseSetting("Database:ConnectionString", connectionString);
        builder.UseSetting("Storage:DataDirectory", dataDirectory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft", "Warning");
        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(new TestOutputLoggerProvider()));
        // The tests run the scheduled work themselves, against the fake clock (see Api/LeadJobsTests.cs).
        builder.UseSetting("Jobs:Enabled", "false");
        // Thousands of sign-ins per run: the template's passwords are hashed (and so checked) with 1,000 PBKDF2 rounds
        // instead of Identity's 100,000 (45 ms of CPU each); the hash format and the checks are Identity's own.
        builder.ConfigureServices(services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000));
    }

    private static async Task SeedTemplateAsync(string connectionString)
    {
        await using var seeding = new TemplateFactory(connectionString);
        _ = seeding.Services; // starting the host migrates the database and seeds the demo company
    }

    /// <summary>Builds the template once per run: the real migrations plus the demo company.</summary>
    private sealed class TemplateFactory(string connectionString) : WebApplicationFactory<Program>
    {
        protected override IHost CreateHost(IHostBuilder builder)
        {
            lock (HostCreation)
            {
                return base.CreateHost(builder);
            }
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            ConfigureForTests(builder, connectionString, Path.Combine(TestDatabases.RunDirectory, "template-data"));
            builder.UseSetting("Demo", "true");
            // Tests make the leads and deals they need; the demo's own would change their counts (DemoAppFactory has them).
            builder.UseSetting("DemoLeads", "false");
            builder.UseSetting("DemoDeals", "false");
            builder.ConfigureServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(new FakeTimeProvider(Start));
            });
        }
    }
}

public static class DemoUsers
{
    public const string Password = "demo-password-2026";
    public const string Admin = "admin@demo.test";
    public const string Director = "director@demo.test";
    public const string EastDirector = "east.director@demo.test";
    public const string Manager = "manager@demo.test";
    public const string Manager2 = "manager2@demo.test";
    public const string Rep = "rep@demo.test";
    public const string Rep2 = "rep2@demo.test";
    public const string Assistant = "assistant@demo.test";
    public const string Finance = "finance@demo.test";
    public const string SouthRep = "he.yun@demo.test";
}
