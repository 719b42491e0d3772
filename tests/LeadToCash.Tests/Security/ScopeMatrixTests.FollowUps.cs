using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.FollowUps;
using LeadToCash.Modules.FollowUps.Activity;
using LeadToCash.Modules.FollowUps.EditFollowUp;
using LeadToCash.Modules.FollowUps.LogFollowUp;
using LeadToCash.Modules.FollowUps.Settings;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Security;

/// <summary>The follow-up doors: a customer's records, files, timeline, due lists and activity answer only within the scope.</summary>
public sealed partial class ScopeMatrixTests
{
    [Fact]
    public async Task FollowUps_CustomerOfAnotherTeam_EveryDoorAnswers404ToTheRepAndOpensForTheAdmin()
    {
        var hidden = await HiddenFromRepAsync();
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var body = TestFollowUps.Multipart("Visit", "Admin visited the Shenzhen customer", files: ("site.png", TestFollowUps.Png));
        var logged = await (await admin.PostAsync($"/api/v1/customers/{hidden.Id}/follow-ups", body, Ct)).ExpectJsonAsync<FollowUpDto>(HttpStatusCode.Created);
        var file = Assert.Single(logged.Attachments);

        // The list, the timeline, the record and its file: 404 for the rep, open for the Admin (so the door itself works).
        foreach (var url in new[] { $"/api/v1/customers/{hidden.Id}/follow-ups", $"/api/v1/customers/{hidden.Id}/timeline", $"/api/v1/follow-ups/{logged.Id}", file.Url })
        {
            await (await rep.GetAsync(url, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await admin.GetAsync(url, Ct)).ExpectAsync(HttpStatusCode.OK);
        }

        await (await rep.PostAsJsonAsync($"/api/v1/customers/{hidden.Id}/follow-ups",
            new LogFollowUpRequest(FollowUpMethod.Phone, "Not mine"), Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.PutAsJsonAsync($"/api/v1/follow-ups/{logged.Id}", new UpdateFollowUpRequest("Changed", Version: logged.Version), Ct))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.DeleteAsync($"/api/v1/follow-ups/{logged.Id}?version={logged.Version}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("Admin visited the Shenzhen customer", (await admin.GetJsonAsync<FollowUpDto>($"/api/v1/follow-ups/{logged.Id}")).KeyPoints);

        // Activity counts the admin's record for the admin, never for the rep or the Shanghai manager.
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        Assert.Contains((await admin.GetJsonAsync<FollowUpActivityDto>("/api/v1/follow-ups/activity")).Rows, r => r.UserId == logged.AuthorId);
        Assert.DoesNotContain((await rep.GetJsonAsync<FollowUpActivityDto>("/api/v1/follow-ups/activity")).Rows, r => r.UserId == logged.AuthorId);
        Assert.DoesNotContain((await manager.GetJsonAsync<FollowUpActivityDto>("/api/v1/follow-ups/activity")).Rows, r => r.UserId == logged.AuthorId);
    }

    [Fact]
    public async Task FollowUpsDue_OverdueCustomerOfAnotherTeam_OnlyItsOwnersSideListsIt()
    {
        var hidden = await HiddenFromRepAsync();
        await using (var db = await app.SystemDbAsync())
        {
            var stored = await db.Customers.SingleAsync(c => c.Id == hidden.Id, Ct);
            stored.FollowUpDueAt = app.Clock.GetUtcNow().UtcDateTime.AddDays(-10);
            await db.SaveChangesAsync(Ct);
        }

        async Task<List<Guid>> DueFor(string email)
        {
            using var client = await app.ClientForAsync(email);
            return (await client.ListAllAsync<FollowUpDueItem>("/api/v1/follow-ups/due")).Select(i => i.CustomerId).ToList();
        }

        Assert.DoesNotContain(hidden.Id, await DueFor(DemoUsers.Rep));
        Assert.DoesNotContain(hidden.Id, await DueFor(DemoUsers.Manager));
        Assert.DoesNotContain(hidden.Id, await DueFor(DemoUsers.EastDirector));
        Assert.Contains(hidden.Id, await DueFor(DemoUsers.SouthRep));
        Assert.Contains(hidden.Id, await DueFor(DemoUsers.Admin));

        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var southManager = await app.ClientForAsync("manager3@demo.test");
        Assert.Equal(0, (await rep.GetJsonAsync<FollowUpDueCounts>("/api/v1/follow-ups/due/counts")).Overdue);
        await (await rep.GetAsync("/api/v1/follow-ups/due/by-rep", Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.DoesNotContain(await manager.GetJsonAsync<List<RepFollowUpsDue>>("/api/v1/follow-ups/due/by-rep"), r => r.DisplayName == "何芸");
        Assert.Contains(await southManager.GetJsonAsync<List<RepFollowUpsDue>>("/api/v1/follow-ups/due/by-rep"), r => r.DisplayName == "何芸" && r.Overdue >= 1);
    }

    [Fact]
    public async Task FollowUps_ReadShare_SeesRecordsAndTimelineButCannotLog()
    {
        var shared = await ShareWithRepAsync(4, CollaboratorAccess.Read);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var list = await rep.GetJsonAsync<ListPage<FollowUpDto>>($"/api/v1/customers/{shared.Id}/follow-ups");
        await (await rep.GetAsync($"/api/v1/customers/{shared.Id}/timeline", Ct)).ExpectAsync(HttpStatusCode.OK);
        var log = await rep.PostAsJsonAsync($"/api/v1/customers/{shared.Id}/follow-ups", new LogFollowUpRequest(FollowUpMethod.Phone, "Read share"), Http.Json, Ct);

        Assert.NotNull(list);
        await log.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task CustomerSettings_EveryoneReadsOnlyTheAdminChanges()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var settings = await rep.GetJsonAsync<CustomerSettingsDto>("/api/v1/settings/customers");

        await (await rep.PutAsJsonAsync("/api/v1/settings/customers", settings with { CadenceDaysA = 5 }, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await manager.PutAsJsonAsync("/api/v1/settings/customers", settings with { CadenceDaysA = 5 }, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(settings.CadenceDaysA, (await rep.GetJsonAsync<CustomerSettingsDto>("/api/v1/settings/customers")).CadenceDaysA);
    }
}
