using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LeadToCash.Bench;

/// <summary>
/// Direct access to the app's database through the ADO.NET provider the app uses (Npgsql, Microsoft.Data.Sqlite), for
/// drawing parameters from the data and for the raw-SQL equivalents. Values are written as the app's EF Core model
/// stores them: on SQLite ids are upper-case text, times "yyyy-MM-dd HH:mm:ss.FFFFFFF" text, dates "yyyy-MM-dd",
/// booleans 0/1; on PostgreSQL uuid, timestamptz, date and boolean.
/// </summary>
internal sealed class RawDb(bool postgres, string connectionString)
{
    public bool IsPostgres { get; } = postgres;

    /// <summary>Opens a connection; on SQLite with the read settings the app gives each of its connections.</summary>
    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = IsPostgres ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await connection.OpenAsync();
        if (!IsPostgres)
        {
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32768;";
            await pragmas.ExecuteNonQueryAsync();
        }

        return connection;
    }

    public object Id(Guid id) => IsPostgres ? id : id.ToString("D").ToUpperInvariant();

    public object Time(DateTime utc) => IsPostgres
        ? DateTime.SpecifyKind(utc, DateTimeKind.Utc)
        : utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    public object Date(DateOnly day) => IsPostgres ? day : day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public object Bool(bool value) => IsPostgres ? value : value ? 1 : 0;

    /// <summary>SQL "x IN (…)" of ids: one array parameter on PostgreSQL, one parameter per id on SQLite.</summary>
    public string InIds(Sql sql, string column, IReadOnlyCollection<Guid> ids)
    {
        if (ids.Count == 0)
        {
            return "1 = 0";
        }

        if (IsPostgres)
        {
            return $"{column} = ANY({sql.Param(ids.ToArray())})";
        }

        return $"{column} IN ({string.Join(", ", ids.Select(id => sql.Param(Id(id))))})";
    }

    public static Guid ReadId(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? Guid.Empty
        : reader.GetFieldType(ordinal) == typeof(Guid) ? reader.GetGuid(ordinal)
        : Guid.Parse(reader.GetString(ordinal));

    public static Guid ReadIdValue(object? value) => value switch
    {
        Guid id => id,
        string text => Guid.Parse(text),
        _ => throw new InvalidOperationException("No id was found."),
    };

    public static async Task<List<T>> ListAsync<T>(DbConnection connection, Sql sql, Func<DbDataReader, T> read)
    {
        await using var command = sql.Command(connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, Sql sql)
    {
        await using var command = sql.Command(connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, Sql sql, DbTransaction? transaction = null)
    {
        await using var command = sql.Command(connection);
        command.Transaction = transaction;
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a query and reads every row and column, as a data access layer would to fill its objects.</summary>
    public static async Task<int> DrainAsync(DbConnection connection, Sql sql, DbTransaction? transaction = null)
    {
        await using var command = sql.Command(connection);
        command.Transaction = transaction;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync())
        {
            reader.GetValues(values);
            rows++;
        }

        return rows;
    }
}

/// <summary>A SQL text with its parameters (@p0, @p1, …).</summary>
internal sealed class Sql
{
    private readonly StringBuilder _text = new();
    private readonly List<(string Name, object Value)> _parameters = [];

    public Sql(string text = "") => _text.Append(text);

    public Sql Append(string text)
    {
        _text.Append(text);
        return this;
    }

    /// <summary>Adds a parameter and answers its placeholder.</summary>
    public string Param(object? value)
    {
        var name = "p" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add((name, value ?? DBNull.Value));
        return "@" + name;
    }

    public override string ToString() => _text.ToString();

    public DbCommand Command(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = _text.ToString();
        foreach (var (name, value) in _parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
