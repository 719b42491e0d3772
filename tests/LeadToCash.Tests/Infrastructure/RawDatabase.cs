using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LeadToCash.Platform.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>
/// A database looked at from outside the app (plain ADO.NET, no EF model): row counts and checksums of every table,
/// and the engine's own integrity checks.
/// </summary>
public static class RawDatabase
{
    public static DbConnection Connect(string connectionString) => TestDatabases.Provider == DatabaseProvider.Sqlite
        ? new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString())
        : new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());

    public static async Task<List<object?[]>> QueryAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = Connect(connectionString);
        await connection.OpenAsync(ct);
        return await QueryAsync(connection, sql, ct);
    }

    /// <summary>
    /// Each table's row count and a checksum of its contents that does not depend on row order (SHA-256 over the
    /// sorted hashes of the rows), by table name.
    /// </summary>
    public static async Task<SortedDictionary<string, (long Rows, string Checksum)>> ChecksumsAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = Connect(connectionString);
        await connection.OpenAsync(ct);
        var tables = await QueryAsync(connection, connection is SqliteConnection
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            : "SELECT tablename FROM pg_tables WHERE schemaname = 'public'", ct);
        var sums = new SortedDictionary<string, (long, string)>(StringComparer.Ordinal);
        foreach (var table in tables.Select(t => (string)t[0]!))
        {
            var rows = await QueryAsync(connection, $"SELECT * FROM \"{table}\"", ct);
            var hashes = rows.Select(row => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', row.Select(Text))))))
                .Order(StringComparer.Ordinal);
            sums[table] = (rows.Count, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(hashes)))));
        }

        return sums;
    }

    /// <summary>
    /// What the engine finds wrong, empty when nothing: SQLite's integrity_check and foreign_key_check; on PostgreSQL,
    /// amcheck over every table (verify_heapam) and every B-tree index, heap entries included (bt_index_check).
    /// </summary>
    public static async Task<IReadOnlyList<string>> IntegrityProblemsAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = Connect(connectionString);
        await connection.OpenAsync(ct);
        if (connection is SqliteConnection)
        {
            var integrity = (await QueryAsync(connection, "PRAGMA integrity_check", ct)).Select(r => (string)r[0]!).ToList();
            var foreignKeys = await QueryAsync(connection, "PRAGMA foreign_key_check", ct);
            return [.. integrity.Where(r => r != "ok"), .. foreignKeys.Select(r => "foreign key: " + string.Join(", ", r.Select(Text)))];
        }

        await QueryAsync(connection, "CREATE EXTENSION IF NOT EXISTS amcheck", ct);
        var heap = await QueryAsync(connection, """
            SELECT c.relname, v.blkno, v.msg
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, LATERAL verify_heapam(c.oid) v
            WHERE n.nspname = 'public' AND c.relkind = 'r'
            """, ct);
        var indexes = await QueryAsync(connection, """
            SELECT c.relname FROM pg_index i
            JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE am.amname = 'btree' AND n.nspname = 'public' AND i.indisvalid
            """, ct);
        var problems = heap.Select(r => $"{r[0]} block {r[1]}: {r[2]}").ToList();
        foreach (var index in indexes.Select(r => (string)r[0]!))
        {
            try
            {
                await QueryAsync(connection, $"SELECT bt_index_check('public.\"{index}\"'::regclass, true)", ct);
            }
            catch (PostgresException e)
            {
                problems.Add($"{index}: {e.MessageText}");
            }
        }

        return problems;
    }

    private static async Task<List<object?[]>> QueryAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(ct))
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }

        return rows;
    }

    private static string Text(object? value) => value switch
    {
        null or DBNull => "\u2205",
        byte[] bytes => Convert.ToBase64String(bytes),
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable items and not string => "[" + string.Join(",", items.Cast<object?>().Select(Text)) + "]",
        _ => value.ToString() ?? "",
    };
}
