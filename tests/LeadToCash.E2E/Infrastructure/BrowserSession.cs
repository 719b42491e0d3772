using System.Collections.Concurrent;

namespace LeadToCash.E2E.Infrastructure;

/// <summary>
/// One test's browser profile and tab. Records what the browser reports as broken (console errors such as failed
/// downloads of scripts or styles, uncaught script exceptions, anything the Content-Security-Policy blocked) so a test
/// can demand a clean run. When an assertion of the test that opened it fails, the tab is saved as a screenshot in
/// TestResults/e2e-failures before the profile closes, so that a failure on CI shows what the page showed.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<string, bool> FailedTests = new(StringComparer.Ordinal);

    static BrowserSession()
    {
        // Assertions throw on the test's own flow, where xunit's TestContext names the test.
        AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
        {
            if (e.Exception is Xunit.Sdk.IAssertionException or TimeoutException
                || e.Exception is PlaywrightException { Message: var message } && message.StartsWith("Locator expected", StringComparison.Ordinal))
            {
                if (TestContext.Current.Test?.UniqueID is { } test)
                {
                    FailedTests[test] = true;
                }
            }
        };
    }

    private readonly string? _test = TestContext.Current.Test?.UniqueID;
    private readonly string _testName = TestContext.Current.Test?.TestDisplayName ?? "unknown";
    private const string ReportViolation = """
        document.addEventListener('securitypolicyviolation', e => window.__reportCspViolation(
          `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile || location.href}:${e.lineNumber}`));
        """;

    private readonly List<string> _errors = [];
    private readonly List<string> _cspViolations = [];

    private BrowserSession(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Record($"console error: {message.Text} (at {message.Location})");
            }
        };
        page.PageError += (_, error) => Record("uncaught error: " + error);
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>What the page's Content-Security-Policy blocked so far (directive, blocked address, where).</summary>
    public IReadOnlyList<string> CspViolations
    {
        get
        {
            lock (_errors)
            {
                return [.. _cspViolations];
            }
        }
    }

    public static async Task<BrowserSession> StartAsync(IBrowserContext context)
    {
        // Reported to the test as it happens: a binding survives navigations, a variable on the page would not.
        BrowserSession? session = null;
        await context.ExposeBindingAsync("__reportCspViolation", (BindingSource _, string violation) => session?.RecordViolation(violation));
        await context.AddInitScriptAsync(ReportViolation);
        session = new BrowserSession(context, await context.NewPageAsync());
        return session;
    }

    public void AssertNoBrowserErrors()
    {
        lock (_errors)
        {
            Assert.True(_errors.Count == 0, "The browser reported errors:\n" + string.Join("\n", _errors));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_test is not null && FailedTests.ContainsKey(_test))
        {
            await SaveFailureScreenshotAsync();
        }

        await Context.DisposeAsync();
    }

    private async Task SaveFailureScreenshotAsync()
    {
        var folder = Path.Combine(Path.GetDirectoryName(Screenshots.Directory)!, "e2e-failures");
        Directory.CreateDirectory(folder);
        var name = string.Concat(_testName.Split(Path.GetInvalidFileNameChars())) + "-" + Guid.NewGuid().ToString("N")[..6];
        try
        {
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true, Timeout = 10_000 });
            string errors;
            lock (_errors)
            {
                errors = string.Join("\n", _errors);
            }

            await File.WriteAllTextAsync(Path.Combine(folder, name + ".txt"), $"{Page.Url}\n{errors}\n");
        }
        catch (PlaywrightException)
        {
            // The page is gone; the test's own message is all there is.
        }
    }

    private void RecordViolation(string violation)
    {
        lock (_errors)
        {
            _cspViolations.Add(violation);
        }

        Record("content security policy: " + violation);
    }

    private void Record(string error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }
}
