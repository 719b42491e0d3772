using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>Customer rows written straight to the database (through the system scope), for the pool and hand-over rules.</summary>
public static class TestCustomers
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A customer owned by <paramref name="ownerEmail"/> since now (the fake clock), cadence set.</summary>
    public static async Task<Customer> AddOwnedCustomerAsync(AppFactory app, string ownerEmail, string name, Action<Customer>? change = null)
    {
        await using var db = await app.SystemDbAsync();
        var owner = await db.Users.SingleAsync(u => u.Email == ownerEmail, Ct);
        var rules = await CustomerRulebook.LoadAsync(db, Ct);
        var customer = new Customer { Name = name, OwnerId = owner.Id, OwnedSince = app.Clock.GetUtcNow().UtcDateTime };
        CustomerRules.RefreshCadence(customer, rules);
        change?.Invoke(customer);
        db.Customers.Add(customer);
        await db.SaveChangesAsync(Ct);
        return customer;
    }

    /// <summary>A customer waiting in the pool of the team called <paramref name="teamName"/>.</summary>
    public static async Task<Customer> AddPoolCustomerAsync(AppFactory app, string teamName, string name)
    {
        await using var db = await app.SystemDbAsync();
        var team = await db.Teams.SingleAsync(t => t.Name == teamName, Ct);
        var customer = new Customer { Name = name, PoolTeamId = team.Id };
        db.Customers.Add(customer);
        await db.SaveChangesAsync(Ct);
        return customer;
    }

    public static async Task<Customer> ReloadCustomerAsync(AppFactory app, Guid id)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Customers.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).AsNoTracking().SingleAsync(c => c.Id == id, Ct);
    }

    public static async Task<Guid> TeamIdAsync(AppFactory app, string name)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Teams.Where(t => t.Name == name).Select(t => t.Id).SingleAsync(Ct);
    }
}
