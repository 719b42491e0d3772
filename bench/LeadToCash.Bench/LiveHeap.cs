using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace LeadToCash.Bench;

/// <summary>
/// The app's live managed heap: dotnet-gcdump (a local tool of the repository, see dotnet-tools.json) makes the app run
/// a full collection and walks the objects that survive it; its report's "GC Heap bytes" is what the app holds, without
/// the garbage, the free space and the native memory that the resident set also counts. Each dump is kept beside the
/// results (open it with `dotnet dotnet-gcdump report FILE` to see which types grew).
/// </summary>
internal static partial class LiveHeap
{
    public static async Task<long> BytesAsync(int pid, string dumpFile)
    {
        await RunAsync("collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", dumpFile);
        var report = await RunAsync("report", dumpFile);
        var match = HeapBytes().Match(report);
        return match.Success
            ? long.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"dotnet-gcdump printed no heap size: {report[..Math.Min(report.Length, 300)]}");
    }

    private static async Task<string> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["tool", "run", "dotnet-gcdump", .. args])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"dotnet-gcdump {args[0]} failed ({process.ExitCode}): {await errors}{await output}");
    }

    [GeneratedRegex(@"^\s*([\d,]+)\s+GC Heap bytes", RegexOptions.Multiline)]
    private static partial Regex HeapBytes();
}
