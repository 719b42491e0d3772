using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>
/// The real executable (the app's build output) run as a separate process in the Production environment, with its
/// data folder under <paramref name="work"/>: command-line commands that exit, or the web server.
/// Settings are environment variables (Name__Key); the test runner's own database settings are not passed on.
/// </summary>
public sealed class AppProcess(string work)
{
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

    /// <summary>Starts the web server on a free loopback port; see <see cref="Server"/>.</summary>
    public Server StartServer((string Name, string Value)[] settings)
    {
        var port = FreePort();
        var process = Start([], [("Urls", $"http://127.0.0.1:{port}"), ("Logging__LogLevel__Microsoft.Hosting.Lifetime", "Information"), .. settings]);
        return new Server(process, new Uri($"http://127.0.0.1:{port}/"));
    }

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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A web server process: wait until it has started, then talk to <see cref="Address"/>; disposing kills it.</summary>
    public sealed class Server(Process process, Uri address) : IAsyncDisposable
    {
        private readonly System.Text.StringBuilder _output = new();
        private readonly Task<string> _error = process.StandardError.ReadToEndAsync();

        public Uri Address { get; } = address;

        public Process Process { get; } = process;

        /// <summary>What the server wrote so far (standard output up to the start, then standard error once it ended).</summary>
        public string Output => _output.ToString() + (_error.IsCompletedSuccessfully ? _error.Result : "");

        /// <summary>
        /// Reads the server's output until it says "Application started" (true) or ends or <paramref name="timeout"/> passes
        /// (false); the rest of its output is then drained in the background.
        /// </summary>
        public async Task<bool> StartedAsync(TimeSpan timeout, CancellationToken ct)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(timeout);
            try
            {
                while (await Process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
                {
                    _output.AppendLine(line);
                    if (line.Contains("Application started", StringComparison.Ordinal))
                    {
                        _ = Process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                        return true;
                    }
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                _output.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"(not started within {timeout.TotalSeconds:0} s)");
            }

            return false;
        }

        /// <summary>SIGKILL: no shutdown, no flushing; as a power cut would leave it (for the database, not the disk).</summary>
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
    }
}
