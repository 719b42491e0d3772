using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Tasks;
using LeadToCash.Modules.Tasks.Calendar;
using LeadToCash.Modules.Tasks.CompleteTask;
using LeadToCash.Modules.Tasks.CreateTask;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Api;

/// <summary>
/// The calendar API and the private iCalendar feed. The feed is checked with two independent RFC 5545 parsers: Ical.Net
/// in process, and ical.js run by Node (installed by npm into tests/tools/ical-check on first use).
/// </summary>
[DatabaseTest]
public sealed class CalendarFeedTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Tricky = "回访华东精工, 确认; 交期 \\ 报价 — a long title that needs folding because it is well over seventy-five octets 🚀";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly SemaphoreSlim NpmInstall = new(1, 1);

    private static async Task<string> CreateFeedAsync(HttpClient client)
    {
        var created = await (await client.PostAsync("/api/v1/calendar/feed", null, Ct)).ExpectJsonAsync<CalendarFeedCreated>();
        Assert.EndsWith(".ics", created.Url, StringComparison.Ordinal);
        return new Uri(created.Url).PathAndQuery;
    }

    /// <summary>The rep's feed with: an open task (tricky text), a done task, a far-future task, a planned follow-up.</summary>
    private async Task<(string Ics, TaskDto Open, TaskDto Done, TaskDto Far, Customer Planned, string Path)> ArrangeFeedAsync()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var open = await rep.CreateTaskAsync(new CreateTaskRequest(Tricky, TestTasks.TodayAt(app, 15, days: 1),
            "第一行\n第二行, with a comma; and a semicolon", CompletionStandard: "签字回执"));
        var done = await rep.CreateTaskAsync(new CreateTaskRequest("Already done", TestTasks.TodayAt(app, 11, days: 1)));
        await (await rep.PostAsJsonAsync($"/api/v1/tasks/{done.Id}/complete", new CompleteTaskRequest("ok", done.Version), Ct))
            .ExpectAsync(HttpStatusCode.OK);
        var far = await rep.CreateTaskAsync(new CreateTaskRequest("Next year", TestTasks.TodayAt(app, 9, days: 120)));
        var planned = await TestTasks.OwnedCustomerAsync(app, DemoUsers.Rep, 4, c => c.NextFollowUpAt = TestTasks.TodayAt(app, 10, days: 3));
        var path = await CreateFeedAsync(rep);

        using var anonymous = app.AnonymousClient();
        var response = await (await anonymous.GetAsync(path, Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadAsStringAsync(Ct), open, done, far, planned, path);
    }

    [Fact]
    public async Task Feed_ParsedByIcalNet_HasTheOpenTasksAndPlannedFollowUpsOnly()
    {
        var (ics, open, done, far, planned, _) = await ArrangeFeedAsync();

        var calendar = Ical.Net.Calendar.Load(ics)!;

        var events = calendar.Events.ToList();
        var task = Assert.Single(events, e => e.Uid == $"task-{open.Id}@leadtocash");
        Assert.Equal(Tricky, task.Summary);
        Assert.Contains("第二行, with a comma; and a semicolon", task.Description, StringComparison.Ordinal);
        Assert.Contains("签字回执", task.Description, StringComparison.Ordinal);
        Assert.True(task.DtStart!.IsUtc);
        Assert.Equal(open.DueAt, task.DtStart.AsUtc);
        Assert.Equal(open.DueAt.AddMinutes(30), task.DtEnd!.AsUtc);
        Assert.NotNull(task.DtStamp);
        Assert.EndsWith($"/tasks?id={open.Id}", task.Url!.ToString(), StringComparison.Ordinal);
        var followUp = Assert.Single(events, e => e.Uid == $"customer-{planned.Id}-follow-up@leadtocash");
        Assert.Contains(planned.Name, followUp.Summary, StringComparison.Ordinal);
        Assert.EndsWith($"/customers/{planned.Id}", followUp.Url!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(events, e => e.Uid!.Contains(done.Id.ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.Uid!.Contains(far.Id.ToString(), StringComparison.Ordinal));
        await using var db = await app.SystemDbAsync();
        var repId = await TestLeads.UserIdAsync(app, DemoUsers.Rep);
        var othersTasks = await db.Tasks.Where(t => t.OwnerId != repId).Select(t => t.Id.ToString()).ToListAsync(Ct);
        Assert.DoesNotContain(events, e => othersTasks.Any(id => e.Uid!.Contains(id, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Feed_Text_FollowsTheLineRulesOfRfc5545()
    {
        var (ics, _, _, _, _, _) = await ArrangeFeedAsync();

        Assert.StartsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", ics, StringComparison.Ordinal);
        Assert.EndsWith("END:VCALENDAR\r\n", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", ics.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var lines = ics.Split("\r\n")[..^1];
        Assert.All(lines, line => Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, $"Line longer than 75 octets: {line}"));
        Assert.Contains(lines, line => line.StartsWith(' ')); // the long title was folded
        Assert.Equal(lines.Count(l => l == "BEGIN:VEVENT"), lines.Count(l => l == "END:VEVENT"));
        Assert.All(lines.Where(l => l.StartsWith("DTSTART:", StringComparison.Ordinal)), l => Assert.Matches(@"^DTSTART:\d{8}T\d{6}Z$", l));
    }

    [Fact]
    public async Task Feed_ParsedByIcalJsInNode_IsValidWithTheSameEvents()
    {
        var (ics, open, _, _, planned, _) = await ArrangeFeedAsync();
        var node = FindOnPath("node");
        if (node is null)
        {
            Assert.Skip("Node.js is not installed (no 'node' on PATH), so the feed was not checked with ical.js; Ical.Net checked it above.");
        }

        var tool = Path.Combine(RepositoryFiles.Root, "tests", "tools", "ical-check");
        await EnsureIcalJsAsync(tool);
        var file = Path.Combine(Path.GetTempPath(), $"feed-{Guid.NewGuid():N}.ics");
        await File.WriteAllTextAsync(file, ics, Ct);
        try
        {
            var (exit, output, error) = await RunAsync(node, tool, "check.mjs", file);
            Assert.True(exit == 0, $"ical.js refused the feed: {error}");
            using var parsed = JsonDocument.Parse(output);
            Assert.Equal("2.0", parsed.RootElement.GetProperty("version").GetString());
            var events = parsed.RootElement.GetProperty("events").EnumerateArray().ToList();
            var task = Assert.Single(events, e => e.GetProperty("uid").GetString() == $"task-{open.Id}@leadtocash");
            Assert.Equal(Tricky, task.GetProperty("summary").GetString());
            Assert.True(task.GetProperty("startIsUtc").GetBoolean());
            Assert.Equal(open.DueAt, DateTime.Parse(task.GetProperty("start").GetString()!, null, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal));
            Assert.Contains("第一行\n第二行, with a comma; and a semicolon", task.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Single(events, e => e.GetProperty("uid").GetString() == $"customer-{planned.Id}-follow-up@leadtocash");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Feed_ReadTwice_KeepsTheSameUidsAndNotesTheRead()
    {
        var (first, open, _, _, _, path) = await ArrangeFeedAsync();
        using var anonymous = app.AnonymousClient();

        var second = await anonymous.GetStringAsync(path, Ct);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var status = await rep.GetJsonAsync<CalendarFeedStatus>("/api/v1/calendar/feed");

        static IEnumerable<string> Uids(string ics) => Ical.Net.Calendar.Load(ics)!.Events.Select(e => e.Uid!).Order(StringComparer.Ordinal);
        Assert.Equal(Uids(first), Uids(second));
        Assert.Contains($"task-{open.Id}@leadtocash", Uids(second));
        Assert.True(status.Active);
        Assert.Equal(TestLeads.Now(app), status.LastReadAt);
    }

    [Fact]
    public async Task Feed_RevokedOrRegenerated_OldAddressAnswers404()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep2);
        using var anonymous = app.AnonymousClient();
        var first = await CreateFeedAsync(rep);
        await (await anonymous.GetAsync(first, Ct)).ExpectAsync(HttpStatusCode.OK);

        var second = await CreateFeedAsync(rep);
        await (await anonymous.GetAsync(first, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await anonymous.GetAsync(second, Ct)).ExpectAsync(HttpStatusCode.OK);

        await (await rep.DeleteAsync("/api/v1/calendar/feed", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        await (await anonymous.GetAsync(second, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.False((await rep.GetJsonAsync<CalendarFeedStatus>("/api/v1/calendar/feed")).Active);
        await (await anonymous.GetAsync("/api/public/calendar/not-a-real-token-at-all-0123456789.ics", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Feed_StoresOnlyTheHashOfTheToken()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Manager);
        var path = await CreateFeedAsync(rep);
        var token = path[(path.LastIndexOf('/') + 1)..^".ics".Length];

        await using var db = await app.SystemDbAsync();
        var managerId = await TestLeads.UserIdAsync(app, DemoUsers.Manager);
        var feed = await db.CalendarFeeds.SingleAsync(f => f.UserId == managerId, Ct);

        Assert.Equal(CalendarFeedHandler.Hash(token), feed.TokenHash);
        Assert.DoesNotContain(token, feed.TokenHash, StringComparison.Ordinal);
        Assert.True(token.Length >= 40);
    }

    [Fact]
    public async Task Calendar_MonthOfTheRep_HasTasksOfAllStatusesAndPlannedFollowUps()
    {
        using var rep = await app.ClientForAsync("zhao.min@demo.test");
        var task = await rep.CreateTaskAsync(new CreateTaskRequest("Calendar task", TestTasks.TodayAt(app, 14, days: 2)));
        var planned = await TestTasks.OwnedCustomerAsync(app, "zhao.min@demo.test", 0, c => c.NextFollowUpAt = TestTasks.TodayAt(app, 16, days: 2));
        var from = DateOnly.FromDateTime(TestLeads.ToShanghai(TestLeads.Now(app)));
        var query = $"/api/v1/calendar?from={from:yyyy-MM-dd}&to={from.AddDays(6):yyyy-MM-dd}";

        var view = await rep.GetJsonAsync<CalendarView>(query);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var zhaoId = await TestLeads.UserIdAsync(app, "zhao.min@demo.test");
        var byManager = await manager.GetJsonAsync<CalendarView>(query + $"&userId={zhaoId}");
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);

        Assert.Contains(view.Entries, e => e.RecordId == task.Id && e.Kind == CalendarEntryKind.Task && e.Status == WorkTaskStatus.Open);
        Assert.Contains(view.Entries, e => e.RecordId == planned.Id && e.Kind == CalendarEntryKind.PlannedFollowUp);
        Assert.Equal(view.Entries.Select(e => e.Uid), byManager.Entries.Select(e => e.Uid));
        await (await rep2.GetAsync(query + $"&userId={zhaoId}", Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await rep.GetAsync($"/api/v1/calendar?from={from:yyyy-MM-dd}&to={from.AddDays(200):yyyy-MM-dd}", Ct)).ExpectFieldErrorAsync("to");
    }

    [Fact]
    public async Task Calendar_ReminderTaskOfAFollowUp_StandsForThePlannedFollowUpOfThatDay()
    {
        var at = TestTasks.TodayAt(app, 10, days: 4);
        var customer = await TestTasks.OwnedCustomerAsync(app, DemoUsers.Rep2, 1, c => c.NextFollowUpAt = at);
        var rep2Id = await TestLeads.UserIdAsync(app, DemoUsers.Rep2);
        var reminder = new WorkTask
        {
            Title = "Follow up " + customer.Name,
            Kind = WorkTaskKind.FollowUpReminder,
            RelatedType = Customer.RecordType,
            RelatedId = customer.Id,
            DueAt = at,
            OwnerId = rep2Id,
        };
        await using (var db = await app.SystemDbAsync())
        {
            db.Tasks.Add(reminder);
            await db.SaveChangesAsync(Ct);
        }

        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
        var day = DateOnly.FromDateTime(TestLeads.ToShanghai(at));
        var view = await rep2.GetJsonAsync<CalendarView>($"/api/v1/calendar?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}");

        Assert.Contains(view.Entries, e => e.RecordId == reminder.Id && e.Kind == CalendarEntryKind.FollowUpReminder);
        Assert.DoesNotContain(view.Entries, e => e.Kind == CalendarEntryKind.PlannedFollowUp && e.RecordId == customer.Id);
    }

    private static async Task EnsureIcalJsAsync(string tool)
    {
        await NpmInstall.WaitAsync(Ct);
        try
        {
            if (File.Exists(Path.Combine(tool, "node_modules", "ical.js", "package.json")))
            {
                return;
            }

            var npm = FindOnPath("npm") ?? throw new InvalidOperationException("node is installed but npm is not: install npm to run this check.");
            var (exit, output, error) = await RunAsync(npm, tool, "ci", "--no-audit", "--no-fund");
            Assert.True(exit == 0, $"npm could not install ical.js into {tool}: {output} {error}");
        }
        finally
        {
            NpmInstall.Release();
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string program, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
