using System.Data.Common;

namespace LeadToCash.Bench;

/// <summary>
/// A scenario measured over HTTP against the app, and the hand-written SQL that answers the same request directly.
/// <see cref="App"/> and <see cref="Raw"/> take the request's index, which picks its parameters (round-robin over the
/// values drawn from the data).
/// </summary>
internal sealed class HttpScenario
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string Who { get; init; }
    public required Func<int, Task> App { get; init; }
    public Func<DbConnection, int, Task>? Raw { get; init; }

    /// <summary>What the raw equivalent sends, in a few words (shown in the JSON).</summary>
    public string? RawStatements { get; init; }

    public string? Notes { get; init; }

    /// <summary>The latency target: p95 at concurrency 1, ms.</summary>
    public double? P95TargetMs { get; init; }

    /// <summary>The throughput target at concurrency 25, requests/s.</summary>
    public double? ThroughputTarget { get; init; }

    /// <summary>The scenario whose p95 this one must stay within 20% of (the deep page and its page 1).</summary>
    public string? WithinTwentyPercentOf { get; init; }
}

internal static class HttpRunner
{
    public static async Task<ScenarioResult> RunAsync(BenchContext context, HttpScenario scenario, IReadOnlyList<ScenarioResult> earlier)
    {
        var options = context.Options;
        Console.WriteLine($"-- {scenario.Title} ({scenario.Who})");
        context.Memory.Start();
        await Measure.WarmUpAsync(scenario.App, options.Warmup);
        var c1 = await Measure.SequentialAsync(scenario.App, options.Requests, options.Warmup);
        var c25 = await Measure.ConcurrentAsync(scenario.App, BenchOptions.Concurrency, options.Duration, options.Warmup + options.Requests);
        var peak = await context.Memory.StopAsync();

        LatencyStats? raw = null;
        if (scenario.Raw is { } rawRequest)
        {
            await using var connection = await context.Db.OpenAsync();
            Task Run(int i) => rawRequest(connection, i);
            await Measure.WarmUpAsync(Run, Math.Min(options.Warmup, 10));
            raw = await Measure.SequentialAsync(Run, options.Requests, options.Warmup);
        }

        var targets = new List<TargetCheck>();
        if (scenario.P95TargetMs is { } p95)
        {
            targets.Add(new TargetCheck($"p95 ≤ {p95:0} ms", Figure(c1, c1.P95Ms), Met(c1, c1.P95Ms <= p95)));
        }

        if (scenario.ThroughputTarget is { } rps)
        {
            targets.Add(new TargetCheck($"≥ {rps:#,0} req/s at c=25", Figure(c25, c25.RequestsPerSecond), Met(c25, c25.RequestsPerSecond >= rps)));
        }

        if (scenario.WithinTwentyPercentOf is { } baselineId && earlier.FirstOrDefault(r => r.Id == baselineId)?.Concurrency1 is { } baseline)
        {
            var ratio = baseline.P95Ms > 0 ? Math.Round(c1.P95Ms / baseline.P95Ms, 2) : double.NaN;
            targets.Add(new TargetCheck("p95 ≤ 1.2 × page 1", double.IsNaN(ratio) ? null : ratio,
                c1.HasFigures && baseline.HasFigures ? ratio <= 1.2 : null));
        }

        var result = new ScenarioResult
        {
            Id = scenario.Id,
            Title = scenario.Title,
            Kind = "http",
            Who = scenario.Who,
            Notes = scenario.Notes,
            Concurrency1 = c1,
            Concurrency25 = c25,
            Raw = raw,
            RawStatements = scenario.RawStatements,
            AppToRaw = raw is { HasFigures: true } && c1.HasFigures ? Math.Round(c1.P95Ms / raw.P95Ms, 1) : null,
            PeakMemoryMiB = ServerMemory.MiB(peak),
            Targets = targets,
        };
        Console.WriteLine(Report.Line(result));
        return result;
    }

    private static double? Figure(LatencyStats stats, double value) => stats.HasFigures ? value : null;

    private static bool? Met(LatencyStats stats, bool met) => stats.HasFigures ? met : null;
}
