using System.Text;
using LeadToCash.Platform.Matching;
using LeadToCash.Platform.Search;

namespace LeadToCash.Modules.Search;

/// <summary>
/// What a search box query asks the index for. The index finds substrings of three characters or more (trigrams):
/// <see cref="Contains"/> lists those; <see cref="Starts"/> lists word starts, which work from one character. A
/// Chinese query shorter than a trigram ("华为", "李") is looked up by its pinyin and then checked against the names
/// (<see cref="NameContains"/>), which keeps it indexed.
/// </summary>
public sealed record SearchTerms
{
    public const int MaxLength = 100;
    public const int TrigramLength = 3;

    /// <summary>The query, lower case, full-width folded, spaces collapsed.</summary>
    public required string Text { get; init; }

    /// <summary>The query without spaces ("hua wei" → "huawei").</summary>
    public required string Compact { get; init; }

    /// <summary>The digits of a query that is a phone number (+86 and separators removed, as the stored keys).</summary>
    public string? Phone { get; init; }

    public required IReadOnlyList<string> Contains { get; init; }

    public required IReadOnlyList<string> Starts { get; init; }

    public string? NameContains { get; init; }

    /// <summary>Null when nothing searchable is left of the query.</summary>
    public static SearchTerms? Parse(string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var ch in query.Normalize(NormalizationForm.FormKC).Trim())
        {
            // Control characters never reach the index query: the SQLite index marks word starts with one.
            if (char.IsWhiteSpace(ch))
            {
                if (text.Length > 0 && text[^1] != ' ')
                {
                    text.Append(' ');
                }
            }
            else if (!char.IsControl(ch))
            {
                text.Append(char.ToLowerInvariant(ch));
            }
        }

        var normalized = text.ToString().Trim();
        if (normalized.Length > MaxLength)
        {
            normalized = normalized[..MaxLength].TrimEnd();
        }

        if (normalized.Length == 0)
        {
            return null;
        }

        var compact = normalized.Replace(" ", "", StringComparison.Ordinal);
        var contains = new List<string>();
        var starts = new List<string>();
        string? phone = null;
        string? nameContains = null;
        if (IsPhoneLike(normalized))
        {
            var digits = new string(normalized.Where(char.IsAsciiDigit).ToArray());
            phone = DuplicateKeys.Phone(normalized) ?? digits;
            Add(phone.Length >= TrigramLength ? contains : starts, phone);
            Add(starts, phone);
        }
        else
        {
            foreach (var term in new[] { normalized, compact })
            {
                if (term.Length >= TrigramLength)
                {
                    Add(contains, term);
                }

                Add(starts, term);
            }

            if (compact.Length < TrigramLength && Pinyin.HasChinese(compact))
            {
                nameContains = compact;
                foreach (var spelling in Pinyin.Spell(compact).Full)
                {
                    Add(spelling.Length >= TrigramLength ? contains : starts, spelling);
                }
            }
        }

        return new SearchTerms
        {
            Text = normalized,
            Compact = compact,
            Phone = phone,
            Contains = contains,
            Starts = starts,
            NameContains = nameContains,
        };
    }

    private static bool IsPhoneLike(string text) =>
        text.Any(char.IsAsciiDigit) && text.All(ch => char.IsAsciiDigit(ch) || ch is ' ' or '+' or '-' or '(' or ')' or '.');

    private static void Add(List<string> list, string value)
    {
        if (value.Length > 0 && !list.Contains(value, StringComparer.Ordinal))
        {
            list.Add(value);
        }
    }
}
