using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Bunit;
using LeadToCash.Components.Layout;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.CreateCustomer;
using LeadToCash.Modules.Search;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LeadToCash.Tests.Components;

/// <summary>The app bar's search box over the demo database: typing, the grouped drop-down, the keyboard.</summary>
public sealed class GlobalSearchTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    // Generous: the whole suite runs these database round trips in parallel on a small machine.
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _clock = new(AppFactory.Start);
    private BunitJSModuleInterop? _shortcutModule;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private async Task<CurrentUser> SignInAsync(string email)
    {
        this.AddAppComponents(Database, _clock);
        Services.AddSearch();
        _shortcutModule = JSInterop.SetupModule("./js/global-search.js");
        await using var db = await Database.CreateDbContextAsync(Ct);
        var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
        this.SignIn(id, email);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id.ToString())], "test"));
        return (await new CurrentUserResolver(Database).ResolveAsync(principal, Ct))!;
    }

    private async Task<CustomerDto> CreateAsync(string name)
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        return await (await rep.PostAsJsonAsync("/api/v1/customers", new CreateCustomerRequest(name), Ct))
            .ExpectJsonAsync<CustomerDto>(HttpStatusCode.Created);
    }

    /// <summary>Types into the box and lets the pause before searching pass on the fake clock.</summary>
    private void Type(IRenderedComponent<GlobalSearch> box, string text)
    {
        box.Find("input[data-testid=global-search-input]").Input(text);
        _clock.Advance(GlobalSearch.DebounceDelay);
    }

    [Fact]
    public async Task Typing_PinyinInitials_ShowsTheCustomerGroupedWithItsLink()
    {
        using var culture = ComponentServices.Culture("en-US");
        var customer = await CreateAsync("鸿鹄未来科技");
        var me = await SignInAsync(DemoUsers.Rep);
        var box = Render<GlobalSearch>(p => p.Add(x => x.Me, me));

        Type(box, "hhwl");

        box.WaitForAssertion(() =>
        {
            var group = box.Find("[data-testid=global-search-group-Customers]");
            Assert.Contains("Customers", group.TextContent, StringComparison.Ordinal);
            var item = group.QuerySelectorAll("[data-testid=global-search-item]").Single(i => i.GetAttribute("data-id") == customer.Id.ToString());
            Assert.Equal($"/customers/{customer.Id}", item.GetAttribute("href"));
            Assert.Contains("鸿鹄未来科技", item.TextContent, StringComparison.Ordinal);
            Assert.Contains("张伟", item.TextContent, StringComparison.Ordinal);
        }, Wait);
        Assert.Contains("hhwl", box.Find("[data-testid=global-search-all]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Typing_BeforeThePause_DoesNotSearchYet()
    {
        await CreateAsync("鸿鹄停顿测试");
        var me = await SignInAsync(DemoUsers.Rep);
        var box = Render<GlobalSearch>(p => p.Add(x => x.Me, me));

        box.Find("input[data-testid=global-search-input]").Input("鸿鹄停顿测试");
        _clock.Advance(GlobalSearch.DebounceDelay / 2);

        Assert.Empty(box.FindAll("[data-testid=global-search-results]"));
        _clock.Advance(GlobalSearch.DebounceDelay / 2);
        box.WaitForAssertion(() => Assert.NotEmpty(box.FindAll("[data-testid=global-search-item]")), Wait);
    }

    [Fact]
    public async Task Typing_NothingMatches_SaysSoWithAHint()
    {
        using var culture = ComponentServices.Culture("en-US");
        var me = await SignInAsync(DemoUsers.Rep);
        var box = Render<GlobalSearch>(p => p.Add(x => x.Me, me));

        Type(box, "zzqqxxjj");

        box.WaitForAssertion(() => Assert.Contains("Nothing found for “zzqqxxjj”",
            box.Find("[data-testid=global-search-empty]").TextContent, StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task Enter_WithoutAChosenResult_OpensTheResultsPage()
    {
        var me = await SignInAsync(DemoUsers.Rep);
        var navigation = Services.GetRequiredService<NavigationManager>();
        var box = Render<GlobalSearch>(p => p.Add(x => x.Me, me));
        var input = box.Find("input[data-testid=global-search-input]");
        input.Input("华为 科技");

        input.KeyDown(new KeyboardEventArgs { Key = "Enter" });

        box.WaitForAssertion(() => Assert.EndsWith("/search?q=" + Uri.EscapeDataString("华为 科技"), navigation.Uri, StringComparison.Ordinal),
            Wait);
    }

    [Fact]
    public async Task ArrowDownThenEnter_OpensTheFirstResult()
    {
        var customer = await CreateAsync("鸿鹄箭头测试");
        var me = await SignInAsync(DemoUsers.Rep);
        var navigation = Services.GetRequiredService<NavigationManager>();
        var box = Render<GlobalSearch>(p => p.Add(x => x.Me, me));
        Type(box, "鸿鹄箭头测试");
        box.WaitForAssertion(() => Assert.NotEmpty(box.FindAll("[data-testid=global-search-item]")), Wait);

        var input = box.Find("input[data-testid=global-search-input]");
        input.KeyDown(new KeyboardEventArgs { Key = "ArrowDown" });
        box.WaitForAssertion(() => Assert.Contains("highlighted", box.FindAll("[data-testid=global-search-item]")[0].ClassName, StringComparison.Ordinal),
            Wait);
        box.Find("input[data-testid=global-search-input]").KeyDown(new KeyboardEventArgs { Key = "Enter" });

        box.WaitForAssertion(() =>
        {
            Assert.EndsWith($"/customers/{customer.Id}", navigation.Uri, StringComparison.Ordinal);
            Assert.Empty(box.FindAll("[data-testid=global-search-results]"));
        }, Wait);
    }

    [Fact]
    public async Task Shortcut_RegisteredAndOpensTheBox()
    {
        var me = await SignInAsync(DemoUsers.Rep);
        var box = Render<GlobalSearch>(p => p.Add(x => x.Me, me));
        Assert.DoesNotContain("global-search-expanded", box.Find("[data-testid=global-search]").ClassName, StringComparison.Ordinal);

        await box.InvokeAsync(() => box.Instance.OpenFromShortcut());

        Assert.Contains("global-search-expanded", box.Find("[data-testid=global-search]").ClassName, StringComparison.Ordinal);
        _shortcutModule!.VerifyInvoke("register");
        box.Find("input[data-testid=global-search-input]").KeyDown(new KeyboardEventArgs { Key = "Escape" });
        box.WaitForAssertion(() => Assert.DoesNotContain("global-search-expanded", box.Find("[data-testid=global-search]").ClassName,
            StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task Typing_OtherTeamsCustomer_IsNotShown()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var southRep = await TestLeads.UserIdAsync(app, DemoUsers.SouthRep);
        var hidden = await (await admin.PostAsJsonAsync("/api/v1/customers", new CreateCustomerRequest("鸿鹄南方隐藏", OwnerId: southRep), Ct))
            .ExpectJsonAsync<CustomerDto>(HttpStatusCode.Created);
        var visible = await CreateAsync("鸿鹄南方可见");
        var me = await SignInAsync(DemoUsers.Rep);
        var box = Render<GlobalSearch>(p => p.Add(x => x.Me, me));

        Type(box, "鸿鹄南方");

        box.WaitForAssertion(() =>
        {
            var ids = box.FindAll("[data-testid=global-search-item]").Select(i => i.GetAttribute("data-id")).ToList();
            Assert.Contains(visible.Id.ToString(), ids);
            Assert.DoesNotContain(hidden.Id.ToString(), ids);
        }, Wait);
    }
}
