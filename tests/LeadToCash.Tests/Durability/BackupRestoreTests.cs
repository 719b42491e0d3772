using System.Diagnostics;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LeadToCash.Tests.Durability;

/// <summary>
/// A backup restored into an empty database gives back every table with the same rows: the same counts and the same
/// checksums (the demo company: people, customers, contacts, history…). SQLite through the app's own backup and restore
/// commands; PostgreSQL through pg_dump and pg_restore, as the README tells operators to.
/// </summary>
[DatabaseTest]
public sealed class BackupRestoreTests(AppFactory app) : IClassFixture<AppFactory>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("leadtocash-backup-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task BackupThenRestore_IntoAnEmptyDatabase_EveryTableHasTheSameRowsAndChecksums()
    {
        var before = await RawDatabase.ChecksumsAsync(app.ConnectionString, Ct);

        var restored = TestDatabases.Provider == DatabaseProvider.Sqlite ? await SqliteRoundTripAsync() : await PostgresRoundTripAsync();

        try
        {
            var after = await RawDatabase.ChecksumsAsync(restored, Ct);
            Assert.True(before["AspNetUsers"].Rows > 10 && before["Customers"].Rows > 100, "the demo company is there to compare");
            var differences = before.Keys.Union(after.Keys)
                .Where(t => !before.TryGetValue(t, out var b) || !after.TryGetValue(t, out var a) || a != b)
                .Select(t => $"{t}: {(before.TryGetValue(t, out var b) ? b.Rows : -1)} rows before, {(after.TryGetValue(t, out var a) ? a.Rows : -1)} after")
                .ToList();
            Assert.True(differences.Count == 0, string.Join("\n", differences));
        }
        finally
        {
            if (TestDatabases.Provider == DatabaseProvider.Postgres)
            {
                await TestDatabases.DropCopyAsync(restored);
            }
        }
    }

    private async Task<string> SqliteRoundTripAsync()
    {
        var backup = Path.Combine(_work, "backup.db");
        var live = new AppProcess(Path.Combine(_work, "live"));
        var backedUp = await live.RunAsync(["backup", backup], [("Database__ConnectionString", app.ConnectionString)], TimeSpan.FromMinutes(2), Ct);
        Assert.True(backedUp.Exit == 0, backedUp.Output);

        var empty = new AppProcess(Path.Combine(_work, "restored"));
        var restored = await empty.RunAsync(["restore", backup], [], TimeSpan.FromMinutes(2), Ct);
        Assert.True(restored.Exit == 0, restored.Output);
        return new SqliteConnectionStringBuilder { DataSource = empty.SqliteFile }.ToString();
    }

    private async Task<string> PostgresRoundTripAsync()
    {
        var dump = Path.Combine(_work, "backup.dump");
        await RunAsync("pg_dump", "--format=custom", "--no-owner", "--file", dump, "--dbname", Url(app.ConnectionString));
        var target = await TestDatabases.CreateEmptyAsync();
        await RunAsync("pg_restore", "--no-owner", "--exit-on-error", "--dbname", Url(target), dump);
        return target;
    }

    private static string Url(string connectionString)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgresql://{Uri.EscapeDataString(c.Username!)}:{Uri.EscapeDataString(c.Password!)}@{c.Host}:{c.Port}/{c.Database}";
    }

    /// <summary>Runs a PostgreSQL client tool of the newest version installed (test.sh installs the server with its tools).</summary>
    private static async Task RunAsync(string tool, params string[] args)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => int.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture))
            .Select(d => Path.Combine(d, "bin", tool)).Last(File.Exists);
        var start = new ProcessStartInfo(bin) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"{tool} exited with {process.ExitCode}: {await output}{await error}");
    }
}
