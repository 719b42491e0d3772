using LeadToCash.Modules.Organization;
using LeadToCash.Modules.Organization.FirstRun;
using LeadToCash.Platform.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Cli;

public sealed record ParsedCommand(string? Name, IReadOnlyList<string> Arguments, bool Demo, bool ShowHelp, string[] HostArgs);

/// <summary>The command-line face of the app: <c>dotnet run --project src/LeadToCash -- &lt;command&gt;</c>.</summary>
public static class CommandLine
{
    public const string HelpText = """
        LeadToCash — sales process management, from lead to cash.

        Usage: dotnet run --project src/LeadToCash -- [command] [options]

        With no command the web app starts (http://localhost:5080 by default).
          --demo                 start with the demo company (migrates and seeds it into an empty database)

        Commands:
          migrate                apply the database migrations and exit
          create-admin           set up an empty installation: --company NAME --name NAME --email EMAIL --password PASSWORD
          seed-demo              fill an empty database with the demo company (deterministic: --seed N, default 2026)
          seed-scale             fill an empty database with a large generated company for benchmarks:
                                 --size small|medium|large|contracts (large: 500 people in 60 teams, 200,000 leads,
                                 100,000 customers, 300,000 contacts, 1,000,000 follow-ups, 150,000 opportunities
                                 with their stage history, 240 products, quotes with 300,000 quote lines, 50,000
                                 contracts with 150,000 instalments, 1,000,000 audit rows; small and medium: a
                                 hundredth and a tenth of that; contracts: the same people, 20,000 customers and the
                                 50,000 contracts only)
          backup FILE            copy the SQLite database to FILE while the app may be running
                                 (PostgreSQL: use pg_dump, see the README)
          restore FILE           replace the SQLite database with FILE (stop the app first)
          --help                 this text

        Configuration (appsettings.json or environment variables):
          Storage__DataDirectory   data folder: SQLite file, uploads, keys (default: data/)
          Database__Provider       Sqlite (default) or Postgres
          Database__ConnectionString
        """;

    private static readonly string[] Commands = ["migrate", "create-admin", "seed-demo", "seed-scale", "backup", "restore"];

    public static ParsedCommand Parse(string[] args)
    {
        var help = args.Any(a => a is "--help" or "-h" or "help");
        var demo = args.Contains("--demo");
        var name = args.FirstOrDefault(a => Commands.Contains(a));
        var arguments = name is null ? [] : args.SkipWhile(a => a != name).Skip(1).ToList();
        var hostArgs = name is null ? args.Where(a => a != "--demo").ToArray() : [];
        return new ParsedCommand(name, arguments, demo, help, hostArgs);
    }

