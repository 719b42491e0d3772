using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Localization;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Platform.Import;

/// <summary>
/// A record of the system that a file value can stand for (a stage, a product, a person, a customer): the key the user's
/// choice names, the label shown, and the names a file may call it by (matched after <see cref="ColumnMapping.Normalize"/>).
/// </summary>
public sealed record ValueTarget(string Key, string Label, IReadOnlyList<string> Names);

/// <summary>
/// The system's side of a value-mapped field: a field whose file values stand for records of the system. The user matches
/// each distinct value of the file to one of them (or to none: its rows are rejected); the writer gets the chosen key.
/// </summary>
public interface IValueTargets
{
    /// <summary>The field key, as in <see cref="IRecordImporter.Fields"/>.</summary>
    string Field { get; }

    /// <summary>The field's name in the run's language, for rejection reasons.</summary>
    string Label { get; }

    /// <summary>
    /// Every target, when there are few enough to choose from (a pipeline's stages, the catalogue, the people); null when
    /// there are too many to list (customers): the user takes a suggestion or rejects the value's rows.
    /// </summary>
    IReadOnlyList<ValueTarget>? Choices { get; }

    /// <summary>The target suggested for each value that has one (values without a suggestion are left out).</summary>
    Task<IReadOnlyDictionary<string, ValueTarget>> SuggestAsync(IReadOnlyCollection<string> values, CancellationToken ct);

    /// <summary>The targets of the given keys that exist and may be chosen (to check the user's choices and label them).</summary>
    Task<IReadOnlyDictionary<string, ValueTarget>> FindAsync(IReadOnlyCollection<string> keys, CancellationToken ct);
}

