using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.CreateCustomer;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>Customers for tests: fresh ones made through the API, demo ones picked from the database, and rows written straight to it.</summary>
public static class TestCustomers
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new customer owned by the client's user, made through the API.</summary>
    public static async Task<CustomerDto> CreateAsync(HttpClient client, string name, CreateCustomerRequest? request = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/customers", (request ?? new CreateCustomerRequest(name)) with { Name = name }, Ct);
        return await response.ExpectJsonAsync<CustomerDto>(HttpStatusCode.Created);
    }

    /// <summary>A customer of 何芸 (Shenzhen) that 张伟 (Shanghai 1) cannot see: not shared with him.</summary>
    public static async Task<Customer> HiddenFromRepAsync(AppFactory app)
    {
        await using var db = await app.SystemDbAsync();
        var rep = await TestLeads.UserIdAsync(app, DemoUsers.Rep);
        var south = await TestLeads.UserIdAsync(app, DemoUsers.SouthRep);
        return await db.Customers.AsNoTracking()
            .Where(c => c.OwnerId == south && !db.Collaborators.Any(s => s.RecordId == c.Id && s.UserId == rep))
            .OrderBy(c => c.Name).FirstAsync(Ct);
    }

    /// <summary>Shares a customer with a user straight in the database.</summary>
    public static async Task ShareAsync(AppFactory app, Guid customerId, string email, CollaboratorAccess access)
    {
        await using var db = await app.SystemDbAsync();
        var userId = await TestLeads.UserIdAsync(app, email);
        db.Collaborators.Add(new Collaborator
        {
            RecordType = Customer.RecordType,
            RecordId = customerId,
            UserId = userId,
            Access = access,
            AddedAt = TestLeads.Now(app),
        });
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>A customer of 何芸 that is shared with 张伟 with <paramref name="access"/> (arranged here, by name order).</summary>
    public static async Task<Customer> SharedWithRepAsync(AppFactory app, CollaboratorAccess access, int skip = 0)
    {
        await using var db = await app.SystemDbAsync();
        var rep = await TestLeads.UserIdAsync(app, DemoUsers.Rep);
        var south = await TestLeads.UserIdAsync(app, DemoUsers.SouthRep);
        var customer = await db.Customers.AsNoTracking()
            .Where(c => c.OwnerId == south && !db.Collaborators.Any(s => s.RecordId == c.Id && s.UserId == rep))
            .OrderByDescending(c => c.Name).Skip(skip).FirstAsync(Ct);
        await ShareAsync(app, customer.Id, DemoUsers.Rep, access);
        return customer;
    }

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
