using LeadToCash.Platform.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>
/// One migrated, demo-seeded template database per test run; each test class gets its own copy
/// (SQLite: an online backup of the template file; PostgreSQL: CREATE DATABASE ... TEMPLATE).
/// The provider comes from LEADTOCASH_TEST_DB (sqlite, the default, or postgres) and, for PostgreSQL,
/// the server from LEADTOCASH_TEST_POSTGRES (a connection string with rights to create databases).
/// </summary>
public static class TestDatabases
{
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);

    // One copy at a time: concurrent first readers of the WAL-mode template race to recover its WAL and one of them
    // fails with SQLITE_BUSY_RECOVERY ("database is locked"). A copy takes milliseconds.
    private static readonly SemaphoreSlim SqliteCopyLock = new(1, 1);
    private static string? _templateConnectionString;

    public static DatabaseProvider Provider { get; } =
        string.Equals(Environment.GetEnvironmentVariable("LEADTOCASH_TEST_DB"), "postgres", StringComparison.OrdinalIgnoreCase)
            ? DatabaseProvider.Postgres
            : DatabaseProvider.Sqlite;

    public static string RunDirectory { get; } =
        Directory.CreateTempSubdirectory($"leadtocash-tests-{Environment.ProcessId}-").FullName;

    private static string PostgresServer =>
        Environment.GetEnvironmentVariable("LEADTOCASH_TEST_POSTGRES")
        ?? throw new InvalidOperationException("LEADTOCASH_TEST_DB=postgres needs LEADTOCASH_TEST_POSTGRES (a connection string to a server where databases may be created); test.sh sets both.");

    /// <summary>A fresh copy of the template database, returned as a connection string.</summary>
    public static async Task<string> CreateCopyAsync(Func<string, Task> seedTemplate)
    {
        var template = await TemplateAsync(seedTemplate);
        var name = "ltc_" + Guid.NewGuid().ToString("N")[..16];
        if (Provider == DatabaseProvider.Sqlite)
        {
            var file = Path.Combine(RunDirectory, name + ".db");
            await SqliteCopyLock.WaitAsync();
            try
            {
                await using var source = new SqliteConnection(template);
                await using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
                await source.OpenAsync();
                await target.OpenAsync();
                source.BackupDatabase(target);
            }
            finally
            {
                SqliteCopyLock.Release();
            }

            return new SqliteConnectionStringBuilder { DataSource = file }.ToString();
        }

        var templateName = new NpgsqlConnectionStringBuilder(template).Database!;
        await using (var admin = new NpgsqlConnection(PostgresServer))
        {
            await admin.OpenAsync();
            await using var command = admin.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\" TEMPLATE \"{templateName}\"";
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(PostgresServer) { Database = name }.ToString();
    }

    /// <summary>A new database with nothing in it (not even the schema), as a connection string.</summary>
    public static async Task<string> CreateEmptyAsync()
    {
        var name = "ltc_empty_" + Guid.NewGuid().ToString("N")[..16];
        if (Provider == DatabaseProvider.Sqlite)
        {
            return new SqliteConnectionStringBuilder { DataSource = Path.Combine(RunDirectory, name + ".db") }.ToString();
        }

        await using (var admin = new NpgsqlConnection(PostgresServer))
        {
            await admin.OpenAsync();
            await using var command = admin.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(PostgresServer) { Database = name }.ToString();
    }

    /// <summary>Drops a copy (PostgreSQL) or deletes its file (SQLite); best effort.</summary>
    public static async Task DropCopyAsync(string connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return; // the copy was never made (the fixture failed before)
        }

        try
        {
            if (Provider == DatabaseProvider.Sqlite)
            {
                SqliteConnection.ClearAllPools();
                var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
                foreach (var path in new[] { file, file + "-wal", file + "-shm" })
                {
                    File.Delete(path);
                }

                return;
            }

            var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(PostgresServer);
            await admin.OpenAsync();
            await using var command = admin.CreateCommand();
            command.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is IOException or NpgsqlException or UnauthorizedAccessException)
        {
            // The run directory and the throwaway cluster are removed at the end of the run anyway.
        }
    }

    /// <summary>At the end of the run: drops the PostgreSQL template and deletes the run's folder; best effort.</summary>
    public static async Task CleanUpRunAsync()
    {
        try
        {
            if (Provider == DatabaseProvider.Postgres && _templateConnectionString is { } template)
            {
                await DropCopyAsync(template);
            }

            SqliteConnection.ClearAllPools();
            Directory.Delete(RunDirectory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file still open by a host being torn down; the temporary folder is cleaned by the system anyway.
        }
    }

    private static async Task<string> TemplateAsync(Func<string, Task> seedTemplate)
    {
        if (_templateConnectionString is not null)
        {
            return _templateConnectionString;
        }

        await TemplateLock.WaitAsync();
        try
        {
            if (_templateConnectionString is not null)
            {
                return _templateConnectionString;
            }

            string connectionString;
            if (Provider == DatabaseProvider.Sqlite)
            {
                connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(RunDirectory, "template.db"), Pooling = false }.ToString();
            }
            else
            {
                var name = $"ltc_template_{Environment.ProcessId}_{Guid.NewGuid().ToString("N")[..8]}";
                await using (var admin = new NpgsqlConnection(PostgresServer))
                {
                    await admin.OpenAsync();
                    await using var command = admin.CreateCommand();
                    command.CommandText = $"CREATE DATABASE \"{name}\"";
                    await command.ExecuteNonQueryAsync();
                }

                connectionString = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = name, Pooling = false }.ToString();
            }

            await seedTemplate(connectionString);
            SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            _templateConnectionString = connectionString;
            return connectionString;
        }
        finally
        {
            TemplateLock.Release();
        }
    }
}
