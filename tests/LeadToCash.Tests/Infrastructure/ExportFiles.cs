using System.Globalization;
using CsvHelper;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>Reads what the export endpoints write, for assertions.</summary>
public static class ExportFiles
{
    /// <summary>The rows of a CSV export (a leading byte-order mark is allowed), keyed by header.</summary>
    public static List<Dictionary<string, string>> ReadCsv(string text)
    {
        using var reader = new StringReader(text.TrimStart('\uFEFF'));
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        var rows = new List<Dictionary<string, string>>();
        csv.Read();
        csv.ReadHeader();
        while (csv.Read())
        {
            rows.Add(csv.HeaderRecord!.ToDictionary(h => h, h => csv.GetField(h) ?? ""));
        }

        return rows;
    }
}
