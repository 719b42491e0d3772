using System.Security.Claims;
using Bunit;
using LeadToCash.Components.Layout;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Components;

/// <summary>The side menu: what each person sees, which link is current, and the tab order of closed groups.</summary>
public sealed class NavMenuTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private async Task<IRenderedComponent<NavMenu>> RenderForAsync(string email, string path)
    {
        var database = app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        this.AddAppComponents(database, app.Clock);
        await using var db = await database.CreateDbContextAsync(Ct);
        var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
        this.SignIn(id, email);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id.ToString())], "test"));
        var me = (await new CurrentUserResolver(database).ResolveAsync(principal, Ct))!;
        Services.GetRequiredService<NavigationManager>().NavigateTo(path);
        return Render<NavMenu>(p => p.Add(x => x.Me, me));
    }

    private static AngleSharp.Dom.IElement LinkTo(IRenderedComponent<NavMenu> menu, string href) => menu.Find($"a.mud-nav-link[href='{href}']");

    [Fact]
    public async Task Menu_OnTheCustomerList_MarksThatLinkOnlyAsCurrent()
    {
        using var culture = ComponentServices.Culture("en-US");
        var menu = await RenderForAsync(DemoUsers.Rep, "/customers");

        Assert.Contains("active", LinkTo(menu, "/customers").ClassList);
        Assert.Equal("page", LinkTo(menu, "/customers").GetAttribute("aria-current"));
        Assert.DoesNotContain("active", LinkTo(menu, "/").ClassList);
        Assert.DoesNotContain("active", LinkTo(menu, "/customers/import").ClassList);
        Assert.Equal("Customers", LinkTo(menu, "/customers").TextContent.Trim());
    }

    [Fact]
    public async Task Menu_Rep_HasNoSettingsOrPeopleLinks()
    {
        using var culture = ComponentServices.Culture("en-US");
        var menu = await RenderForAsync(DemoUsers.Rep, "/");

        Assert.Empty(menu.FindAll("a[href^='/settings/company'], a[href^='/organization/users/import'], a[href='/recycle-bin']"));
        Assert.NotEmpty(menu.FindAll("a[href='/leads']"));
    }

    [Fact]
    public async Task Menu_SettingsGroup_StartsShutAndItsButtonOpensAndShutsIt()
    {
        using var culture = ComponentServices.Culture("en-US");
        var menu = await RenderForAsync(DemoUsers.Admin, "/");
        var toggle = menu.Find("button[aria-controls=nav-group-settings]");
        Assert.Equal(("false", "Settings"), (toggle.GetAttribute("aria-expanded"), toggle.TextContent.Trim()));
        Assert.True(menu.Find("#nav-group-settings").HasAttribute("hidden")); // its links are neither shown nor in the tab order
        Assert.False(menu.Find("#nav-group-organization").HasAttribute("hidden"));

        menu.Find("button[aria-controls=nav-group-settings]").Click();

        Assert.False(menu.Find("#nav-group-settings").HasAttribute("hidden"));
        Assert.Equal("true", menu.Find("button[aria-controls=nav-group-settings]").GetAttribute("aria-expanded"));
        Assert.Equal("Company", LinkTo(menu, "/settings/company").TextContent.Trim());

        menu.Find("button[aria-controls=nav-group-settings]").Click();

        Assert.True(menu.Find("#nav-group-settings").HasAttribute("hidden"));
    }
}
