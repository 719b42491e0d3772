using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.FollowUps;
using LeadToCash.Modules.FollowUps.LogFollowUp;
using LeadToCash.Modules.FollowUps.Settings;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static LeadToCash.Tests.Infrastructure.TestLeads;

namespace LeadToCash.Tests.Api;

/// <summary>The customer rules: who may read and change them, their limits, and a new cadence applying to every customer at once.</summary>
[DatabaseTest]
public sealed class CustomerSettingsApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Url = "/api/v1/settings/customers";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UpdateSettings_NewCadence_RecomputesEveryOwnedCustomersDueDateWithoutNewVersions()
    {
        // Grade C contacted on Wednesday 25 November: due Friday 4 December under 7 days, Friday 27 November under 2.
        var gradeC = await TestFollowUps.OwnedCustomerAsync(app, "huang.lei@demo.test", 0, CustomerGrade.C, Shanghai(new DateTime(2026, 10, 1, 9, 0, 0)));
        var gradeA = await TestFollowUps.OwnedCustomerAsync(app, "huang.lei@demo.test", 1, CustomerGrade.A, Shanghai(new DateTime(2026, 10, 1, 9, 0, 0)));
        await using (var db = await app.SystemDbAsync())
        {
            var rules = await CustomerRulebook.LoadAsync(db, Ct);
            foreach (var customer in await db.Customers.Where(c => c.Id == gradeC.Id || c.Id == gradeA.Id).ToListAsync(Ct))
            {
                customer.LastFollowUpAt = Shanghai(new DateTime(2026, 11, 25, 10, 0, 0));
                CustomerRules.RefreshCadence(customer, rules);
            }

            await db.SaveChangesAsync(Ct);
        }

        var before = await TestFollowUps.CustomerAsync(app, gradeC.Id);
        Assert.Equal(Shanghai(new DateTime(2026, 12, 4, 0, 0, 0)), before.FollowUpDueAt);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var current = await admin.GetJsonAsync<CustomerSettingsDto>(Url);
        Assert.Equal(new CustomerSettingsDto(1, 3, 7, 120, 24, 30, 90, 100, 0), current);

        var saved = await (await admin.PutAsJsonAsync(Url, current with { CadenceDaysC = 2 }, Ct)).ExpectJsonAsync<CustomerSettingsSaved>();

        Assert.Equal((2, 1), (saved.Settings.CadenceDaysC, saved.Settings.Version));
        Assert.True(saved.RecomputedCustomers >= 1, $"{saved.RecomputedCustomers} customers recomputed.");
        var after = await TestFollowUps.CustomerAsync(app, gradeC.Id);
        Assert.Equal(Shanghai(new DateTime(2026, 11, 27, 0, 0, 0)), after.FollowUpDueAt);
        Assert.Equal(before.Version, after.Version); // a derived date, not an edit
        Assert.Equal(Shanghai(new DateTime(2026, 11, 26, 0, 0, 0)), (await TestFollowUps.CustomerAsync(app, gradeA.Id)).FollowUpDueAt);
        await using (var db = await app.SystemDbAsync())
        {
            Assert.False(await db.AuditEntries.AnyAsync(a => a.EntityId == gradeC.Id && a.Field == nameof(Customer.FollowUpDueAt), Ct));
            // The first save creates the rules' row; the history names the Admin who saved.
            Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == nameof(CustomerSettings) && a.Action == AuditAction.Created
                && a.ChangedBy == db.Users.Where(u => u.Email == DemoUsers.Admin).Select(u => u.Id).First(), Ct));
            var rules = await CustomerRulebook.LoadAsync(db, Ct);
            var wrong = await db.Customers.Where(c => c.OwnerId != null).ToListAsync(Ct);
            Assert.All(wrong, c => Assert.Equal(CustomerRules.FollowUpDueAt(c.Grade, c.OwnerId, c.LastFollowUpAt, c.OwnedSince, rules), c.FollowUpDueAt));
        }

        // Only the late window changes: nothing to recompute; a stale version is refused.
        var lateOnly = await (await admin.PutAsJsonAsync(Url, saved.Settings with { LateRecordMinutes = 30 }, Ct)).ExpectJsonAsync<CustomerSettingsSaved>();
        Assert.Equal(0, lateOnly.RecomputedCustomers);
        await (await admin.PutAsJsonAsync(Url, saved.Settings with { LateRecordMinutes = 45 }, Ct)).ExpectProblemAsync(HttpStatusCode.Conflict);

        // The new late window applies to the next record.
        using var rep = await app.ClientForAsync("huang.lei@demo.test");
        var logged = await (await rep.PostAsJsonAsync($"/api/v1/customers/{gradeA.Id}/follow-ups",
            new LogFollowUpRequest(FollowUpMethod.Phone, "Called back", Now(app).AddMinutes(-31)), Http.Json, Ct)).ExpectJsonAsync<FollowUpDto>(HttpStatusCode.Created);
        Assert.True(logged.IsLate);
    }

    [Fact]
    public async Task UpdateSettings_RepOrInvalidValues_AreRefused()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var current = await rep.GetJsonAsync<CustomerSettingsDto>(Url);

        await (await rep.PutAsJsonAsync(Url, current with { CadenceDaysA = 2 }, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.PutAsJsonAsync(Url, current with { CadenceDaysA = 0 }, Ct)).ExpectFieldErrorAsync("cadenceDaysA");
        await (await admin.PutAsJsonAsync(Url, current with { ClaimLimit = -1 }, Ct)).ExpectFieldErrorAsync("claimLimit");
        await (await admin.PutAsJsonAsync(Url, current with { PoolNoFollowUpDays = 5000 }, Ct)).ExpectFieldErrorAsync("poolNoFollowUpDays");
        Assert.Equal(current.CadenceDaysA, (await admin.GetJsonAsync<CustomerSettingsDto>(Url)).CadenceDaysA);
    }
}
