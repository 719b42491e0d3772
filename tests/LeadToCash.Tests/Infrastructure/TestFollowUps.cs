using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>Customers arranged for the follow-up rules, and the bodies the follow-up API takes.</summary>
public static class TestFollowUps
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A real 1×1 PNG.</summary>
    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");

    /// <summary>
    /// The <paramref name="index"/>-th customer (by name) owned by <paramref name="ownerEmail"/>, set to the given grade,
    /// owned since <paramref name="ownedSince"/>, without follow-ups, with its cadence due date computed by the rules.
    /// </summary>
    public static async Task<Customer> OwnedCustomerAsync(AppFactory app, string ownerEmail, int index = 0, CustomerGrade grade = CustomerGrade.A,
        DateTime? ownedSince = null)
    {
        await using var db = await app.SystemDbAsync();
        var ownerId = await db.Users.Where(u => u.Email == ownerEmail).Select(u => u.Id).SingleAsync(Ct);
        var customer = await db.Customers.Where(c => c.OwnerId == ownerId && !db.Collaborators.Any(s => s.RecordId == c.Id))
            .OrderBy(c => c.Name).Skip(index).FirstAsync(Ct);
        customer.Grade = grade;
        customer.OwnedSince = ownedSince ?? app.Clock.GetUtcNow().UtcDateTime.AddDays(-30);
        customer.LastFollowUpAt = null;
        customer.NextFollowUpAt = null;
        CustomerRules.RefreshCadence(customer, await CustomerRulebook.LoadAsync(db, Ct));
        await db.SaveChangesAsync(Ct);
        return customer;
    }

    /// <summary>A demo user as handlers see them (for calling a handler directly, as a page does).</summary>
    public static async Task<CurrentUser> CurrentUserAsync(AppFactory app, string email)
    {
        var id = await TestLeads.UserIdAsync(app, email);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id.ToString())], "test"));
        var resolver = new CurrentUserResolver(app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>());
        return (await resolver.ResolveAsync(principal, Ct))!;
    }

    public static async Task<Customer> CustomerAsync(AppFactory app, Guid id)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Customers.AsNoTracking().SingleAsync(c => c.Id == id, Ct);
    }

    /// <summary>A multipart body with the follow-up's fields and files (name, bytes).</summary>
    public static MultipartFormDataContent Multipart(string method, string keyPoints, DateTime? occurredAt = null, DateTime? nextAt = null,
        params (string Name, byte[] Bytes)[] files)
    {
        var content = new MultipartFormDataContent
        {
            { new StringContent(method), "method" },
            { new StringContent(keyPoints), "keyPoints" },
        };
        if (occurredAt is { } at)
        {
            content.Add(new StringContent(at.ToString("O", CultureInfo.InvariantCulture)), "occurredAt");
        }

        if (nextAt is { } next)
        {
            content.Add(new StringContent(next.ToString("O", CultureInfo.InvariantCulture)), "nextFollowUpAt");
        }

        foreach (var (name, bytes) in files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(file, "files", name);
        }

        return content;
    }

    /// <summary>The files now in the app's file store (to check that a refused upload left nothing behind).</summary>
    public static IReadOnlyList<string> StoredFiles(AppFactory app)
    {
        var root = Path.Combine(app.DataDirectory, "files");
        return Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories) : [];
    }

    /// <summary>Shares a customer with a user (arranged directly: sharing has no API yet).</summary>
    public static async Task ShareAsync(AppFactory app, Guid customerId, string email, CollaboratorAccess access)
    {
        await using var db = await app.SystemDbAsync();
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
        db.Collaborators.Add(new Collaborator
        {
            RecordType = Customer.RecordType,
            RecordId = customerId,
            UserId = userId,
            Access = access,
            AddedAt = app.Clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(Ct);
    }
}
