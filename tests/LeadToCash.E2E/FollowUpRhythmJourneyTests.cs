using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using LeadToCash.E2E.Infrastructure;
using LeadToCash.Modules.Tasks;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.E2E;

/// <summary>
/// The follow-up rhythm as the people living it see it: a rep back from a visit logs it with a photo and the date of
/// the next visit; the reminder is in her calendar subscription at once and on her My day when the day comes; she
/// completes it with a note, and her manager verifies it from the tasks page.
/// </summary>
[Collection(E2EJourneysDefinition.Name)]
public sealed class FollowUpRhythmJourneyTests(E2EApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FollowUpRhythm_VisitLoggedWithNextDate_ReminderInFeedAndMyDayThenDoneAndVerified()
    {
        var name = $"常州恒泰电机{Guid.NewGuid().ToString("N")[..6]}有限公司";
        using var api = await app.ApiClientForAsync(DemoUsers.Rep);
        using var created = await (await api.PostAsJsonAsync("/api/v1/customers", new { name, region = "常州", grade = "A" }, Ct))
            .Content.ReadFromJsonAsync<JsonDocument>(Ct);
        var customerId = created!.RootElement.GetProperty("id").GetGuid();
        var reminderTitle = $"跟进：{name}";

        // The visit, logged from the customer page with a photo and tomorrow as the next date.
        await using var rep = await app.OpenAsync("zh-CN");
        var page = rep.Page;
        await page.SignInAsync(DemoUsers.Rep);
        await page.GotoAsync($"/customers/{customerId}");
        await page.WaitUntilInteractiveAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "跟进记录" }).ClickAsync();
        await page.GetByTestId("follow-up-log").ClickAsync();
        var dialog = page.GetByTestId("follow-up-dialog");
        await dialog.GetByTestId("follow-up-method").ClickAsync();
        await page.Locator(".mud-popover-open").GetByText("拜访", new() { Exact = true }).ClickAsync();
        await dialog.Locator("textarea[data-testid=follow-up-key-points]").FillAsync("看了装配线，约定明天给报价思路");
        var tomorrow = LocalDate(app.Clock.GetUtcNow().UtcDateTime).AddDays(1);
        var nextInput = dialog.Locator("input[data-testid=follow-up-next-date]");
        await nextInput.FillAsync(tomorrow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await nextInput.PressAsync("Tab");
        await dialog.Locator($"input[type=file][accept='{LeadToCash.Components.Pages.FollowUps.LogFollowUpDialog.AcceptedTypes}']")
            .SetInputFilesAsync(new FilePayload { Name = "装配线.png", MimeType = "image/png", Buffer = TestFollowUps.Png });
        await page.GetByTestId("follow-up-save").ClickAsync();
        await Expect(page.GetByTestId("follow-up-item")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=follow-up-thumb] img")).ToBeVisibleAsync();

        // Her calendar subscription: a private feed made on the calendar page already lists the reminder.
        await page.GotoAsync("/calendar");
        await page.WaitUntilInteractiveAsync();
        await page.GetByTestId("calendar-feed-create").ClickAsync();
        var feedUrl = await page.Locator("input[data-testid=calendar-feed-url]").InputValueAsync();
        Assert.StartsWith("http", feedUrl, StringComparison.Ordinal);
        using (var subscriber = new HttpClient())
        {
            var feed = await subscriber.GetStringAsync(new Uri(app.BaseUrl, new Uri(feedUrl).PathAndQuery), Ct);
            Assert.StartsWith("BEGIN:VCALENDAR", feed, StringComparison.Ordinal);
            Assert.Contains(reminderTitle, Unfold(feed), StringComparison.Ordinal);
        }

        await Screenshots.SaveAsync(page, "45-rhythm-calendar-feed");

        // The next day, the reminder is on her My day; she completes it with a note.
        // (Yesterday's session has expired: she signs in again and lands on My day.)
        app.Clock.Advance(TimeSpan.FromDays(1));
        await page.SignInAsync(DemoUsers.Rep);
        var reminder = page.GetByTestId("my-day-task").Filter(new() { HasText = reminderTitle });
        await Expect(reminder).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(page, "46-rhythm-my-day");
        await reminder.ClickAsync();
        var taskDialog = page.GetByRole(AriaRole.Dialog);
        await Expect(taskDialog.GetByTestId("task-detail-title")).ToHaveTextAsync(reminderTitle);
        await taskDialog.Locator("[data-testid=task-note]").FillAsync("已电话沟通报价思路，客户同意下周看方案");
        await taskDialog.GetByTestId("task-complete").ClickAsync();
        await Expect(taskDialog.GetByTestId("task-complete")).ToHaveCountAsync(0);
        await taskDialog.GetByTestId("task-close").ClickAsync();
        await Expect(page.GetByTestId("my-day-task").Filter(new() { HasText = reminderTitle })).ToHaveCountAsync(0);
        rep.AssertNoBrowserErrors();

        // Her manager verifies it from the tasks page.
        await using var manager = await app.OpenAsync("zh-CN");
        var managerPage = manager.Page;
        await managerPage.SignInAsync(DemoUsers.Manager);
        await managerPage.GotoAsync("/tasks");
        await managerPage.WaitUntilInteractiveAsync();
        await managerPage.GetByTestId("task-tab-verify").ClickAsync();
        var row = managerPage.GetByTestId("task-row-title").Filter(new() { HasText = reminderTitle });
        await Expect(row).ToHaveCountAsync(1);
        await row.ClickAsync();
        var verifyDialog = managerPage.GetByRole(AriaRole.Dialog);
        await Expect(verifyDialog.GetByTestId("task-note-text")).ToContainTextAsync("客户同意下周看方案");
        await Screenshots.SaveAsync(managerPage, "47-rhythm-manager-verifies");
        await verifyDialog.GetByTestId("task-verify").ClickAsync();
        await Expect(verifyDialog.GetByTestId("task-verify")).ToHaveCountAsync(0);
        manager.AssertNoBrowserErrors();

        await using var db = await app.SystemDbAsync();
        var task = await db.Tasks.AsNoTracking().SingleAsync(t => t.RelatedId == customerId && t.Kind == WorkTaskKind.FollowUpReminder, Ct);
        Assert.Equal(WorkTaskStatus.Verified, task.Status);
    }

    // The company is in Shanghai (UTC+8, no daylight saving).
    private static DateOnly LocalDate(DateTime utc) => DateOnly.FromDateTime(utc.AddHours(8));

    // RFC 5545 folds long lines with CRLF + a space.
    private static string Unfold(string ics) => ics.Replace("\r\n ", "", StringComparison.Ordinal);
}
