using System.Diagnostics;
using System.Globalization;

namespace LeadToCash.Bench;

/// <summary>
/// The benchmark suite's driver: every scenario against the running app (bench/run.sh starts it and seeds its
/// database), with the raw-SQL equivalents, into a JSON file and a Markdown table. Exit code 0 when every scenario
/// produced its figures without an error (targets missed do not fail the run: the table says so), 1 otherwise, 2 for
/// a wrong command line.
/// </summary>
internal static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        var started = DateTime.UtcNow;
        var wall = Stopwatch.StartNew();
        var loadAtStart = LoadAverage();
        var results = new List<ScenarioResult>();
        await using (var context = await BenchContext.StartAsync(options))
        {
            var http = new List<HttpScenario>();
            http.AddRange(await CustomerScenarios.CreateAsync(context));
            http.AddRange(await SalesScenarios.CreateAsync(context));
            foreach (var scenario in http.Where(s => options.Runs(s.Id)))
            {
                results.Add(await HttpRunner.RunAsync(context, scenario, results));
            }

            if (options.Runs("circuits"))
            {
                results.Add(await CircuitsScenario.RunAsync(context));
            }

            // Last: it adds leads, and its memory peak should not be counted in other scenarios.
            if (options.Runs("import"))
            {
                results.Add(await ImportScenario.RunAsync(context));
            }
        }

        var run = new RunResult(options.Provider, options.Size, options.Smoke, started, Math.Round(wall.Elapsed.TotalSeconds, 1), options.Commit,
            Environment.ProcessorCount, MemoryGiB(), loadAtStart, LoadAverage(), options.Requests, options.Warmup, options.Duration.TotalSeconds, results);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Output))!);
        await File.WriteAllTextAsync(options.Output, Report.ToJson(run));
        var markdown = Report.Markdown(run);
        if (options.Markdown is { } path)
        {
            await File.WriteAllTextAsync(path, markdown);
        }

        Console.WriteLine();
        Console.WriteLine(markdown);
        var failed = results.Where(r => !r.Succeeded).ToList();
        foreach (var r in failed)
        {
            await Console.Error.WriteLineAsync($"scenario {r.Id}: {(r.Failure ?? (r.Errors > 0 ? $"{r.Errors} errors" : "no figures"))}");
        }

        return failed.Count == 0 && results.Count > 0 ? 0 : 1;
    }

    /// <summary>The 1, 5 and 15 minute load averages (/proc/loadavg).</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static double MemoryGiB()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        return line is null ? 0 : Math.Round(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0, 1);
    }
}
