using System.Net.Http.Json;
using System.Text.Json;
using LeadToCash.E2E.Infrastructure;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.E2E;

/// <summary>The customer page's contacts, decision chain and needs analyses in a real browser, on a desktop and a phone.</summary>
[Collection(E2EDefinition.Name)]
public sealed class CustomerProfileTests(E2EApp app)
{
    [Fact]
    public async Task CustomerPage_RepAddsAContactAndANeedsAnalysis_ChainAndStatusShow()
    {
        var (id, contacts) = await OwnCustomerAsync();
        await using var session = await app.OpenAsync("en-US");
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Rep);

        await page.GotoAsync($"/customers/{id}");
        await page.WaitUntilInteractiveAsync();
        await Expect(page.GetByTestId("customer-grade-chip")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("customer-last-contact")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Contacts" }).ClickAsync();
        await Expect(page.GetByTestId("chain-node")).ToHaveCountAsync(contacts);

        await page.GetByTestId("contact-add").First.ClickAsync();
        var name = page.Locator("input[data-testid=contact-name]");
        await Expect(name).ToBeVisibleAsync();
        await name.FillAsync("浏览器联系人");
        await name.PressAsync("Tab");
        await page.Locator("input[data-testid=contact-mobile]").FillAsync("139 0000 1111");
        await page.Locator("input[data-testid=contact-mobile]").PressAsync("Tab");
        await page.GetByTestId("contact-save").ClickAsync();
        await Expect(page.GetByTestId("chain-node")).ToHaveCountAsync(contacts + 1);
        await Expect(page.GetByTestId("contacts-table")).ToContainTextAsync("浏览器联系人");
        await Screenshots.SaveAsync(page, "20-customer-decision-chain");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Needs analyses" }).ClickAsync();
        await page.GetByTestId("needs-add").First.ClickAsync();
        var title = page.Locator("input[data-testid=needs-title]");
        await Expect(title).ToBeVisibleAsync();
        await title.FillAsync("浏览器需求分析");
        await title.PressAsync("Tab");
        await page.Locator("textarea[data-testid=needs-customer-words]").FillAsync("“我们每天都在救火”");
        await page.GetByTestId("needs-save").ClickAsync();
        var item = page.GetByTestId("needs-item").Filter(new() { HasText = "浏览器需求分析" });
        await Expect(item).ToBeVisibleAsync();
        await Expect(item.GetByTestId("needs-status")).ToHaveAttributeAsync("data-status", "awaiting");
        await item.ClickAsync();
        await Expect(item.GetByTestId("needs-customer-words")).ToContainTextAsync("我们每天都在救火");
        await Screenshots.SaveAsync(page, "21-customer-needs-analyses");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Details" }).ClickAsync();
        await Expect(page.GetByTestId("sharing-add")).ToBeVisibleAsync();
        await page.GetByTestId("customer-edit").ClickAsync();
        await Expect(page.GetByTestId("customer-grade")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "23-customer-edit-profile");
        await page.GetByTestId("customer-cancel").ClickAsync();
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task CustomerPage_PhoneWidth_DecisionChainFitsTheScreen()
    {
        var (id, contacts) = await OwnCustomerAsync();
        await using var session = await app.OpenAsync("zh-CN", width: 390, height: 844);
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Rep);

        await page.GotoAsync($"/customers/{id}");
        await page.WaitUntilInteractiveAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "联系人" }).ClickAsync();
        await Expect(page.GetByTestId("chain-node")).ToHaveCountAsync(contacts);

        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "the customer page scrolls sideways at phone width");
        var chain = await page.GetByTestId("decision-chain").BoundingBoxAsync();
        Assert.NotNull(chain);
        Assert.True(chain.Width <= 390, $"the decision chain is {chain.Width}px wide");
        await Screenshots.SaveAsync(page, "22-customer-decision-chain-phone");
        session.AssertNoBrowserErrors();
    }

    private async Task<(Guid Id, int Contacts)> OwnCustomerAsync()
    {
        using var api = await app.ApiClientForAsync(DemoUsers.Rep);
        var ct = TestContext.Current.CancellationToken;
        var me = await api.GetFromJsonAsync<JsonDocument>("/api/v1/me", ct);
        var meId = me!.RootElement.GetProperty("id").GetString();
        using var list = await api.GetFromJsonAsync<JsonDocument>($"/api/v1/customers?ownerId={meId}&sort=name&limit=1", ct);
        var id = list!.RootElement.GetProperty("items")[0].GetProperty("id").GetGuid();
        using var contacts = await api.GetFromJsonAsync<JsonDocument>($"/api/v1/customers/{id}/contacts", ct);
        return (id, contacts!.RootElement.GetArrayLength());
    }
}
