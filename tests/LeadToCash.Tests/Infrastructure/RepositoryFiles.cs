namespace LeadToCash.Tests.Infrastructure;

/// <summary>The source files of the repository the tests were built from.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string AppSource => Path.Combine(Root, "src", "LeadToCash");

    /// <summary>Every C# and Razor file of the app, as (path relative to src/LeadToCash with '/' separators, text).</summary>
    public static IReadOnlyList<(string Path, string Text)> AppFiles() =>
        Directory.EnumerateFiles(AppSource, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !IsBuildOutput(Path.GetRelativePath(AppSource, f)))
            .Select(f => (Path.GetRelativePath(AppSource, f).Replace('\\', '/'), File.ReadAllText(f)))
            .OrderBy(f => f.Item1, StringComparer.Ordinal)
            .ToList();

    private static bool IsBuildOutput(string relative) =>
        relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
        || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LeadToCash.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds LeadToCash.slnx.");
    }
}
