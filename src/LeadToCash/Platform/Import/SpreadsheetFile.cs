using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using MiniExcelLibs;

namespace LeadToCash.Platform.Import;

public enum SpreadsheetFormat
{
    Xlsx = 0,
    Csv = 1,
}

/// <summary>One row of a sheet: its number as the spreadsheet shows it (1 = first row) and its cells as text.</summary>
public sealed record SheetRow(int Number, string?[] Cells)
{
    public bool IsBlank => Cells.All(string.IsNullOrWhiteSpace);

    public string? Cell(int index) => index < Cells.Length ? Cells[index] : null;
}

/// <summary>The file is not something the import can read; the message says why (in English, like every API error).</summary>
public sealed class UnreadableFileException(string message) : Exception(message);

/// <summary>
/// Reads an uploaded .xlsx or .csv row by row, never the whole file at once: MiniExcel streams the sheet XML and
/// CsvHelper the text. A .csv is UTF-8 (with or without BOM) when it decodes as UTF-8, else GB18030, which is what
/// Excel in China writes (GBK is a subset).
/// </summary>
public static class SpreadsheetFile
{
    public const string Utf8 = "utf-8";
    public const string Gb18030 = "gb18030";

    private static readonly byte[] ZipSignature = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0];

    static SpreadsheetFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Decides what the stored file is from its content (the name only breaks ties) and how its text is encoded.</summary>
    public static (SpreadsheetFormat Format, string? Encoding) Inspect(string path, string fileName)
    {
        var head = new byte[64 * 1024];
        int read;
        using (var stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        var start = head.AsSpan(0, read);
        if (start.StartsWith(ZipSignature))
        {
            return (SpreadsheetFormat.Xlsx, null);
        }

        if (start.StartsWith(OleSignature))
        {
            throw new UnreadableFileException("The file is an old Excel .xls workbook; save it as .xlsx or .csv and upload it again.");
        }

        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (extension is ".xlsx" or ".xlsm")
        {
            throw new UnreadableFileException("The file is named .xlsx but is not an Excel workbook.");
        }

        if (start.Contains((byte)0))
        {
            throw new UnreadableFileException("The file is not a spreadsheet: upload an .xlsx workbook or a .csv file.");
        }

        var encoding = IsUtf8(path) ? Utf8 : Gb18030;
        return (SpreadsheetFormat.Csv, encoding);
    }

    /// <summary>Every row of the first sheet, blank ones included, so that row numbers match what the user sees.</summary>
    public static IEnumerable<SheetRow> Rows(string path, SpreadsheetFormat format, string? encoding) =>
        format == SpreadsheetFormat.Xlsx ? XlsxRows(path) : CsvRows(path, encoding ?? Utf8);

    private static IEnumerable<SheetRow> XlsxRows(string path)
    {
        IEnumerator<dynamic> rows;
        try
        {
            rows = MiniExcel.Query(path, useHeaderRow: false, excelType: ExcelType.XLSX).GetEnumerator();
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            throw new UnreadableFileException("The file is not a readable Excel workbook.");
        }

        using (rows)
        {
            var number = 0;
            while (true)
            {
                try
                {
                    if (!rows.MoveNext())
                    {
                        yield break;
                    }
                }
                catch (Exception e) when (IsUnreadable(e))
                {
                    throw new UnreadableFileException("The file is not a readable Excel workbook.");
                }

                number++;
                var cells = (IDictionary<string, object?>)rows.Current;
                var values = new string?[cells.Count];
                var last = -1;
                foreach (var (column, value) in cells)
                {
                    var index = ColumnIndex(column);
                    if (index >= 0 && index < values.Length)
                    {
                        values[index] = Text(value);
                        if (values[index] is not null)
                        {
                            last = index;
                        }
                    }
                }

                yield return new SheetRow(number, values[..(last + 1)]);
            }
        }
    }

    private static IEnumerable<SheetRow> CsvRows(string path, string encoding)
    {
        var text = encoding == Gb18030 ? Encoding.GetEncoding("GB18030") : new UTF8Encoding(false);
        using var reader = new StreamReader(path, text, detectEncodingFromByteOrderMarks: true);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            DetectDelimiter = true,
            DetectDelimiterValues = [",", ";", "\t", "|"],
            IgnoreBlankLines = false,
            BadDataFound = null,
            MissingFieldFound = null,
            TrimOptions = TrimOptions.None,
        };
        using var csv = new CsvReader(reader, config);
        var number = 0;
        while (csv.Read())
        {
            number++;
            var record = csv.Parser.Record ?? [];
            var values = new string?[record.Length];
            for (var i = 0; i < record.Length; i++)
            {
                values[i] = Text(record[i]);
            }

            var last = Array.FindLastIndex(values, v => v is not null);
            yield return new SheetRow(number, values[..(last + 1)]);
        }
    }

    /// <summary>
    /// About how many rows the file has, without parsing it: the last row of the sheet's dimension (.xlsx), the number of
    /// line breaks (.csv; quoted line breaks count too). 0 when unknown.
    /// </summary>
    public static int EstimateRows(string path, SpreadsheetFormat format)
    {
        try
        {
            return format == SpreadsheetFormat.Xlsx ? XlsxDimensionRows(path) : CountLines(path);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            return 0;
        }
    }

    private static int XlsxDimensionRows(string path)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(path);
        var sheet = zip.GetEntry("xl/worksheets/sheet1.xml")
            ?? zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase)
                && e.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)).OrderBy(e => e.FullName, StringComparer.Ordinal).FirstOrDefault();
        if (sheet is null)
        {
            return 0;
        }

        using var stream = sheet.Open();
        using var xml = System.Xml.XmlReader.Create(stream, new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit });
        while (xml.Read())
        {
            if (xml.NodeType != System.Xml.XmlNodeType.Element)
            {
                continue;
            }

            if (xml.LocalName == "dimension")
            {
                var reference = xml.GetAttribute("ref") ?? "";
                var last = reference[(reference.LastIndexOf(':') + 1)..];
                var digits = new string(last.Where(char.IsAsciiDigit).ToArray());
                return int.TryParse(digits, CultureInfo.InvariantCulture, out var rows) ? rows : 0;
            }

            if (xml.LocalName == "sheetData")
            {
                return 0;
            }
        }

        return 0;
    }

    private static int CountLines(string path)
    {
        var buffer = new byte[64 * 1024];
        var lines = 0;
        var endsWithBreak = true;
        using var stream = File.OpenRead(path);
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
            endsWithBreak = buffer[read - 1] == (byte)'\n';
        }

        return endsWithBreak ? lines : lines + 1;
    }

    // A whole-file check in chunks: a GBK file usually looks like UTF-8 for its first (ASCII) header bytes.
    private static bool IsUtf8(string path)
    {
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = new byte[64 * 1024];
        var chars = new char[bytes.Length + 4];
        using var stream = File.OpenRead(path);
        try
        {
            int read;
            while ((read = stream.Read(bytes, 0, bytes.Length)) > 0)
            {
                decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            }

            decoder.GetChars(bytes, 0, 0, chars, 0, flush: true);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool IsUnreadable(Exception e) =>
        e is InvalidDataException or IOException or System.Xml.XmlException or InvalidOperationException or KeyNotFoundException
            or NullReferenceException or ArgumentException or FormatException or NotSupportedException;

    /// <summary>"A" → 0, "AB" → 27; -1 for anything else.</summary>
    public static int ColumnIndex(string letters)
    {
        var index = 0;
        foreach (var ch in letters)
        {
            if (ch is < 'A' or > 'Z')
            {
                return -1;
            }

            index = (index * 26) + (ch - 'A' + 1);
        }

        return index - 1;
    }

    /// <summary>A cell as trimmed text; numbers without exponent or trailing zeros (phone numbers stored as numbers).</summary>
    public static string? Text(object? value)
    {
        var text = value switch
        {
            null => null,
            string s => s,
            double d when Math.Abs(d) < 1e15 => ((decimal)d).ToString(CultureInfo.InvariantCulture),
            float f => ((decimal)f).ToString(CultureInfo.InvariantCulture),
            decimal m => m.ToString(CultureInfo.InvariantCulture),
            DateTime d => d.TimeOfDay == TimeSpan.Zero
                ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        text = text?.Trim().Trim('\uFEFF');
        return string.IsNullOrEmpty(text) ? null : text;
    }
}
