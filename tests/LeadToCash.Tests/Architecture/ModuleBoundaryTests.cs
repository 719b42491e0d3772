using System.Text.RegularExpressions;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.Tests.Architecture;

/// <summary>
/// A module uses another module only through that module's root namespace (its entities and small public API
/// classes such as OptionCodes), never through the namespaces of its slices.
/// </summary>
public sealed partial class ModuleBoundaryTests
{
    [Fact]
    public void ModuleFiles_ReferencesToOtherModules_GoOnlyToTheirRootNamespace()
    {
        var offenders = new List<string>();
        var modules = 0;
        foreach (var (path, text) in RepositoryFiles.AppFiles().Where(f => f.Path.StartsWith("Modules/", StringComparison.Ordinal)))
        {
            modules++;
            var own = path.Split('/')[1];
            foreach (Match match in ModuleReference().Matches(text))
            {
                var module = match.Groups["module"].Value;
                if (module != own && match.Groups["slice"].Success)
                {
                    offenders.Add($"{path}: {match.Value}");
                }
            }
        }

        Assert.True(modules > 0, "No module files found.");
        Assert.True(offenders.Count == 0,
            "Modules reaching into another module's slices (expose what is needed from the module's root namespace):\n"
            + string.Join("\n", offenders.Distinct()));
    }

    [Fact]
    public void PlatformFiles_ModuleSlices_AreUsedOnlyByCompositionAndTheCommandLine()
    {
        // Composition, the command line and the account endpoints wire modules together; nothing else in Platform may.
        string[] allowed = ["Platform/Web/", "Platform/Cli/", "Platform/Data/AppDbContext.cs"];
        var offenders = RepositoryFiles.AppFiles()
            .Where(f => f.Path.StartsWith("Platform/", StringComparison.Ordinal) && !allowed.Any(a => f.Path.StartsWith(a, StringComparison.Ordinal)))
            .SelectMany(f => ModuleReference().Matches(f.Text).Where(m => m.Groups["slice"].Success).Select(m => $"{f.Path}: {m.Value}"))
            .Distinct()
            .ToList();

        Assert.True(offenders.Count == 0, "Platform code depending on module slices:\n" + string.Join("\n", offenders));
    }

    [GeneratedRegex(@"LeadToCash\.Modules\.(?<module>\w+)(?:\.(?<slice>\w+))?(?=[\s;.,>)])", RegexOptions.CultureInvariant)]
    private static partial Regex ModuleReference();
}
