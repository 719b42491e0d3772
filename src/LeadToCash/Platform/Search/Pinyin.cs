using System.Collections.Frozen;
using System.Text;

namespace LeadToCash.Platform.Search;

/// <summary>The pinyin spellings of a text: whole syllables joined ("huaweikeji") and initials ("hwkj"), one per reading.</summary>
public sealed record PinyinSpelling(IReadOnlyList<string> Full, IReadOnlyList<string> Initials)
{
    public static readonly PinyinSpelling Empty = new([], []);
}

/// <summary>
/// Spells Chinese text in pinyin, without tones, from the character table in pinyin.txt (generated from the Unicode
/// Unihan data by tools/pinyin/generate.py). A polyphonic character gives every reading (行 → xing, hang, heng), so a
/// name has several spellings; they are bounded by <see cref="MaxVariants"/>, the most usual first.
/// Latin letters and digits pass through in lower case; spaces and punctuation are dropped.
/// </summary>
public static class Pinyin
{
    public const int MaxVariants = 16;

    private static readonly Lazy<FrozenDictionary<int, string[]>> Table = new(Load);

    /// <summary>The readings of one character, most common first; empty when it is not a known Chinese character.</summary>
    public static IReadOnlyList<string> ReadingsOf(Rune character) =>
        Table.Value.TryGetValue(character.Value, out var readings) ? readings : [];

    /// <summary>True when <paramref name="text"/> has at least one character the table spells.</summary>
    public static bool HasChinese(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (var rune in text.EnumerateRunes())
        {
            if (Table.Value.ContainsKey(rune.Value))
            {
                return true;
            }
        }

        return false;
    }

    public static PinyinSpelling Spell(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return PinyinSpelling.Empty;
        }

        // One slot per kept character: its spellings (several for a polyphonic character, itself for a letter or digit).
        var slots = new List<string[]>();
        var literal = new List<bool>();
        foreach (var rune in text.Normalize(NormalizationForm.FormKC).EnumerateRunes())
        {
            if (Table.Value.TryGetValue(rune.Value, out var readings))
            {
                slots.Add(readings);
                literal.Add(false);
            }
            else if (Rune.IsLetterOrDigit(rune))
            {
                slots.Add([Rune.ToLowerInvariant(rune).ToString()]);
                literal.Add(true);
            }
        }

        if (slots.Count == 0)
        {
            return PinyinSpelling.Empty;
        }

        var full = new List<string>();
        var initials = new List<string>();
        var builder = new StringBuilder();
        var initialsBuilder = new StringBuilder();
        foreach (var choice in Choices(slots))
        {
            builder.Clear();
            initialsBuilder.Clear();
            for (var i = 0; i < slots.Count; i++)
            {
                var spelled = slots[i][choice[i]];
                builder.Append(spelled);
                // A letter or digit is its own initial; a syllable gives its first letter.
                initialsBuilder.Append(literal[i] ? spelled : spelled[..1]);
            }

            AddDistinct(full, builder.ToString());
            AddDistinct(initials, initialsBuilder.ToString());
        }

        return new PinyinSpelling(full, initials);
    }

    /// <summary>
    /// The spellings as one column value: variants separated by spaces, as many whole variants as fit in
    /// <paramref name="maxLength"/> (the first, the most common reading, always, cut if it must be).
    /// </summary>
    public static string Join(IEnumerable<string> variants, int maxLength)
    {
        var text = new StringBuilder();
        foreach (var variant in variants)
        {
            if (text.Length == 0)
            {
                text.Append(variant.Length > maxLength ? variant[..maxLength] : variant);
            }
            else if (text.Length + 1 + variant.Length <= maxLength)
            {
                text.Append(' ').Append(variant);
            }
        }

        return text.ToString();
    }

    private static void AddDistinct(List<string> list, string value)
    {
        if (value.Length > 0 && !list.Contains(value, StringComparer.Ordinal))
        {
            list.Add(value);
        }
    }

    /// <summary>
    /// Reading choices per slot (index into its readings), at most <see cref="MaxVariants"/>, the least unusual first:
    /// a choice costs the sum of its reading ranks (0 for the customary reading, 1 for the second...), so all customary
    /// readings come first, then each second reading alone, then two of them or one third reading, and so on.
    /// </summary>
    private static IEnumerable<int[]> Choices(List<string[]> slots)
    {
        var polyphonic = Enumerable.Range(0, slots.Count).Where(i => slots[i].Length > 1).ToArray();
        var maxCost = polyphonic.Sum(i => slots[i].Length - 1);
        var produced = 0;
        for (var cost = 0; cost <= maxCost && produced < MaxVariants; cost++)
        {
            foreach (var choice in WithCost(slots, polyphonic, cost, 0, new int[slots.Count]))
            {
                yield return choice;
                if (++produced == MaxVariants)
                {
                    yield break;
                }
            }
        }
    }

    private static IEnumerable<int[]> WithCost(List<string[]> slots, int[] polyphonic, int left, int from, int[] choice)
    {
        if (left == 0)
        {
            yield return (int[])choice.Clone();
            yield break;
        }

        for (var p = from; p < polyphonic.Length; p++)
        {
            var slot = polyphonic[p];
            for (var rank = 1; rank < slots[slot].Length && rank <= left; rank++)
            {
                choice[slot] = rank;
                foreach (var result in WithCost(slots, polyphonic, left - rank, p + 1, choice))
                {
                    yield return result;
                }
            }

            choice[slot] = 0;
        }
    }

    private static FrozenDictionary<int, string[]> Load()
    {
        using var stream = typeof(Pinyin).Assembly.GetManifestResourceStream("LeadToCash.Platform.Search.pinyin.txt")
            ?? throw new InvalidOperationException("The pinyin table (Platform/Search/pinyin.txt) is not embedded in the app.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var table = new Dictionary<int, string[]>(45_000);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length > 1 && Rune.TryGetRuneAt(parts[0], 0, out var character))
            {
                table[character.Value] = parts[1..];
            }
        }

        return table.ToFrozenDictionary();
    }
}
