using System.Net.Http.Json;
using System.Text.Json;
using LeadToCash.E2E.Infrastructure;
using LeadToCash.Modules.Tasks;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.E2E;

/// <summary>A rep back from a visit logs it from the customer page with a photo of the site and the date of the next visit.</summary>
[Collection(E2EDefinition.Name)]
public sealed class FollowUpTests(E2EApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LogVisit_WithAPhotoFromTheCustomerPage_ShowsOnThePageAndTheTimelineAndSetsAReminder()
    {
        var name = $"昆山精密模具{Guid.NewGuid().ToString("N")[..6]}有限公司";
        using var api = await app.ApiClientForAsync(DemoUsers.Rep);
        using var created = await (await api.PostAsJsonAsync("/api/v1/customers", new { name, region = "昆山" }, Ct)).Content.ReadFromJsonAsync<JsonDocument>(Ct);
        var customerId = created!.RootElement.GetProperty("id").GetGuid();

        await using var session = await app.OpenAsync("zh-CN");
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Rep);
        await page.GotoAsync($"/customers/{customerId}");
        await page.WaitUntilInteractiveAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "跟进记录" }).ClickAsync();
        await Expect(page.GetByTestId("follow-ups-empty")).ToBeVisibleAsync();

        await page.GetByTestId("follow-up-log").ClickAsync();
        var dialog = page.GetByTestId("follow-up-dialog");
        await Expect(dialog.Locator("textarea[data-testid=follow-up-key-points]")).ToBeVisibleAsync();
        await dialog.GetByTestId("follow-up-method").ClickAsync();
        await page.Locator(".mud-popover-open").GetByText("拜访", new() { Exact = true }).ClickAsync();
        await dialog.Locator("textarea[data-testid=follow-up-key-points]").FillAsync("参观了冲压车间，设备部王经理介绍了换线痛点");
        await dialog.Locator("textarea[data-testid=follow-up-feedback]").FillAsync("希望下周看到方案");
        var nextDate = app.Clock.GetUtcNow().UtcDateTime.AddHours(8).AddDays(5).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var nextInput = dialog.Locator("input[data-testid=follow-up-next-date]");
        await nextInput.FillAsync(nextDate);
        await nextInput.PressAsync("Tab");
        await dialog.Locator($"input[type=file][accept='{LeadToCash.Components.Pages.FollowUps.LogFollowUpDialog.AcceptedTypes}']")
            .SetInputFilesAsync(new FilePayload { Name = "车间.png", MimeType = "image/png", Buffer = TestFollowUps.Png });
        await Expect(dialog.GetByTestId("follow-up-selected-files")).ToContainTextAsync("车间.png");
        await Screenshots.SaveAsync(page, "40-follow-up-log-dialog");
        await page.GetByTestId("follow-up-save").ClickAsync();

        var item = page.GetByTestId("follow-up-item");
        await Expect(item).ToHaveCountAsync(1);
        await Expect(item).ToHaveAttributeAsync("data-method", "Visit");
        await Expect(item).ToContainTextAsync("参观了冲压车间");
        var thumb = item.Locator("[data-testid=follow-up-thumb] img");
        await Expect(thumb).ToBeVisibleAsync();
        await Expect(thumb).ToHaveJSPropertyAsync("naturalWidth", 1); // the 1×1 photo was served and decoded
        await Expect(item.GetByTestId("follow-up-late")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "41-follow-up-on-customer-page");

        await page.GetByRole(AriaRole.Tab, new() { Name = "时间线" }).ClickAsync();
        var visit = page.Locator("[data-testid=timeline-entry][data-kind='FollowUp.Visit']");
        await Expect(visit).ToContainTextAsync("上门拜访");
        await Expect(visit).ToContainTextAsync("希望下周看到方案");
        await Expect(page.Locator("[data-testid=timeline-entry][data-kind=CustomerCreated]")).ToHaveCountAsync(1);
        session.AssertNoBrowserErrors();

        await using var db = await app.SystemDbAsync();
        var reminder = await db.Tasks.AsNoTracking().SingleAsync(t => t.RelatedId == customerId && t.Kind == WorkTaskKind.FollowUpReminder, Ct);
        Assert.Equal($"跟进：{name}", reminder.Title);
        Assert.Equal(nextDate, reminder.DueAt.AddHours(8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }
    [Fact]
    public async Task DuePage_Manager_SeesEachRepsDueAndOverdueAndOpensOneRepsList()
    {
        // 刘洋 has a grade-A customer last contacted four days ago (overdue) and one owned since today (due today).
        Guid overdueId, todayId;
        string overdueName;
        await using (var db = await app.SystemDbAsync())
        {
            var rep2 = await db.Users.SingleAsync(u => u.Email == DemoUsers.Rep2, Ct);
            var customers = await db.Customers.Where(c => c.OwnerId == rep2.Id).OrderBy(c => c.Name).Take(2).ToListAsync(Ct);
            var rules = await LeadToCash.Modules.Customers.CustomerRulebook.LoadAsync(db, Ct);
            var now = app.Clock.GetUtcNow().UtcDateTime;
            customers[0].Grade = LeadToCash.Modules.Customers.CustomerGrade.A;
            customers[0].OwnedSince = now.AddDays(-60);
            customers[0].LastFollowUpAt = now.AddDays(-4);
            customers[1].OwnedSince = now;
            customers[1].LastFollowUpAt = null;
            customers.ForEach(c => LeadToCash.Modules.Customers.CustomerRules.RefreshCadence(c, rules));
            await db.SaveChangesAsync(Ct);
            (overdueId, todayId, overdueName) = (customers[0].Id, customers[1].Id, customers[0].Name);
        }

        await using var session = await app.OpenAsync("zh-CN");
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Manager);
        await page.NavLink("跟进").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "待跟进客户" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "按销售" }).ClickAsync();
        var row = page.GetByTestId("follow-ups-by-rep").Locator("tr", new() { Has = page.GetByText("刘洋", new() { Exact = true }) });
        await Expect(row.GetByTestId("by-rep-overdue")).Not.ToHaveTextAsync("0");
        await Expect(row.GetByTestId("by-rep-today")).Not.ToHaveTextAsync("0");
        await Screenshots.SaveAsync(page, "42-follow-ups-by-rep");

        await row.GetByTestId("by-rep-show").ClickAsync();
        var overdue = page.GetByTestId("follow-ups-due-Overdue");
        await Expect(overdue.GetByText(overdueName, new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("follow-ups-owner")).ToHaveValueAsync("刘洋");
        await Screenshots.SaveAsync(page, "43-follow-ups-overdue");
        await overdue.Locator("tr", new() { Has = page.GetByText(overdueName, new() { Exact = true }) }).GetByTestId("due-log").ClickAsync();
        await Expect(page.Locator("textarea[data-testid=follow-up-key-points]")).ToBeVisibleAsync();
        await Expect(page.Locator(".mud-dialog h2")).ToContainTextAsync(overdueName);
        await page.GetByTestId("follow-up-cancel").ClickAsync();
        session.AssertNoBrowserErrors();
        Assert.NotEqual(overdueId, todayId);
    }

    [Fact]
    public async Task RulesPage_Admin_SeesTheCadenceAndPoolRules()
    {
        await using var session = await app.OpenAsync("en-US", width: 390, height: 844);
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Admin);
        await page.GotoAsync("/settings/customers");
        await page.WaitUntilInteractiveAsync();

        await Expect(page.Locator("input[data-testid=customer-rules-cadence-a]")).ToHaveValueAsync("1");
        await Expect(page.Locator("input[data-testid=customer-rules-pool-follow-up]")).ToHaveValueAsync("30");
        await Expect(page.GetByTestId("customer-rules-save")).ToBeDisabledAsync();
        await Screenshots.SaveAsync(page, "44-customer-rules-phone");
        session.AssertNoBrowserErrors();
    }
}
