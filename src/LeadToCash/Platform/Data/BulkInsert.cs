using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace LeadToCash.Platform.Data;

/// <summary>
/// Writes many new records at once, for imports: on PostgreSQL with binary COPY, on SQLite with one prepared INSERT
/// rebound per row, both inside the caller's transaction (a failure leaves nothing of the batch behind). Records are
/// stamped and get their "Created" history row exactly as <see cref="AuditInterceptor"/> does on SaveChanges; the
/// columns and their stored form come from the EF model, so the rows are the ones SaveChanges would write.
/// Only for new rows: the data scope governs reads, and nothing here reads or changes existing rows.
/// </summary>
public static class BulkInsert
{
    private static readonly ConcurrentDictionary<(IModel Model, Type Type), TableShape> Shapes = new();

    /// <summary>Inserts new records and their "Created" history rows, stamped with <paramref name="now"/> and the context's actor.</summary>
    public static async Task AddCreatedAsync<T>(AppDbContext db, IReadOnlyList<T> records, DateTime now, CancellationToken ct)
        where T : BusinessRecord
    {
        if (records.Count == 0)
        {
            return;
        }

        var actor = db.ActorId;
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var history = new List<AuditEntry>(records.Count);
        foreach (var record in records)
        {
            // As AuditInterceptor stamps an added record and writes its history row.
            if (record.CreatedAt == default)
            {
                record.CreatedAt = now;
            }

            if (record.UpdatedAt == default)
            {
                record.UpdatedAt = record.CreatedAt;
            }

            record.CreatedBy = actor;
            record.UpdatedBy = actor;
            record.Version = 1;
            // As SearchSpellingInterceptor spells an added record's names for the search.
            Search.SearchSpellings.Fill(record);
            history.Add(new AuditEntry
            {
                EntityType = entityType.ClrType.Name,
                EntityId = record.Id,
                Action = AuditAction.Created,
                ChangedAt = record.CreatedAt,
                ChangedBy = actor,
            });
        }

        await InsertAsync(db, records, ct);
        await InsertAsync(db, history, ct);
    }

    /// <summary>Inserts the rows as they are (no stamping, no history) in the context's current transaction.</summary>
    public static async Task InsertAsync<T>(AppDbContext db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk inserts run inside a transaction the caller began (one per batch).");
        var shape = Shapes.GetOrAdd((db.Model, typeof(T)), key => TableShape.Of(key.Model, key.Type));
        switch (db.Database.GetDbConnection())
        {
            case NpgsqlConnection connection:
                await CopyAsync(connection, shape, rows, ct);
                break;
            case SqliteConnection connection:
                await InsertPreparedAsync(connection, (SqliteTransaction)transaction, shape, rows, ct);
                break;
            default:
                throw new NotSupportedException($"No bulk insert for {db.Database.ProviderName}.");
        }
    }

    private static async Task CopyAsync<T>(NpgsqlConnection connection, TableShape shape, IReadOnlyList<T> rows, CancellationToken ct)
        where T : class
    {
        var copy = $"COPY {shape.Table} ({string.Join(", ", shape.Columns.Select(c => c.QuotedName))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(copy, ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            foreach (var column in shape.Columns)
            {
                await WriteAsync(importer, column, column.ProviderValue(row), ct);
            }
        }

