using LeadToCash.E2E.Infrastructure;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.E2E;

[Collection(E2EDefinition.Name)]
public sealed class LanguageTests(E2EApp app)
{
    [Fact]
    public async Task SwitchLanguage_ToEnglishAndBack_Remembered()
    {
        await using var session = await app.OpenAsync("zh-CN");
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Rep);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(page.NavLink("首页")).ToBeVisibleAsync();
        await Expect(page.NavLink("客户")).ToBeVisibleAsync();

        await page.GetByTestId("language-menu").ClickAsync();
        await Expect(page.GetByTestId("lang-en-US")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "04-language-menu");
        await ChooseLanguageAsync(page, "en-US");
        await Expect(page.NavLink("Home")).ToBeVisibleAsync();
        await Expect(page.NavLink("Customers")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("welcome")).ToContainTextAsync("Welcome");
        await Screenshots.SaveAsync(page, "04-home-english");

        // The choice is a cookie: it outlives the page and wins over the browser's language.
        await page.ReloadAsync();
        await page.WaitUntilInteractiveAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en-US");
        await Expect(page.NavLink("Home")).ToBeVisibleAsync();

        await ChooseLanguageAsync(page, "zh-CN");
        await Expect(page.NavLink("首页")).ToBeVisibleAsync();
        await Expect(page.NavLink("客户")).ToBeVisibleAsync();
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task OpenSignIn_EnglishBrowser_EnglishByDefault()
    {
        await using var session = await app.OpenAsync("en-US");
        var page = session.Page;
        await page.GotoAsync("/");

        await Expect(page).ToHaveURLAsync(AppPages.LoginUrl());
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en-US");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(page.Locator("label[for=email]")).ToHaveTextAsync("E-mail");
        session.AssertNoBrowserErrors();
    }

    /// <summary>Picks a language from the app bar's menu; the page reloads in that language.</summary>
    private static async Task ChooseLanguageAsync(IPage page, string culture)
    {
        var item = page.GetByTestId($"lang-{culture}");
        if (!await item.IsVisibleAsync())
        {
            await page.GetByTestId("language-menu").ClickAsync();
        }

        await item.ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", culture);
        await page.WaitUntilInteractiveAsync();
    }
}
