using System.Net;
using LeadToCash.Platform.Web;
using LeadToCash.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace LeadToCash.Tests.Cli;

/// <summary>
/// The real executable started as a web server in the Production environment (SQLite in a temporary data folder):
/// it refuses to serve, with a clear message and exit code 78, while active demo or benchmark accounts (published
/// passwords) are in the database or the database password is a development one; it serves when the installation is
/// declared a demo (AllowDemoData=true) and when no such account is left.
/// </summary>
public sealed class ProductionStartTests(ProductionStartTests.SeededDemo demo) : IClassFixture<ProductionStartTests.SeededDemo>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("leadtocash-prod-").FullName;

    private AppProcess App => new(_work);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Start_ProductionWithDemoAccounts_RefusesWithExitCode78AndSaysWhy()
    {
        await CopyDemoAsync();

        var (exit, output) = await StartAsync();

        Assert.Equal(ProductionSafety.RefusedExitCode, exit);
        Assert.Contains("refuses to start in the Production environment", output, StringComparison.Ordinal);
        Assert.Contains("19 active demo account(s)", output, StringComparison.Ordinal);
        Assert.Contains("admin@demo.test", output, StringComparison.Ordinal);
        Assert.Contains("AllowDemoData=true", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ProductionWithOneBenchmarkAccountLeft_Refuses()
    {
        await CopyDemoAsync();
        Execute("UPDATE AspNetUsers SET Email = replace(Email, '@demo.test', '@example.test'), " +
            "NormalizedEmail = replace(NormalizedEmail, '@DEMO.TEST', '@EXAMPLE.TEST')");
        Execute("UPDATE AspNetUsers SET Email = 'rep1@scale.test', NormalizedEmail = 'REP1@SCALE.TEST' WHERE Email = 'rep@example.test'");

        var (exit, output) = await StartAsync();

        Assert.Equal(ProductionSafety.RefusedExitCode, exit);
        Assert.Contains("1 active demo account(s)", output, StringComparison.Ordinal);
        Assert.Contains("rep1@scale.test", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ProductionWithDevelopmentDatabasePassword_RefusesBeforeConnecting()
    {
        // Nothing listens on port 9: had the app tried to connect, it would fail with another message.
        var (exit, output) = await StartAsync(("Database__Provider", "Postgres"),
            ("Database__ConnectionString", "Host=127.0.0.1;Port=9;Database=crm;Username=crm;Password=postgres"));

        Assert.Equal(ProductionSafety.RefusedExitCode, exit);
        Assert.Contains("Database:ConnectionString uses the development password \"postgres\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ProductionWithDemoAccountsAndAllowDemoData_Serves()
    {
        await CopyDemoAsync();

        var ready = await ServesAsync(("AllowDemoData", "true"));

        Assert.True(ready.Serves, ready.Output);
    }

    [Fact]
    public async Task Start_ProductionWithDemoAccountsDeactivatedOrRenamed_Serves()
    {
        await CopyDemoAsync();
        Execute("UPDATE AspNetUsers SET IsActive = 0 WHERE Email LIKE '%@demo.test' AND Email <> 'admin@demo.test'");
        Execute("UPDATE AspNetUsers SET Email = 'owner@example.test', NormalizedEmail = 'OWNER@EXAMPLE.TEST' WHERE Email = 'admin@demo.test'");

        var ready = await ServesAsync();

        Assert.True(ready.Serves, ready.Output);
    }

    [Fact]
    public void DevelopmentPassword_ConnectionStrings_AreRecognisedWhateverTheKeyOrCase()
    {
        Assert.Equal("postgres", ProductionSafety.DevelopmentPassword("Host=db;Username=postgres;Password=postgres"));
        Assert.Equal("Password", ProductionSafety.DevelopmentPassword("Server=db;User Id=crm;PWD=Password"));
        Assert.Equal("demo-password-2026", ProductionSafety.DevelopmentPassword("Host=db;Username=crm;password=demo-password-2026"));
        Assert.Null(ProductionSafety.DevelopmentPassword("Host=db;Username=postgres;Password=k7#Vq2!mZp9s"));
        Assert.Null(ProductionSafety.DevelopmentPassword("Data Source=/var/lib/leadtocash/leadtocash.db"));
        Assert.Null(ProductionSafety.DevelopmentPassword("not a connection string"));
    }

    /// <summary>This test's own copy of the demo company (seeded once for the class by the real seed-demo command).</summary>
    private async Task CopyDemoAsync()
    {
        var file = await demo.FileAsync();
        Directory.CreateDirectory(App.DataDirectory);
        File.Copy(file, App.SqliteFile);
        if (File.Exists(file + "-wal"))
        {
            File.Copy(file + "-wal", App.SqliteFile + "-wal");
        }
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={App.SqliteFile};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.True(command.ExecuteNonQuery() > 0, "changed nothing: " + sql);
    }

    /// <summary>Starts the web server; it is expected to stop by itself (a refusal) within two minutes.</summary>
    private Task<(int Exit, string Output)> StartAsync(params (string Name, string Value)[] settings) =>
        App.RunAsync([], [("Urls", "http://127.0.0.1:0"), .. settings], TimeSpan.FromMinutes(2), Ct);

    /// <summary>Starts the web server, waits until it says it has started (two minutes at most), asks /health/ready once and stops it.</summary>
    private async Task<(bool Serves, string Output)> ServesAsync(params (string Name, string Value)[] settings)
    {
        await using var server = App.StartServer(settings);
        var serves = false;
        if (await server.StartedAsync(TimeSpan.FromMinutes(2), Ct))
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            serves = (await http.GetAsync(new Uri(server.Address, "health/ready"), Ct)).StatusCode == HttpStatusCode.OK;
        }

        await server.KillAsync();
        return (serves, $"exit {server.Process.ExitCode}\n{server.Output}");
    }

    /// <summary>The demo company (without its leads and deals), seeded once by <c>seed-demo</c> into a file the tests copy.</summary>
    public sealed class SeededDemo : IDisposable
    {
        private readonly string _work = Directory.CreateTempSubdirectory("leadtocash-prod-seed-").FullName;
        private readonly SemaphoreSlim _once = new(1, 1);
        private string? _file;

        public async Task<string> FileAsync()
        {
            await _once.WaitAsync(Ct);
            try
            {
                if (_file is null)
                {
                    var app = new AppProcess(_work);
                    var (exit, output) = await app.RunAsync(["seed-demo"], [("DemoLeads", "false"), ("DemoDeals", "false")], TimeSpan.FromMinutes(3), Ct);
                    Assert.True(exit == 0, output);
                    _file = app.SqliteFile;
                }

                return _file;
            }
            finally
            {
                _once.Release();
            }
        }

        public void Dispose()
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_work, recursive: true);
            _once.Dispose();
        }
    }
}
