using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>
/// The real executable (the app's build output) run as a separate process in the Production environment, with its
/// data folder under <paramref name="work"/>: command-line commands that exit, or the web server.
/// Settings are environment variables (Name__Key); the test runner's own database settings are not passed on.
/// </summary>
public sealed partial class AppProcess
{
    private readonly string work;

    public AppProcess(string work)
    {
        this.work = work;
        Directory.CreateDirectory(work);
    }

    public string DataDirectory => Path.Combine(work, "data");

    /// <summary>The SQLite database file in the data folder (the default provider).</summary>
    public string SqliteFile => Path.Combine(DataDirectory, "leadtocash.db");

    public static string AppDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                ? "Release" : "Debug";
            return Path.Combine(RepositoryFiles.Root, "src", "LeadToCash", "bin", configuration, "net10.0", "LeadToCash.dll");
        }
    }

    /// <summary>Runs a command to its end (killed after <paramref name="timeout"/>): its exit code and all it wrote.</summary>
    public async Task<(int Exit, string Output)> RunAsync(string[] args, (string Name, string Value)[] settings, TimeSpan timeout,
        CancellationToken ct)
    {
        using var process = Start(args, settings);
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }

    /// <summary>
    /// Starts the web server on a loopback port of its own choosing (no race for a free port with other tests); its
    /// address is known once it has started: see <see cref="Server"/>.
    /// </summary>
    public Server StartServer((string Name, string Value)[] settings) =>
        new(Start([], [("Urls", "http://127.0.0.1:0"), ("Logging__LogLevel__Microsoft.Hosting.Lifetime", "Information"), .. settings]));

    public Process Start(string[] args, (string Name, string Value)[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = work,
        };
        start.ArgumentList.Add(AppDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Storage__DataDirectory"] = DataDirectory;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Jobs__Enabled"] = "false";
        start.Environment["DOTNET_TieredPGO"] = "0"; // short runs: see the test project's TieredPGO
        foreach (var name in new[] { "Database__Provider", "Database__ConnectionString", "AllowDemoData", "Demo", "ASPNETCORE_URLS" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    /// <summary>
    /// A web server process: wait until it has started (or for any line it writes), then talk to <see cref="Address"/>;
    /// disposing kills it.
    /// </summary>
    public sealed partial class Server : IAsyncDisposable
    {
        private readonly List<string> _lines = [];
        private readonly Task<string> _error;
        private TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _ended;

        public Server(Process process)
        {
            Process = process;
            _error = process.StandardError.ReadToEndAsync();
            _ = Task.Run(ReadOutputAsync);
        }

        /// <summary>Where it listens (known once <see cref="StartedAsync"/> has returned true).</summary>
        public Uri Address { get; private set; } = new("http://127.0.0.1/");

        public Process Process { get; }

        /// <summary>What the server wrote so far (standard output, then standard error once it has ended).</summary>
        public string Output
        {
            get
            {
                if (Process.HasExited)
                {
                    _error.Wait(TimeSpan.FromSeconds(10));
                }

                lock (_lines)
                {
                    return string.Join('\n', _lines) + "\n" + (_error.IsCompletedSuccessfully ? _error.Result : "");
                }
            }
        }

        /// <summary>
        /// True once the server says "Application started" (its address then comes from its "Now listening on" line);
        /// false when it ends first or <paramref name="timeout"/> passes.
        /// </summary>
        public async Task<bool> StartedAsync(TimeSpan timeout, CancellationToken ct)
        {
            if (!await WrittenAsync(line => line.Contains("Application started", StringComparison.Ordinal), timeout, ct))
            {
                return false;
            }

            lock (_lines)
            {
                Address = new Uri(_lines.Select(l => ListeningOn().Match(l)).First(m => m.Success).Groups["address"].Value + "/");
            }

            return true;
        }

        /// <summary>True once the server has written a line that matches (earlier lines count too); false when it ends first or time is up.</summary>
        public async Task<bool> WrittenAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken ct)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(timeout);
            var seen = 0;
            while (true)
            {
                Task written;
                lock (_lines)
                {
                    for (; seen < _lines.Count; seen++)
                    {
                        if (match(_lines[seen]))
                        {
                            return true;
                        }
                    }

                    if (_ended)
                    {
                        return false;
                    }

                    written = _written.Task;
                }

                try
                {
                    await written.WaitAsync(deadline.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    return false;
                }
            }
        }

        /// <summary>SIGKILL: no shutdown, no flushing; as a crash or a power cut would leave it (for the database, not the disk).</summary>
        public async Task KillAsync()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            await Process.WaitForExitAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await KillAsync();
            Process.Dispose();
        }

        private async Task ReadOutputAsync()
        {
            while (await Process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (_lines)
                {
                    _lines.Add(line);
                    Signal();
                }
            }

            lock (_lines)
            {
                _ended = true;
                Signal();
            }
        }

        [GeneratedRegex(@"Now listening on: (?<address>http://127\.0\.0\.1:\d+)")]
        private static partial Regex ListeningOn();

        private void Signal()
        {
            var written = _written;
            _written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            written.TrySetResult();
        }
    }
}
