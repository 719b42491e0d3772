using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.CreateCustomer;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>Customers for tests: fresh ones made through the API, and demo ones picked from the database.</summary>
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
}
