using System.Data.Common;
using LeadToCash.Platform.Cli;

namespace LeadToCash.Bench;

/// <summary>The signed-in accounts and their scopes, the database, the server's memory and the seeded random source.</summary>
internal sealed class BenchContext : IAsyncDisposable
{
    private BenchContext(BenchOptions options, RawDb db, DbConnection setup)
    {
        Options = options;
        Db = db;
        Setup = setup;
        Memory = new ServerMemory(options.AppPid);
    }

    public BenchOptions Options { get; }
    public RawDb Db { get; }

    /// <summary>A connection for drawing parameters (not timed).</summary>
    public DbConnection Setup { get; }

    public ServerMemory Memory { get; }

    /// <summary>Seeded: the same data gives the same parameters run after run.</summary>
    public Random Random { get; } = new(2026);

    public TimeProvider Clock { get; } = TimeProvider.System;

    public Account Admin { get; private set; } = null!;
    public Account Director { get; private set; } = null!;
    public Account Manager { get; private set; } = null!;
    public Account Rep { get; private set; } = null!;
    public Account Finance { get; private set; } = null!;

    /// <summary>How many customers the size holds (the deep page goes 50,000 rows in, or half-way on a smaller size).</summary>
    public ScaleSize Size { get; private set; } = null!;

    public static async Task<BenchContext> StartAsync(BenchOptions options)
    {
        var db = new RawDb(options.IsPostgres, options.Connection);
        var context = new BenchContext(options, db, await db.OpenAsync());
        context.Size = ScaleSize.Find(options.Size) ?? throw new ArgumentException($"Unknown size '{options.Size}'.");
        context.Admin = await context.AccountAsync("admin@scale.test");
        context.Director = await context.AccountAsync("director1@scale.test");
        context.Manager = await context.AccountAsync("manager1@scale.test");
        context.Rep = await context.AccountAsync("rep1@scale.test");
        context.Finance = await context.AccountAsync("finance1@scale.test");
        return context;
    }

    private async Task<Account> AccountAsync(string email) =>
        new(email, await AppClient.SignInAsync(Options.BaseUrl, email), await Scope.LoadAsync(Db, Setup, email));

    /// <summary>Picks <paramref name="count"/> of <paramref name="items"/> at random (seeded), in random order.</summary>
    public List<T> Sample<T>(IReadOnlyList<T> items, int count)
    {
        var copy = items.ToArray();
        Random.Shuffle(copy);
        return [.. copy.Take(count)];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var account in new[] { Admin, Director, Manager, Rep, Finance }.OfType<Account>())
        {
            account.Client.Dispose();
        }

        await Setup.DisposeAsync();
        Memory.Dispose();
    }
}

internal sealed record Account(string Email, AppClient Client, Scope Scope);