    public static async Task<int> RunAsync(WebApplication app, ParsedCommand command)
    {
        try
        {
            switch (command.Name)
            {
                case "migrate":
                    await PrepareDatabaseAsync(app.Services);
                    Console.WriteLine("Database is up to date.");
                    return 0;
                case "create-admin":
                    return await CreateAdminAsync(app, command.Arguments);
                case "seed-demo":
                    await PrepareDatabaseAsync(app.Services);
                    var seed = Option(command.Arguments, "--seed") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : DemoData.DefaultSeed;
                    return await SeedDemoIfEmptyAsync(app, seed) ? 0 : 1;
                case "seed-scale":
                    return await SeedScaleAsync(app, command.Arguments);
                case "backup":
                    return await BackupAsync(app, command.Arguments, restore: false);
                case "restore":
                    return await BackupAsync(app, command.Arguments, restore: true);
                default:
                    Console.Error.WriteLine(HelpText);
                    return 2;
            }
        }
        catch (FluentValidation.ValidationException e)
        {
            foreach (var error in e.Errors)
            {
                await Console.Error.WriteLineAsync($"{error.PropertyName}: {error.ErrorMessage}");
            }

            return 1;
        }
        catch (Errors.ConflictException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    /// <summary>Seeds the demo company when the database has no user yet; says so and does nothing otherwise.</summary>
    public static async Task<bool> SeedDemoIfEmptyAsync(WebApplication app, int seed = DemoData.DefaultSeed)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var setup = scope.ServiceProvider.GetRequiredService<SetupHandler>();
        if (await setup.IsSetUpAsync())
        {
            Console.WriteLine("The database already has users; the demo company was not added.");
            return false;
        }

        await DemoData.SeedAsync(scope.ServiceProvider, seed);
        if (app.Configuration.GetValue("DemoLeads", true))
        {
            var dbFactory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>();
            await using var db = await dbFactory.OpenAsSystemAsync();
            await DemoLeads.SeedAsync(db, scope.ServiceProvider.GetRequiredService<TimeProvider>(), seed);
        }

        if (app.Configuration.GetValue("DemoDeals", true))
        {
            await DemoDeals.SeedAsync(scope.ServiceProvider, seed);
        }

        Console.WriteLine($"Demo company created. Sign in as admin@demo.test with the password {DemoData.Password}.");
        return true;
    }

    /// <summary>Applies migrations, makes sure the roles and default option lists exist and spells unspelled names.</summary>
    public static async Task PrepareDatabaseAsync(IServiceProvider services)
    {
        await DatabaseSetup.MigrateAsync(services);
        await using var scope = services.CreateAsyncScope();
        var dbFactory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await ReferenceData.EnsureAsync(dbFactory, scope.ServiceProvider.GetRequiredService<RoleManager<AppRole>>(), CancellationToken.None);
        await Search.SearchBackfill.RunAsync(dbFactory);
    }

    private static async Task<int> SeedScaleAsync(WebApplication app, IReadOnlyList<string> args)
    {
        if (ScaleSize.Find(Option(args, "--size") ?? "small") is not { } size)
        {
            await Console.Error.WriteLineAsync($"--size must be one of: {string.Join(", ", ScaleSize.All.Select(s => s.Name))}.");
            return 2;
        }

        await PrepareDatabaseAsync(app.Services);
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var scale = new ScaleData(services.GetRequiredService<IDbContextFactory<AppDbContext>>(),
            services.GetRequiredService<RoleManager<AppRole>>(), services.GetRequiredService<TimeProvider>(), Console.Out);
        return await scale.RunAsync(size);
    }

    private static async Task<int> CreateAdminAsync(WebApplication app, IReadOnlyList<string> args)
    {
        await PrepareDatabaseAsync(app.Services);
        await using var scope = app.Services.CreateAsyncScope();
        var setup = scope.ServiceProvider.GetRequiredService<SetupHandler>();
        var admin = await setup.HandleAsync(new SetupRequest(
            Option(args, "--company") ?? "", Option(args, "--name") ?? "", Option(args, "--email") ?? "", Option(args, "--password") ?? ""));
        Console.WriteLine($"Created the company and the Admin {admin.Email}.");
        return 0;
    }

    private static async Task<int> BackupAsync(WebApplication app, IReadOnlyList<string> args, bool restore)
    {
        if (args.Count == 0)
        {
            await Console.Error.WriteLineAsync($"Usage: {(restore ? "restore" : "backup")} FILE");
            return 2;
        }

        var options = app.Services.GetRequiredService<DatabaseOptions>();
        if (options.Provider != DatabaseProvider.Sqlite)
        {
            await Console.Error.WriteLineAsync("On PostgreSQL use pg_dump / pg_restore (see the README).");
            return 2;
        }

        var live = DatabaseSetup.ConnectionString(options, app.Services.GetRequiredService<StorageOptions>());
        var file = Path.GetFullPath(args[0]);
        if (restore && !File.Exists(file))
        {
            await Console.Error.WriteLineAsync($"{file} does not exist.");
            return 1;
        }

        var other = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();
        await using var source = new SqliteConnection(restore ? other : live);
        await using var target = new SqliteConnection(restore ? live : other);
        await source.OpenAsync();
        await target.OpenAsync();
        if (restore)
        {
            // A restored file must be a LeadToCash database; refuse anything else before touching the live one.
            await using var check = source.CreateCommand();
            check.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = '__EFMigrationsHistory'";
            if (Convert.ToInt64(await check.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                await Console.Error.WriteLineAsync($"{file} is not a LeadToCash database.");
                return 1;
            }
        }

        source.BackupDatabase(target);
        SqliteConnection.ClearAllPools();
        Console.WriteLine(restore ? $"Restored the database from {file}." : $"Backed up the database to {file}.");
        if (restore)
        {
            await PrepareDatabaseAsync(app.Services);
        }

        return 0;
    }

    private static string? Option(IReadOnlyList<string> args, string name)
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == name)
            {
                return args[i + 1];
            }
        }

        return null;
    }
}
