using System.Security.Claims;
using Bunit;
using LeadToCash.Components.Pages;
using LeadToCash.Components.Pages.Tasks;
using LeadToCash.Modules.Home;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Tasks;
using LeadToCash.Modules.Tasks.Calendar;
using LeadToCash.Modules.Tasks.CreateTask;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Files;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Components;

/// <summary>The "My day" section of the home page over the demo database, signed in as different people.</summary>
public sealed class MyDayPageTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private async Task<CurrentUser> SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        var configuration = new ConfigurationBuilder().Build();
        Services.AddSingleton<IConfiguration>(configuration);
        Services.AddLeads();
        Services.AddLeadList();
        Services.AddHome();
        Services.AddSingleton(app.Services.GetRequiredService<StorageOptions>());
        Services.AddFiles(configuration);
        Services.AddTasks(configuration);
        await using var db = await Database.CreateDbContextAsync(Ct);
        var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
        this.SignIn(id, email);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id.ToString())], "test"));
        return (await new CurrentUserResolver(Database).ResolveAsync(principal, Ct))!;
    }

    private IRenderedComponent<ContainerFragment>? _providers;

    private IRenderedComponent<Home> RenderHome()
    {
        _providers = this.RenderProviders();
        var page = Render<Home>();
        page.WaitForState(() => page.FindAll("[data-testid=welcome]").Count > 0, TimeSpan.FromSeconds(10));
        return page;
    }

    [Fact]
    public async Task Home_Rep_ShowsMyDayWithOverdueTaskAndFollowUpActions()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var overdueTask = await new CreateTaskHandler(Database, app.Clock).HandleAsync(rep,
            new CreateTaskRequest("Send the sample kit", TestTasks.TodayAt(app, 16, days: -1)), Ct);
        var customer = await TestTasks.OwnedCustomerAsync(app, DemoUsers.Rep, 0, c => c.FollowUpDueAt = TestTasks.StartOfDay(app, -1));

        var page = RenderHome();
        page.WaitForState(() => page.FindAll("[data-testid=my-day-task]").Count > 0, TimeSpan.FromSeconds(10));

        var task = page.FindAll("[data-testid=my-day-task]").Single(t => t.TextContent.Contains(overdueTask.Title, StringComparison.Ordinal));
        Assert.Contains("Overdue 1 d", task.TextContent, StringComparison.Ordinal);
        var row = page.FindAll("[data-testid=my-day-followup]").Single(r => r.TextContent.Contains(customer.Name, StringComparison.Ordinal));
        Assert.Equal("Overdue", row.GetAttribute("data-state"));
        Assert.Contains("Overdue by 1 days", row.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/customers/{customer.Id}?log=1", row.QuerySelector("[data-testid=my-day-log-followup]")!.GetAttribute("href"));
        Assert.NotNull(page.Find("[data-testid=my-day-leads]"));
        Assert.NotNull(page.Find("[data-testid=my-day-analyses]"));
        Assert.Empty(page.FindAll("[data-testid=my-day-team]"));
        Assert.NotNull(page.Find("[data-testid=recent-customers]")); // the earlier home page stays below
    }

    [Fact]
    public async Task Home_RepClicksATask_OpensTheTaskWithTheCompleteAction()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep2);
        var created = await new CreateTaskHandler(Database, app.Clock).HandleAsync(rep,
            new CreateTaskRequest("Call back about the demo", TestTasks.TodayAt(app, 17)), Ct);
        var page = RenderHome();
        page.WaitForState(() => page.FindAll("[data-testid=my-day-task]").Count > 0, TimeSpan.FromSeconds(10));

        await page.InvokeAsync(() => page.FindAll("[data-testid=my-day-task]")
            .Single(t => t.TextContent.Contains(created.Title, StringComparison.Ordinal)).Click());

        var dialog = _providers!;
        dialog.WaitForElement("[data-testid=task-complete]", TimeSpan.FromSeconds(10));
        // The dialog's title is rendered by its container, one render after the content.
        dialog.WaitForAssertion(() => Assert.Equal(created.Title, dialog.Find("[data-testid=task-detail-title]").TextContent),
            TimeSpan.FromSeconds(10));
        Assert.NotNull(dialog.Find("[data-testid=task-note]"));
        Assert.Empty(dialog.FindAll("[data-testid=task-verify]"));
    }

    [Fact]
    public async Task Home_Manager_SeesTheTeamTable()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        await SignInAsync(DemoUsers.Manager);

        var page = RenderHome();
        page.WaitForElement("[data-testid=my-day-team]", TimeSpan.FromSeconds(10));

        Assert.Contains("我的一天", page.Find("[data-testid=my-day]").TextContent, StringComparison.Ordinal);
        Assert.Contains(page.FindAll("[data-testid=my-day-team-row]"), r => r.TextContent.Contains("张伟", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TasksPage_ManagerOnToVerify_ListsTheDoneTaskOfTheirRep()
    {
        using var culture = ComponentServices.Culture("en-US");
        var manager = await SignInAsync(DemoUsers.Manager);
        var zhao = await TestLeads.UserIdAsync(app, "zhao.min@demo.test");
        var task = await new CreateTaskHandler(Database, app.Clock).HandleAsync(manager,
            new CreateTaskRequest("Check the contract draft", TestTasks.TodayAt(app, 15), AssigneeId: zhao), Ct);
        await using (var db = await app.SystemDbAsync())
        {
            var stored = await db.Tasks.SingleAsync(t => t.Id == task.Id, Ct);
            stored.Status = WorkTaskStatus.Done;
            stored.CompletedAt = TestLeads.Now(app);
            await db.SaveChangesAsync(Ct);
        }

        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("/tasks?tab=verify");
        this.RenderProviders();
        var page = Render<TasksPage>();
        page.WaitForElement("[data-testid=task-table]", TimeSpan.FromSeconds(10));

        var row = page.FindAll("[data-testid=task-row]").Single(r => r.TextContent.Contains("Check the contract draft", StringComparison.Ordinal));
        Assert.NotNull(row);
        Assert.Contains("Done", page.Find("[data-testid=task-table]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=task-tab-verify]"));
    }

    [Fact]
    public async Task CalendarPage_Rep_ShowsTheMonthWithTheTaskAndTheFeedSettings()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync("zhao.min@demo.test");
        await new CreateTaskHandler(Database, app.Clock).HandleAsync(rep, new CreateTaskRequest("Calendar page task", TestTasks.TodayAt(app, 11, days: 1)), Ct);

        this.RenderProviders();
        var page = Render<CalendarPage>();
        page.WaitForElement("[data-testid=calendar-month]", TimeSpan.FromSeconds(10));
        page.WaitForElement("[data-testid=calendar-feed-create]", TimeSpan.FromSeconds(10));

        var tomorrow = DateOnly.FromDateTime(TestLeads.ToShanghai(TestTasks.TodayAt(app, 11, days: 1))).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var cell = page.FindAll("[data-testid=calendar-day]").Single(c => c.GetAttribute("data-date") == tomorrow);
        Assert.Contains("Calendar page task", cell.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=calendar-person]")); // a rep sees only their own calendar
        Assert.NotNull(page.Find("[data-testid=calendar-feed-none]"));
    }

    [Theory]
    [InlineData(DemoUsers.Admin)]
    [InlineData(DemoUsers.Finance)]
    public async Task Home_NeitherRepNorManager_HasNoMyDaySection(string email)
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(email);

        var page = RenderHome();

        Assert.Empty(page.FindAll("[data-testid=my-day]"));
    }
}

