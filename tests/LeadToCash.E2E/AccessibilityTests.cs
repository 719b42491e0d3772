using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using System.Net.Http.Json;
using LeadToCash.E2E.Infrastructure;
using LeadToCash.Modules.Leads.CreateLead;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.E2E;

[Collection(E2EDefinition.Name)]
public sealed class AccessibilityTests(E2EApp app)
{
    private static readonly string[] BlockingImpacts = ["serious", "critical"];

    [Fact]
    public async Task Accessibility_SignInAndHome_NoSeriousViolations()
    {
        await using var session = await app.OpenAsync("zh-CN");
        var page = session.Page;

        await page.GotoAsync("/account/login");
        await Expect(page.GetByTestId("sign-in")).ToBeVisibleAsync();
        var problems = Blocking(await page.RunAxe(), "sign-in page");

        await page.SignInAsync(DemoUsers.Rep);
        await Expect(page.GetByTestId("recent-customers")).ToBeVisibleAsync();
        problems.AddRange(Blocking(await page.RunAxe(), "home page"));

        Assert.True(problems.Count == 0, "Serious accessibility violations:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task Accessibility_LeadListLeadPageAndEntryDialog_NoSeriousViolations()
    {
        using var api = await app.ApiClientForAsync(DemoUsers.Rep);
        var response = await api.PostAsJsonAsync("/api/v1/leads", new CreateLeadRequest("trade-show", CompanyName: "无障碍检查线索有限公司",
            ContactName: "钱女士", Mobile: "13912345670", Industry: "manufacturing", BudgetMinor: 300_000_00, PurchaseWithinMonths: 1),
            TestContext.Current.CancellationToken);
        var created = await response.ExpectJsonAsync<CreateLeadResult>(System.Net.HttpStatusCode.Created);
        await using var session = await app.OpenAsync("zh-CN");
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Rep);

        await page.GotoAsync("/leads");
        await page.WaitUntilInteractiveAsync();
        await Expect(page.GetByTestId("lead-count")).ToBeVisibleAsync();
        var problems = Blocking(await page.RunAxe(), "lead list");

        await page.GetByTestId("lead-new").ClickAsync();
        await Expect(page.GetByTestId("lead-form")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "46-lead-entry-dialog");
        problems.AddRange(Blocking(await page.RunAxe(), "lead entry dialog"));
        await page.GetByTestId("lead-cancel").ClickAsync();

        await page.GotoAsync($"/leads/{created.Lead.Id}");
        await page.WaitUntilInteractiveAsync();
        await Expect(page.GetByTestId("lead-sla")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "45-lead-page-rep");
        problems.AddRange(Blocking(await page.RunAxe(), "lead page"));

        Assert.True(problems.Count == 0, "Serious accessibility violations:\n" + string.Join("\n", problems));
    }

    [Fact]
    public async Task Accessibility_CustomerListWithFiltersAndSelection_NoSeriousViolations()
    {
        await using var session = await app.OpenAsync("en-US");
        var page = session.Page;
        await page.SignInAsync(DemoUsers.Manager);

        await page.GotoAsync("/customers");
        await page.WaitUntilInteractiveAsync();
        await Expect(page.GetByTestId("customer-table")).ToBeVisibleAsync();
        await page.GetByLabel("Stage").SelectOptionAsync("Customer");
        await Expect(page.GetByTestId("customer-count")).ToBeVisibleAsync();
        var problems = Blocking(await page.RunAxe(), "customer list");

        Assert.True(problems.Count == 0, "Serious accessibility violations:\n" + string.Join("\n", problems));
    }

    /// <summary>Serious and critical violations, described; milder ones only go to the test output.</summary>
    private static List<string> Blocking(AxeResult result, string where)
    {
        var blocking = new List<string>();
        foreach (var violation in result.Violations)
        {
            var text = $"{where}: [{violation.Impact}] {violation.Id}: {violation.Help} ({violation.HelpUrl})\n    at "
                + string.Join("\n    at ", violation.Nodes.Select(n => $"{n.Target} {n.Html}"));
            if (BlockingImpacts.Contains(violation.Impact))
            {
                blocking.Add(text);
            }
            else
            {
                TestContext.Current.TestOutputHelper?.WriteLine(text);
            }
        }

        return blocking;
    }
}
