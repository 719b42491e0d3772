using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Cli;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Api;

/// <summary>The benchmark data set goes into an empty database on either provider through the bulk write path.</summary>
[DatabaseTest]
public sealed class ScaleDataTests(EmptyAppFactory app) : IClassFixture<EmptyAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SeedScale_SmallIntoEmptyDatabase_FillsEveryTableAndSignsIn()
    {
        var size = ScaleSize.Find("small")!;
        using var scope = app.Services.CreateScope();
        var seeder = new ScaleData(app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(),
            scope.ServiceProvider.GetRequiredService<RoleManager<AppRole>>(), app.Clock, TextWriter.Null);

        var exit = await seeder.RunAsync(size, Ct);

        Assert.Equal(0, exit);
        await using var db = await app.SystemDbAsync();
        Assert.Equal(size.Customers, await db.Customers.CountAsync(Ct));
        Assert.Equal(size.Customers * size.ContactsPerCustomer, await db.Contacts.CountAsync(Ct));
        Assert.Equal(size.Leads, await db.Leads.CountAsync(Ct));
        Assert.True(await db.FollowUps.CountAsync(Ct) > size.Customers);
        Assert.Equal(size.Opportunities, await db.Opportunities.CountAsync(Ct));
        Assert.Equal(size.Opportunities, await db.StageEntries.CountAsync(Ct));
        Assert.Equal(size.Contracts, await db.Contracts.CountAsync(Ct));
        Assert.Equal(3 * size.Contracts, await db.PaymentInstalments.CountAsync(Ct));
        Assert.Equal(await db.ReceiptAllocations.SumAsync(a => a.AmountMinor, Ct), await db.Contracts.SumAsync(c => c.ReceivedMinor, Ct));
        using var manager = await app.ClientForAsync("manager1@scale.test", ScaleData.Password);
        var page = await manager.GetJsonAsync<LeadToCash.Platform.Api.ListPage<LeadToCash.Modules.Customers.CustomerDto>>("/api/v1/customers?limit=5");
        Assert.NotEmpty(page.Items);
    }
}