        await importer.CompleteAsync(ct);
    }

    private static Task WriteAsync(NpgsqlBinaryImporter importer, Column column, object? value, CancellationToken ct) => value switch
    {
        null => importer.WriteNullAsync(ct),
        Guid v => importer.WriteAsync(v, NpgsqlDbType.Uuid, ct),
        string v => importer.WriteAsync(v, column.PostgresType, ct),
        DateTime v => importer.WriteAsync(v, column.PostgresType, ct),
        int v => importer.WriteAsync(v, NpgsqlDbType.Integer, ct),
        long v => importer.WriteAsync(v, NpgsqlDbType.Bigint, ct),
        bool v => importer.WriteAsync(v, NpgsqlDbType.Boolean, ct),
        DateOnly v => importer.WriteAsync(v, NpgsqlDbType.Date, ct),
        decimal v => importer.WriteAsync(v, NpgsqlDbType.Numeric, ct),
        double v => importer.WriteAsync(v, NpgsqlDbType.Double, ct),
        _ => throw new NotSupportedException($"Column {column.QuotedName}: no bulk copy of {value.GetType().Name} values."),
    };

    private static async Task InsertPreparedAsync<T>(SqliteConnection connection, SqliteTransaction transaction, TableShape shape,
        IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {shape.Table} ({string.Join(", ", shape.Columns.Select(c => c.QuotedName))}) " +
            $"VALUES ({string.Join(", ", shape.Columns.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture)))})";
        // Parameters as EF configures them for the column (type, size); only their values change per row.
        var parameters = new DbParameter[shape.Columns.Count];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = shape.Columns[i].Mapping.CreateParameter(command, "@p" + i.ToString(CultureInfo.InvariantCulture), null,
                shape.Columns[i].Property.IsNullable);
            command.Parameters.Add(parameters[i]);
        }

        await EnlargeCacheAsync(connection, transaction, ct);
        await command.PrepareAsync(ct);
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = shape.Columns[i].ProviderValue(row) ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// A bulk insert into big tables touches pages of every index at random; with the default page cache (32 MiB) each
    /// batch spills and re-reads them. The connection keeps a larger cache (256 MiB) from its first bulk insert on.
    /// </summary>
    private static async Task EnlargeCacheAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken ct)
    {
        const long BulkCacheKib = 262_144;
        await using var pragma = connection.CreateCommand();
        pragma.Transaction = transaction;
        pragma.CommandText = "PRAGMA cache_size";
        var pages = Convert.ToInt64(await pragma.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        // Negative: KiB; positive: pages. A cache set larger already (seed-scale) stays.
        if (pages < 0 && -pages < BulkCacheKib)
        {
            pragma.CommandText = $"PRAGMA cache_size=-{BulkCacheKib.ToString(CultureInfo.InvariantCulture)}";
            await pragma.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>A mapped column: its property, how EF stores it, and for PostgreSQL its wire type.</summary>
    private sealed record Column(IProperty Property, RelationalTypeMapping Mapping, string QuotedName, NpgsqlDbType PostgresType)
    {
        private readonly IClrPropertyGetter _getter = Property.GetGetter();

        public object? ProviderValue(object entity)
        {
            var value = _getter.GetClrValue(entity);
            return value is null ? null : Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
        }
    }

    private sealed record TableShape(string Table, IReadOnlyList<Column> Columns)
    {
        public static TableShape Of(IModel model, Type type)
        {
            var entity = model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not mapped.");
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var columns = new List<Column>();
            // Computed columns are the database's to fill.
            foreach (var property in entity.GetProperties().Where(p => p.GetComputedColumnSql() is null))
            {
                if (property.IsShadowProperty() || property.GetColumnName(table) is not { } name)
                {
                    throw new NotSupportedException($"{type.Name}.{property.Name}: bulk inserts write mapped CLR properties only.");
                }

                var mapping = property.GetRelationalTypeMapping();
                columns.Add(new Column(property, mapping, Quote(name), PostgresType(mapping.StoreType)));
            }

            var tableName = entity.GetSchema() is { } schema ? $"{Quote(schema)}.{Quote(table.Name)}" : Quote(table.Name);
            return new TableShape(tableName, columns);
        }

        private static string Quote(string name) => new StringBuilder("\"").Append(name.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"').ToString();

        // PostgreSQL store types of the model's columns (src/LeadToCash.Migrations.Postgres); SQLite ignores this.
        private static NpgsqlDbType PostgresType(string storeType) => storeType switch
        {
            "uuid" => NpgsqlDbType.Uuid,
            "text" => NpgsqlDbType.Text,
            "integer" => NpgsqlDbType.Integer,
            "bigint" => NpgsqlDbType.Bigint,
            "boolean" => NpgsqlDbType.Boolean,
            "timestamp with time zone" => NpgsqlDbType.TimestampTz,
            "timestamp without time zone" => NpgsqlDbType.Timestamp,
            _ when storeType.StartsWith("character varying", StringComparison.Ordinal) => NpgsqlDbType.Varchar,
            _ => NpgsqlDbType.Unknown,
        };
    }
}
