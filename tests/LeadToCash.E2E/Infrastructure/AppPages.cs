using System.Text.RegularExpressions;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.E2E.Infrastructure;

/// <summary>Steps that several browser tests share.</summary>
public static partial class AppPages
{
    /// <summary>The sign-in page, with or without a return URL.</summary>
    [GeneratedRegex(@"/account/login(\?.*)?$")]
    public static partial Regex LoginUrl();

    /// <summary>Present once the Blazor circuit is connected and the layout has rendered interactively.</summary>
    public static ILocator Interactive(this IPage page) => page.Locator("[data-interactive=true]");

    /// <summary>Opens the app, follows the redirect to the sign-in page, signs in and waits for the interactive home page.</summary>
    public static async Task SignInAsync(this IPage page, string email = DemoUsers.Rep)
    {
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(LoginUrl());
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(DemoUsers.Password);
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(LoginUrl());
        await page.WaitUntilInteractiveAsync();
    }

    public static async Task WaitUntilInteractiveAsync(this IPage page) =>
        await Expect(page.Interactive()).ToHaveCountAsync(1);

    /// <summary>A link of the navigation drawer, found by its visible label.</summary>
    public static ILocator NavLink(this IPage page, string label) =>
        page.Locator(".mud-drawer").GetByRole(AriaRole.Link, new() { Name = label, Exact = true });
}
