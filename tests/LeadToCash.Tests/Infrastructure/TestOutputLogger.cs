using Microsoft.Extensions.Logging;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>
/// Sends the app's log lines to the output of the test that caused them (shown next to a failing test),
/// not to the process console, where a background writer could split the runner's own lines.
/// </summary>
internal sealed class TestOutputLoggerProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(categoryName);

    public void Dispose()
    {
    }

    private sealed class TestOutputLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var output = Xunit.TestContext.Current.TestOutputHelper;
            if (output is null)
            {
                return;
            }
            try
            {
                output.WriteLine($"[{logLevel}] {category}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
            }
            catch (InvalidOperationException)
            {
                // The test has already finished; its output is closed.
            }
        }
    }
}
