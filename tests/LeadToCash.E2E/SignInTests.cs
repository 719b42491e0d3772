using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using LeadToCash.E2E.Infrastructure;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.E2E;

[Collection(E2EDefinition.Name)]
public sealed class SignInTests(E2EApp app)
{
    [Fact]
    public async Task SignIn_AsRep_HomeShowsRealData()
    {
        using var api = await app.ApiClientForAsync(DemoUsers.Rep);
        using var customers = await api.GetFromJsonAsync<JsonDocument>("/api/v1/customers?limit=200",
            TestContext.Current.CancellationToken);
        var count = customers!.RootElement.GetProperty("count").GetInt32();
        var names = customers.RootElement.GetProperty("items").EnumerateArray()
            .Select(c => c.GetProperty("name").GetString()).ToHashSet();
        Assert.InRange(count, 1, 200); // the demo rep sees some customers, all of them on this one page

        await using var session = await app.OpenAsync("zh-CN");
        var page = session.Page;
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(AppPages.LoginUrl());
        await Expect(page.GetByTestId("sign-in")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "01-sign-in");

        await page.SignInAsync(DemoUsers.Rep);

        await Expect(page.GetByTestId("welcome")).ToContainTextAsync("张伟");
        await Expect(page.GetByTestId("home-team")).ToContainTextAsync("上海销售一组");
        await Expect(page.GetByTestId("stat-visible"))
            .ToHaveTextAsync(count.ToString("N0", CultureInfo.GetCultureInfo("zh-CN")));

        var recentNames = page.GetByTestId("recent-customers").Locator("tbody tr td:first-child");
        await Expect(recentNames).ToHaveCountAsync(Math.Min(8, count));
        foreach (var name in await recentNames.AllInnerTextsAsync())
        {
            Assert.Contains(name.Trim(), names);
        }

        await Screenshots.SaveAsync(page, "02-home-desktop");
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task SignOut_FromUserMenu_ReturnsToLogin()
    {
        await using var session = await app.OpenAsync("zh-CN");
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Rep);

        await page.GetByTestId("user-menu").ClickAsync();
        await Expect(page.GetByTestId("sign-out")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "05-user-menu");
        await page.GetByTestId("sign-out").ClickAsync();
        await Expect(page).ToHaveURLAsync(AppPages.LoginUrl());
        await Expect(page.GetByTestId("sign-in")).ToBeVisibleAsync();

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(AppPages.LoginUrl());
        await Expect(page.GetByTestId("sign-in")).ToBeVisibleAsync();
        session.AssertNoBrowserErrors();
    }
}
