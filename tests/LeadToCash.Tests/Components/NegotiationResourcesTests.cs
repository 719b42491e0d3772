using System.Text.RegularExpressions;
using System.Xml.Linq;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.Tests.Components;

/// <summary>The negotiation, playbook and quote-rule pages show no string that is missing from either language.</summary>
public sealed partial class NegotiationResourcesTests
{
    private static readonly string[] Folders = ["Components/Pages/Negotiations", "Components/Pages/Playbook", "Modules/Opportunities"];

    [Fact]
    public void Pages_EveryLiteralKey_InBothLanguages()
    {
        var root = Path.Combine(RepositoryFiles.Root, "src", "LeadToCash");
        var files = Folders.Select(f => Path.Combine(root, f)).Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Append(Path.Combine(root, "Components", "Pages", "Settings", "OpportunitySettingsPage.razor"))
            .Where(File.Exists)
            .ToList();
        var keys = files.SelectMany(f => LiteralKey().Matches(File.ReadAllText(f)).Select(m => m.Groups["key"].Value)).ToHashSet(StringComparer.Ordinal);
        var english = Keys(root, "SharedResource.resx");
        var chinese = Keys(root, "SharedResource.zh-CN.resx");

        Assert.Contains("Minutes.PanelTitle", keys);
        Assert.DoesNotContain(keys, k => !english.Contains(k));
        Assert.DoesNotContain(keys, k => !chinese.Contains(k));
    }

    [Fact]
    public void Keys_MinutesPlaybookAndQuoteRules_SameInBothLanguages()
    {
        var root = Path.Combine(RepositoryFiles.Root, "src", "LeadToCash");
        static IEnumerable<string> Ours(IEnumerable<string> keys) => keys
            .Where(k => k.StartsWith("Minutes.", StringComparison.Ordinal) || k.StartsWith("Playbook.", StringComparison.Ordinal)
                || k.StartsWith("OppSettings.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

        Assert.Equal(Ours(Keys(root, "SharedResource.resx")), Ours(Keys(root, "SharedResource.zh-CN.resx")));
    }

    private static HashSet<string> Keys(string root, string file) =>
        XDocument.Load(Path.Combine(root, "Platform", "Localization", file))
            .Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.Ordinal);

    // L["Key"], strings["Key"] or Strings["Key"] with a literal key (and optional arguments).
    [GeneratedRegex("""(?:\bL|[sS]trings)\["(?<key>[A-Za-z][A-Za-z0-9.\-]*)"[\],]""")]
    private static partial Regex LiteralKey();
}
