namespace LeadToCash.E2E.Infrastructure;

/// <summary>
/// One test's browser profile and tab. Records what the browser reports as broken (console errors such as failed
/// downloads of scripts or styles, uncaught script exceptions) so a test can demand a clean run.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly List<string> _errors = [];

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

    public static async Task<BrowserSession> StartAsync(IBrowserContext context) =>
        new(context, await context.NewPageAsync());

    public void AssertNoBrowserErrors()
    {
        lock (_errors)
        {
            Assert.True(_errors.Count == 0, "The browser reported errors:\n" + string.Join("\n", _errors));
        }
    }

    public ValueTask DisposeAsync() => Context.DisposeAsync();

    private void Record(string error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }
}