/// <summary>Targets few enough to hold in memory: suggestions by <see cref="ValueMatcher"/>.</summary>
public sealed class ListedValueTargets(string fieldKey, string label, IReadOnlyList<ValueTarget> targets) : IValueTargets
{
    private readonly Dictionary<string, ValueTarget> _byKey = targets.GroupBy(t => t.Key, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    public string Field => fieldKey;

    public string Label => label;

    public IReadOnlyList<ValueTarget>? Choices => targets;

    public Task<IReadOnlyDictionary<string, ValueTarget>> SuggestAsync(IReadOnlyCollection<string> values, CancellationToken ct)
    {
        var matcher = new ValueMatcher(targets);
        var found = new Dictionary<string, ValueTarget>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (matcher.Suggest(value) is { } target)
            {
                found[value] = target;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, ValueTarget>>(found);
    }

    public Task<IReadOnlyDictionary<string, ValueTarget>> FindAsync(IReadOnlyCollection<string> keys, CancellationToken ct) =>
        Task.FromResult<IReadOnlyDictionary<string, ValueTarget>>(keys.Where(_byKey.ContainsKey).Distinct(StringComparer.Ordinal)
            .ToDictionary(k => k, k => _byKey[k], StringComparer.Ordinal));
}

/// <summary>
/// Suggests the target a file value stands for: the one with a name equal to it after normalisation (case, width, spaces,
/// punctuation: "GTXPro" is "GTX Pro"), else the one whose name contains it or is contained in it (the closest in length,
/// at least half as long), else the one within a small edit distance ("Enagaging" → "Engaging"); none when two are equally
/// close, so that a guess never decides between look-alikes.
/// </summary>
public sealed class ValueMatcher
{
    private readonly List<(string Name, ValueTarget Target)> _names;

    public ValueMatcher(IEnumerable<ValueTarget> targets) =>
        _names = [.. targets.SelectMany(t => t.Names.Append(t.Label).Select(n => (Name: ColumnMapping.Normalize(n), Target: t)))
            .Where(x => x.Name.Length > 0)];

    public ValueTarget? Suggest(string value)
    {
        var text = ColumnMapping.Normalize(value);
        if (text.Length == 0)
        {
            return null;
        }

        var exact = Distinct(_names.Where(n => n.Name == text).Select(n => n.Target));
        if (exact.Count > 0)
        {
            return exact.Count == 1 ? exact[0] : null;
        }

        // Containment: "Special" → "MG Special", when it is at least half as long as the name and no other target's name
        // contains it ("GTX" fits five products and so suggests none).
        var overlaps = _names.Select(n => (n.Target, Ratio: Overlap(n.Name, text))).Where(x => x.Ratio >= 0.25).ToList();
        var containing = Distinct(overlaps.Select(x => x.Target));
        if (containing.Count > 1)
        {
            return null;
        }

        if (containing.Count == 1 && overlaps.Max(x => x.Ratio) >= 0.5)
        {
            return containing[0];
        }

        // Typos: at most one edit in four characters (and at least one).
        var close = _names
            .Select(n => (n.Target, Distance: (double)Distance(n.Name, text), Allowed: Math.Max(1, Math.Max(n.Name.Length, text.Length) / 4)))
            .Where(x => x.Distance <= x.Allowed)
            .Select(x => (x.Target, Score: x.Distance));
        return Closest(close);
    }

    /// <summary>How much of the longer text the shorter one is, when one contains the other; else 0.</summary>
    private static double Overlap(string name, string text)
    {
        var (shorter, longer) = name.Length <= text.Length ? (name, text) : (text, name);

        // Chinese names are short ("谈判"); Latin ones need three letters before containment means anything.
        var minimum = shorter.Any(IsCjk) ? 2 : 3;
        return shorter.Length >= minimum && longer.Contains(shorter, StringComparison.Ordinal) ? (double)shorter.Length / longer.Length : 0;
    }

    private static bool IsCjk(char ch) => ch is >= '\u4E00' and <= '\u9FFF';

    private static List<ValueTarget> Distinct(IEnumerable<ValueTarget> targets) =>
        [.. targets.DistinctBy(t => t.Key, StringComparer.Ordinal)];

    private static ValueTarget? Closest(IEnumerable<(ValueTarget Target, double Score)> candidates)
    {
        var scored = candidates
            .GroupBy(c => c.Target.Key, StringComparer.Ordinal)
            .Select(g => (g.First().Target, Score: g.Min(c => c.Score)))
            .ToList();
        if (scored.Count == 0)
        {
            return null;
        }

        var best = scored.Min(s => s.Score);
        var winners = scored.Where(s => s.Score.Equals(best)).ToList();
        return winners.Count == 1 ? winners[0].Target : null;
    }

    /// <summary>Levenshtein distance (insertions, deletions, substitutions).</summary>
    public static int Distance(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return Math.Max(a.Length, b.Length);
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

/// <summary>One distinct value of a value-mapped column: how many rows hold it, the suggestion and the target in force.</summary>
public sealed record ImportValueDto(string Value, int Count, string? Suggested, string? SuggestedLabel, string? Target, string? TargetLabel);

public sealed record ImportValueTargetDto(string Key, string Label);

/// <summary>
/// A value-mapped field of the file: its distinct values (the most frequent <see cref="ValueMaps.MaxListedValues"/>, with
/// <see cref="DistinctValues"/> counting all), and the targets to choose from (null: too many to list; suggestions only).
/// </summary>
public sealed record ImportValueFieldDto(string Field, int DistinctValues, IReadOnlyList<ImportValueDto> Values,
    IReadOnlyList<ImportValueTargetDto>? Targets);

/// <summary>
/// The value maps of a run. The user's choices are kept with the job compactly: only those that differ from the suggestion
/// (a value mapped elsewhere, or to nothing); every other value takes its suggestion, found again when the run meets it.
/// </summary>
public static class ValueMaps
{
    /// <summary>How many distinct values of a column are listed for matching (the most frequent first).</summary>
    public const int MaxListedValues = 500;

    /// <summary>The longest file value kept as a choice (longer ones are never a stage or a name).</summary>
    public const int MaxValueLength = 200;

    /// <summary>The value-mapped fields that a column fills under the settings, with their targets.</summary>
    public static async Task<IReadOnlyList<IValueTargets>> MappedTargetsAsync(IRecordImporter importer, CurrentUser user,
        ImportSettings settings, CancellationToken ct)
    {
        var mapped = settings.Columns.OfType<string>().ToHashSet(StringComparer.Ordinal);
        var targets = await importer.ValueTargetsAsync(user, settings, ct);
        return [.. targets.Where(t => mapped.Contains(t.Field))];
    }

    /// <summary>
    /// Checks the user's choices (fields that map values, targets that exist) and keeps those that differ from the suggestion.
    /// A choice of an unknown target is refused when <paramref name="strict"/>, else dropped (a preview after the pipeline
    /// changed keeps working).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>?> CompactAsync(
        IReadOnlyList<IValueTargets> targets, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>? choices, bool strict,
        CancellationToken ct)
    {
        if (choices is null || choices.Count == 0)
        {
            return null;
        }

        var failures = new List<ValidationFailure>();
        var kept = new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.Ordinal);
        foreach (var (field, values) in choices)
        {
            var domain = targets.FirstOrDefault(t => t.Field == field);
            if (domain is null)
            {
                if (strict)
                {
                    failures.Add(new ValidationFailure("values", $"'{field}' is not a value-mapped field of this import's columns."));
                }

                continue;
            }

            var chosen = values.Where(v => v.Key.Trim().Length > 0 && v.Key.Trim().Length <= MaxValueLength)
                .GroupBy(v => v.Key.Trim(), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => string.IsNullOrEmpty(g.Last().Value) ? null : g.Last().Value, StringComparer.Ordinal);
            var existing = await domain.FindAsync([.. chosen.Values.OfType<string>().Distinct(StringComparer.Ordinal)], ct);
            var suggested = await domain.SuggestAsync(chosen.Keys, ct);
            var differing = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (value, key) in chosen)
            {
                if (key is not null && !existing.ContainsKey(key))
                {
                    if (strict)
                    {
                        failures.Add(new ValidationFailure("values", $"'{key}' is no choice for {field} \"{value}\"."));
                    }

                    continue;
                }

                var suggestion = suggested.TryGetValue(value, out var s) ? s.Key : null;
                if (!string.Equals(suggestion, key, StringComparison.Ordinal))
                {
                    differing[value] = key;
                }
            }

            if (differing.Count > 0)
            {
                kept[field] = differing;
            }
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }

        return kept.Count == 0 ? null : kept;
    }

    /// <summary>The distinct values of each value-mapped column in the whole file, their counts, suggestions and choices.</summary>
    public static async Task<IReadOnlyList<ImportValueFieldDto>> DescribeAsync(IReadOnlyList<IValueTargets> targets, ImportSettings settings,
        IEnumerable<SheetRow> rows, CancellationToken ct)
    {
        if (targets.Count == 0)
        {
            return [];
        }

        var columns = targets.Select(t => (Targets: t, Column: settings.Columns.ToList().IndexOf(t.Field))).ToList();
        var counts = columns.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToList();
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                if (row.Cell(columns[i].Column)?.Trim() is { Length: > 0 and <= MaxValueLength } value)
                {
                    counts[i][value] = counts[i].GetValueOrDefault(value) + 1;
                }
            }
        }

