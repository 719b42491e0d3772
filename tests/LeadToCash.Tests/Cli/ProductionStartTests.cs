using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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
public sealed class ProductionStartTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("leadtocash-prod-").FullName;

    private string DataDirectory => Path.Combine(_work, "data");

    private string Database => Path.Combine(DataDirectory, "leadtocash.db");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string AppDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                ? "Release" : "Debug";
            return Path.Combine(RepositoryFiles.Root, "src", "LeadToCash", "bin", configuration, "net10.0", "LeadToCash.dll");
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Start_ProductionWithDemoAccounts_RefusesWithExitCode78AndSaysWhy()
    {
        await SeedDemoAsync();

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
        await SeedDemoAsync();
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
        await SeedDemoAsync();

        var ready = await ServesAsync(("AllowDemoData", "true"));

        Assert.True(ready.Serves, ready.Output);
    }

    [Fact]
    public async Task Start_ProductionWithDemoAccountsDeactivatedOrRenamed_Serves()
    {
        await SeedDemoAsync();
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

    private async Task SeedDemoAsync()
    {
        var (exit, output) = await RunAsync(["seed-demo"], [("DemoLeads", "false"), ("DemoDeals", "false")], TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, output);
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.True(command.ExecuteNonQuery() > 0, "changed nothing: " + sql);
    }

    /// <summary>Starts the web server; it is expected to stop by itself (a refusal) within two minutes.</summary>
    private Task<(int Exit, string Output)> StartAsync(params (string Name, string Value)[] settings) =>
        RunAsync([], [("Urls", $"http://127.0.0.1:{FreePort()}"), .. settings], TimeSpan.FromMinutes(2));

    /// <summary>
    /// Starts the web server, waits until it says it has started (or exits, or two minutes pass), asks /health/ready once
    /// and stops it.
    /// </summary>
    private async Task<(bool Serves, string Output)> ServesAsync(params (string Name, string Value)[] settings)
    {
        var port = FreePort();
        using var process = Start([], [("Urls", $"http://127.0.0.1:{port}"), ("Logging__LogLevel__Microsoft.Hosting.Lifetime", "Information"), .. settings]);
        var error = process.StandardError.ReadToEndAsync(Ct);
        var output = new System.Text.StringBuilder();
        var serves = false;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            deadline.CancelAfter(TimeSpan.FromMinutes(2));
            var started = false;
            try
            {
                while (!started && await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
                {
                    output.AppendLine(line);
                    started = line.Contains("Application started", StringComparison.Ordinal);
                }
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                output.AppendLine("(not started within two minutes)");
            }

            if (started)
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                serves = (await http.GetAsync($"http://127.0.0.1:{port}/health/ready", Ct)).StatusCode == HttpStatusCode.OK;
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(Ct);
        }

        output.Append(await process.StandardOutput.ReadToEndAsync(Ct));
        return (serves, $"exit {process.ExitCode}\n{output}{await error}");
    }

    private async Task<(int Exit, string Output)> RunAsync(string[] args, (string Name, string Value)[] settings, TimeSpan timeout)
    {
        using var process = Start(args, settings);
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bounded.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }

    private Process Start(string[] args, (string Name, string Value)[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _work,
        };
        start.ArgumentList.Add(AppDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Storage__DataDirectory"] = DataDirectory;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Jobs__Enabled"] = "false";
        foreach (var name in new[] { "Database__Provider", "Database__ConnectionString", "AllowDemoData", "Demo", "ASPNETCORE_URLS" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
