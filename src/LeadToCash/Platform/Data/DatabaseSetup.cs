using System.Data.Common;
using LeadToCash.Modules.Notifications;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LeadToCash.Platform.Data;

public enum DatabaseProvider
{
    Sqlite = 0,
    Postgres = 1,
}

public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Required for PostgreSQL; for SQLite the default is a file in the data directory.</summary>
    public string? ConnectionString { get; set; }

    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>SQLite <c>PRAGMA synchronous</c>: NORMAL is durable with WAL except for the last commits on power loss.</summary>
    public string SqliteSynchronous { get; set; } = "NORMAL";
}

public sealed class StorageOptions
{
    public string DataDirectory { get; set; } = "data";

    public string FullPath => Path.GetFullPath(DataDirectory);
}

public static class DatabaseSetup
{
    public const string SqliteMigrationsAssembly = "LeadToCash.Migrations.Sqlite";
    public const string PostgresMigrationsAssembly = "LeadToCash.Migrations.Postgres";

    public static IServiceCollection AddAppDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        LoadMigrationsAssembliesFromAppFolder();
        var database = configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        var storage = configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        Directory.CreateDirectory(storage.FullPath);
        services.AddSingleton(database);
        services.AddSingleton(storage);
        services.AddSingleton<AuditInterceptor>();
        services.AddSingleton<Search.SearchSpellingInterceptor>();
        // Every context publishes the notifications it saves to the pages open for their readers: no command can
        // forget to (Modules/Notifications/NotificationPublisher.cs).
        services.AddSingleton<NotificationBus>();
        services.AddSingleton<PendingNotifications>();
        services.AddSingleton<NotificationPublisher>();
        services.AddSingleton<NotificationCommitPublisher>();
        services.AddSingleton<Auth.AccessCache>();
        services.AddSingleton<Auth.AccessChangeInterceptor>();

        var connectionString = ConnectionString(database, storage);
        services.AddDbContextFactory<AppDbContext>((sp, options) =>
        {
            Configure(options, database.Provider, connectionString, database.SqliteSynchronous);
            options.AddInterceptors(sp.GetRequiredService<Search.SearchSpellingInterceptor>(), sp.GetRequiredService<AuditInterceptor>(),
                sp.GetRequiredService<NotificationPublisher>(),
                sp.GetRequiredService<NotificationCommitPublisher>(), sp.GetRequiredService<Auth.AccessChangeInterceptor>());
        });
        return services;
    }

    // The migrations assemblies are built after the app (they reference it), so the app's dependency manifest does
    // not list them and the runtime would not probe for them; load them from the app folder on demand.
    private static void LoadMigrationsAssembliesFromAppFolder()
    {
        System.Runtime.Loader.AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            if (name.Name is not (SqliteMigrationsAssembly or PostgresMigrationsAssembly))
            {
                return null;
            }

            var path = Path.Combine(AppContext.BaseDirectory, name.Name + ".dll");
            return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
        };
    }

    public static string ConnectionString(DatabaseOptions database, StorageOptions storage) =>
        database.Provider switch
        {
            DatabaseProvider.Postgres => database.ConnectionString
                ?? throw new InvalidOperationException("Database:ConnectionString is required when Database:Provider is Postgres."),
            _ => database.ConnectionString
                ?? new SqliteConnectionStringBuilder
                {
                    DataSource = Path.Combine(storage.FullPath, "leadtocash.db"),
                    Pooling = true,
                }.ToString(),
        };

    public static void Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString,
        string sqliteSynchronous = "NORMAL")
    {
        // Capped counts (Take(cap + 1).Count()) need no order; the warning is noise for them.
        options.ConfigureWarnings(w => w.Ignore(CoreEventId.RowLimitingOperationWithoutOrderByWarning));
        if (provider == DatabaseProvider.Postgres)
        {
            options.UseNpgsql(connectionString, o => o.MigrationsAssembly(PostgresMigrationsAssembly));
        }
        else
        {
            options.UseSqlite(connectionString, o => o.MigrationsAssembly(SqliteMigrationsAssembly));
            options.AddInterceptors(new SqlitePragmas(sqliteSynchronous));
        }
    }

    /// <summary>Applies migrations and, on SQLite, checks that WAL and the configured synchronous level hold.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.MigrateAsync(ct);
        await CheckSqliteAsync(db, services.GetRequiredService<DatabaseOptions>(), ct);
    }

    public static async Task CheckSqliteAsync(AppDbContext db, DatabaseOptions options, CancellationToken ct)
    {
        if (!db.Database.IsSqlite())
        {
            return;
        }

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            var journal = await ScalarAsync(connection, "PRAGMA journal_mode;", ct);
            var synchronous = await ScalarAsync(connection, "PRAGMA synchronous;", ct);
            var expected = SqlitePragmas.SynchronousLevel(options.SqliteSynchronous);
            if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase) || synchronous != expected.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException(
                    $"SQLite is not in the expected mode (journal_mode={journal}, synchronous={synchronous}; expected wal and {expected}).");
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<string?> ScalarAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync(ct))?.ToString();
    }
}

/// <summary>Sets WAL, the synchronous level and foreign keys on every SQLite connection that opens.</summary>
internal sealed class SqlitePragmas(string synchronous) : DbConnectionInterceptor
{
    // Reads go through a memory map (no read() call per page) and each pooled connection keeps 32 MiB of pages:
    // with the default 2 MiB cache a list query over 100,000 customers spent most of its time re-reading pages.
    private readonly string _sql =
        $"PRAGMA journal_mode=WAL; PRAGMA synchronous={SynchronousLevel(synchronous)}; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; " +
        "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32768;";

    public static int SynchronousLevel(string name) => name.ToUpperInvariant() switch
    {
        "OFF" or "0" => 0,
        "NORMAL" or "1" => 1,
        "FULL" or "2" => 2,
        "EXTRA" or "3" => 3,
        _ => throw new InvalidOperationException($"Database:SqliteSynchronous '{name}' is not OFF, NORMAL, FULL or EXTRA."),
    };

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _sql;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
