using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using LeadToCash.Modules.Organization.Users;
using LeadToCash.Platform.Auth;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace LeadToCash.Tests.Security;

/// <summary>
/// The pages: every routable component (found by reflection, so a new page cannot be forgotten) names the permission it
/// needs, or is on the short list of pages for anyone signed in or for everyone; and the running app enforces it: an
/// anonymous visitor is sent to the sign-in page, a signed-in user without the permission to the access-denied page, a
/// user with it gets the page.
/// </summary>
public sealed partial class EndpointInventoryTests
{
    /// <summary>Pages anyone may open (route, why).</summary>
    private static readonly (string Route, string Reason)[] PublicPages =
    [
        ("/account/login", "The sign-in page."),
        ("/setup", "First-run setup of an empty installation (it refuses once an Admin exists)."),
        ("/account/denied", "Says that access was denied; shows nothing else."),
    ];

    /// <summary>Pages for everyone signed in, whatever their role (route, why).</summary>
    private static readonly (string Route, string Reason)[] SignedInPages =
    [
        ("/", "The home page: each user's own figures and lists, read in their own data scope."),
    ];

    /// <summary>Demo users of each single role (and the Admin), whose permissions the page matrix checks.</summary>
    private static readonly string[] PageVisitors =
        [DemoUsers.Rep, DemoUsers.Assistant, DemoUsers.Finance, DemoUsers.Manager2, DemoUsers.Director, DemoUsers.Admin];

    [Fact]
    public void Pages_EveryRoutableComponent_NamesItsPermissionOrIsListed()
    {
        var pages = Pages();

        var offenders = pages.Select(p => (p.Route, Problem: PageProblem(p))).Where(p => p.Problem is not null)
            .Select(p => $"{p.Route}: {p.Problem}").ToList();

        Assert.True(pages.Count > 40, $"Only {pages.Count} pages found: {string.Join(", ", pages.Select(p => p.Route))}");
        Assert.Contains(pages, p => p.Route == "/customers/{Id:guid}");
        Assert.True(offenders.Count == 0, "Pages without a named permission (add @attribute [Authorize(Policy = Permissions.X)], " +
            "or list the page with a reason):\n" + string.Join("\n", offenders));
        var stale = PublicPages.Select(p => p.Route).Concat(SignedInPages.Select(p => p.Route))
            .Where(r => pages.All(p => p.Route != r)).ToList();
        Assert.True(stale.Count == 0, "Listed pages that do not exist: " + string.Join(", ", stale));
    }

    [Fact]
    public void PageProblem_MissingOrUnknownPolicy_IsRefused()
    {
        Assert.NotNull(PageProblem(new Page("/x", typeof(object), [], false)));
        Assert.NotNull(PageProblem(new Page("/x", typeof(object), [new AuthorizeAttribute()], false)));
        Assert.NotNull(PageProblem(new Page("/x", typeof(object), [new AuthorizeAttribute("made.up")], false)));
        Assert.NotNull(PageProblem(new Page("/x", typeof(object), [new AuthorizeAttribute(Permissions.CustomersRead)], true)));
        Assert.Null(PageProblem(new Page("/x", typeof(object), [new AuthorizeAttribute(Permissions.CustomersRead)], false)));
    }

