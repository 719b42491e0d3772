using System.Globalization;
using System.Text;

namespace LeadToCash.Modules.Tasks.Calendar;

/// <summary>
/// Writes iCalendar (RFC 5545): CRLF line ends, lines folded at 75 octets without splitting a UTF-8 character, TEXT
/// values escaped (backslash, semicolon, comma, newline), times in UTC ("Z" form).
/// </summary>
public sealed class IcsWriter
{
    private const int MaxOctets = 75;
    private readonly StringBuilder _text = new();

    public IcsWriter Line(string name, string value)
    {
        Fold(name + ":" + value);
        return this;
    }

    public IcsWriter Text(string name, string? value) => value is null ? this : Line(name, EscapeText(value));

    public IcsWriter Time(string name, DateTime utc) => Line(name, FormatUtc(utc));

    public override string ToString() => _text.ToString();

    public static string FormatUtc(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    public static string EscapeText(string value)
    {
        var result = new StringBuilder(value.Length + 8);
        foreach (var c in value.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'))
        {
            switch (c)
            {
                case '\\': result.Append("\\\\"); break;
                case ';': result.Append("\\;"); break;
                case ',': result.Append("\\,"); break;
                case '\n': result.Append("\\n"); break;
                case '\t': result.Append(c); break;
                default:
                    // Other control characters are not allowed in TEXT.
                    if (!char.IsControl(c))
                    {
                        result.Append(c);
                    }

                    break;
            }
        }

        return result.ToString();
    }

    private void Fold(string line)
    {
        var octets = 0;
        for (var i = 0; i < line.Length; i++)
        {
            var length = char.IsHighSurrogate(line[i]) && i + 1 < line.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(line.AsSpan(i, length));
            if (octets + size > MaxOctets)
            {
                // A continuation line starts with one space, which counts toward its 75 octets.
                _text.Append("\r\n ");
                octets = 1;
            }

            _text.Append(line, i, length);
            octets += size;
            i += length - 1;
        }

        _text.Append("\r\n");
    }
}
