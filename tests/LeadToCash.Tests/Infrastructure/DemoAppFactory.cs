using Microsoft.AspNetCore.Hosting;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>
/// The app started with the demo on a brand-new database, as someone trying the product starts it: the demo company with
/// its leads and deals (DemoLeads and DemoDeals at their defaults), seeded at start-up at the fake clock's time.
/// </summary>
public sealed class DemoAppFactory : AppFactory
{
    public override async ValueTask InitializeAsync() => ConnectionString = await TestDatabases.CreateEmptyAsync();

    protected override bool MigrateOnStartup => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Demo", "true");
    }
}
