using System.Text;

namespace LeadToCash.Platform.Import;

/// <summary>
/// A field an import can fill, with the column headers (Chinese and English) that name it. A repeatable field may take
/// several columns (their values are joined with the header in front, e.g. extra columns into notes).
/// </summary>
public sealed record ImportField(string Key, bool Repeatable, params string[] Aliases);

/// <summary>Suggests which field each column of a file fills, from its header; the user corrects it before the run.</summary>
public static class ColumnMapping
{
    /// <summary>One field key (or null: ignored) per header. An exact header wins over one that only contains a name.</summary>
    public static string?[] Suggest(IReadOnlyList<string?> headers, IReadOnlyList<ImportField> fields)
    {
        var aliases = fields
            .SelectMany(f => f.Aliases.Append(f.Key).Select(a => (Field: f, Alias: Normalize(a))))
            .Where(x => x.Alias.Length > 0)
            .ToList();
        var candidates = new List<(int Column, ImportField Field, int Score)>();
        for (var column = 0; column < headers.Count; column++)
        {
            var header = Normalize(headers[column]);
            if (header.Length == 0)
            {
                continue;
            }

            var exact = aliases.FirstOrDefault(a => a.Alias == header);
            if (exact.Field is not null)
            {
                candidates.Add((column, exact.Field, 1000));
                continue;
            }

            // "联系人手机号" names the mobile, not the contact: the longest name found in the header decides. Only Chinese
            // names are looked for inside longer headers ("Account Owner" is not the account).
            var contained = aliases.Where(a => a.Alias.Length >= 2 && a.Alias.Any(IsCjk) && header.Contains(a.Alias, StringComparison.Ordinal))
                .OrderByDescending(a => a.Alias.Length)
                .FirstOrDefault();
            if (contained.Field is not null)
            {
                candidates.Add((column, contained.Field, contained.Alias.Length));
            }
        }

        var mapping = new string?[headers.Count];
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (column, field, _) in candidates.OrderByDescending(c => c.Score).ThenBy(c => c.Column))
        {
            if (field.Repeatable || taken.Add(field.Key))
            {
                mapping[column] = field.Key;
            }
        }

        return mapping;
    }

    private static bool IsCjk(char ch) => ch is >= '\u4E00' and <= '\u9FFF';

    /// <summary>Lower case, half-width, without spaces, punctuation or a bracketed remark ("公司名称（必填）" → "公司名称").</summary>
    public static string Normalize(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return "";
        }

        var text = header.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var result = new StringBuilder(text.Length);
        var depth = 0;
        foreach (var ch in text)
        {
            if (ch is '(' or '[' or '【')
            {
                depth++;
            }
            else if (ch is ')' or ']' or '】')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0 && char.IsLetterOrDigit(ch))
            {
                result.Append(ch);
            }
        }

        // A header that is only a remark ("(备注)") keeps its words.
        return result.Length > 0 ? result.ToString() : new string(text.Where(char.IsLetterOrDigit).ToArray());
    }
}
