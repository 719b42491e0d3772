using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using LeadToCash.Modules.Organization.Auth;
using LeadToCash.Modules.Tasks.CreateTask;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Import;
using LeadToCash.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace LeadToCash.Tests.Durability;

/// <summary>
/// Nothing acknowledged is lost: the real executable serves writes on its own database (SQLite file, or a PostgreSQL
/// database of the test server) and is killed with SIGKILL at random moments; after each kill every write it had answered
/// is in the database, nothing is half-written, and the engine's integrity checks pass. An import killed between batches
/// keeps exactly its whole batches and finishes, without duplicates, when started again.
/// </summary>
[DatabaseTest]
public sealed class KillRestartTests : IAsyncLifetime
{
    private const int KillCycles = 20;
    private const string Email = "owner@durability.example";
    private const string Password = "durability-password-2026";

    private readonly string _work = Directory.CreateTempSubdirectory("leadtocash-durability-").FullName;
    private AppProcess _app = null!;
    private string _connectionString = "";
    private (string Name, string Value)[] _settings = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new AppProcess(_work);
        if (TestDatabases.Provider == DatabaseProvider.Sqlite)
        {
            _connectionString = new SqliteConnectionStringBuilder { DataSource = _app.SqliteFile }.ToString();
        }
        else
        {
            _connectionString = await TestDatabases.CreateEmptyAsync();
            // The test server's password is a development one, which a Production start refuses unless told otherwise.
            _settings = [("Database__Provider", "Postgres"), ("Database__ConnectionString", _connectionString), ("AllowDemoData", "true")];
        }

