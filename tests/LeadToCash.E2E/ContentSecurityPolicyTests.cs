using System.Net.Http.Json;
using System.Reflection;
using LeadToCash.E2E.Infrastructure;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.CreateCustomer;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;

namespace LeadToCash.E2E;

/// <summary>
/// The Content-Security-Policy every response carries does not get in the way: the interactive pages (Blazor's
/// circuit, MudBlazor's scripts and inline styles, the import map with its nonce) and the API reference page work, and
/// the browser reports no violation.
/// </summary>
[Collection(E2EDefinition.Name)]
public sealed class ContentSecurityPolicyTests(E2EApp app)
{
    [Fact]
    public async Task CustomerListAndGlobalSearch_UnderThePolicy_WorkWithoutViolations()
    {
        var name = $"策略检查{Guid.NewGuid().ToString("N")[..6]}科技有限公司";
        using (var api = await app.ApiClientForAsync(DemoUsers.Rep))
        {
            await (await api.PostAsJsonAsync("/api/v1/customers", new CreateCustomerRequest(name), TestContext.Current.CancellationToken))
                .ExpectJsonAsync<CustomerDto>(System.Net.HttpStatusCode.Created);
        }

        await using var session = await app.OpenAsync("en-US");
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Rep);
        var policy = (await page.GotoAsync("/customers"))!.Headers["content-security-policy"];
        await page.WaitUntilInteractiveAsync();
        await Expect(page.GetByTestId("customer-table")).ToBeVisibleAsync();

        // The circuit answers: the list filtered by its search, and the global search finds the customer and opens it.
        await page.GotoAsync($"/customers?q={Uri.EscapeDataString(name)}");
        await page.WaitUntilInteractiveAsync();
        await Expect(page.GetByTestId("customer-link")).ToHaveCountAsync(1);
        var input = page.Locator("input[data-testid=global-search-input]");
        await input.FillAsync(name);
        await Expect(page.Locator("[data-testid=global-search][data-pending=true]")).ToHaveCountAsync(1);
        app.Clock.Advance(Components.Layout.GlobalSearch.DebounceDelay);
        await page.GetByTestId("global-search-item").Filter(new() { HasText = name }).ClickAsync();
        await Expect(page.GetByTestId("customer-title")).ToContainTextAsync(name);

        Assert.Contains("script-src 'self' 'nonce-", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Empty(session.CspViolations);
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task EveryPage_AsAdmin_RendersUnderThePolicyWithoutViolations()
    {
        // Every routable page without a route parameter (found by reflection, so new pages are included), as the Admin,
        // who may open them all; the record pages are covered by the tests above and StoredXssTests.
        var routes = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>(inherit: false))
            .Select(r => r.Template)
            .Where(r => !r.Contains('{', StringComparison.Ordinal) && !r.StartsWith("/account/", StringComparison.Ordinal) && r != "/setup")
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        await using var session = await app.OpenAsync("en-US");
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Admin);
        var violations = new List<string>();

        foreach (var route in routes)
        {
            var before = session.CspViolations.Count;
            await page.GotoAsync(route);
            await page.WaitUntilInteractiveAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            violations.AddRange(session.CspViolations.Skip(before).Select(v => $"{route}: {v}"));
        }

        Assert.True(routes.Count > 30, $"Only {routes.Count} pages found.");
        Assert.True(violations.Count == 0, "Content-Security-Policy violations:\n" + string.Join("\n", violations));
    }

    [Fact]
    public async Task ApiReference_UnderThePolicy_RendersTheOperationsWithoutViolations()
    {
        await using var session = await app.OpenAsync("en-US");
        var page = session.Page;

        var response = await page.GotoAsync("/api/docs/");

        await Expect(page.Locator("a[href='#tag/authentication/POST/api/v1/auth/token']")).ToBeAttachedAsync();
        Assert.Contains("'nonce-", response!.Headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Empty(session.CspViolations);
        session.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task SignInPage_InAFrame_IsRefused()
    {
        await using var session = await app.OpenAsync("en-US");
        var page = session.Page;

        // A page of another origin (about:blank here) frames the sign-in page: frame-ancestors 'none' refuses it.
        await page.SetContentAsync($"<iframe src=\"{app.BaseUrl}account/login\"></iframe>", new() { WaitUntil = WaitUntilState.Load });

        var frame = Assert.Single(page.Frames, f => f != page.MainFrame);
        Assert.Equal(0, await frame.Locator("#email").CountAsync());
    }
}
