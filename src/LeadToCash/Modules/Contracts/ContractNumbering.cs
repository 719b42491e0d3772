using System.Globalization;
using System.Text.RegularExpressions;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Contracts;

/// <summary>
/// Contract numbers from the company's pattern: {yyyy} (or {yy}) the company year, {MM} the month, {seq:N} the running
/// number with at least N digits, counted per rendered prefix and suffix ("HT-{yyyy}-{seq:4}" → HT-2026-0001, HT-2026-0002…;
/// a new year starts again at 0001). The unique index on the number decides between two people numbering at once.
/// </summary>
public static partial class ContractNumbering
{
    public const string DefaultPattern = "HT-{yyyy}-{seq:4}";
    public const int MaxPatternLength = 30;

    /// <summary>Why the pattern cannot number contracts, or null when it can.</summary>
    public static string? Problem(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern) || pattern.Length > MaxPatternLength)
        {
            return $"The number pattern needs 1 to {MaxPatternLength} characters.";
        }

        if (SeqToken().Count(pattern) != 1)
        {
            return "The number pattern needs exactly one running number: {seq} or {seq:N} (N = 1 to 9 digits).";
        }

        var rest = SeqToken().Replace(Tokens().Replace(pattern, ""), "");
        return rest.Contains('{', StringComparison.Ordinal) || rest.Contains('}', StringComparison.Ordinal) || !AllowedText().IsMatch(rest)
            ? "The number pattern may hold letters, digits, - _ / . and the placeholders {yyyy}, {yy}, {MM}, {seq:N}."
            : null;
    }

    /// <summary>The pattern rendered for the date, around the running number: (prefix, digits, suffix).</summary>
    public static (string Prefix, int Digits, string Suffix) Parts(string pattern, DateOnly today)
    {
        var match = SeqToken().Match(pattern);
        var digits = match.Groups["digits"].Success ? int.Parse(match.Groups["digits"].Value, CultureInfo.InvariantCulture) : 1;
        return (Render(pattern[..match.Index], today), digits, Render(pattern[(match.Index + match.Length)..], today));
    }

    public static string Format(string pattern, DateOnly today, int seq)
    {
        var (prefix, digits, suffix) = Parts(pattern, today);
        return prefix + seq.ToString(new string('0', digits), CultureInfo.InvariantCulture) + suffix;
    }

    /// <summary>
    /// The next free number. Reads the numbers of every contract (only the numbers), so <paramref name="allContracts"/> must
    /// be a context that sees them all: numbers count per company, not per scope.
    /// </summary>
    public static async Task<string> NextAsync(AppDbContext allContracts, string pattern, DateOnly today, CancellationToken ct)
    {
        var (prefix, digits, suffix) = Parts(pattern, today);
        var numbers = await allContracts.Contracts.AsNoTracking()
            .Where(c => c.Number.StartsWith(prefix)).Select(c => c.Number).ToListAsync(ct);
        var last = numbers
            .Where(n => n.Length > prefix.Length + suffix.Length && n.EndsWith(suffix, StringComparison.Ordinal))
            .Select(n => int.TryParse(n.AsSpan(prefix.Length, n.Length - prefix.Length - suffix.Length), NumberStyles.None,
                CultureInfo.InvariantCulture, out var seq) ? seq : 0)
            .DefaultIfEmpty(0).Max();
        return prefix + (last + 1).ToString(new string('0', digits), CultureInfo.InvariantCulture) + suffix;
    }

    private static string Render(string text, DateOnly today) => Tokens().Replace(text, m => m.Value switch
    {
        "{yyyy}" => today.Year.ToString("0000", CultureInfo.InvariantCulture),
        "{yy}" => (today.Year % 100).ToString("00", CultureInfo.InvariantCulture),
        _ => today.Month.ToString("00", CultureInfo.InvariantCulture),
    });

    [GeneratedRegex(@"\{seq(?::(?<digits>[1-9]))?\}", RegexOptions.CultureInvariant)]
    private static partial Regex SeqToken();

    [GeneratedRegex(@"\{(?:yyyy|yy|MM)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Tokens();

    [GeneratedRegex(@"^[\p{L}\p{N}\-_/.]*$", RegexOptions.CultureInvariant)]
    private static partial Regex AllowedText();
}
