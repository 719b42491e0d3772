using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Notifications.Inbox;
using LeadToCash.Modules.Tasks;
using LeadToCash.Modules.Tasks.CompleteTask;
using LeadToCash.Modules.Tasks.CreateTask;
using LeadToCash.Modules.Tasks.ReviewTask;
using LeadToCash.Modules.Tasks.UpdateTask;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Api;

/// <summary>The task commands through the API: who may do what, versions, the verify/return flow and evidence.</summary>
[DatabaseTest]
public sealed class TasksApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static readonly byte[] Png =
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89,
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DateTime Tomorrow => TestTasks.TodayAt(app, 18, days: 1);

    private Task<Guid> IdOfAsync(string email) => TestLeads.UserIdAsync(app, email);

    private async Task<TaskDto> AssignAsync(string title, string assignee, string? standard = null)
    {
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        return await manager.CreateTaskAsync(new CreateTaskRequest(title, Tomorrow, AssigneeId: await IdOfAsync(assignee),
            CompletionStandard: standard));
    }

    private static async Task<HttpResponseMessage> CompleteAsync(HttpClient client, TaskDto task, string? note, params (string Name, byte[] Bytes)[] files)
    {
        using var form = new MultipartFormDataContent();
        if (note is not null)
        {
            form.Add(new StringContent(note), "note");
        }

        form.Add(new StringContent(task.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)), "version");
        foreach (var (name, bytes) in files)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(content, "files", name);
        }

        return await client.PostAsync($"/api/v1/tasks/{task.Id}/complete", form, Ct);
    }

    private async Task<List<string>> MessagesAsync(string email)
    {
        using var client = await app.ClientForAsync(email);
        var page = await client.GetJsonAsync<ListPage<NotificationDto>>("/api/v1/notifications?limit=50");
        return [.. page.Items.Select(n => n.Message)];
    }

    [Fact]
    public async Task CreateTask_RepForThemselves_Returns201AndListsItAsTheirs()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var repId = await IdOfAsync(DemoUsers.Rep);

        var created = await rep.CreateTaskAsync(new CreateTaskRequest("  Prepare the visit plan ", Tomorrow, "Agenda, attendees"));
        var mine = await rep.ListAllAsync<TaskDto>("/api/v1/tasks?assignee=me&status=active");

        Assert.Equal("Prepare the visit plan", created.Title);
        Assert.Equal(repId, created.AssigneeId);
        Assert.Equal(repId, created.CreatedBy);
        Assert.Equal(WorkTaskStatus.Open, created.Status);
        Assert.Equal(Tomorrow, created.DueAt);
        Assert.Equal(1, created.Version);
        Assert.False(created.IsOverdue);
        Assert.Equal(new TaskAbilities(Edit: true, Complete: true, Review: false, Cancel: true), created.Can);
        Assert.Contains(mine, t => t.Id == created.Id);
    }

    [Fact]
    public async Task CreateTask_RepAssigningToAColleague_Returns403()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync("/api/v1/tasks",
            new CreateTaskRequest("Call them", Tomorrow, AssigneeId: await IdOfAsync(DemoUsers.Rep2)), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task CreateTask_ManagerAssignsToTheirRep_AssigneeIsNotified()
    {
        var task = await AssignAsync("Send the revised quote to 华东精工", DemoUsers.Rep2);

        Assert.Equal(await IdOfAsync(DemoUsers.Rep2), task.AssigneeId);
        Assert.Equal(await IdOfAsync(DemoUsers.Manager), task.CreatedBy);
        Assert.Contains($"{task.CreatorName} assigned you a task: Send the revised quote to 华东精工", await MessagesAsync(DemoUsers.Rep2));
    }

    [Fact]
    public async Task CreateTask_ManagerAssigningOutsideTheirTeams_Returns403()
    {
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        var response = await manager.PostAsJsonAsync("/api/v1/tasks",
            new CreateTaskRequest("Not my people", Tomorrow, AssigneeId: await IdOfAsync(DemoUsers.SouthRep)), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task CreateTask_AdminAssignsToAnyoneActive_Returns201()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var task = await admin.CreateTaskAsync(new CreateTaskRequest("Company-wide check", Tomorrow, AssigneeId: await IdOfAsync(DemoUsers.SouthRep)));

        Assert.Equal(await IdOfAsync(DemoUsers.SouthRep), task.AssigneeId);
    }

    [Fact]
    public async Task CreateTask_RelatedCustomerTheCallerCannotSee_Returns400()
    {
        var hidden = await TestTasks.OwnedCustomerAsync(app, DemoUsers.SouthRep);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync("/api/v1/tasks",
            new CreateTaskRequest("Peek", Tomorrow, RelatedType: Customer.RecordType, RelatedId: hidden.Id), Ct);

        await response.ExpectFieldErrorAsync("relatedId");
    }

    [Fact]
    public async Task CreateTask_RelatedOwnCustomer_CarriesItsNameAndLink()
    {
        var customer = await TestTasks.OwnedCustomerAsync(app, DemoUsers.Rep);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var task = await rep.CreateTaskAsync(new CreateTaskRequest("Visit", Tomorrow, RelatedType: Customer.RecordType, RelatedId: customer.Id));
        var byRecord = await rep.GetJsonAsync<ListPage<TaskDto>>($"/api/v1/tasks?relatedId={customer.Id}");

        Assert.Equal(customer.Name, task.RelatedName);
        Assert.Equal($"/customers/{customer.Id}", task.RelatedLink);
        Assert.Contains(byRecord.Items, t => t.Id == task.Id);
        Assert.All(byRecord.Items, t => Assert.Equal(customer.Id, t.RelatedId));
    }

    [Theory]
    [InlineData("", "title")]
    [InlineData("Fine", "relatedType")]
    public async Task CreateTask_InvalidFields_Returns400NamingTheField(string title, string field)
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync("/api/v1/tasks",
            new CreateTaskRequest(title, Tomorrow, RelatedType: field == "relatedType" ? "invoice" : null,
                RelatedId: field == "relatedType" ? Guid.NewGuid() : null), Ct);

        await response.ExpectFieldErrorAsync(field);
    }

    [Fact]
    public async Task GetTask_TaskOfAnotherTeam_Returns404()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var southern = await admin.CreateTaskAsync(new CreateTaskRequest("Shenzhen only", Tomorrow, AssigneeId: await IdOfAsync(DemoUsers.SouthRep)));
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        await (await rep.GetAsync($"/api/v1/tasks/{southern.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.PutAsJsonAsync($"/api/v1/tasks/{southern.Id}", new UpdateTaskRequest("x", Tomorrow, Version: 1), Ct))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await CompleteAsync(rep, southern, "done")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain(await rep.ListAllAsync<TaskDto>("/api/v1/tasks"), t => t.Id == southern.Id);
    }

    [Fact]
    public async Task UpdateTask_StaleVersion_Returns409()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var task = await rep.CreateTaskAsync(new CreateTaskRequest("Versioned", Tomorrow));
        var changed = await (await rep.PutAsJsonAsync($"/api/v1/tasks/{task.Id}",
            new UpdateTaskRequest("Versioned (2)", Tomorrow.AddHours(1), Version: task.Version), Ct)).ExpectJsonAsync<TaskDto>();

        var stale = await rep.PutAsJsonAsync($"/api/v1/tasks/{task.Id}", new UpdateTaskRequest("Lost update", Tomorrow, Version: task.Version), Ct);

        Assert.Equal(task.Version + 1, changed.Version);
        Assert.Equal(Tomorrow.AddHours(1), changed.DueAt);
        await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task UpdateTask_AssigneeWhoDidNotCreateIt_Returns403ButTheManagerMay()
    {
        var task = await AssignAsync("Manager's task for 张伟", DemoUsers.Rep);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        var byRep = await rep.PutAsJsonAsync($"/api/v1/tasks/{task.Id}", new UpdateTaskRequest("Renamed by rep", Tomorrow, Version: task.Version), Ct);
        var byManager = await (await manager.PutAsJsonAsync($"/api/v1/tasks/{task.Id}",
            new UpdateTaskRequest("Renamed by manager", Tomorrow, AssigneeId: await IdOfAsync(DemoUsers.Rep2), Version: task.Version), Ct))
            .ExpectJsonAsync<TaskDto>();

        await byRep.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Renamed by manager", byManager.Title);
        Assert.Equal(await IdOfAsync(DemoUsers.Rep2), byManager.AssigneeId);
    }

    [Fact]
    public async Task CompleteTask_SomeoneOtherThanTheAssignee_Returns403()
    {
        var task = await AssignAsync("Only 刘洋 completes this", DemoUsers.Rep2);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        await (await CompleteAsync(manager, task, "done by the manager")).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task CompleteTask_StandardWithoutNoteOrEvidence_Returns400AndStaysOpen()
    {
        var task = await AssignAsync("Collect the signed NDA", DemoUsers.Rep, standard: "A scan of the signed NDA");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await CompleteAsync(rep, task, note: null);

        await response.ExpectFieldErrorAsync("note");
        Assert.Equal(WorkTaskStatus.Open, (await rep.GetJsonAsync<TaskDto>($"/api/v1/tasks/{task.Id}")).Status);
    }

    [Fact]
    public async Task CompleteTask_MultipartWithEvidence_StoresTheFileAndNotifiesTheCreator()
    {
        var task = await AssignAsync("Photograph the installed unit", DemoUsers.Rep, standard: "A photo of the unit on site");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var done = await (await CompleteAsync(rep, task, "Installed and running", ("unit.png", Png))).ExpectJsonAsync<TaskDto>();

        Assert.Equal(WorkTaskStatus.Done, done.Status);
        Assert.Equal("Installed and running", done.CompletionNote);
        Assert.Equal(TestLeads.Now(app), done.CompletedAt);
        var file = Assert.Single(done.Attachments!);
        Assert.Equal("unit.png", file.FileName);
        Assert.Equal("image/png", file.ContentType);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var bytes = await (await manager.GetAsync(file.Url, Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(Png, await bytes.Content.ReadAsByteArrayAsync(Ct));
        using var south = await app.ClientForAsync(DemoUsers.SouthRep);
        await (await south.GetAsync(file.Url, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        var repName = (await rep.GetJsonAsync<TaskDto>($"/api/v1/tasks/{task.Id}")).AssigneeName;
        Assert.Contains($"{repName} completed the task Photograph the installed unit", await MessagesAsync(DemoUsers.Manager));
    }

    [Fact]
    public async Task CompleteTask_FileThatIsNotWhatItsNameSays_Returns400AndTheTaskStaysOpen()
    {
        var task = await AssignAsync("Upload the floor plan", DemoUsers.Rep);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await CompleteAsync(rep, task, "see plan", ("plan.pdf", "<html>not a pdf</html>"u8.ToArray()));

        await response.ExpectFieldErrorAsync("files");
        await using var db = await app.SystemDbAsync();
        Assert.Equal(WorkTaskStatus.Open, (await db.Tasks.SingleAsync(t => t.Id == task.Id, Ct)).Status);
        Assert.False(await db.Attachments.AnyAsync(a => a.RecordId == task.Id, Ct));
    }

    [Fact]
    public async Task ReviewTask_VerifyAndReturnFlow_FollowsTheRules()
    {
        var task = await AssignAsync("Confirm the delivery date", DemoUsers.Rep);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        // Only a done task can be reviewed.
        await (await manager.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/verify", new VerifyTaskRequest(task.Version), Ct))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        var done = await (await rep.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/complete", new CompleteTaskRequest("Friday", task.Version), Ct))
            .ExpectJsonAsync<TaskDto>();
        Assert.Equal(WorkTaskStatus.Done, done.Status);

        // A peer cannot review; a reason is needed to return.
        await (await rep2.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/verify", new VerifyTaskRequest(done.Version), Ct))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/verify", new VerifyTaskRequest(done.Version), Ct))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await manager.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/return", new ReturnTaskRequest(" ", done.Version), Ct))
            .ExpectFieldErrorAsync("reason");

        var returned = await (await manager.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/return",
            new ReturnTaskRequest("Ask for a written confirmation", done.Version), Ct)).ExpectJsonAsync<TaskDto>();
        Assert.Equal(WorkTaskStatus.Returned, returned.Status);
        Assert.True(returned.IsOpen);
        Assert.Equal("Ask for a written confirmation", returned.ReturnReason);
        Assert.Contains(await MessagesAsync(DemoUsers.Rep), m => m.Contains("returned your task Confirm the delivery date: Ask for a written confirmation", StringComparison.Ordinal));
        Assert.Contains(await rep.ListAllAsync<TaskDto>("/api/v1/tasks?assignee=me&status=active"), t => t.Id == task.Id);

        var again = await (await rep.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/complete",
            new CompleteTaskRequest("Confirmation e-mail received", returned.Version), Ct)).ExpectJsonAsync<TaskDto>();
        var toVerify = await manager.ListAllAsync<TaskDto>("/api/v1/tasks?assignee=others&status=done");
        Assert.Contains(toVerify, t => t.Id == task.Id);
        var verified = await (await manager.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/verify", new VerifyTaskRequest(again.Version), Ct))
            .ExpectJsonAsync<TaskDto>();

        Assert.Equal(WorkTaskStatus.Verified, verified.Status);
        Assert.Equal(await IdOfAsync(DemoUsers.Manager), verified.VerifiedBy);
        Assert.Equal(new TaskAbilities(false, false, false, true), verified.Can);
        await (await rep.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/complete", new CompleteTaskRequest("again", verified.Version), Ct))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        await using var db = await app.SystemDbAsync();
        var statusHistory = await db.AuditEntries.Where(a => a.EntityId == task.Id && a.Field == nameof(WorkTask.Status))
            .Select(a => a.NewValue).ToListAsync(Ct);
        Assert.Equal(["Done", "Done", "Returned", "Verified"], statusHistory.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CancelTask_ByTheCreator_MovesItToTheRecycleBin_ButNotByTheAssignee()
    {
        var task = await AssignAsync("Obsolete after the call", DemoUsers.Rep);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        await (await rep.DeleteAsync($"/api/v1/tasks/{task.Id}?version={task.Version}", Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await manager.DeleteAsync($"/api/v1/tasks/{task.Id}?version={task.Version + 5}", Ct)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await manager.DeleteAsync($"/api/v1/tasks/{task.Id}?version={task.Version}", Ct)).ExpectAsync(HttpStatusCode.NoContent);

        await (await rep.GetAsync($"/api/v1/tasks/{task.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await using var db = await app.SystemDbAsync();
        var stored = await db.Tasks.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).SingleAsync(t => t.Id == task.Id, Ct);
        Assert.True(stored.IsDeleted);
    }

    [Fact]
    public async Task ListTasks_KeysetPages_ReturnEveryTaskOnceInDueOrder()
    {
        using var rep = await app.ClientForAsync("zhao.min@demo.test");
        for (var i = 0; i < 5; i++)
        {
            await rep.CreateTaskAsync(new CreateTaskRequest($"Paged {i}", Tomorrow.AddHours(-i)));
        }

        var all = await rep.ListAllAsync<TaskDto>("/api/v1/tasks?assignee=me", limit: 2);

        Assert.Equal(5, all.Count(t => t.Title.StartsWith("Paged", StringComparison.Ordinal)));
        Assert.Equal(all.Count, all.Select(t => t.Id).Distinct().Count());
        Assert.Equal(all.Select(t => t.DueAt).Order(), all.Select(t => t.DueAt));
    }

    [Fact]
    public async Task CompleteTask_JsonWithAFieldOfAnotherOperation_Returns400NamingIt()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var task = await rep.CreateTaskAsync(new CreateTaskRequest("Strict body", Tomorrow));

        var response = await rep.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/complete", new { note = "ok", version = task.Version, title = "x" }, Ct);

        await response.ExpectFieldErrorAsync("title");
    }

    [Theory]
    [InlineData("status=finished", "status")]
    [InlineData("due=someday", "due")]
    [InlineData("assignee=everyone", "assignee")]
    public async Task ListTasks_UnknownFilterValue_Returns400(string query, string field)
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        await (await rep.GetAsync($"/api/v1/tasks?{query}", Ct)).ExpectFieldErrorAsync(field);
    }

    [Fact]
    public async Task TimelineSource_TaskAboutACustomer_AddsCreatedDoneAndVerified()
    {
        var customer = await TestTasks.OwnedCustomerAsync(app, DemoUsers.Rep, index: 1);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var task = await manager.CreateTaskAsync(new CreateTaskRequest("Timeline task", Tomorrow, RelatedType: Customer.RecordType,
            RelatedId: customer.Id, AssigneeId: await IdOfAsync(DemoUsers.Rep)));
        var done = await (await rep.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/complete", new CompleteTaskRequest("ok", task.Version), Ct))
            .ExpectJsonAsync<TaskDto>();
        await (await manager.PostAsJsonAsync($"/api/v1/tasks/{task.Id}/verify", new VerifyTaskRequest(done.Version), Ct)).ExpectAsync(HttpStatusCode.OK);

        using var scope = app.Services.CreateScope();
        var source = Assert.Single(scope.ServiceProvider.GetServices<ICustomerTimelineSource>().OfType<TaskTimelineSource>());
        await using var db = await app.SystemDbAsync();
        var entries = (await source.ReadAsync(db, customer.Id, new TimelineWindow(null, 50), Ct)).Entries;

        Assert.Equal([TaskTimelineSource.Created, TaskTimelineSource.Done, TaskTimelineSource.Verified],
            entries.Where(e => e.RecordId == task.Id).Select(e => e.Kind));
        Assert.All(entries, e => Assert.Equal($"/tasks?id={e.RecordId}", e.Link));
    }
}