        var result = new List<ImportValueFieldDto>(columns.Count);
        for (var i = 0; i < columns.Count; i++)
        {
            var domain = columns[i].Targets;
            var listed = counts[i].OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(MaxListedValues).ToList();
            var suggested = await domain.SuggestAsync([.. listed.Select(v => v.Key)], ct);
            var chosen = settings.Values?.GetValueOrDefault(domain.Field) ?? new Dictionary<string, string?>();
            var labels = (domain.Choices ?? []).Concat(suggested.Values).GroupBy(t => t.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().Label, StringComparer.Ordinal);
            var unlabelled = chosen.Values.OfType<string>().Where(k => !labels.ContainsKey(k)).Distinct(StringComparer.Ordinal).ToList();
            foreach (var (key, target) in unlabelled.Count == 0 ? new Dictionary<string, ValueTarget>() : await domain.FindAsync(unlabelled, ct))
            {
                labels[key] = target.Label;
            }

            var values = listed.Select(v =>
            {
                var suggestion = suggested.GetValueOrDefault(v.Key);
                var target = chosen.TryGetValue(v.Key, out var c) ? c : suggestion?.Key;
                return new ImportValueDto(v.Key, v.Value, suggestion?.Key, suggestion?.Label, target, target is null ? null : labels.GetValueOrDefault(target));
            }).ToList();
            result.Add(new ImportValueFieldDto(domain.Field, counts[i].Count, values,
                domain.Choices?.Select(t => new ImportValueTargetDto(t.Key, t.Label)).ToList()));
        }

