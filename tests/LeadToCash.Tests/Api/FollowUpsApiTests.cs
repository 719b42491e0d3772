using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.FollowUps;
using LeadToCash.Modules.FollowUps.Activity;
using LeadToCash.Modules.FollowUps.EditFollowUp;
using LeadToCash.Modules.FollowUps.LogFollowUp;
using LeadToCash.Modules.Tasks;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static LeadToCash.Tests.Infrastructure.TestFollowUps;
using static LeadToCash.Tests.Infrastructure.TestLeads;

namespace LeadToCash.Tests.Api;

/// <summary>
/// Logging, reading, correcting and removing follow-ups through the API. The tests of this class share one database and
/// a clock that only moves forward: each works on customers of its own and times relative to the clock.
/// </summary>
[DatabaseTest]
public sealed class FollowUpsApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Url(Guid customerId) => $"/api/v1/customers/{customerId}/follow-ups";

    [Fact]
    public async Task LogFollowUp_MultipartWithRealPng_StoresTheFileAndMovesTheCustomersClocks()
    {
        var customer = await OwnedCustomerAsync(app, DemoUsers.Rep, index: 0, grade: CustomerGrade.A);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var occurred = Now(app).AddMinutes(-30);

        using var body = Multipart("Visit", "Walked the plant with the buyer", occurred, files: ("plant.png", Png));
        var logged = await (await rep.PostAsync(Url(customer.Id), body, Ct)).ExpectJsonAsync<FollowUpDto>(HttpStatusCode.Created);

        Assert.Equal(FollowUpMethod.Visit, logged.Method);
        Assert.False(logged.IsLate);
        Assert.Equal("张伟", logged.AuthorName);
        var file = Assert.Single(logged.Attachments);
        Assert.Equal(("plant.png", "image/png", (long)Png.Length), (file.FileName, file.ContentType, file.SizeBytes));
        var served = await rep.GetAsync($"/api/v1/attachments/{file.Id}", Ct);
        await served.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(Png, await served.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);

        var after = await CustomerAsync(app, customer.Id);
        await using var db = await app.SystemDbAsync();
        var rules = await CustomerRulebook.LoadAsync(db, Ct);
        Assert.Equal(occurred, after.LastFollowUpAt!.Value, TimeSpan.FromMilliseconds(1));
        // Grade A: due the next working day after the contact; the pool clock now counts from the contact.
        Assert.Equal(rules.Calendar.StartOfDay(rules.Calendar.AddWorkingDays(rules.Calendar.LocalDate(occurred), 1)), after.FollowUpDueAt);
        Assert.Equal(CadenceState.Upcoming, CustomerRules.Cadence(after.FollowUpDueAt, Now(app), rules.Calendar));
        Assert.Equal(occurred.AddDays(30), CustomerRules.PoolReturnAt(after.OwnedSince!.Value, after.LastFollowUpAt, after.LastWonAt, 30, 90),
            TimeSpan.FromMilliseconds(1));
        Assert.Equal(customer.Version + 1, after.Version);
    }

    [Fact]
    public async Task LogFollowUp_FakePngThatIsText_Returns400NamingFilesAndStoresNothing()
    {
        var customer = await OwnedCustomerAsync(app, DemoUsers.Rep, index: 1);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var before = StoredFiles(app).Count;

        using var body = Multipart("Phone", "Called about the quote", files: ("photo.png", "this is not an image"u8.ToArray()));
        var messages = await (await rep.PostAsync(Url(customer.Id), body, Ct)).ExpectFieldErrorAsync("files");

        Assert.Contains(messages, m => m.Contains("photo.png", StringComparison.Ordinal));
        Assert.Equal(before, StoredFiles(app).Count);
        await using var db = await app.SystemDbAsync();
        Assert.False(await db.FollowUps.AnyAsync(f => f.CustomerId == customer.Id, Ct));
        Assert.Null((await CustomerAsync(app, customer.Id)).LastFollowUpAt);
    }

    [Fact]
    public async Task LogFollowUp_FileOverTheSizeLimit_Returns400NamingFiles()
    {
        var customer = await OwnedCustomerAsync(app, DemoUsers.Rep, index: 1);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var big = new byte[(10 * 1024 * 1024) + 1];
        Png.CopyTo(big, 0);

        using var body = Multipart("Visit", "Brought the big brochure", files: ("brochure.png", big));
        var messages = await (await rep.PostAsync(Url(customer.Id), body, Ct)).ExpectFieldErrorAsync("files");

        Assert.Contains(messages, m => m.Contains("10 MB", StringComparison.Ordinal));
        await using var db = await app.SystemDbAsync();
        Assert.False(await db.FollowUps.AnyAsync(f => f.CustomerId == customer.Id, Ct));
    }

    [Fact]
    public async Task LogFollowUp_EnteredLaterThanTheWindow_IsKeptAndMarkedLate()
    {
        var customer = await OwnedCustomerAsync(app, DemoUsers.Rep2, index: 0);
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
        var contact = Now(app);

        app.Clock.Advance(TimeSpan.FromMinutes(120));
        var inTime = await (await rep2.PostAsJsonAsync(Url(customer.Id),
            new LogFollowUpRequest(FollowUpMethod.Phone, "Confirmed the delivery date", contact), Http.Json, Ct)).ExpectJsonAsync<FollowUpDto>(HttpStatusCode.Created);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var late = await (await rep2.PostAsJsonAsync(Url(customer.Id),
            new LogFollowUpRequest(FollowUpMethod.WeChat, "Sent the contract draft", contact), Http.Json, Ct)).ExpectJsonAsync<FollowUpDto>(HttpStatusCode.Created);

        Assert.False(inTime.IsLate);
        Assert.True(late.IsLate);
        Assert.Equal(Now(app), late.RecordedAt, TimeSpan.FromMilliseconds(1));
        var listed = await rep2.GetJsonAsync<ListPage<FollowUpDto>>(Url(customer.Id));
        Assert.Equal([true, false], listed.Items.OrderByDescending(f => f.RecordedAt).Select(f => f.IsLate));
    }

    [Fact]
    public async Task LogFollowUp_WithNextDate_CreatesAReminderTaskThatTheNextContactAnswers()
    {
        var customer = await OwnedCustomerAsync(app, DemoUsers.Rep, index: 2, grade: CustomerGrade.B);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var next = Now(app).AddDays(2);

        var first = await (await rep.PostAsJsonAsync(Url(customer.Id),
            new LogFollowUpRequest(FollowUpMethod.Meeting, "Demo for the IT team", NextStep: "Send the pilot plan", NextFollowUpAt: next),
            Http.Json, Ct)).ExpectJsonAsync<FollowUpDto>(HttpStatusCode.Created);

        Assert.NotNull(first.ReminderTaskId);
        await using (var db = await app.SystemDbAsync())
        {
            var task = await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == first.ReminderTaskId, Ct);
            var repId = await UserIdAsync(app, DemoUsers.Rep);
            Assert.Equal((WorkTaskKind.FollowUpReminder, repId, "customer", customer.Id, first.Id, WorkTaskStatus.Open),
                (task.Kind, task.OwnerId, task.RelatedType, task.RelatedId, task.FollowUpId, task.Status));
            Assert.Equal(next, task.DueAt, TimeSpan.FromMilliseconds(1));
            Assert.Equal($"跟进：{customer.Name}", task.Title); // the company's language, Chinese in the demo
            Assert.Equal("Send the pilot plan", task.Content);
            Assert.Equal(next, (await CustomerAsync(app, customer.Id)).NextFollowUpAt!.Value, TimeSpan.FromMilliseconds(1));
        }

        app.Clock.Advance(TimeSpan.FromDays(2));
        using var repTwoDaysLater = await app.ClientForAsync(DemoUsers.Rep); // the first session has expired
        var second = await (await repTwoDaysLater.PostAsJsonAsync(Url(customer.Id),
            new LogFollowUpRequest(FollowUpMethod.Phone, "Pilot plan agreed"), Http.Json, Ct)).ExpectJsonAsync<FollowUpDto>(HttpStatusCode.Created);

        Assert.Null(second.ReminderTaskId);
        await using (var db = await app.SystemDbAsync())
        {
            var answered = await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == first.ReminderTaskId, Ct);
            Assert.Equal(WorkTaskStatus.Done, answered.Status);
            Assert.Equal(Now(app), answered.CompletedAt!.Value, TimeSpan.FromMilliseconds(1));
        }

        // The latest record planned nothing: the customer has no planned follow-up any more.
        var after = await CustomerAsync(app, customer.Id);
        Assert.Null(after.NextFollowUpAt);
        Assert.Equal(second.OccurredAt, after.LastFollowUpAt!.Value, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task LogFollowUp_OlderRecordEnteredAfterANewerOne_DoesNotMoveTheClocksBack()
    {
        var customer = await OwnedCustomerAsync(app, DemoUsers.Rep2, index: 1);
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
        var next = Now(app).AddDays(3);
        await (await rep2.PostAsJsonAsync(Url(customer.Id),
            new LogFollowUpRequest(FollowUpMethod.Visit, "On site today", NextFollowUpAt: next), Http.Json, Ct)).ExpectAsync(HttpStatusCode.Created);

        await (await rep2.PostAsJsonAsync(Url(customer.Id),
            new LogFollowUpRequest(FollowUpMethod.Phone, "Forgot to log last week's call", Now(app).AddDays(-6)), Http.Json, Ct))
            .ExpectAsync(HttpStatusCode.Created);

        var after = await CustomerAsync(app, customer.Id);
        Assert.Equal(Now(app), after.LastFollowUpAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(next, after.NextFollowUpAt!.Value, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task LogFollowUp_ThreeAtOnceOnOneCustomer_AllRecordedAndTheClocksFollowTheLatest()
    {
        var customer = await OwnedCustomerAsync(app, DemoUsers.Rep2, index: 2);
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
        var now = Now(app);

        int[] minutesAgo = [50, 10, 30];
        var responses = await Task.WhenAll(minutesAgo.Select(minutes => rep2.PostAsJsonAsync(Url(customer.Id),
            new LogFollowUpRequest(FollowUpMethod.Phone, $"{minutes} minutes ago", now.AddMinutes(-minutes)), Http.Json, Ct)));

        foreach (var response in responses)
        {
            await response.ExpectAsync(HttpStatusCode.Created);
        }

        Assert.Equal(3, (await rep2.GetJsonAsync<ListPage<FollowUpDto>>(Url(customer.Id))).Count);
        Assert.Equal(now.AddMinutes(-10), (await CustomerAsync(app, customer.Id)).LastFollowUpAt!.Value, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task LogFollowUp_CustomerOutsideTheRepsScope_Returns404()
    {
        var hidden = await OwnedCustomerAsync(app, DemoUsers.SouthRep, index: 0);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var json = await rep.PostAsJsonAsync(Url(hidden.Id), new LogFollowUpRequest(FollowUpMethod.Phone, "Not mine"), Http.Json, Ct);
        using var body = Multipart("Phone", "Not mine", files: ("a.png", Png));
        var multipart = await rep.PostAsync(Url(hidden.Id), body, Ct);

        await json.ExpectProblemAsync(HttpStatusCode.NotFound);
        await multipart.ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.GetAsync(Url(hidden.Id), Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task LogFollowUp_ReadOnlyCollaborator_Returns403AndEditCollaboratorMayLog()
    {
        var readOnly = await OwnedCustomerAsync(app, DemoUsers.SouthRep, index: 1);
        var editable = await OwnedCustomerAsync(app, DemoUsers.SouthRep, index: 2);
        await ShareAsync(app, readOnly.Id, DemoUsers.Rep, CollaboratorAccess.Read);
        await ShareAsync(app, editable.Id, DemoUsers.Rep, CollaboratorAccess.Edit);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var refused = await rep.PostAsJsonAsync(Url(readOnly.Id), new LogFollowUpRequest(FollowUpMethod.Phone, "Read share"), Http.Json, Ct);
        var accepted = await rep.PostAsJsonAsync(Url(editable.Id), new LogFollowUpRequest(FollowUpMethod.Phone, "Edit share"), Http.Json, Ct);

        await refused.ExpectProblemAsync(HttpStatusCode.Forbidden);
        await accepted.ExpectAsync(HttpStatusCode.Created);
        Assert.Empty((await rep.GetJsonAsync<ListPage<FollowUpDto>>(Url(readOnly.Id))).Items); // may read, nothing logged
    }

    [Fact]
    public async Task LogFollowUp_Participants_OnlyTheCustomersContactsAndActiveColleagues()
    {
        var customer = await OwnedCustomerAsync(app, DemoUsers.Rep, index: 3);
        var other = await OwnedCustomerAsync(app, DemoUsers.Rep, index: 4);
        Guid buyer, stranger, colleague, inactive;
        await using (var db = await app.SystemDbAsync())
        {
            var contact = new Contact { CustomerId = customer.Id, Name = "王采购", Title = "采购经理" };
            var elsewhere = new Contact { CustomerId = other.Id, Name = "别家联系人" };
            db.Contacts.AddRange(contact, elsewhere);
            var gone = await db.Users.SingleAsync(u => u.Email == "zhou.tao@demo.test", Ct);
            gone.IsActive = false;
            await db.SaveChangesAsync(Ct);
            (buyer, stranger, inactive) = (contact.Id, elsewhere.Id, gone.Id);
            colleague = await db.Users.Where(u => u.Email == DemoUsers.Manager).Select(u => u.Id).SingleAsync(Ct);
        }

        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var wrongContact = await rep.PostAsJsonAsync(Url(customer.Id),
            new LogFollowUpRequest(FollowUpMethod.Visit, "Visit", ContactIds: [stranger]), Http.Json, Ct);
        var wrongColleague = await rep.PostAsJsonAsync(Url(customer.Id),
            new LogFollowUpRequest(FollowUpMethod.Visit, "Visit", ColleagueIds: [inactive]), Http.Json, Ct);
        var logged = await (await rep.PostAsJsonAsync(Url(customer.Id),
            new LogFollowUpRequest(FollowUpMethod.Visit, "Visit with my manager", ContactIds: [buyer], ColleagueIds: [colleague]), Http.Json, Ct))
            .ExpectJsonAsync<FollowUpDto>(HttpStatusCode.Created);

        await wrongContact.ExpectFieldErrorAsync("contactIds");
        await wrongColleague.ExpectFieldErrorAsync("colleagueIds");
        Assert.Equal([(buyer, (Guid?)null, "王采购"), (Guid.Empty, colleague, "李娜")],
            logged.Participants.Select(p => (p.ContactId ?? Guid.Empty, p.UserId, p.Name ?? "")).ToList());
    }

    [Fact]
    public async Task LogFollowUp_InvalidFields_Returns400NamingEachField()
    {
        var customer = await OwnedCustomerAsync(app, DemoUsers.Rep, index: 5);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var now = Now(app);

        await (await rep.PostAsJsonAsync(Url(customer.Id), new LogFollowUpRequest(FollowUpMethod.Phone, "Tomorrow's call", now.AddMinutes(10)), Http.Json, Ct))
            .ExpectFieldErrorAsync("occurredAt");
        await (await rep.PostAsJsonAsync(Url(customer.Id),
                new LogFollowUpRequest(FollowUpMethod.Phone, "Call", now.AddHours(-1), NextFollowUpAt: now.AddHours(-2)), Http.Json, Ct))
            .ExpectFieldErrorAsync("nextFollowUpAt");
        await (await rep.PostAsJsonAsync(Url(customer.Id), new LogFollowUpRequest(FollowUpMethod.Phone, " "), Http.Json, Ct))
            .ExpectFieldErrorAsync("keyPoints");
        await (await rep.PostAsJsonAsync(Url(customer.Id), new { keyPoints = "Call" }, Ct)).ExpectFieldErrorAsync("method");
        await (await rep.PostAsJsonAsync(Url(customer.Id), new { method = "Phone", keyPoints = "Call", mood = "good" }, Ct))
            .ExpectFieldErrorAsync("mood");
        using var form = Multipart("Carrier pigeon", "Call");
        await (await rep.PostAsync(Url(customer.Id), form, Ct)).ExpectFieldErrorAsync("method");
        // Five minutes ahead is within the clocks' tolerance.
        await (await rep.PostAsJsonAsync(Url(customer.Id), new LogFollowUpRequest(FollowUpMethod.Phone, "Just now", now.AddMinutes(4)), Http.Json, Ct))
            .ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task ListFollowUps_ThreeRecords_NewestFirstAcrossPagesAndOneByOne()
    {
        var customer = await OwnedCustomerAsync(app, DemoUsers.Manager, index: 0);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var now = Now(app);
        foreach (var hours in new[] { 30, 2, 10 })
        {
            await (await manager.PostAsJsonAsync(Url(customer.Id),
                new LogFollowUpRequest(FollowUpMethod.Email, $"{hours} hours ago", now.AddHours(-hours)), Http.Json, Ct)).ExpectAsync(HttpStatusCode.Created);
        }

        var all = await manager.ListAllAsync<FollowUpDto>(Url(customer.Id), limit: 2);
        var one = await manager.GetJsonAsync<FollowUpDto>($"/api/v1/follow-ups/{all[1].Id}");

        Assert.Equal(["2 hours ago", "10 hours ago", "30 hours ago"], all.Select(f => f.KeyPoints));
        Assert.Equal(all[1], one with { Participants = all[1].Participants, Attachments = all[1].Attachments });
        Assert.True(all[2].IsLate);
        using var rep = await app.ClientForAsync(DemoUsers.SouthRep);
        await (await rep.GetAsync($"/api/v1/follow-ups/{one.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UpdateFollowUp_AuthorWithinADay_CorrectsTheTextWithTheVersionThenNoLonger()
    {
        var customer = await OwnedCustomerAsync(app, DemoUsers.Rep, index: 6);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var logged = await (await rep.PostAsJsonAsync(Url(customer.Id), new LogFollowUpRequest(FollowUpMethod.Phone, "Tpyo in here"), Http.Json, Ct))
            .ExpectJsonAsync<FollowUpDto>(HttpStatusCode.Created);
        var url = $"/api/v1/follow-ups/{logged.Id}";
        Assert.True(logged.CanEdit);

        var corrected = await (await rep.PutAsJsonAsync(url, new UpdateFollowUpRequest("Typo fixed", "Likes it", null, logged.Version), Ct))
            .ExpectJsonAsync<FollowUpDto>();
        var stale = await rep.PutAsJsonAsync(url, new UpdateFollowUpRequest("Again", Version: logged.Version), Ct);
        var notTheAuthor = await manager.PutAsJsonAsync(url, new UpdateFollowUpRequest("Manager's words", Version: corrected.Version), Ct);
        app.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        using var repNextDay = await app.ClientForAsync(DemoUsers.Rep);
        var tooLate = await repNextDay.PutAsJsonAsync(url, new UpdateFollowUpRequest("Next day", Version: corrected.Version), Ct);

        Assert.Equal(("Typo fixed", "Likes it", logged.Version + 1), (corrected.KeyPoints, corrected.CustomerFeedback, corrected.Version));
        Assert.Equal(logged.OccurredAt, corrected.OccurredAt);
        await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
        await notTheAuthor.ExpectProblemAsync(HttpStatusCode.Forbidden);
        await tooLate.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.False((await repNextDay.GetJsonAsync<FollowUpDto>(url)).CanEdit);
    }

    [Fact]
    public async Task DeleteFollowUp_ByTheAuthorOrTheManager_RewindsTheClocksAndRemovesTheOpenReminder()
    {
        var customer = await OwnedCustomerAsync(app, DemoUsers.Rep, index: 7, grade: CustomerGrade.C);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var otherRep = await app.ClientForAsync(DemoUsers.Rep2);
        var now = Now(app);
        var older = await (await rep.PostAsJsonAsync(Url(customer.Id),
            new LogFollowUpRequest(FollowUpMethod.Phone, "Older", now.AddDays(-3), NextFollowUpAt: now.AddDays(1)), Http.Json, Ct)).ExpectJsonAsync<FollowUpDto>(HttpStatusCode.Created);
        var newer = await (await rep.PostAsJsonAsync(Url(customer.Id),
            new LogFollowUpRequest(FollowUpMethod.Visit, "Newer", now.AddHours(-1), NextFollowUpAt: now.AddDays(2)), Http.Json, Ct)).ExpectJsonAsync<FollowUpDto>(HttpStatusCode.Created);

        await (await otherRep.DeleteAsync($"/api/v1/follow-ups/{newer.Id}?version={newer.Version}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.DeleteAsync($"/api/v1/follow-ups/{newer.Id}?version={newer.Version}", Ct)).ExpectAsync(HttpStatusCode.NoContent);

        var after = await CustomerAsync(app, customer.Id);
        Assert.Equal(older.OccurredAt, after.LastFollowUpAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(older.NextFollowUpAt!.Value, after.NextFollowUpAt!.Value, TimeSpan.FromMilliseconds(1));
        await using (var db = await app.SystemDbAsync())
        {
            Assert.False(await db.Tasks.AnyAsync(t => t.Id == newer.ReminderTaskId, Ct)); // soft-deleted
            var rules = await CustomerRulebook.LoadAsync(db, Ct);
            Assert.Equal(CustomerRules.FollowUpDueAt(CustomerGrade.C, after.OwnerId, after.LastFollowUpAt, after.OwnedSince, rules), after.FollowUpDueAt);
        }

        await (await rep.GetAsync($"/api/v1/follow-ups/{newer.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await manager.DeleteAsync($"/api/v1/follow-ups/{older.Id}?version={older.Version}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        var cleared = await CustomerAsync(app, customer.Id);
        Assert.Null(cleared.LastFollowUpAt);
        Assert.Equal(CustomerRules.FollowUpDueAt(CustomerGrade.C, cleared.OwnerId, null, cleared.OwnedSince,
            await CustomerRulesAsync()), cleared.FollowUpDueAt);
    }

    [Fact]
    public async Task Activity_PerPersonPerDay_CountsTheRecordsOfVisibleCustomers()
    {
        var mine = await OwnedCustomerAsync(app, "zhao.min@demo.test", index: 0);
        var south = await OwnedCustomerAsync(app, "guo.peng@demo.test", index: 0);
        using var zhao = await app.ClientForAsync("zhao.min@demo.test");
        using var guo = await app.ClientForAsync("guo.peng@demo.test");
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var now = Now(app);
        await using var db = await app.SystemDbAsync();
        var calendar = (await CustomerRulebook.LoadAsync(db, Ct)).Calendar;
        var today = calendar.LocalDate(now);
        var yesterdayNoon = calendar.StartOfDay(today.AddDays(-1)).AddHours(12);
        foreach (var at in new[] { now, now.AddMinutes(-5), yesterdayNoon })
        {
            await (await zhao.PostAsJsonAsync(Url(mine.Id), new LogFollowUpRequest(FollowUpMethod.Phone, "Call", at), Http.Json, Ct)).ExpectAsync(HttpStatusCode.Created);
        }

        await (await guo.PostAsJsonAsync(Url(south.Id), new LogFollowUpRequest(FollowUpMethod.Phone, "Call", now), Http.Json, Ct)).ExpectAsync(HttpStatusCode.Created);
        var zhaoId = await UserIdAsync(app, "zhao.min@demo.test");
        var guoId = await UserIdAsync(app, "guo.peng@demo.test");

        var activity = await manager.GetJsonAsync<FollowUpActivityDto>($"/api/v1/follow-ups/activity?from={today.AddDays(-1):yyyy-MM-dd}&to={today:yyyy-MM-dd}");
        var zhaoOnly = await manager.GetJsonAsync<FollowUpActivityDto>($"/api/v1/follow-ups/activity?userId={zhaoId}");

        Assert.Equal([(today.AddDays(-1), 1), (today, 2)], activity.Rows.Where(r => r.UserId == zhaoId).Select(r => (r.Date, r.Count)));
        Assert.DoesNotContain(activity.Rows, r => r.UserId == guoId); // 郭鹏's customer is in Shenzhen: not the manager's
        Assert.Equal("赵敏", activity.Rows.First(r => r.UserId == zhaoId).UserName);
        Assert.Equal(3, zhaoOnly.Rows.Sum(r => r.Count));
        Assert.Equal((today.AddDays(-6), today), (zhaoOnly.From, zhaoOnly.To));
        await (await manager.GetAsync($"/api/v1/follow-ups/activity?from={today:yyyy-MM-dd}&to={today.AddDays(-1):yyyy-MM-dd}", Ct)).ExpectFieldErrorAsync("from");
    }

    private async Task<CustomerRulebook> CustomerRulesAsync()
    {
        await using var db = await app.SystemDbAsync();
        return await CustomerRulebook.LoadAsync(db, Ct);
    }
}
