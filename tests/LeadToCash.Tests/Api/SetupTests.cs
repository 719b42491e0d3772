using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Company;
using LeadToCash.Modules.Organization.Auth;
using LeadToCash.Modules.Organization.Users;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.Tests.Api;

/// <summary>The first run of an empty installation (its own empty database, migrated by the app at start-up).</summary>
[DatabaseTest]
public sealed class SetupTests(EmptyAppFactory app) : IClassFixture<EmptyAppFactory>
{
    private const string Password = "first-admin-password";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // One test: the steps depend on each other (an installation is set up only once).
    [Fact]
    public async Task Setup_EmptyInstallation_RedirectsToSetupThenCreatesCompanyAndAdminOnce()
    {
        using var browser = app.BrowserClient();

        // Before setup: pages go to /setup, the API and health answer as usual.
        var home = await browser.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/setup", home.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/health/ready", Ct)).StatusCode);

        // A bad form: the errors are shown and nothing is created.
        var form = await browser.ReadFormAsync("/setup", "setup");
        var invalid = await browser.PostAsync(form.Action, Fill(form, "杭州远航科技有限公司", "陈静", "chen.jing@example.test", "short"), Ct);
        var invalidHtml = await (await invalid.ExpectAsync(HttpStatusCode.OK)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("data-testid=\"setup-errors\"", invalidHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/", Ct)).StatusCode);

        // The real form: company, top team and first Admin, signed in at once.
        form = await browser.ReadFormAsync("/setup", "setup");
        var created = await browser.PostAsync(form.Action, Fill(form, "杭州远航科技有限公司", "陈静", "chen.jing@example.test", Password), Ct);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.EndsWith("/", created.Headers.Location?.OriginalString, StringComparison.Ordinal);
        await (await browser.GetAsync("/", Ct)).ExpectAsync(HttpStatusCode.OK);

        // After setup: /setup says so, and posting it again creates no second Admin.
        var done = await (await browser.GetAsync("/setup", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("data-testid=\"setup-done\"", await done.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var token = (await browser.ReadFormAsync("/account/login", "login")).Fields[HtmlForm.AntiforgeryField];
        var stale = form with { Fields = new Dictionary<string, string>(form.Fields) { [HtmlForm.AntiforgeryField] = token } };
        var again = await browser.PostAsync("/setup", Fill(stale, "别的公司", "坏人", "intruder@example.test", Password), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode); // the page no longer renders the form it would post to

        using var admin = app.ClientWithToken(await app.SignInAsync("chen.jing@example.test", Password));
        var me = await admin.GetJsonAsync<MeDto>("/api/v1/me");
        Assert.Equal([Roles.Admin], me.Roles);
        Assert.Equal("杭州远航科技有限公司", me.TeamName);
        Assert.Equal("杭州远航科技有限公司", (await admin.GetJsonAsync<CompanySettingsDto>("/api/v1/settings/company")).Name);
        Assert.Equal(["陈静"], (await admin.GetJsonAsync<ListPage<UserDto>>("/api/v1/users")).Items.Select(u => u.DisplayName));
        Assert.NotEmpty(await admin.GetJsonAsync<List<Modules.Options.OptionDto>>("/api/v1/options/industries"));
        using var anonymous = app.AnonymousClient();
        var intruder = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest("intruder@example.test", Password), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, intruder.StatusCode);
    }

    private static FormUrlEncodedContent Fill(HtmlForm form, string company, string name, string email, string password) =>
        form.Fill(
            (form.FieldEndingWith(".CompanyName"), company),
            (form.FieldEndingWith(".AdminName"), name),
            (form.FieldEndingWith(".AdminEmail"), email),
            (form.FieldEndingWith(".Password"), password));
}
