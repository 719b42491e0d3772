using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LeadToCash.Migrations.Postgres;

/// <summary>Lets `dotnet ef migrations add` build the model for this provider without starting the app.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        DatabaseSetup.Configure(options, DatabaseProvider.Postgres, "Host=localhost;Database=leadtocash_design;Username=postgres");
        return new AppDbContext(options.Options);
    }
}