    [Fact]
    public async Task Pages_Anonymous_AreSentToSignInExceptThePublicOnes()
    {
        using var visitor = app.AnonymousClient();
        var wrong = new List<string>();

        foreach (var page in Pages())
        {
            using var response = await visitor.GetAsync(Url(page.Route), TestContext.Current.CancellationToken);
            var isPublic = PublicPages.Any(p => p.Route == page.Route);
            var location = response.Headers.Location?.OriginalString ?? "";
            var ok = isPublic
                ? response.StatusCode is HttpStatusCode.OK || (page.Route == "/setup" && response.StatusCode == HttpStatusCode.Redirect)
                : response.StatusCode == HttpStatusCode.Redirect && location.Contains("/account/login", StringComparison.Ordinal);
            if (!ok)
            {
                wrong.Add($"{page.Route}: {(int)response.StatusCode} {location}");
            }
        }

        Assert.True(wrong.Count == 0, "Pages that answer an anonymous visitor wrongly:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public async Task Pages_SignedIn_OpenExactlyForWhoHasThePermission()
    {
        var wrong = new List<string>();
        var checkedDenials = 0;
        foreach (var email in PageVisitors)
        {
            using var api = await app.ClientForAsync(email);
            var permissions = (await api.GetJsonAsync<MeDto>("/api/v1/me")).Permissions.ToHashSet(StringComparer.Ordinal);
            using var browser = app.BrowserClient();
            await SignInWithCookieAsync(browser, email);
            foreach (var page in Pages().Where(p => PublicPages.All(x => x.Route != p.Route)))
            {
                var policy = page.Authorization.Select(a => a.Policy).SingleOrDefault(p => !string.IsNullOrEmpty(p));
                var allowed = policy is null || permissions.Contains(policy);
                using var response = await browser.GetAsync(Url(page.Route), TestContext.Current.CancellationToken);
                var location = response.Headers.Location?.OriginalString ?? "";
                var denied = response.StatusCode == HttpStatusCode.Forbidden
                    || (response.StatusCode == HttpStatusCode.Redirect && location.Contains("/account/denied", StringComparison.Ordinal));
                var opened = response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound;
                checkedDenials += allowed ? 0 : 1;
                if (allowed ? !opened : !denied)
                {
                    wrong.Add($"{email} {page.Route} (needs {policy ?? "sign-in"}; {(allowed ? "has it" : "lacks it")}): " +
                        $"{(int)response.StatusCode} {location}");
                }
            }
        }

        Assert.True(wrong.Count == 0, "Pages that answer a signed-in user wrongly:\n" + string.Join("\n", wrong));
        Assert.True(checkedDenials > 20, $"Only {checkedDenials} denials were checked; the matrix should refuse many pages to reps and Finance.");
    }

    private static string? PageProblem(Page page)
    {
        if (PublicPages.Any(p => p.Route == page.Route))
        {
            return page.AllowsAnonymous ? null : "is listed as public but does not allow anonymous access ([AllowAnonymous])";
        }

        if (page.AllowsAnonymous)
        {
            return "allows anonymous access but is not on the public list";
        }

        if (page.Authorization.Count == 0)
        {
            return "has no [Authorize] at all";
        }

        var policies = page.Authorization.Select(a => a.Policy).ToList();
        if (policies.Any(string.IsNullOrEmpty))
        {
            return SignedInPages.Any(p => p.Route == page.Route)
                ? null
                : "requires only sign-in ([Authorize] without a policy) but is not on the list of pages for everyone signed in";
        }

        var unknown = policies.Where(p => !Permissions.All.Contains(p!)).ToList();
        return unknown.Count > 0 ? $"names policies that are not permissions: {string.Join(", ", unknown)}" : null;
    }

    /// <summary>Every route of every routable component of the app (a component may have several @page routes).</summary>
    private static List<Page> Pages() =>
        typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t) && !t.IsAbstract)
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>(inherit: false).Select(r => new Page(r.Template, t,
                [.. t.GetCustomAttributes(inherit: true).OfType<IAuthorizeData>()],
                t.GetCustomAttributes(inherit: true).OfType<IAllowAnonymous>().Any())))
            .OrderBy(p => p.Route, StringComparer.Ordinal)
            .ToList();

    /// <summary>The route with its parameters filled in (an id no record has: the page shows its not-found state).</summary>
    private static string Url(string route) => RouteParameter().Replace(route, "0190e0a4-0000-7000-8000-000000000001");

    private static async Task SignInWithCookieAsync(HttpClient browser, string email)
    {
        var form = await browser.ReadFormAsync("/account/login", "login");
        var response = await browser.PostAsync(form.Action,
            form.Fill((form.FieldEndingWith(".Email"), email), (form.FieldEndingWith(".Password"), DemoUsers.Password)),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    private sealed record Page(string Route, Type Component, IReadOnlyList<IAuthorizeData> Authorization, bool AllowsAnonymous);
}
