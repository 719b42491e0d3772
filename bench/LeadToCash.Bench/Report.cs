using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeadToCash.Bench;

/// <summary>The run as JSON (every figure) and as a Markdown table (docs/benchmarks.md).</summary>
internal static class Report
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string ToJson(RunResult run) => JsonSerializer.Serialize(run, Json);

    private static string F(double value) => value switch
    {
        double.NaN => "–",
        >= 100 => value.ToString("#,0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.#", CultureInfo.InvariantCulture),
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    /// <summary>One console line per scenario.</summary>
    public static string Line(ScenarioResult r)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"   {r.Id,-20}");
        if (r.Concurrency1 is { } c1)
        {
            text.Append(CultureInfo.InvariantCulture, $" c=1 p50/p95/p99 {F(c1.P50Ms)}/{F(c1.P95Ms)}/{F(c1.P99Ms)} ms");
        }

        if (r.Concurrency25 is { } c25)
        {
            text.Append(CultureInfo.InvariantCulture, $"  c=25 {F(c25.RequestsPerSecond)} req/s p95 {F(c25.P95Ms)} ms");
        }

        if (r.Raw is { } raw)
        {
            text.Append(CultureInfo.InvariantCulture, $"  raw p95 {F(raw.P95Ms)} ms (app÷raw {(r.AppToRaw is { } x ? F(x) : "–")})");
        }

        foreach (var (key, value) in r.Figures)
        {
            text.Append(CultureInfo.InvariantCulture, $" {key}={F(value)}");
        }

        text.Append(CultureInfo.InvariantCulture, $"  peak {(r.PeakMemoryMiB is { } m ? F(m) : "–")} MiB  errors {r.Errors}");
        foreach (var t in r.Targets)
        {
            text.Append(CultureInfo.InvariantCulture, $"  [{t.Target}: {Verdict(t)}]");
        }

        if (r.Failure is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"  FAILED: {r.Failure}");
        }

        foreach (var sample in new[] { r.Concurrency1, r.Concurrency25, r.Raw }.OfType<LatencyStats>().SelectMany(s => s.ErrorSamples).Take(3))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n      error: {sample}");
        }

        return text.ToString();
    }

    private static string Verdict(TargetCheck t) => t.Met switch
    {
        true => "met",
        false => "**missed**",
        null => "not measured",
    };

    private static bool Busy(string loadAverage, int cores) =>
        double.TryParse(loadAverage.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var oneMinute) && oneMinute > 2 * cores;

    /// <summary>The Markdown section: what ran where, then one row per scenario.</summary>
    public static string Markdown(RunResult run)
    {
        var md = new StringBuilder();
        var kind = run.Smoke ? "smoke run (a few requests: the figures say nothing)" : "run";
        md.AppendLine(CultureInfo.InvariantCulture,
            $"**{run.Provider}, size {run.Size}** — {kind} of {run.StartedAtUtc:yyyy-MM-dd HH:mm} UTC, commit `{run.Commit}`, " +
            $"{run.Cores} cores, {run.MemoryGiB:0} GiB, load average {run.LoadAverageAtStart} at the start and {run.LoadAverageAtEnd} at the end, " +
            $"{run.WallSeconds:0} s. Per scenario {run.WarmupRequests} warm-up requests, {run.RequestsPerScenario} at concurrency 1, " +
            $"then {run.Concurrency25Seconds:0.#} s at concurrency 25; the raw SQL {run.RequestsPerScenario} times at concurrency 1.");
        // Only the load before the run says whether something else was running: at its end the load average is the
        // run's own (25 concurrent callers, the import, a browser with 50 tabs).
        if (Busy(run.LoadAverageAtStart, run.Cores))
        {
            md.AppendLine();
            md.AppendLine("**The machine was busy when the run began (load average above twice the cores): these are not final figures.**");
        }

        md.AppendLine();
        md.AppendLine("| scenario | who | c=1 p50 / p95 / p99 | c=25 req/s (p95) | errors | peak memory | raw p95 | app ÷ raw | target | met |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var r in run.Scenarios)
        {
            var targets = r.Targets.Count == 0 ? "–" : string.Join("; ", r.Targets.Select(t => t.Target));
            var met = r.Targets.Count == 0 ? "–" : string.Join("; ", r.Targets.Select(t => Verdict(t) + (t.Actual is { } a && !double.IsNaN(a) ? $" ({F(a)})" : "")));
            var peak = r.PeakMemoryMiB is { } p ? $"{F(p)} MiB" : "–";
            string c1, c25, raw, ratio;
            switch (r.Kind)
            {
                case "http":
                    c1 = r.Concurrency1 is { } a1 ? $"{F(a1.P50Ms)} / {F(a1.P95Ms)} / {F(a1.P99Ms)} ms" : "–";
                    c25 = r.Concurrency25 is { } a25 ? $"{F(a25.RequestsPerSecond)} ({F(a25.P95Ms)} ms)" : "–";
                    raw = r.Raw is { HasFigures: true } rr ? $"{F(rr.P95Ms)} ms" : "–";
                    ratio = r.AppToRaw is { } x ? F(x) : "–";
                    break;
                case "import":
                    c1 = $"{F(r.Figures.GetValueOrDefault("rowsPerSecond", double.NaN))} rows/s ({F(r.Figures.GetValueOrDefault("runSeconds", double.NaN))} s; " +
                        $"{F(r.Figures.GetValueOrDefault("created", double.NaN))} created, {F(r.Figures.GetValueOrDefault("duplicates", double.NaN))} duplicates, " +
                        $"{F(r.Figures.GetValueOrDefault("rejected", double.NaN))} rejected)";
                    c25 = raw = ratio = "–";
                    break;
                default:
                    c1 = $"{F(r.Figures.GetValueOrDefault("mbPerCircuit", double.NaN))} MB per circuit (live heap {F(r.Figures.GetValueOrDefault("heapBeforeMiB", double.NaN))} → " +
                        $"{F(r.Figures.GetValueOrDefault("heapAfterMiB", double.NaN))} MiB; resident set {F(r.Figures.GetValueOrDefault("rssBeforeMiB", double.NaN))} → " +
                        $"{F(r.Figures.GetValueOrDefault("rssAfterMiB", double.NaN))} MiB, {F(r.Figures.GetValueOrDefault("rssMbPerCircuit", double.NaN))} MB per circuit); filter typed → shown p50 {F(r.Figures.GetValueOrDefault("filterP50Ms", double.NaN))} ms";
                    c25 = raw = ratio = "–";
                    break;
            }

            var title = r.Failure is null ? r.Title : $"{r.Title} — **failed**: {r.Failure.Replace("|", "/", StringComparison.Ordinal)}";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {title} | {r.Who} | {c1} | {c25} | {r.Errors} | {peak} | {raw} | {ratio} | {targets} | {met} |");
        }

        var missed = run.Scenarios.SelectMany(r => r.Targets.Where(t => t.Met == false).Select(t => $"{r.Title}: {t.Target}")).ToList();
        md.AppendLine();
        var measured = run.Scenarios.SelectMany(r => r.Targets).Count(t => t.Met is not null);
        md.AppendLine(missed.Count == 0
            ? $"All {measured} targets measured here were met."
            : $"Targets missed: {string.Join("; ", missed)}.");
        if (run.Size != "large")
        {
            md.AppendLine();
            md.AppendLine("The targets are set for size large on 2 cores; at this size they only show the direction.");
        }
        return md.ToString();
    }
}
