using System.Globalization;
using LeadToCash.Modules.Options;

namespace LeadToCash.Components.Shared;

/// <summary>An option list as a page shows it: labels in the current UI culture, codes of retired options kept readable.</summary>
public sealed class OptionLabels
{
    public static readonly OptionLabels Empty = new([]);

    private readonly Dictionary<string, OptionDto> _byCode;

    /// <param name="options">The list including inactive options, so that old records still show a label.</param>
    public OptionLabels(IReadOnlyList<OptionDto> options)
    {
        All = options;
        _byCode = options.ToDictionary(o => o.Code, StringComparer.Ordinal);
    }

    public IReadOnlyList<OptionDto> All { get; }

    /// <summary>What a select offers: the active options, plus <paramref name="current"/> if it was retired since.</summary>
    public IEnumerable<OptionDto> Choices(string? current = null) =>
        All.Where(o => o.IsActive || string.Equals(o.Code, current, StringComparison.Ordinal));

    public string? Label(string? code) =>
        code is null ? null : _byCode.TryGetValue(code, out var option) ? Text(option) : code;

    public static string Text(OptionDto option) => option.Label(CultureInfo.CurrentUICulture);
}
