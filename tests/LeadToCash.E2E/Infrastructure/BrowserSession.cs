namespace LeadToCash.E2E.Infrastructure;

/// <summary>
/// One test's browser profile and tab. Records what the browser reports as broken (console errors such as failed
/// downloads of scripts or styles, uncaught script exceptions, anything the Content-Security-Policy blocked) so a test
/// can demand a clean run.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
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

    public ValueTask DisposeAsync() => Context.DisposeAsync();

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
