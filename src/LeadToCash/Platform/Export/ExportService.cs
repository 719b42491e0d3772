using System.Globalization;
using System.Text;
using CsvHelper;
using MiniExcelLibs;

namespace LeadToCash.Platform.Export;

public enum ExportFormat
{
    Xlsx = 0,
    Csv = 1,
}

/// <summary>A column of an export: its header and how to read it from a row.</summary>
public sealed record ExportColumn<T>(string Header, Func<T, object?> Value);

/// <summary>
/// Writes the rows a caller may see (the caller passes a scoped query) as .xlsx or .csv. Text that a spreadsheet
/// would run as a formula (= + - @, tab, CR) is prefixed with an apostrophe.
/// </summary>
public sealed class ExportService
{
    public static string ContentType(ExportFormat format) => format == ExportFormat.Xlsx
        ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        : "text/csv; charset=utf-8";

    public static string FileName(string baseName, ExportFormat format, DateTime at) =>
        $"{baseName}-{at.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture)}.{(format == ExportFormat.Xlsx ? "xlsx" : "csv")}";

    public async Task WriteAsync<T>(Stream output, IAsyncEnumerable<T> rows, IReadOnlyList<ExportColumn<T>> columns,
        ExportFormat format, CancellationToken ct)
    {
        if (format == ExportFormat.Csv)
        {
            await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
            await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            foreach (var column in columns)
            {
                csv.WriteField(column.Header);
            }

            await csv.NextRecordAsync();
            await foreach (var row in rows.WithCancellation(ct))
            {
                foreach (var column in columns)
                {
                    csv.WriteField(Cell(column.Value(row)));
                }

                await csv.NextRecordAsync();
            }

            return;
        }

        // MiniExcel streams from an IEnumerable; it needs the rows in memory only one at a time, but takes a sync
        // sequence, so the async rows are buffered here. Exports are capped by the caller's scope, not unbounded.
        var buffered = new List<Dictionary<string, object?>>();
        await foreach (var row in rows.WithCancellation(ct))
        {
            var values = new Dictionary<string, object?>(columns.Count);
            foreach (var column in columns)
            {
                values[column.Header] = Cell(column.Value(row));
            }

            buffered.Add(values);
        }

        using var memory = new MemoryStream();
        if (buffered.Count == 0)
        {
            // An empty list still gets its header row.
            using var empty = new System.Data.DataTable();
            foreach (var column in columns)
            {
                empty.Columns.Add(column.Header);
            }

            await memory.SaveAsAsync(empty, cancellationToken: ct);
        }
        else
        {
            await memory.SaveAsAsync(buffered, cancellationToken: ct);
        }

        memory.Position = 0;
        await memory.CopyToAsync(output, ct);
    }

    /// <summary>Neutralises a spreadsheet formula; other values pass through.</summary>
    public static object? Cell(object? value) => value switch
    {
        string s when s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r' => "'" + s,
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        _ => value,
    };
}
