using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadToCash.E2E.Infrastructure;
using LeadToCash.Modules.Leads.WebForms;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.E2E;

/// <summary>
/// A customer's website on another origin (a second loopback server) carrying the generated snippet: a visitor
/// posts it in Chromium, and the lead arrives in the team's pool with its suggested grade.
/// </summary>
[Collection(E2EJourneysDefinition.Name)]
public sealed class WebFormTests(E2EApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WebsiteForm_PlainPostFromAnotherOrigin_ShowsThanksAndTheLeadAwaitsScreening()
    {
        await using var site = await CustomerSite.StartAsync();
        var form = await CreateFormAsync(site.Origin);
        site.Pages["/"] = CustomerSite.ContactPage(form.HtmlSnippet);
        var company = $"宁波官网访客{Guid.NewGuid().ToString("N")[..6]}有限公司";

        await using var session = await app.OpenAsync("en-US");
        var page = session.Page;
        await page.GotoAsync(site.Origin + "/");
        await page.Locator("input[name=company]").FillAsync(company);
        await page.Locator("input[name=name]").FillAsync("周倩");
        await page.Locator("input[name=mobile]").FillAsync("+86 137 5742 0001");
        await page.Locator("input[name=email]").FillAsync("zhou.qian@example.cn");
        await page.Locator("textarea[name=need]").FillAsync("五十人的销售团队，想试用");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(form.PostUrl);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Thank you");
        await Expect(page.Locator("#message")).ToContainTextAsync("We have received your message");
        await Screenshots.SaveAsync(page, "20-web-form-thanks");
        session.AssertNoBrowserErrors();

        var lead = await LeadOfAsync(form.Id);
        Assert.Equal(company, lead.GetProperty("companyName").GetString());
        Assert.Equal("周倩", lead.GetProperty("contactName").GetString());
        Assert.Equal("website-form", lead.GetProperty("sourceChannel").GetString());
        Assert.Equal("New", lead.GetProperty("status").GetString());
        Assert.Equal("C", lead.GetProperty("suggestedGrade").GetString());
        Assert.Equal(JsonValueKind.Null, lead.GetProperty("grade").ValueKind);
        Assert.Equal(form.TeamId, lead.GetProperty("poolTeamId").GetGuid());

        // The Admin sees the count and the snippet on the settings page.
        await using var adminSession = await app.OpenAsync("en-US");
        var adminPage = adminSession.Page;
        await adminPage.SignInAsync(DemoUsers.Admin);
        await adminPage.GotoAsync("/settings/web-forms");
        await adminPage.WaitUntilInteractiveAsync();
        var row = adminPage.GetByTestId("web-form-table").Locator("tr", new() { Has = adminPage.GetByText(form.Name) });
        await Expect(row.GetByTestId("web-form-count")).ToHaveTextAsync("1");
        await row.GetByTestId("web-form-snippet-toggle").ClickAsync();
        await Expect(adminPage.GetByTestId("web-form-post-url")).ToHaveTextAsync(form.PostUrl);
        await Expect(adminPage.GetByTestId("web-form-snippet")).ToContainTextAsync("name=\"homepage\"");
        await Screenshots.SaveAsync(adminPage, "21-web-forms-settings");
        await adminPage.GotoAsync("/settings/leads");
        await adminPage.WaitUntilInteractiveAsync();
        await Expect(adminPage.GetByTestId("lead-rules-sample-grade")).ToBeVisibleAsync();
        await Expect(adminPage.GetByTestId("lead-rules-rep-name").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(adminPage, "22-lead-rules");
        adminSession.AssertNoBrowserErrors();
    }

    [Fact]
    public async Task WebsiteForm_ScriptVariantFromAllowedOrigin_SendsJsonAndThanksInPlace()
    {
        await using var site = await CustomerSite.StartAsync();
        var form = await CreateFormAsync(site.Origin);
        site.Pages["/"] = CustomerSite.ContactPage(form.HtmlSnippet + "\n" + form.ScriptSnippet);
        var company = $"温州脚本访客{Guid.NewGuid().ToString("N")[..6]}有限公司";

        await using var session = await app.OpenAsync("en-US");
        var page = session.Page;
        await page.GotoAsync(site.Origin + "/");
        await page.Locator("input[name=company]").FillAsync(company);
        await page.Locator("input[name=wechat]").FillAsync("wz_visitor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Thank you");
        Assert.Equal(site.Origin + "/", page.Url);
        session.AssertNoBrowserErrors();
        var lead = await LeadOfAsync(form.Id);
        Assert.Equal(company, lead.GetProperty("companyName").GetString());
        Assert.Equal("wz_visitor", lead.GetProperty("weChat").GetString());
        Assert.Equal("C", lead.GetProperty("suggestedGrade").GetString());
    }

    private async Task<WebFormDto> CreateFormAsync(string origin)
    {
        using var admin = await app.ApiClientForAsync(DemoUsers.Admin);
        await using var db = await app.SystemDbAsync();
        var team = await db.Teams.Where(t => t.Name == "上海销售一组").Select(t => t.Id).SingleAsync(Ct);
        using var response = await admin.PostAsJsonAsync("/api/v1/settings/web-forms",
            new SaveWebFormRequest($"官网 {Guid.NewGuid().ToString("N")[..4]}", "website-form", origin, team), Http.Json, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<WebFormDto>(Http.Json, Ct))!;
    }

    /// <summary>The one lead the form brought, as the Admin reads it through the API.</summary>
    private async Task<JsonElement> LeadOfAsync(Guid formId)
    {
        Guid id;
        await using (var db = await app.SystemDbAsync())
        {
            id = await db.Leads.Where(l => l.WebFormId == formId).Select(l => l.Id).SingleAsync(Ct);
        }

        using var admin = await app.ApiClientForAsync(DemoUsers.Admin);
        return (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{id}", Ct)).GetProperty("lead");
    }
}
