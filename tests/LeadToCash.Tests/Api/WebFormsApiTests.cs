using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Leads.Settings;
using LeadToCash.Modules.Leads.WebForms;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Api;

/// <summary>Website forms: the Admin's API and the public intake (CORS, rate limit, honeypot, validation, capture).</summary>
[DatabaseTest]
public sealed class WebFormsApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Site = "https://www.yunfan-demo.cn";
    private const string OtherSite = "https://evil.example.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateWebForm_Admin_ReturnsAUrlSafeKeyAndAPlainFormSnippet()
    {
        var form = await CreateFormAsync();

        Assert.Matches("^[A-Za-z0-9_-]{32}$", form.Key);
        Assert.Equal($"http://localhost/api/public/forms/{form.Key}/leads", form.PostUrl);
        Assert.Contains($"<form id=\"{WebFormSnippet.FormId}\" method=\"post\" action=\"{form.PostUrl}\"", form.HtmlSnippet, StringComparison.Ordinal);
        foreach (var field in new[] { "company", "name", "mobile", "email", "wechat", "need", "homepage" })
        {
            Assert.Contains($"name=\"{field}\"", form.HtmlSnippet, StringComparison.Ordinal);
        }

        Assert.Contains("fetch(\"" + form.PostUrl + "\"", form.ScriptSnippet, StringComparison.Ordinal);
        Assert.Equal([Site], form.AllowedOrigins);
        Assert.Equal("上海销售一组", form.TeamName);
        Assert.NotEqual(form.Key, (await CreateFormAsync()).Key);
    }

    [Fact]
    public async Task CreateWebForm_Rep_Returns403()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync("/api/v1/settings/web-forms",
            new SaveWebFormRequest("Mine", "website-form", Site, await TeamIdAsync()), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task CreateWebForm_UnknownChannelBadOriginNoTeam_Returns400NamingEachField()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var badOrigin = await admin.PostAsJsonAsync("/api/v1/settings/web-forms",
            new SaveWebFormRequest("官网", "website-form", "https://www.example.com/contact\nftp://x.example.com", await TeamIdAsync()), Ct);
        var badReferences = await admin.PostAsJsonAsync("/api/v1/settings/web-forms",
            new SaveWebFormRequest("官网", "carrier-pigeon", Site, Guid.NewGuid()), Ct);

        var messages = await badOrigin.ExpectFieldErrorAsync("allowedOrigins");
        Assert.Contains("https://www.example.com/contact", messages[0], StringComparison.Ordinal);
        await badReferences.ExpectFieldErrorAsync("sourceChannel");
        await badReferences.ExpectFieldErrorAsync("teamId");
    }

    [Fact]
    public async Task UpdateAndRegenerateKey_OldKeyStopsWorking_DeactivatedFormAnswers404()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var form = await CreateFormAsync();

        var rekeyed = await (await admin.PostAsync($"/api/v1/settings/web-forms/{form.Id}/regenerate-key?version={form.Version}", null, Ct))
            .ExpectJsonAsync<WebFormDto>();
        using var visitor = app.AnonymousClient();
        var oldKey = await visitor.PostAsJsonAsync(Url(form.Key), new { company = "旧表单有限公司" }, Ct);
        var newKey = await visitor.PostAsJsonAsync(Url(rekeyed.Key), new { company = "新表单有限公司" }, Ct);
        var retired = await (await admin.PutAsJsonAsync($"/api/v1/settings/web-forms/{form.Id}",
            new SaveWebFormRequest(form.Name, form.SourceChannel, Site, form.TeamId, IsActive: false, Version: rekeyed.Version), Ct))
            .ExpectJsonAsync<WebFormDto>();
        var afterRetired = await visitor.PostAsJsonAsync(Url(rekeyed.Key), new { company = "停用后有限公司" }, Ct);
        var stale = await admin.DeleteAsync($"/api/v1/settings/web-forms/{form.Id}?version={rekeyed.Version}", Ct);
        var deleted = await admin.DeleteAsync($"/api/v1/settings/web-forms/{form.Id}?version={retired.Version}", Ct);

        Assert.NotEqual(form.Key, rekeyed.Key);
        await oldKey.ExpectProblemAsync(HttpStatusCode.NotFound);
        await newKey.ExpectAsync(HttpStatusCode.Accepted);
        Assert.False(retired.IsActive);
        await afterRetired.ExpectProblemAsync(HttpStatusCode.NotFound);
        await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
        await deleted.ExpectAsync(HttpStatusCode.NoContent);
        var list = await admin.GetJsonAsync<List<WebFormDto>>("/api/v1/settings/web-forms");
        Assert.DoesNotContain(list, f => f.Id == form.Id);
    }

    [Fact]
    public async Task SubmitLead_Json_Returns202WithoutDataAndTheLeadWaitsInTheTeamPoolWithItsSuggestedGrade()
    {
        var form = await CreateFormAsync();
        using var visitor = app.AnonymousClient();

        var response = await visitor.PostAsJsonAsync(Url(form.Key), new
        {
            company = "杭州云端表单科技有限公司",
            name = "陈静",
            mobile = "138 0571 2201",
            email = "chen.jing@yunduan-form.cn",
            wechat = "chenjing_hz",
            need = "想了解CRM的报价",
            homepage = "",
            utm_source = "baidu",
        }, Ct);

        await response.ExpectAsync(HttpStatusCode.Accepted);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal("{\"status\":\"received\"}", body);
        await using var db = await app.SystemDbAsync();
        var lead = await db.Leads.AsNoTracking().SingleAsync(l => l.WebFormId == form.Id, Ct);
        Assert.Equal("杭州云端表单科技有限公司", lead.CompanyName);
        Assert.Equal("陈静", lead.ContactName);
        Assert.Equal("138 0571 2201", lead.Mobile);
        Assert.Equal("chenjing_hz", lead.WeChat);
        Assert.Equal("想了解CRM的报价", lead.Need);
        Assert.Equal("website-form", lead.SourceChannel);
        Assert.Equal(LeadStatus.New, lead.Status);
        Assert.Null(lead.OwnerId);
        Assert.Equal(form.TeamId, lead.TeamId);
        Assert.Equal(form.TeamId, lead.PoolTeamId);
        Assert.Equal(LeadGrade.C, lead.SuggestedGrade);
        Assert.Equal(0, lead.Score);
        Assert.Null(lead.Grade);
        Assert.Equal("13805712201", lead.PhoneKey);
        Assert.True(lead.ScreeningDueAt > app.Clock.GetUtcNow().UtcDateTime);
        var counted = await db.WebForms.AsNoTracking().SingleAsync(f => f.Id == form.Id, Ct);
        Assert.Equal(1, counted.SubmissionCount);
        Assert.NotNull(counted.LastSubmissionAt);
        Assert.Equal(form.Version, counted.Version);
    }

    [Fact]
    public async Task SubmitLead_BrowserFormPost_Returns202ThankYouPage()
    {
        var form = await CreateFormAsync();
        using var visitor = app.AnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(form.Key))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["company"] = "南京表单提交有限公司", ["name"] = "王磊", ["mobile"] = "13913001234", ["email"] = "",
                ["wechat"] = "", ["need"] = "演示", ["homepage"] = "",
            }),
        };
        request.Headers.Add("Origin", Site);
        request.Headers.Add("Accept", "text/html");
        request.Headers.AcceptLanguage.Clear();
        request.Headers.AcceptLanguage.ParseAdd("zh-CN");

        var response = await visitor.SendAsync(request, Ct);

        await response.ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("我们已收到您的信息", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(Site, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        await using var db = await app.SystemDbAsync();
        var lead = await db.Leads.AsNoTracking().SingleAsync(l => l.WebFormId == form.Id, Ct);
        Assert.Equal("南京表单提交有限公司", lead.CompanyName);
        Assert.Null(lead.Email);
    }

    [Fact]
    public async Task SubmitLead_MultipartWithRedirect_RedirectsOnlyToAnAllowedOrigin()
    {
        var form = await CreateFormAsync();
        using var visitor = app.AnonymousClient();

        var allowed = await visitor.PostAsync(Url(form.Key), new MultipartFormDataContent
        {
            { new StringContent("苏州多部分有限公司"), "company" },
            { new StringContent(Site + "/thanks?from=form"), "redirect" },
        }, Ct);
        var elsewhere = await visitor.PostAsync(Url(form.Key), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "赵敏", ["redirect"] = OtherSite + "/phish",
        }), Ct);

        await allowed.ExpectAsync(HttpStatusCode.SeeOther);
        Assert.Equal(new Uri(Site + "/thanks?from=form"), allowed.Headers.Location);
        await elsewhere.ExpectAsync(HttpStatusCode.Accepted);
        Assert.Null(elsewhere.Headers.Location);
        await using var db = await app.SystemDbAsync();
        Assert.Equal(2, await db.Leads.CountAsync(l => l.WebFormId == form.Id, Ct));
    }

    [Fact]
    public async Task SubmitLead_HoneypotFilled_Returns202AndStoresNothing()
    {
        var form = await CreateFormAsync();
        using var visitor = app.AnonymousClient();

        var json = await visitor.PostAsJsonAsync(Url(form.Key), new { company = "Cheap Pills Ltd", homepage = "http://spam.example" }, Ct);
        var post = await visitor.PostAsync(Url(form.Key), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["company"] = "", ["name"] = "", ["homepage"] = "http://spam.example",
        }), Ct);

        await json.ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal("{\"status\":\"received\"}", await json.Content.ReadAsStringAsync(Ct));
        await post.ExpectAsync(HttpStatusCode.Accepted);
        await using var db = await app.SystemDbAsync();
        Assert.False(await db.Leads.AnyAsync(l => l.WebFormId == form.Id, Ct));
        Assert.Equal(0, (await db.WebForms.AsNoTracking().SingleAsync(f => f.Id == form.Id, Ct)).SubmissionCount);
    }

    [Fact]
    public async Task SubmitLead_UnknownKey_Returns404Problem()
    {
        using var visitor = app.AnonymousClient();

        var response = await visitor.PostAsJsonAsync(Url(WebFormsHandler.NewKey()), new { company = "某公司" }, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SubmitLead_NoCompanyNorNameOrBadEmail_Returns400NamingTheField()
    {
        var form = await CreateFormAsync();
        using var visitor = app.AnonymousClient();

        var noName = await visitor.PostAsJsonAsync(Url(form.Key), new { mobile = "13800000000", need = "报价" }, Ct);
        var badEmail = await visitor.PostAsync(Url(form.Key), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["company"] = "邮箱错误有限公司", ["email"] = "not-an-email", ["mobile"] = "call me",
        }), Ct);
        var notJson = await visitor.PostAsync(Url(form.Key), new StringContent("{company:", System.Text.Encoding.UTF8, "application/json"), Ct);

        await noName.ExpectFieldErrorAsync("company");
        await badEmail.ExpectFieldErrorAsync("email");
        await badEmail.ExpectFieldErrorAsync("mobile");
        await notJson.ExpectFieldErrorAsync("body");
        await using var db = await app.SystemDbAsync();
        Assert.False(await db.Leads.AnyAsync(l => l.WebFormId == form.Id, Ct));
    }

    [Fact]
    public async Task Preflight_AllowedOrigin_Returns204WithCorsHeaders()
    {
        var form = await CreateFormAsync();
        using var visitor = app.AnonymousClient();

        var response = await visitor.SendAsync(Preflight(form.Key, Site), Ct);

        await response.ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(Site, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Contains("Content-Type", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Origin", response.Headers.Vary);
    }

    [Fact]
    public async Task PreflightAndPost_OtherOrigin_Return403WithoutCorsHeadersAndStoreNothing()
    {
        var form = await CreateFormAsync();
        using var visitor = app.AnonymousClient();
        using var post = new HttpRequestMessage(HttpMethod.Post, Url(form.Key)) { Content = JsonContent.Create(new { company = "跨域有限公司" }) };
        post.Headers.Add("Origin", OtherSite);
        using var nullOrigin = new HttpRequestMessage(HttpMethod.Post, Url(form.Key)) { Content = JsonContent.Create(new { company = "沙箱有限公司" }) };
        nullOrigin.Headers.Add("Origin", "null");

        var preflight = await visitor.SendAsync(Preflight(form.Key, OtherSite), Ct);
        var posted = await visitor.SendAsync(post, Ct);
        var fromSandbox = await visitor.SendAsync(nullOrigin, Ct);

        await preflight.ExpectProblemAsync(HttpStatusCode.Forbidden);
        await posted.ExpectProblemAsync(HttpStatusCode.Forbidden);
        await fromSandbox.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(posted.Headers.Contains("Access-Control-Allow-Origin"));
        await using var db = await app.SystemDbAsync();
        Assert.False(await db.Leads.AnyAsync(l => l.WebFormId == form.Id, Ct));
    }

    [Fact]
    public async Task SubmitLead_MoreThanTheLimitFromOneClient_Returns429WithRetryAfter()
    {
        var form = await CreateFormAsync();
        using var visitor = app.AnonymousClient();

        for (var i = 0; i < 10; i++)
        {
            await (await visitor.PostAsJsonAsync(Url(form.Key), new { name = $"访客{i}" }, Ct)).ExpectAsync(HttpStatusCode.Accepted);
        }

        using var eleventh = new HttpRequestMessage(HttpMethod.Post, Url(form.Key)) { Content = JsonContent.Create(new { name = "第十一位" }) };
        eleventh.Headers.Add("Origin", Site);
        var response = await visitor.SendAsync(eleventh, Ct);
        var otherForm = await visitor.PostAsJsonAsync(Url((await CreateFormAsync()).Key), new { name = "另一个表单" }, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {response.Headers.RetryAfter}");
        Assert.Equal(Site, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        await otherForm.ExpectAsync(HttpStatusCode.Accepted);
        await using var db = await app.SystemDbAsync();
        Assert.Equal(10, await db.Leads.CountAsync(l => l.WebFormId == form.Id, Ct));
    }

    [Fact]
    public async Task SubmitLead_DuplicateWhileBlocking_Returns202AndStoresTheLeadFlagged()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var settings = await admin.GetJsonAsync<LeadSettingsDto>("/api/v1/settings/leads");
        await (await admin.PutAsJsonAsync("/api/v1/settings/leads", settings with { DuplicateMode = DuplicateMode.Block }, Ct))
            .ExpectAsync(HttpStatusCode.OK);
        var form = await CreateFormAsync();
        using var visitor = app.AnonymousClient();

        await (await visitor.PostAsJsonAsync(Url(form.Key), new { company = "重复测试（上海）有限公司", mobile = "+86 139 1111 2222" }, Ct))
            .ExpectAsync(HttpStatusCode.Accepted);
        var again = await visitor.PostAsJsonAsync(Url(form.Key), new { name = "再次提交", mobile = "13911112222" }, Ct);

        await again.ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal("{\"status\":\"received\"}", await again.Content.ReadAsStringAsync(Ct));
        await using var db = await app.SystemDbAsync();
        var leads = await db.Leads.AsNoTracking().Where(l => l.WebFormId == form.Id).OrderBy(l => l.CreatedAt).ThenBy(l => l.Id).ToListAsync(Ct);
        Assert.Equal(2, leads.Count);
        var first = leads.Single(l => l.ContactName is null);
        var second = leads.Single(l => l.ContactName == "再次提交");
        Assert.Equal(first.Id, second.DuplicateOfLeadId);
        Assert.Equal("phone", second.DuplicateField);
    }

    [Fact]
    public async Task SubmitLead_TeamConfirmsAutomatically_TheRulesConfirmTheGrade()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var team = await TeamIdAsync("深圳销售组");
        await (await admin.PutAsJsonAsync($"/api/v1/settings/leads/teams/{team}", new SetTeamAutoConfirmRequest(true), Ct))
            .ExpectAsync(HttpStatusCode.OK);
        var form = await CreateFormAsync(team);
        using var visitor = app.AnonymousClient();

        await (await visitor.PostAsJsonAsync(Url(form.Key), new { company = "深圳自动确认有限公司", name = "林峰" }, Ct))
            .ExpectAsync(HttpStatusCode.Accepted);

        await using var db = await app.SystemDbAsync();
        var lead = await db.Leads.AsNoTracking().SingleAsync(l => l.WebFormId == form.Id, Ct);
        Assert.Equal(LeadGrade.C, lead.Grade);
        Assert.NotNull(lead.ScreenedAt);
        // C goes to the nurture pool by the default rules: screened, unowned, in the team's pool.
        Assert.Equal(LeadStatus.Pool, lead.Status);
        Assert.Equal(team, lead.PoolTeamId);
    }

    [Fact]
    public async Task SubmitLead_WithBudgetAndTimeframe_TheScoreRulesUseThem()
    {
        var form = await CreateFormAsync();
        using var visitor = app.AnonymousClient();
        var snippet = form.HtmlSnippet;

        var response = await visitor.PostAsync(Url(form.Key), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["company"] = "宁波表单预算测试有限公司",
            ["name"] = "孔先生",
            ["budget"] = "300000",
            ["timeframe"] = "3",
            ["homepage"] = "",
        }), Ct);

        await response.ExpectAsync(HttpStatusCode.Accepted);
        Assert.Contains("name=\"budget\"", snippet, StringComparison.Ordinal);
        Assert.Contains("<option value=\"3\">", snippet, StringComparison.Ordinal);
        await using var db = await app.SystemDbAsync();
        var lead = await db.Leads.AsNoTracking().SingleAsync(l => l.WebFormId == form.Id, Ct);
        Assert.Equal(300_000_00, lead.BudgetMinor);
        Assert.Equal(3, lead.PurchaseWithinMonths);
        Assert.Equal(50, lead.Score);
        Assert.Equal(LeadGrade.B, lead.SuggestedGrade);
    }

    private static string Url(string key) => $"/api/public/forms/{key}/leads";

    private static HttpRequestMessage Preflight(string key, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, Url(key));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return request;
    }

    private async Task<Guid> TeamIdAsync(string name = "上海销售一组")
    {
        await using var db = await app.SystemDbAsync();
        return await db.Teams.Where(t => t.Name == name).Select(t => t.Id).SingleAsync(Ct);
    }

    private async Task<WebFormDto> CreateFormAsync(Guid? teamId = null)
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var response = await admin.PostAsJsonAsync("/api/v1/settings/web-forms",
            new SaveWebFormRequest("官网咨询表单", "website-form", $"{Site}/\r\n{Site}", teamId ?? await TeamIdAsync()), Ct);
        return await response.ExpectJsonAsync<WebFormDto>(HttpStatusCode.Created);
    }
}
