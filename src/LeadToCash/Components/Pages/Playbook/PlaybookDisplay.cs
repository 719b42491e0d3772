using System.Globalization;
using LeadToCash.Modules.Opportunities;
using MudBlazor;

namespace LeadToCash.Components.Pages.Playbook;

/// <summary>How playbook entries and stages show: names in the user's language, an icon and a label key per kind.</summary>
public static class PlaybookDisplay
{
    public static readonly IReadOnlyList<PlaybookKind> Kinds = Enum.GetValues<PlaybookKind>();

    /// <summary>The Chinese name for Chinese users, else the English one when there is one.</summary>
    public static string Name(string name, string? nameEn) =>
        CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) || string.IsNullOrWhiteSpace(nameEn) ? name : nameEn;

    public static string KindKey(PlaybookKind kind) => $"Playbook.Kind.{kind}";

    public static string Icon(PlaybookKind kind) => kind switch
    {
        PlaybookKind.Objection => Icons.Material.Filled.QuestionAnswer,
        PlaybookKind.SuccessCase => Icons.Material.Filled.EmojiEvents,
        _ => Icons.Material.Filled.RecordVoiceOver,
    };

    public static Color KindColor(PlaybookKind kind) => kind switch
    {
        PlaybookKind.Objection => Color.Warning,
        PlaybookKind.SuccessCase => Color.Success,
        _ => Color.Info,
    };

    public static IReadOnlyList<string> Tags(string? tags) =>
        string.IsNullOrWhiteSpace(tags) ? [] : tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
