using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadToCash.E2E.Infrastructure;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.E2E;

/// <summary>
/// Stored cross-site scripting: markup and script stored through the API in the free-text fields of a customer, a contact,
/// a follow-up, a lead and an opportunity is shown as text on every page that shows it (lists, record pages, the
/// customer's tabs and timeline, the global search and its results page): it appears literally, creates no element, runs
/// nothing, and the browser reports no blocked script either (the Content-Security-Policy would block an inline script;
/// the test demands that none was even attempted).
/// </summary>
[Collection(E2EJourneysDefinition.Name)]
public sealed class StoredXssTests(E2EApp app)
{
    private const string Img = "<img src=x onerror=window.__xss=1>";
    private const string Script = "\"><script>window.__xss=1</script>";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FreeTextFields_WithMarkupAndScript_AreShownAsTextEverywhere()
    {
        var tag = "xss" + Guid.NewGuid().ToString("N")[..6];
        var customerName = $"{tag}客户 {Img}";
        var contactName = $"{tag}联系人 {Script}";
        var keyPoints = $"{tag}要点 {Img}";
        var leadCompany = $"{tag}线索 {Script}";
        var opportunityName = $"{tag}商机 {Img}";
        using var api = await app.ApiClientForAsync(DemoUsers.Rep);
        var customerId = await CreateAsync(api, "/api/v1/customers", new
        {
            name = customerName, address = Img, notes = Script, region = Script, website = "javascript://x/%0Awindow.__xss=1",
        });
        await CreateAsync(api, $"/api/v1/customers/{customerId}/contacts", new { name = contactName, title = Img, notes = Script });
        await CreateAsync(api, $"/api/v1/customers/{customerId}/follow-ups", new
        {
            method = "Visit", keyPoints, customerFeedback = Script, nextStep = Img,
        });
        var leadId = (await (await api.PostAsJsonAsync("/api/v1/leads", new
        {
            sourceChannel = "website-form", companyName = leadCompany, contactName = Img, title = Script, need = Img, notes = Script,
            mobile = "13900001234",
        }, Ct)).ExpectJsonAsync<JsonElement>(HttpStatusCode.Created)).GetProperty("lead").GetProperty("id").GetGuid();
        var opportunityId = await CreateAsync(api, "/api/v1/opportunities", new
        {
            customerId, name = opportunityName, description = Script, nextStep = Img, competitors = Script,
        });

        await using var session = await app.OpenAsync("en-US");
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Rep);

        await OpenAsync(page, $"/customers?q={tag}");
        await ShowsLiterallyAsync(page, "customer list", customerName);

        await OpenAsync(page, $"/customers/{customerId}");
        await Expect(page.GetByTestId("customer-title")).ToContainTextAsync(customerName);
        await ShowsLiterallyAsync(page, "customer page, details", customerName, Img, Script, "javascript://x/%0Awindow.__xss=1");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Contacts" }).ClickAsync();
        await ShowsLiterallyAsync(page, "customer page, contacts", contactName);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Follow-ups" }).ClickAsync();
        await ShowsLiterallyAsync(page, "customer page, follow-ups", keyPoints);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Opportunities" }).ClickAsync();
        await ShowsLiterallyAsync(page, "customer page, opportunities", opportunityName);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Timeline" }).ClickAsync();
        await ShowsLiterallyAsync(page, "customer page, timeline", keyPoints);

        await OpenAsync(page, $"/leads?q={tag}");
        await ShowsLiterallyAsync(page, "lead list", leadCompany);
        await OpenAsync(page, $"/leads/{leadId}");
        await Expect(page.GetByTestId("lead-title")).ToContainTextAsync(leadCompany);
        await ShowsLiterallyAsync(page, "lead page", leadCompany, Img);

        await OpenAsync(page, $"/opportunities/{opportunityId}");
        await Expect(page.GetByTestId("opp-title")).ToContainTextAsync(opportunityName);
        await ShowsLiterallyAsync(page, "opportunity page", opportunityName, customerName);

        await OpenAsync(page, $"/search?q={tag}");
        await ShowsLiterallyAsync(page, "search results page", customerName, contactName, leadCompany);

        var input = page.Locator("input[data-testid=global-search-input]");
        await input.FillAsync(tag);
        await Expect(page.Locator("[data-testid=global-search][data-pending=true]")).ToHaveCountAsync(1);
        app.Clock.Advance(Components.Layout.GlobalSearch.DebounceDelay);
        await Expect(page.GetByTestId("global-search-item").First).ToBeVisibleAsync();
        await ShowsLiterallyAsync(page, "global search", customerName, contactName, leadCompany);

        Assert.Empty(session.CspViolations);
        session.AssertNoBrowserErrors();
    }

    private static async Task OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.WaitUntilInteractiveAsync();
    }

    /// <summary>The texts are on the page as text; nothing of the payloads became an element or ran.</summary>
    private static async Task ShowsLiterallyAsync(IPage page, string where, params string[] texts)
    {
        foreach (var text in texts)
        {
            await Expect(page.Locator("body")).ToContainTextAsync(text);
        }

        var state = await page.EvaluateAsync<JsonElement>("""
            () => ({
              ran: window.__xss !== undefined,
              images: document.querySelectorAll('img[src="x"], img[onerror]').length,
              scripts: [...document.scripts].filter(s => s.textContent.includes('__xss')).length,
              handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a =>
                (a.name.startsWith('on') && a.value.includes('__xss')) || /^\s*javascript:/i.test(a.value))).length,
            })
            """);
        Assert.False(state.GetProperty("ran").GetBoolean(), $"{where}: a payload ran");
        Assert.Equal(0, state.GetProperty("images").GetInt32());
        Assert.Equal(0, state.GetProperty("scripts").GetInt32());
        Assert.Equal(0, state.GetProperty("handlers").GetInt32()); // event handlers, javascript: links
    }

    private static async Task<Guid> CreateAsync(HttpClient api, string url, object body) =>
        (await (await api.PostAsJsonAsync(url, body, Ct)).ExpectJsonAsync<JsonElement>(HttpStatusCode.Created)).GetProperty("id").GetGuid();
}