        return result;
    }
}

/// <summary>
/// Applies a run's value maps to batches of rows: each value takes the user's choice, else its suggestion (found once per
/// distinct value); a row with a value mapped to nothing is rejected with the reason, and never reaches the writer.
/// </summary>
internal sealed class ValueMapRun(IReadOnlyList<IValueTargets> targets, ImportSettings settings, IStringLocalizer<SharedResource> strings)
{
    private readonly Dictionary<string, Dictionary<string, string?>> _resolved = targets.ToDictionary(t => t.Field,
        t => new Dictionary<string, string?>(settings.Values?.GetValueOrDefault(t.Field) ?? new Dictionary<string, string?>(), StringComparer.Ordinal),
        StringComparer.Ordinal);

    public bool IsEmpty => targets.Count == 0;

    /// <summary>The rows for the writer (with their targets) and, by index in the batch, the rows rejected here.</summary>
    public async Task<(List<MappedRow> Rows, RowResult?[] Rejected)> ApplyAsync(IReadOnlyList<MappedRow> rows, CancellationToken ct)
    {
        var rejected = new RowResult?[rows.Count];
        if (IsEmpty)
        {
            return ([.. rows], rejected);
        }

        foreach (var domain in targets)
        {
            var resolved = _resolved[domain.Field];
            var unknown = rows.Select(r => r[domain.Field]?.Trim()).OfType<string>()
                .Where(v => v.Length > 0 && !resolved.ContainsKey(v)).Distinct(StringComparer.Ordinal).ToList();
            if (unknown.Count == 0)
            {
                continue;
            }

            var suggested = await domain.SuggestAsync(unknown, ct);
            foreach (var value in unknown)
            {
                resolved[value] = suggested.TryGetValue(value, out var target) ? target.Key : null;
            }
        }

        var passed = new List<MappedRow>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var keys = new Dictionary<string, string>(StringComparer.Ordinal);
            var reasons = new List<string>();
            foreach (var domain in targets)
            {
                if (row[domain.Field]?.Trim() is not { Length: > 0 } value)
                {
                    continue;
                }

                if (_resolved[domain.Field].GetValueOrDefault(value) is { } key)
                {
                    keys[domain.Field] = key;
                }
                else
                {
                    reasons.Add(strings["Import.Reason.NotMapped", domain.Label, value].Value);
                }
            }

            if (reasons.Count > 0)
            {
                rejected[i] = new RowResult(row.Number, RowOutcome.Rejected, string.Join("; ", reasons));
            }
            else
            {
                passed.Add(row with { Targets = keys });
            }
        }

        return (passed, rejected);
    }

    /// <summary>The writer's results for the rows that passed, merged with the rows rejected here, in the batch's order.</summary>
    public static IReadOnlyList<RowResult> Merge(RowResult?[] rejected, IReadOnlyList<RowResult> written)
    {
        var results = new RowResult[rejected.Length];
        var next = 0;
        for (var i = 0; i < rejected.Length; i++)
        {
            results[i] = rejected[i] ?? written[next++];
        }

        return results;
    }
}
