using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using LeadToCash.E2E.Infrastructure;
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
