namespace LeadToCash.Tests.Infrastructure;

/// <summary>
/// The app on a brand-new, empty database (no demo company): it migrates the database at start-up like a fresh
/// installation does. For the first-run setup tests.
/// </summary>
public sealed class EmptyAppFactory : AppFactory
{
    public override async ValueTask InitializeAsync() => ConnectionString = await TestDatabases.CreateEmptyAsync();

    protected override bool MigrateOnStartup => true;
}
