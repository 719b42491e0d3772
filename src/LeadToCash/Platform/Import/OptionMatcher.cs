using System.Globalization;

namespace LeadToCash.Platform.Import;

/// <summary>Finds an option's code from its code or its Chinese or English label, ignoring case, width and spacing.</summary>
public sealed class OptionMatcher
{
    private readonly Dictionary<string, string> _codes = new(StringComparer.Ordinal);
    private readonly List<(int Min, int Max, string Code)> _ranges = [];

    public OptionMatcher(IEnumerable<(string Code, string Zh, string En)> options)
    {
        foreach (var (code, zh, en) in options)
        {
            foreach (var name in new[] { code, zh, en })
            {
                _codes.TryAdd(ColumnMapping.Normalize(name), code);
            }

            // Size codes are ranges ("50-199", "1000+"): a head count finds its range.
            var parts = code.Split('-');
            if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var min) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var max))
            {
                _ranges.Add((min, max, code));
            }
            else if (code.EndsWith('+') && int.TryParse(code[..^1], CultureInfo.InvariantCulture, out var from))
            {
                _ranges.Add((from, int.MaxValue, code));
            }
        }
    }

    public string? Find(string text) => _codes.TryGetValue(ColumnMapping.Normalize(text), out var code) ? code : null;

    public string? Bucket(int? count) =>
        count is { } n && n > 0 ? _ranges.FirstOrDefault(r => n >= r.Min && n <= r.Max).Code : null;
}
