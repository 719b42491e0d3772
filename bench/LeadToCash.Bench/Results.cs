namespace LeadToCash.Bench;

/// <summary>One target of the issue checked against a measured figure; <see cref="Met"/> is null when nothing was measured.</summary>
internal sealed record TargetCheck(string Target, double? Actual, bool? Met);

/// <summary>Everything measured for one scenario (the JSON file holds a list of these).</summary>
internal sealed record ScenarioResult
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string Kind { get; init; }
    public required string Who { get; init; }
    public string? Notes { get; init; }
    public LatencyStats? Concurrency1 { get; init; }
    public LatencyStats? Concurrency25 { get; init; }
    public LatencyStats? Raw { get; init; }
    public string? RawStatements { get; init; }

    /// <summary>App p95 ÷ raw p95 at concurrency 1.</summary>
    public double? AppToRaw { get; init; }

    /// <summary>The app's peak resident memory (VmHWM / sampled VmRSS) during the scenario, MiB.</summary>
    public double? PeakMemoryMiB { get; init; }

    public IReadOnlyDictionary<string, double> Figures { get; init; } = new Dictionary<string, double>();
    public IReadOnlyList<TargetCheck> Targets { get; init; } = [];
    public string? Failure { get; init; }

    /// <summary>Errors of every measured run.</summary>
    public int Errors => (Concurrency1?.Errors ?? 0) + (Concurrency25?.Errors ?? 0) + (Raw?.Errors ?? 0)
        + (int)Figures.GetValueOrDefault("errors");

    /// <summary>Whether the scenario produced its figures without an error (the smoke run's check).</summary>
    public bool Succeeded => Failure is null && Errors == 0 && Kind switch
    {
        "http" => Concurrency1?.HasFigures == true && Concurrency25?.HasFigures == true && (Raw is null || Raw.HasFigures),
        _ => Figures.Count > 0 && Figures.Values.All(v => !double.IsNaN(v)),
    };
}

/// <summary>The whole run: where, when, on what, and every scenario.</summary>
internal sealed record RunResult(
    string Provider,
    string Size,
    bool Smoke,
    DateTime StartedAtUtc,
    double WallSeconds,
    string Commit,
    int Cores,
    double MemoryGiB,
    string LoadAverageAtStart,
    string LoadAverageAtEnd,
    int RequestsPerScenario,
    int WarmupRequests,
    double Concurrency25Seconds,
    IReadOnlyList<ScenarioResult> Scenarios);
