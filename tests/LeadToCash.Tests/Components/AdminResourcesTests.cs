using System.Text.RegularExpressions;
using System.Xml.Linq;
using LeadToCash.Modules.Company;
using LeadToCash.Modules.Options;
using LeadToCash.Modules.Organization;

namespace LeadToCash.Tests.Components;

/// <summary>The organisation and settings pages show no string that is missing from either language.</summary>
public sealed partial class AdminResourcesTests
{
    private static readonly string Root = FindRoot();
    private static readonly HashSet<string> English = Keys("SharedResource.resx");
    private static readonly HashSet<string> Chinese = Keys("SharedResource.zh-CN.resx");
    private static readonly string[] PageFolders = ["Organization", "Settings"];

    [Fact]
    public void Pages_EveryLiteralKey_InBothLanguages()
    {
        var pages = PageFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Root, "src", "LeadToCash", "Components", "Pages", folder), "*.razor"))
            .ToList();
        Assert.NotEmpty(pages);

        var keys = pages.SelectMany(p => LiteralKey().Matches(File.ReadAllText(p)).Select(m => m.Groups[1].Value)).ToHashSet();

        Assert.Contains("Org.Teams.Title", keys);
        Assert.DoesNotContain(keys, k => !English.Contains(k));
        Assert.DoesNotContain(keys, k => !Chinese.Contains(k));
    }

    [Fact]
    public void ComposedKeys_EveryValue_InBothLanguages()
    {
        var keys = Enum.GetValues<TeamKind>().Select(k => $"Org.Kind.{k}")
            .Concat(OptionLists.All.Select(l => $"Settings.Options.List.{l}"))
            .Concat(OptionLists.All.Select(l => $"Settings.Options.About.{l}"))
            .Concat(UpdateCompanySettingsValidator.Currencies.Select(c => $"Settings.Currency.{c}"))
            .Concat(Platform.Auth.Roles.All.Select(r => $"Role.{r}"))
            .ToList();

        Assert.DoesNotContain(keys, k => !English.Contains(k));
        Assert.DoesNotContain(keys, k => !Chinese.Contains(k));
    }

    [Fact]
    public void OrgAndSettingsKeys_SameInBothLanguages()
    {
        static IEnumerable<string> Ours(IEnumerable<string> keys) =>
            keys.Where(k => k.StartsWith("Org.", StringComparison.Ordinal) || k.StartsWith("Settings.", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

        Assert.Equal(Ours(English), Ours(Chinese));
    }

    private static HashSet<string> Keys(string file) =>
        XDocument.Load(Path.Combine(Root, "src", "LeadToCash", "Platform", "Localization", file))
            .Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LeadToCash.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (LeadToCash.slnx) was not found above " + AppContext.BaseDirectory);
    }

    // L["Key"] or L["Key", args] with a literal key; keys composed at run time are covered above.
    [GeneratedRegex("""L\["([A-Za-z][A-Za-z0-9.\-]*)"[\],]""")]
    private static partial Regex LiteralKey();
}
