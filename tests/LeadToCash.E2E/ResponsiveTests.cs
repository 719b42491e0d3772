using System.Text.RegularExpressions;
using LeadToCash.E2E.Infrastructure;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.E2E;

[Collection(E2EJourneysDefinition.Name)]
public sealed class ResponsiveTests(E2EApp app)
{
    [Fact]
    public async Task Responsive_PhoneWidth_NavigationUsable()
    {
        await using var session = await app.OpenAsync("zh-CN", width: 390, height: 844);
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Rep);

        // The drawer starts closed and does not take room from the page.
        var drawer = page.Locator(".mud-drawer");
        var customersLink = page.NavLink("客户");
        await Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--closed"));
        await Expect(customersLink).Not.ToBeInViewportAsync();
        var main = await page.Locator(".mud-main-content").BoundingBoxAsync();
        Assert.NotNull(main);
        Assert.Equal(0, main.X, 1);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "the home page scrolls sideways at phone width");
        await Screenshots.SaveAsync(page, "03-home-phone");

        // The menu button opens it over the page (the page does not move) ...
        await page.GetByRole(AriaRole.Button, new() { Name = "菜单" }).ClickAsync();
        await Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--open"));
        await Expect(customersLink).ToBeInViewportAsync();
        main = await page.Locator(".mud-main-content").BoundingBoxAsync();
        Assert.Equal(0, main!.X, 1);
        await Screenshots.SaveAsync(page, "03-home-phone-menu");

        // ... and a tap on the page beside it closes it again.
        await page.Mouse.ClickAsync(370, 600);
        await Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--closed"));
        await Expect(customersLink).Not.ToBeInViewportAsync();

        // Following a link in the menu opens the page and closes the menu.
        await page.GetByRole(AriaRole.Button, new() { Name = "菜单" }).ClickAsync();
        await Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--open"));
        await customersLink.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/customers$"));
        await Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--closed"));
        await Expect(page.Locator("[data-testid=customer-link]").First).ToBeInViewportAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "the customer list scrolls sideways at phone width");
        session.AssertNoBrowserErrors();
    }
}