        var (exit, output) = await _app.RunAsync(
            ["create-admin", "--company", "耐久测试有限公司", "--name", "王管理", "--email", Email, "--password", Password], _settings,
            TimeSpan.FromMinutes(2), Ct);
        Assert.True(exit == 0, output);
    }

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (TestDatabases.Provider == DatabaseProvider.Postgres)
        {
            await TestDatabases.DropCopyAsync(_connectionString);
        }

        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task SigKill_WhileFourClientsWrite_TwentyTimes_EveryAcknowledgedWriteSurvivesWholeAndTheDatabaseIsIntact()
    {
        var random = new Random(20261126);
        var acknowledged = new ConcurrentDictionary<Guid, string>();
        for (var cycle = 1; cycle <= KillCycles; cycle++)
        {
            await using var server = await StartAsync($"cycle {cycle}", Restart(cycle));
            using var client = await SignedInClientAsync(server);

            // Killed when this cycle has a random number of answered writes, with the four writers still sending.
            var killAfter = random.Next(1, 40);
            var answered = 0;
            using var killed = new CancellationTokenSource();
            var killing = new TaskCompletionSource();
            var writers = Enumerable.Range(1, 4).Select(writer => Task.Run(async () =>
            {
                for (var n = 1; !killed.IsCancellationRequested; n++)
                {
                    var title = $"耐久 {cycle}-{writer}-{n}";
                    try
                    {
                        var response = await client.PostAsJsonAsync("api/v1/tasks",
                            new CreateTaskRequest(title, new DateTime(2030, 6, 28, 1, 0, 0, DateTimeKind.Utc)), killed.Token);
                        var task = await response.ExpectJsonAsync<Modules.Tasks.TaskDto>(HttpStatusCode.Created);
                        acknowledged[task.Id] = title;
                        if (Interlocked.Increment(ref answered) == killAfter)
                        {
                            killing.SetResult();
                            await server.KillAsync();
                            await killed.CancelAsync();
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException && killing.Task.IsCompleted)
                    {
                        return;
                    }
                }
            }, Ct)).ToList();
            await Task.WhenAll(writers);

            var stored = (await RawDatabase.QueryAsync(_connectionString, "SELECT \"Id\", \"Title\" FROM \"Tasks\" WHERE \"Title\" LIKE '耐久 %'", Ct))
                .ToDictionary(r => AsGuid(r[0]), r => (string)r[1]!);
            var lost = acknowledged.Where(a => !stored.TryGetValue(a.Key, out var title) || title != a.Value).Select(a => a.Value).ToList();
            Assert.True(lost.Count == 0, $"cycle {cycle}: acknowledged but not stored: {string.Join(", ", lost)}");
            var withoutHistory = await RawDatabase.QueryAsync(_connectionString, """
                SELECT t."Title" FROM "Tasks" t
                WHERE t."Title" LIKE '耐久 %' AND NOT EXISTS (SELECT 1 FROM "AuditEntries" a WHERE a."EntityId" = t."Id")
                """, Ct);
            Assert.True(withoutHistory.Count == 0, $"cycle {cycle}: stored without their history row: {string.Join(", ", withoutHistory.Select(r => r[0]))}");
            var problems = await RawDatabase.IntegrityProblemsAsync(_connectionString, Ct);
            Assert.True(problems.Count == 0, $"cycle {cycle}: {string.Join("\n", problems)}");
        }

        Assert.True(acknowledged.Count >= KillCycles, $"{acknowledged.Count} writes acknowledged in {KillCycles} cycles");
    }

    [Fact]
    public async Task SigKill_DuringALeadImport_LeavesWholeBatchesAndTheRestartedImportFinishesWithoutDuplicates()
    {
        const int rows = 5 * SpreadsheetImports.BatchSize;
        ImportJobDto job;
        await using (var server = await StartAsync("import", ("Logging__LogLevel__LeadToCash.Platform.Import", "Debug")))
        {
            using var client = await SignedInClientAsync(server);
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(LeadsCsv(rows));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, "file", "展会线索.csv");
            job = await (await client.PostAsync("api/v1/leads/imports", form, Ct)).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);
            await (await client.PostAsJsonAsync($"api/v1/leads/imports/{job.Id}/start", new StartImportRequest(), Ct))
                .ExpectAsync(HttpStatusCode.Accepted);

            // Killed as soon as the server reports its first batch saved: the second is then being checked or saved.
            Assert.True(await server.WrittenAsync(line => line.Contains($"Import {job.Id} batch 1:", StringComparison.Ordinal), TimeSpan.FromMinutes(2), Ct),
                server.Output);
            await server.KillAsync();
        }

        var (imported, distinct) = await ImportedLeadsAsync(job.Id);
        Assert.True(imported >= SpreadsheetImports.BatchSize && imported < rows, $"{imported} leads after the kill");
        Assert.Equal(0, imported % SpreadsheetImports.BatchSize);
        Assert.Equal(imported, distinct);
        Assert.Empty(await RawDatabase.IntegrityProblemsAsync(_connectionString, Ct));

        await using (var server = await StartAsync("import again", ("Logging__LogLevel__LeadToCash.Platform.Import", "Information"), Restart(2)))
        {
            using var client = await SignedInClientAsync(server);
            var interrupted = await client.GetJsonAsync<ImportJobDto>($"api/v1/leads/imports/{job.Id}");
            Assert.Equal(ImportStatus.Failed, interrupted.Status);

            await (await client.PostAsJsonAsync($"api/v1/leads/imports/{job.Id}/start", new StartImportRequest(), Ct))
                .ExpectAsync(HttpStatusCode.Accepted);

            Assert.True(await server.WrittenAsync(line => line.Contains($"Import {job.Id}: ", StringComparison.Ordinal), TimeSpan.FromMinutes(2), Ct),
                server.Output);
            var finished = await client.GetJsonAsync<ImportJobDto>($"api/v1/leads/imports/{job.Id}");
            Assert.Equal(ImportStatus.Completed, finished.Status);
            Assert.Equal(rows, finished.CreatedRows);
            Assert.Equal(0, finished.DuplicateRows + finished.RejectedRows);
        }

        Assert.Equal((rows, rows), await ImportedLeadsAsync(job.Id));
        Assert.Empty(await RawDatabase.IntegrityProblemsAsync(_connectionString, Ct));
    }

    /// <summary>
    /// A restart after a kill skips the migration check (the database is migrated by then, and migrating is not what
    /// these tests are about), which saves the model comparison and reference-data checks on every restart.
    /// </summary>
    private static (string Name, string Value) Restart(int start) => ("Database__MigrateOnStartup", start == 1 ? "true" : "false");

    private async Task<AppProcess.Server> StartAsync(string when, params (string Name, string Value)[] settings)
    {
        var server = _app.StartServer([.. _settings, .. settings]);
        if (!await server.StartedAsync(TimeSpan.FromMinutes(3), Ct))
        {
            await server.DisposeAsync();
            Assert.Fail($"{when}: the server did not start within three minutes (exit code {server.Process.ExitCode}):\n{server.Output}");
        }

        return server;
    }

    private static async Task<HttpClient> SignedInClientAsync(AppProcess.Server server)
    {
        var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(60) };
        var token = await (await client.PostAsJsonAsync("api/v1/auth/token", new IssueTokenRequest(Email, Password), Ct)).ExpectJsonAsync<IssuedToken>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return client;
    }

    /// <summary>The leads of an import in the database, and how many distinct mobile numbers they have.</summary>
    private async Task<(long Leads, long Distinct)> ImportedLeadsAsync(Guid jobId)
    {
        var id = TestDatabases.Provider == DatabaseProvider.Sqlite ? $"'{jobId.ToString().ToUpperInvariant()}'" : $"'{jobId}'::uuid";
        var row = (await RawDatabase.QueryAsync(_connectionString,
            $"SELECT count(*), count(DISTINCT \"Mobile\") FROM \"Leads\" WHERE \"ImportJobId\" = {id}", Ct)).Single();
        return (Convert.ToInt64(row[0], System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A trade-show list: every row a different company, contact, mobile and address.</summary>
    private static byte[] LeadsCsv(int rows)
    {
        var csv = new StringBuilder("公司名称,联系人,手机,邮箱\n");
        for (var n = 1; n <= rows; n++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"耐久{n}号精密机械有限公司,联系人{n},139{n:D8},lead{n}@durability.example\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static Guid AsGuid(object? value) => value is Guid guid ? guid : Guid.Parse((string)value!);
}
