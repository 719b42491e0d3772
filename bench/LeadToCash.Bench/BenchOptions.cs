using System.Globalization;

namespace LeadToCash.Bench;

/// <summary>The driver's command line (bench/run.sh passes all of it; see <see cref="Usage"/>).</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        LeadToCash.Bench --base-url URL --app-pid PID --provider sqlite|postgres --connection CONNECTION_STRING --size NAME
                         --output RESULTS.json [--markdown TABLE.md] [--requests N] [--warmup N] [--duration SECONDS]
                         [--circuits N] [--import-file LEADS.xlsx --import-rows N] [--commit SHA] [--only a,b] [--smoke]
          --requests   requests per scenario at concurrency 1 (default 300; --smoke 6)
          --warmup     warm-up requests per scenario (default 30; --smoke 2)
          --duration   seconds of the concurrency-25 run (default 10; --smoke 0.5)
          --circuits   Blazor pages opened at once (default 50; --smoke 3)
          --only       scenario ids to run (default all), e.g. customer-list,search
        """;

    public required Uri BaseUrl { get; init; }
    public required int AppPid { get; init; }
    public required string Provider { get; init; }
    public required string Connection { get; init; }
    public required string Size { get; init; }
    public required string Output { get; init; }
    public string? Markdown { get; init; }
    public int Requests { get; init; }
    public int Warmup { get; init; }
    public TimeSpan Duration { get; init; }
    public int Circuits { get; init; }
    public string? ImportFile { get; init; }
    public int ImportRows { get; init; }
    public string Commit { get; init; } = "";
    public IReadOnlySet<string>? Only { get; init; }
    public bool Smoke { get; init; }

    public const int Concurrency = 25;

    public bool IsPostgres => Provider == "postgres";

    public bool Runs(string scenarioId) => Only is null || Only.Contains(scenarioId);

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var smoke = false;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--smoke")
            {
                smoke = true;
                continue;
            }

            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Unexpected argument '{name}'.\n{Usage}");
            }

            values[name[2..]] = args[++i];
        }

        string Required(string key) => values.TryGetValue(key, out var v) && v.Length > 0
            ? v
            : throw new ArgumentException($"--{key} is required.\n{Usage}");
        int Int(string key, int fallback) => values.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        double Number(string key, double fallback) => values.TryGetValue(key, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

        var provider = Required("provider").ToLowerInvariant();
        if (provider is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException("--provider is sqlite or postgres.");
        }

        return new BenchOptions
        {
            BaseUrl = new Uri(Required("base-url").TrimEnd('/') + "/"),
            AppPid = int.Parse(Required("app-pid"), CultureInfo.InvariantCulture),
            Provider = provider,
            Connection = Required("connection"),
            Size = Required("size"),
            Output = Required("output"),
            Markdown = values.GetValueOrDefault("markdown"),
            Requests = Int("requests", smoke ? 6 : 300),
            Warmup = Int("warmup", smoke ? 2 : 30),
            Duration = TimeSpan.FromSeconds(Number("duration", smoke ? 0.5 : 10)),
            Circuits = Int("circuits", smoke ? 3 : 50),
            ImportFile = values.GetValueOrDefault("import-file"),
            ImportRows = Int("import-rows", 0),
            Commit = values.GetValueOrDefault("commit") ?? "",
            Only = values.TryGetValue("only", out var only)
                ? only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal)
                : null,
            Smoke = smoke,
        };
    }
}
