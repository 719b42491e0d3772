using System.Data.Common;
using LeadToCash.Platform.Cli;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Web;

/// <summary>
/// In the Production environment the app refuses to start while it would let in anyone who read the README: active
/// accounts of the demo company (@demo.test) or of the benchmark company (@scale.test), whose passwords are published,
/// or a database connection string with a development password (the throwaway PostgreSQL of the test and benchmark
/// scripts, the stock ones). The app has no signing key or shared secret in its configuration to check besides: bearer
/// tokens are random and stored hashed, and the data-protection keys are generated per installation in the data folder.
/// A demo or benchmark installation says so explicitly: <c>--demo</c>, <c>Demo=true</c> or <c>AllowDemoData=true</c>.
/// </summary>
public static partial class ProductionSafety
{
    public const string AllowDemoDataSetting = "AllowDemoData";

    /// <summary>The exit code of a refused start (EX_CONFIG of sysexits.h: a configuration error).</summary>
    public const int RefusedExitCode = 78;

    /// <summary>E-mail domains of generated accounts whose password is published (README, the seed commands).</summary>
    public static readonly IReadOnlyList<string> DemoDomains = ["@demo.test", "@scale.test"];

    /// <summary>Database passwords of development set-ups (test.sh, bench/*.sh), the demo passwords and stock ones.</summary>
    public static readonly IReadOnlyList<string> DevelopmentPasswords = ["postgres", "password", DemoData.Password, ScaleData.Password];

    /// <summary>Whether the checks apply: in Production, unless the installation is declared a demo.</summary>
    public static bool Applies(IHostEnvironment environment, IConfiguration configuration, bool demo) =>
        environment.IsProduction() && !demo && !configuration.GetValue<bool>(AllowDemoDataSetting);

    /// <summary>What in the configuration forbids starting; checked before the app connects to the database.</summary>
    public static IReadOnlyList<string> ConfigurationProblems(IServiceProvider services)
    {
        var connectionString = DatabaseSetup.ConnectionString(services.GetRequiredService<DatabaseOptions>(), services.GetRequiredService<StorageOptions>());
        return DevelopmentPassword(connectionString) is { } password
            ? [$"Database:ConnectionString uses the development password \"{password}\". Give the database user a password of its own."]
            : [];
    }

    /// <summary>What in the database forbids starting (after migrations): active accounts with a published password.</summary>
    public static async Task<IReadOnlyList<string>> DataProblemsAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct);
        // A database without our tables yet has no accounts (the app migrates it, or the operator runs `migrate`).
        if (!(await db.Database.GetAppliedMigrationsAsync(ct)).Any())
        {
            return [];
        }

        var demoUsers = db.Users.Where(u => u.IsActive
            && (u.NormalizedEmail!.EndsWith("@DEMO.TEST") || u.NormalizedEmail.EndsWith("@SCALE.TEST")));
        var count = await demoUsers.CountAsync(ct);
        if (count == 0)
        {
            return [];
        }

        var some = await demoUsers.OrderBy(u => u.Email).Select(u => u.Email!).Take(3).ToListAsync(ct);
        return [$"{count} active demo account(s) with a published password are in the database ({string.Join(", ", some)}" +
            $"{(count > some.Count ? ", …" : "")}). Deactivate or delete them, or use a database of your own."];
    }

    /// <summary>Tells the operator why (standard error and the log) and gives the exit code of the refused start.</summary>
    public static async Task<int> RefuseAsync(ILogger logger, IReadOnlyList<string> problems)
    {
        var explanation = Explain(problems);
        LogRefusal(logger, explanation);
        await Console.Error.WriteLineAsync(explanation);
        return RefusedExitCode;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Refusal}")]
    private static partial void LogRefusal(ILogger logger, string refusal);

    /// <summary>The refusal as the operator reads it on the console.</summary>
    public static string Explain(IReadOnlyList<string> problems) =>
        "LeadToCash refuses to start in the Production environment:\n"
        + string.Concat(problems.Select(p => "  - " + p + "\n"))
        + $"For a demo or benchmark installation start it with --demo or set {AllowDemoDataSetting}=true " +
        $"(e.g. the environment variable {AllowDemoDataSetting}=true).";

    internal static string? DevelopmentPassword(string connectionString)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            return null; // not ours to judge: the provider reports a malformed string itself
        }

        foreach (var key in new[] { "Password", "Pwd" })
        {
            if (builder.TryGetValue(key, out var value) && value is string password
                && DevelopmentPasswords.Contains(password, StringComparer.OrdinalIgnoreCase))
            {
                return password;
            }
        }

        return null;
    }
}
