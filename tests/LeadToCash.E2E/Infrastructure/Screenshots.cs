namespace LeadToCash.E2E.Infrastructure;

/// <summary>Full-page screenshots kept as test artifacts in TestResults/e2e-screenshots at the repository root.</summary>
public static class Screenshots
{
    public static readonly string Directory = FindDirectory();

    public static async Task SaveAsync(IPage page, string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(Directory, name + ".png"),
            FullPage = true,
            Animations = ScreenshotAnimations.Disabled, // menus and drawers as they end up, not half-way in
        });
    }

    private static string FindDirectory()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "LeadToCash.slnx")))
        {
            folder = folder.Parent;
        }

        return Path.Combine(folder?.FullName ?? AppContext.BaseDirectory, "TestResults", "e2e-screenshots");
    }
}
