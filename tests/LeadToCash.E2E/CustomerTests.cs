using System.Net.Http.Json;
using System.Text.Json;
using LeadToCash.E2E.Infrastructure;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.E2E;

[Collection(E2EDefinition.Name)]
public sealed class CustomerTests(E2EApp app)
{
    [Fact]
    public async Task CreateCustomer_FromTheList_OpensItsPageAndTheApiSeesIt()
    {
        var name = $"苏州浏览器测试{Guid.NewGuid().ToString("N")[..6]}有限公司";
        await using var session = await app.OpenAsync("en-US");
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Rep);

        await page.GotoAsync("/customers");
        await page.WaitUntilInteractiveAsync();
        await Expect(page.GetByTestId("customer-table")).ToBeVisibleAsync();
        await page.GetByTestId("customer-new").ClickAsync();
        var nameInput = page.Locator("input[data-testid=customer-name]");
        await Expect(nameInput).ToBeVisibleAsync();
        await nameInput.FillAsync(name);
        await nameInput.PressAsync("Tab");
        await page.Locator("input[data-testid=customer-region]").FillAsync("苏州");
        await page.Locator("input[data-testid=customer-region]").PressAsync("Tab");
        await page.GetByTestId("customer-save").ClickAsync();

        await Expect(page.GetByTestId("customer-title")).ToContainTextAsync(name);
        await Expect(page.GetByTestId("customer-owner")).ToContainTextAsync("张伟");
        await Screenshots.SaveAsync(page, "06-customer-created");

        using var api = await app.ApiClientForAsync(DemoUsers.Rep);
        using var found = await api.GetFromJsonAsync<JsonDocument>($"/api/v1/customers?q={Uri.EscapeDataString(name)}",
            TestContext.Current.CancellationToken);
        var item = Assert.Single(found!.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal("苏州", item.GetProperty("region").GetString());
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task CustomerList_AnotherRepsCustomer_IsNotListed()
    {
        using var southApi = await app.ApiClientForAsync(DemoUsers.SouthRep);
        using var theirs = await southApi.GetFromJsonAsync<JsonDocument>("/api/v1/customers?limit=200",
            TestContext.Current.CancellationToken);
        var southOwned = theirs!.RootElement.GetProperty("items").EnumerateArray()
            .First(c => c.GetProperty("ownerName").GetString() == "何芸").GetProperty("name").GetString()!;

        await using var session = await app.OpenAsync("en-US");
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Rep);
        await page.GotoAsync($"/customers?q={Uri.EscapeDataString(southOwned)}");
        await page.WaitUntilInteractiveAsync();

        await Expect(page.GetByTestId("customers-empty")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("customer-link")).ToHaveCountAsync(0);
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task CustomerList_GradeAndSortChosen_ShowsOnlyThatGradeInThatOrder()
    {
        await using var session = await app.OpenAsync("zh-CN");
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Manager);
        await page.GotoAsync("/customers");
        await page.WaitUntilInteractiveAsync();
        await Expect(page.GetByTestId("customer-table")).ToBeVisibleAsync();
        var allCount = await page.GetByTestId("customer-count").InnerTextAsync();

        // The filters are labelled selects: found by their label, chosen by the visible text.
        await page.GetByLabel("等级").SelectOptionAsync(new SelectOptionValue { Label = "A · 30 天内成交" });
        await Expect(page.GetByTestId("customer-count")).Not.ToHaveTextAsync(allCount);
        var grades = await page.GetByTestId("customer-grade-chip").EvaluateAllAsync<string[]>("chips => chips.map(c => c.dataset.grade)");
        Assert.NotEmpty(grades);
        Assert.All(grades, grade => Assert.Equal("A", grade));
        await Expect(page.GetByTestId("export-xlsx")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("format=xlsx.*grade=A"));

        await page.GetByLabel("排序").SelectOptionAsync("name");
        await page.WaitForFunctionAsync("""
            () => {
                const names = [...document.querySelectorAll('[data-testid=customer-link]')].map(a => a.textContent);
                return names.length > 1 && names.every((name, i) => i === 0 || names[i - 1] <= name);
            }
            """);
        var names = await page.GetByTestId("customer-link").AllInnerTextsAsync();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        await Screenshots.SaveAsync(page, "06-customer-list-filtered");

        await page.GetByLabel("等级").SelectOptionAsync(new SelectOptionValue { Label = "全部" });
        await Expect(page.GetByTestId("customer-count")).ToHaveTextAsync(allCount);
        session.AssertNoBrowserErrors();
    }
}
