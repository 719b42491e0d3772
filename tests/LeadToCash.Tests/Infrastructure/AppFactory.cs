using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LeadToCash.Modules.Organization.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.OrdinalIgnoreCase);

    public FakeTimeProvider Clock { get; } = new(Start);

    public string ConnectionString { get; private set; } = "";

    public string DataDirectory { get; } = Path.Combine(TestDatabases.RunDirectory, "data-" + Guid.NewGuid().ToString("N")[..8]);

    public virtual async ValueTask InitializeAsync() =>
        ConnectionString = await TestDatabases.CreateCopyAsync(SeedTemplateAsync);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabases.DropCopyAsync(ConnectionString);
        GC.SuppressFinalize(this);
    }

    /// <summary>A client signed in with a bearer token as the given demo user, asking for English messages.</summary>
    public async Task<HttpClient> ClientForAsync(string email, string password = DemoUsers.Password)
    {
        var token = _tokens.TryGetValue(email, out var cached) ? cached : await SignInAsync(email, password);
        _tokens[email] = token;
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en-US"));
        return client;
    }

    /// <summary>A client with no credentials, asking for English messages.</summary>
    public HttpClient AnonymousClient()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en-US"));
        return client;
    }

    public async Task<string> SignInAsync(string email, string password = DemoUsers.Password)
    {
        using var client = AnonymousClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest(email, password));
        response.EnsureSuccessStatusCode();
        var issued = await response.Content.ReadFromJsonAsync<IssuedToken>();
        return issued!.AccessToken;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ConfigureForTests(builder, ConnectionString, DataDirectory);
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
    }

    private static async Task SeedTemplateAsync(string connectionString)
    {
        await using var seeding = new TemplateFactory(connectionString);
        _ = seeding.Services; // starting the host migrates the database and seeds the demo company
    }

    /// <summary>Builds the template once per run: the real migrations plus the demo company.</summary>
    private sealed class TemplateFactory(string connectionString) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            ConfigureForTests(builder, connectionString, Path.Combine(TestDatabases.RunDirectory, "template-data"));
            builder.UseSetting("Demo", "true");
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
