using LeadToCash.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace LeadToCash.Tests.Cli;

/// <summary>
/// The command-line face of the real executable (the app's build output), run as a separate process on SQLite in
/// a temporary data folder: seed-demo, create-admin, backup, restore and --help.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("leadtocash-cli-").FullName;

    private AppProcess App => new(_work);

    private string DataDirectory => App.DataDirectory;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Help_ListsEveryCommand()
    {
        var (exit, output) = await RunAsync("--help");

        Assert.Equal(0, exit);
        foreach (var command in new[] { "migrate", "create-admin", "seed-demo", "backup", "restore", "--demo" })
        {
            Assert.Contains(command, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SeedDemo_ThenBackupAndRestore_RoundTripsTheDatabase()
    {
        var backup = Path.Combine(_work, "backup.db");

        var seeded = await RunAsync("seed-demo");
        var backedUp = await RunAsync("backup", backup);
        var users = CountUsers(Path.Combine(DataDirectory, "leadtocash.db"));
        foreach (var file in new[] { "leadtocash.db", "leadtocash.db-wal", "leadtocash.db-shm" })
        {
            File.Delete(Path.Combine(DataDirectory, file));
        }

        var restored = await RunAsync("restore", backup);

        Assert.Equal(0, seeded.Exit);
        Assert.Contains("Demo company created", seeded.Output, StringComparison.Ordinal);
        Assert.Equal(0, backedUp.Exit);
        Assert.Equal(19, CountUsers(backup));
        Assert.Equal(19, users);
        Assert.Equal(0, restored.Exit);
        Assert.Equal(19, CountUsers(Path.Combine(DataDirectory, "leadtocash.db")));
    }

    [Fact]
    public async Task Restore_FileThatIsNotADatabaseOfOurs_RefusesAndSaysWhy()
    {
        var stranger = Path.Combine(_work, "other.db");
        await using (var connection = new SqliteConnection($"Data Source={stranger};Pooling=False"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE notes (text TEXT)";
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var (exit, output) = await RunAsync("restore", stranger);

        Assert.Equal(1, exit);
        Assert.Contains("is not a LeadToCash database", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAdmin_EmptyDatabase_CreatesCompanyAndAdminOnce()
    {
        var args = new[] { "create-admin", "--company", "测试科技有限公司", "--name", "王管理", "--email", "owner@example.test", "--password", "long-enough-password" };

        var first = await RunAsync(args);
        var second = await RunAsync(args);
        var tooShort = await RunAsync("create-admin", "--company", "x", "--name", "y", "--email", "z@example.test", "--password", "short");

        Assert.Equal(0, first.Exit);
        Assert.Contains("owner@example.test", first.Output, StringComparison.Ordinal);
        Assert.Equal(1, second.Exit);
        Assert.Contains("already set up", second.Output, StringComparison.Ordinal);
        Assert.Equal(1, tooShort.Exit);
        Assert.Contains("Password", tooShort.Output, StringComparison.Ordinal);
    }

    private static int CountUsers(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM AspNetUsers";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    // The demo's leads and deals are left out: their seeding has its own tests (DemoDealsTests, DemoLeadsTests).
    private Task<(int Exit, string Output)> RunAsync(params string[] args) =>
        App.RunAsync(args, [("DemoLeads", "false"), ("DemoDeals", "false")], TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
}
