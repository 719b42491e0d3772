using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Tasks;
using LeadToCash.Modules.Tasks.CreateTask;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>Arranging tasks and the records they are about.</summary>
public static class TestTasks
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<TaskDto> CreateTaskAsync(this HttpClient client, CreateTaskRequest request) =>
        await (await client.PostAsJsonAsync("/api/v1/tasks", request, Ct)).ExpectJsonAsync<TaskDto>(HttpStatusCode.Created);

    /// <summary>A customer <paramref name="email"/> owns (the first by name), changed as asked and saved.</summary>
    public static async Task<Customer> OwnedCustomerAsync(AppFactory app, string email, int index = 0, Action<Customer>? change = null)
    {
        await using var db = await app.SystemDbAsync();
        var owner = await db.Users.SingleAsync(u => u.Email == email, Ct);
        var customers = await db.Customers.Where(c => c.OwnerId == owner.Id).OrderBy(c => c.Name).ToListAsync(Ct);
        Assert.True(customers.Count > index, $"{email} should own at least {index + 1} customers in the demo data.");
        var customer = customers[index];
        if (change is not null)
        {
            change(customer);
            await db.SaveChangesAsync(Ct);
        }

        return customer;
    }

    /// <summary>A Shanghai wall-clock time on the fake clock's current Shanghai date (+ days), as UTC.</summary>
    public static DateTime TodayAt(AppFactory app, int hour, int days = 0)
    {
        var local = TestLeads.ToShanghai(TestLeads.Now(app)).Date.AddDays(days).AddHours(hour);
        return TestLeads.Shanghai(local);
    }

    /// <summary>The start (UTC) of the Shanghai date <paramref name="days"/> from the fake clock's today.</summary>
    public static DateTime StartOfDay(AppFactory app, int days = 0) => TodayAt(app, 0, days);
}