/// <summary>The month grid of the calendar page, as a pure component.</summary>
public sealed class CalendarMonthGridTests : BunitContext
{
    private static readonly CompanyDay Shanghai = new(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));

    private static CalendarEntry Entry(string title, DateTime utc, CalendarEntryKind kind = CalendarEntryKind.Task) =>
        new($"{title}@test", kind, Guid.NewGuid(), title, utc, kind == CalendarEntryKind.PlannedFollowUp ? null : WorkTaskStatus.Open,
            false, null, "/tasks", null, null, utc);

    public CalendarMonthGridTests()
    {
        Services.AddLocalization();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void MonthGrid_November2026_ShowsWholeWeeksMondayFirstWithEntriesOnTheirCompanyDay()
    {
        using var culture = ComponentServices.Culture("en-US");
        List<CalendarEntry> entries =
        [
            Entry("One", new DateTime(2026, 11, 25, 1, 0, 0, DateTimeKind.Utc)),
            Entry("Two", new DateTime(2026, 11, 25, 2, 0, 0, DateTimeKind.Utc)),
            Entry("Three", new DateTime(2026, 11, 25, 3, 0, 0, DateTimeKind.Utc)),
            Entry("Four", new DateTime(2026, 11, 25, 4, 0, 0, DateTimeKind.Utc)),
            // 17:00 UTC on the 25th is 01:00 on the 26th in Shanghai.
            Entry("Late", new DateTime(2026, 11, 25, 17, 0, 0, DateTimeKind.Utc)),
            Entry("客户A", new DateTime(2026, 11, 30, 2, 0, 0, DateTimeKind.Utc), CalendarEntryKind.PlannedFollowUp),
        ];
        CalendarEntry? clicked = null;
        DateOnly? day = null;

        var grid = Render<CalendarMonthGrid>(p => p
            .Add(x => x.Month, new DateOnly(2026, 11, 15))
            .Add(x => x.Today, new DateOnly(2026, 11, 25))
            .Add(x => x.Entries, entries)
            .Add(x => x.Day, Shanghai)
            .Add(x => x.OnEntrySelected, e => clicked = e)
            .Add(x => x.OnDaySelected, d => day = d));

        var cells = grid.FindAll("[data-testid=calendar-day]");
        Assert.Equal(42, cells.Count);
        Assert.Equal("2026-10-26", cells[0].GetAttribute("data-date"));
        Assert.Equal("2026-12-06", cells[^1].GetAttribute("data-date"));
        Assert.Equal((new DateOnly(2026, 10, 26), new DateOnly(2026, 12, 6)), CalendarMonthGrid.Range(new DateOnly(2026, 11, 1)));
        var today = cells.Single(c => c.GetAttribute("data-date") == "2026-11-25");
        Assert.Equal("true", today.GetAttribute("aria-selected"));
        Assert.Equal("4", today.GetAttribute("data-count"));
        Assert.Equal(3, today.QuerySelectorAll("[data-testid=calendar-entry]").Length);
        Assert.Contains("+1 more", today.QuerySelector("[data-testid=calendar-more]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("09:00 One", today.TextContent, StringComparison.Ordinal);
        Assert.Equal("1", cells.Single(c => c.GetAttribute("data-date") == "2026-11-26").GetAttribute("data-count"));
        var followUp = cells.Single(c => c.GetAttribute("data-date") == "2026-11-30").QuerySelector("[data-testid=calendar-entry]")!;
        Assert.Equal("PlannedFollowUp", followUp.GetAttribute("data-kind"));

        followUp.Click();
        Assert.Equal("客户A", clicked?.Title);
        Assert.Null(day); // the entry's click does not also select its day
        grid.FindAll("[data-testid=calendar-day]").Single(c => c.GetAttribute("data-date") == "2026-11-02").Click();
        Assert.Equal(new DateOnly(2026, 11, 2), day);
    }

    [Fact]
    public void MonthGrid_MonthStartingOnMonday_HasNoLeadingDaysOfThePreviousMonth()
    {
        var grid = Render<CalendarMonthGrid>(p => p
            .Add(x => x.Month, new DateOnly(2027, 2, 1))
            .Add(x => x.Entries, [])
            .Add(x => x.Day, Shanghai));

        var cells = grid.FindAll("[data-testid=calendar-day]");
        Assert.Equal(28, cells.Count);
        Assert.Equal("2027-02-01", cells[0].GetAttribute("data-date"));
        Assert.Equal("2027-02-28", cells[^1].GetAttribute("data-date"));
    }
}
