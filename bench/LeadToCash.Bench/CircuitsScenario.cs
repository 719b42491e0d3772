using System.Diagnostics;
using Microsoft.Playwright;

namespace LeadToCash.Bench;

/// <summary>
/// Many Blazor circuits at once: one headless Chromium (Debian's) signs in once, then opens N tabs of the customer list
/// and waits until each is interactive. The growth of the server's live managed heap (after a full collection, see
/// <see cref="LiveHeap"/>) divided by N is the memory per idle circuit; the growth of its resident set (VmRSS, which also
/// counts garbage not yet collected, free heap space and native memory) is reported beside it as an upper bound. Then one
/// interaction: typing a filter until the list shows it.
/// </summary>
internal static class CircuitsScenario
{
    public const double TargetMbPerCircuit = 1.0;

    // Debian's Chromium; Playwright downloads no browser. Every host name but the loopback fails to resolve.
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
        // 50 tabs of one site need not be 50 renderer processes (about 200 MB each): the server's circuits are the same.
        "--renderer-process-limit=8",
    ];

    // The layout's root element: present once the circuit is interactive (it need not be "visible" to Playwright).
    private static readonly LocatorWaitForOptions Attached = new() { State = WaitForSelectorState.Attached };

    public static async Task<ScenarioResult> RunAsync(BenchContext context)
    {
        var options = context.Options;
        var n = options.Circuits;
        var title = $"Blazor customer list, {n} circuits";
        Console.WriteLine($"-- {title} (manager)");
        var figures = new Dictionary<string, double>();
        string? failure = null;
        context.Memory.Start();
        var settle = TimeSpan.FromSeconds(options.Smoke ? 1 : 5);
        IPage? current = null;
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ChromiumArgs,
                Timeout = 60_000,
            });
            await using var browserContext = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = options.BaseUrl.ToString(),
                Locale = "en-US",
                ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            });
            browserContext.SetDefaultTimeout(120_000);

            // Sign in once; the cookie serves every tab. The home page's circuit stays open through the measurement.
            var home = current = await browserContext.NewPageAsync();
            await home.GotoAsync("account/login");
            await home.Locator("#email").FillAsync(context.Manager.Email);
            await home.Locator("#password").FillAsync(LeadToCash.Platform.Cli.ScaleData.Password);
            await home.GetByTestId("sign-in").ClickAsync();
            await home.Locator("[data-interactive=true]").WaitForAsync(Attached);

            // One tab of the list first, kept open: the page's code is compiled and its caches filled before "before".
            await OpenListAsync(browserContext);
            await Task.Delay(settle);
            var before = await SteadyRssAsync(context);
            var heapBefore = await LiveHeap.BytesAsync(options.AppPid, DumpFile(options, "before"));
            var opened = Stopwatch.StartNew();
            var pages = new List<IPage>();
            // A few tabs at a time, each waited for until interactive with its first rows shown.
            foreach (var batch in Enumerable.Range(0, n).Chunk(5))
            {
                var started = await Task.WhenAll(batch.Select(_ => OpenListAsync(browserContext)));
                pages.AddRange(started);
            }

            figures["openSeconds"] = Math.Round(opened.Elapsed.TotalSeconds, 1);
            await Task.Delay(settle);
            var heapAfter = await LiveHeap.BytesAsync(options.AppPid, DumpFile(options, "after"));
            var after = await SteadyRssAsync(context);
            figures["circuits"] = n;
            figures["heapBeforeMiB"] = Math.Round(heapBefore / 1024.0 / 1024, 1);
            figures["heapAfterMiB"] = Math.Round(heapAfter / 1024.0 / 1024, 1);
            figures["mbPerCircuit"] = Math.Round((heapAfter - heapBefore) / (double)n / 1_000_000, 2);
            figures["rssBeforeMiB"] = ServerMemory.MiB(before);
            figures["rssAfterMiB"] = ServerMemory.MiB(after);
            figures["rssMbPerCircuit"] = Math.Round((after - before) * 1024.0 / n / 1_000_000, 2);

            // One interaction: type part of a visible customer's name into the list's filter and wait until every row
            // shown has it (includes the field's 350 ms debounce).
            var times = new List<double>();
            var page0 = current = pages[0];
            var names = await page0.Locator("[data-testid=customer-link]").AllInnerTextsAsync();
            // Each term replaces the last one, so each wait sees the list change.
            foreach (var term in names.Where(x => x.Length >= 6).Select(x => x[2..5]).Distinct(StringComparer.Ordinal).Take(options.Smoke ? 2 : 5))
            {
                var input = page0.Locator("input[data-testid=customer-search]");
                var typed = Stopwatch.StartNew();
                await input.FillAsync(term);
                await page0.WaitForFunctionAsync(
                    "term => { const links = [...document.querySelectorAll('[data-testid=customer-link]')]; " +
                    "return links.length > 0 && links.every(l => l.textContent.includes(term)); }", term);
                times.Add(typed.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            figures["filterP50Ms"] = Measure.Percentile(times, 50);
            figures["filterMaxMs"] = times.Count > 0 ? Math.Round(times[^1], 1) : double.NaN;
            foreach (var page in pages)
            {
                await page.CloseAsync();
            }
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or InvalidOperationException)
        {
            failure = e.Message.ReplaceLineEndings(" ");
            if (current is not null)
            {
                // What the browser showed, next to the results, to see why.
                var shot = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.Output))!, "circuits-failure.png");
                try
                {
                    await current.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
                    failure += $" (screenshot: {shot}; page {current.Url})";
                }
                catch (PlaywrightException)
                {
                    // The browser is gone; the message above is all there is.
                }
            }
        }

        var peak = await context.Memory.StopAsync();
        var perCircuit = figures.GetValueOrDefault("mbPerCircuit", double.NaN);
        var result = new ScenarioResult
        {
            Id = "circuits",
            Title = title,
            Kind = "circuits",
            Who = "manager, one signed-in browser",
            Notes = "memory per circuit = growth of the server's live managed heap (dotnet-gcdump after a full collection) ÷ circuits, " +
                $"{settle.TotalSeconds:0} s after the last tab became interactive (the resident set's growth ÷ circuits beside it, an upper bound); filter = typing 3 characters of a name until only matching rows show (350 ms debounce included)",
            PeakMemoryMiB = ServerMemory.MiB(peak),
            Figures = failure is null ? figures : new Dictionary<string, double>(figures) { ["errors"] = 1 },
            Targets = [new TargetCheck($"≤ {TargetMbPerCircuit:0} MB per idle circuit", failure is null ? perCircuit : null,
                failure is null ? perCircuit <= TargetMbPerCircuit : null)],
            Failure = failure,
        };
        Console.WriteLine(Report.Line(result));
        return result;
    }

    private static string DumpFile(BenchOptions options, string moment) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.Output))!, $"circuits-{moment}.gcdump");

    private static async Task<IPage> OpenListAsync(IBrowserContext browser)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("customers");
        await page.Locator("[data-interactive=true]").WaitForAsync(Attached);
        await page.Locator("[data-testid=customer-link]").First.WaitForAsync();
        return page;
    }

    // The resident set moves while the GC works: the median of five readings 200 ms apart.
    private static async Task<long> SteadyRssAsync(BenchContext context)
    {
        var readings = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            readings.Add(context.Memory.RssKb);
            await Task.Delay(200);
        }

        readings.Sort();
        return readings[2];
    }
}
