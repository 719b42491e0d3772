using System.Net.Http.Json;
using Deque.AxeCore.Playwright;
using LeadToCash.E2E.Infrastructure;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.CreateCustomer;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.E2E;

[Collection(E2EDefinition.Name)]
public sealed class SearchTests(E2EApp app)
{
    private static readonly string[] BlockingImpacts = ["serious", "critical"];

    private async Task<CustomerDto> CreateAsync(string name)
    {
        using var api = await app.ApiClientForAsync(DemoUsers.Rep);
        var response = await api.PostAsJsonAsync("/api/v1/customers", new CreateCustomerRequest(name), TestContext.Current.CancellationToken);
        return await response.ExpectJsonAsync<CustomerDto>(System.Net.HttpStatusCode.Created);
    }

    [Fact]
    public async Task GlobalSearch_SlashThenPinyinInitials_OpensTheCustomer()
    {
        var customer = await CreateAsync("翡翠湾数码科技");
        await using var session = await app.OpenAsync("zh-CN");
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Rep);
        await Expect(page.Locator("[data-testid=global-search][data-shortcut=on]")).ToHaveCountAsync(1);

        await page.Keyboard.PressAsync("/");
        var input = page.Locator("input[data-testid=global-search-input]");
        await Expect(input).ToBeFocusedAsync();
        await TypeAsync(page, input, "fcwsm");

        var item = page.Locator($"[data-testid=global-search-item][data-id='{customer.Id}']");
        await Expect(item).ToBeVisibleAsync();
        await Expect(page.GetByTestId("global-search-group-Customers")).ToContainTextAsync("客户");
        await Screenshots.SaveAsync(page, "60-global-search");
        var problems = Blocking(await page.RunAxe(), "search drop-down");
        await item.ClickAsync();

        await Expect(page.GetByTestId("customer-title")).ToContainTextAsync("翡翠湾数码科技");
        await Expect(page.GetByTestId("global-search-results")).ToHaveCountAsync(0);
        Assert.True(problems.Count == 0, "Serious accessibility violations:\n" + string.Join("\n", problems));
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task GlobalSearch_EnterOpensTheResultsPage_GroupedByKind()
    {
        var customer = await CreateAsync("翡翠湾结果页测试");
        await using var session = await app.OpenAsync("en-US");
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Rep);
        await Expect(page.Locator("[data-testid=global-search][data-shortcut=on]")).ToHaveCountAsync(1);

        await page.Keyboard.PressAsync("Control+k");
        await page.Locator("input[data-testid=global-search-input]").PressSequentiallyAsync("翡翠湾结果");
        await page.Locator("input[data-testid=global-search-input]").PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/search\\?q="));
        await Expect(page.GetByTestId("search-section-Customers")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("search-result").Filter(new() { HasText = "翡翠湾结果页测试" })).ToHaveAttributeAsync(
            "href", $"/customers/{customer.Id}");
        await Screenshots.SaveAsync(page, "61-search-page");
        var problems = Blocking(await page.RunAxe(), "search page");
        Assert.True(problems.Count == 0, "Serious accessibility violations:\n" + string.Join("\n", problems));
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task GlobalSearch_PhoneWidth_IconOpensTheBoxOverTheBar()
    {
        var customer = await CreateAsync("翡翠湾手机测试");
        await using var session = await app.OpenAsync("zh-CN", width: 390, height: 844);
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Rep);
        await page.WaitUntilInteractiveAsync();
        var input = page.Locator("input[data-testid=global-search-input]");
        await Expect(input).Not.ToBeVisibleAsync();

        await page.GetByTestId("global-search-toggle").ClickAsync();
        await Expect(input).ToBeVisibleAsync();
        await Expect(input).ToBeFocusedAsync();
        await TypeAsync(page, input, "翡翠湾手机");

        await Expect(page.Locator($"[data-testid=global-search-item][data-id='{customer.Id}']")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "the open search scrolls sideways at phone width");
        await Screenshots.SaveAsync(page, "62-global-search-phone");
        await page.GetByTestId("global-search-close").ClickAsync();
        await Expect(input).Not.ToBeVisibleAsync();
        session.AssertNoBrowserErrors();
    }

    /// <summary>Types the query and lets the box's pause before searching pass on the app's fake clock.</summary>
    private async Task TypeAsync(IPage page, ILocator input, string text)
    {
        await input.FillAsync(text);
        await Expect(page.Locator("[data-testid=global-search][data-pending=true]")).ToHaveCountAsync(1);
        app.Clock.Advance(Components.Layout.GlobalSearch.DebounceDelay);
    }

    private static List<string> Blocking(Deque.AxeCore.Commons.AxeResult result, string where) =>
        result.Violations.Where(v => BlockingImpacts.Contains(v.Impact))
            .Select(v => $"{where}: [{v.Impact}] {v.Id}: {v.Help}\n    at " + string.Join("\n    at ", v.Nodes.Select(n => $"{n.Target} {n.Html}")))
            .ToList();
}
