using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using LeadToCash.E2E.Infrastructure;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Leads.Jobs;
using LeadToCash.Modules.Leads.Screening;
using LeadToCash.Modules.Leads.WebForms;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.E2E;

/// <summary>
/// The lead process end to end, as the people doing it see it: a visitor's enquiry from the company website lands
/// as a lead with its suggested grade; the assistant screens it (the check call found budget and timeframe, so she
/// raises the grade); the rules give it to a rep, who sees the first-touch countdown and the notification, logs a call,
/// and the deadline shows as met. A second enquiry, assigned but left without contact for two days, reaches the
/// team's manager as an escalation.
/// </summary>
[Collection(E2EJourneysDefinition.Name)]
public sealed partial class LeadJourneyTests(E2EApp app)
{
    private const string TeamName = "上海销售一组";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LeadJourney_WebsiteEnquiryScreenedAndCalled_SlaMetAndAnIgnoredOneEscalatesToTheManager()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var hot = $"杭州远航自动化{tag}有限公司";
        var ignored = $"无锡德隆包装{tag}有限公司";

        // A visitor sends two enquiries from the company's website (another origin) through the generated snippet.
        await using var site = await CustomerSite.StartAsync();
        var form = await CreateFormAsync(site.Origin);
        site.Pages["/"] = CustomerSite.ContactPage(form.HtmlSnippet);
        await using (var visitor = await app.OpenAsync("zh-CN"))
        {
            await SendEnquiryAsync(visitor.Page, site.Origin, form.PostUrl, hot, "陈静", "+86 139 1702 4410", "chen.jing@yuanhang-auto.cn",
                "两条产线要上线销售管理系统，想约演示", screenshot: "30-lead-journey-website-form");
            await SendEnquiryAsync(visitor.Page, site.Origin, form.PostUrl, ignored, "何亮", "0510-8276 3391", "he.liang@delong-pack.cn",
                "了解一下报价", screenshot: null);
            visitor.AssertNoBrowserErrors();
        }

        // The assistant (孙丽, in Chinese) finds the new lead in the list and sees the rules' suggestion: C, not yet confirmed.
        await using var assistant = await app.OpenAsync("zh-CN");
        var page = assistant.Page;
        await page.SignInAsync(DemoUsers.Assistant);
        // (A search link: the search box's debounce runs on the app's clock, which this test holds still.)
        await page.GotoAsync("/leads?q=" + Uri.EscapeDataString(hot));
        await page.WaitUntilInteractiveAsync();
        var hotRow = page.GetByTestId("lead-table").Locator("tr", new() { Has = page.GetByText(hot, new() { Exact = true }) });
        await Expect(hotRow).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("lead-link")).ToHaveCountAsync(1);
        await Expect(hotRow.GetByTestId("lead-grade-suggested")).ToHaveTextAsync("C");
        await Expect(hotRow.GetByTestId("lead-awaiting")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "31-lead-journey-assistant-list");

        await hotRow.GetByTestId("lead-link").ClickAsync();
        await Expect(page.GetByTestId("lead-title")).ToHaveTextAsync(hot);
        var grade = page.GetByTestId("lead-grade");
        await Expect(grade).ToHaveAttributeAsync("data-grade", "C");
        await Expect(grade).ToHaveAttributeAsync("data-confirmed", "false");
        await Expect(grade).ToHaveTextAsync("建议 C");
        await Expect(page.GetByTestId("lead-awaiting-screening")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("lead-pool")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("lead-sla")).ToHaveCountAsync(0);
        var hotId = Guid.Parse(LeadIdPattern().Match(page.Url).Groups[1].Value);

        // Screening: the check call found a budget and a date, so she confirms B instead of the suggested C, saying why.
        await page.GetByTestId("lead-screen").ClickAsync();
        var dialog = page.GetByTestId("lead-screen-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByTestId("lead-screen-grade-B").ClickAsync();
        await dialog.Locator("textarea").First.FillAsync("电话核实：预算约15万元，计划两个月内上线");
        await Screenshots.SaveAsync(page, "32-lead-journey-screening");
        await page.GetByTestId("lead-screen-confirm").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();

        // The rules assign it at once: B goes to the team's rep with less than a year (刘洋); the clock starts. The
        // assistant does not see reps' leads, so this is her last view of it, and the page says whose it is now.
        await Expect(page.GetByTestId("lead-out-of-sight")).ToContainTextAsync("刘洋");
        await Expect(grade).ToHaveAttributeAsync("data-confirmed", "true");
        await Expect(grade).ToHaveAttributeAsync("data-grade", "B");
        await Expect(page.GetByTestId("lead-awaiting-screening")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("lead-screen")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("lead-owner")).ToHaveTextAsync(new Regex(@"\S"));
        var ownerName = (await page.GetByTestId("lead-owner").InnerTextAsync()).Trim();
        Assert.Equal("刘洋", ownerName);
        await Expect(page.GetByTestId("lead-process")).ToContainTextAsync("孙丽");
        await Expect(page.GetByTestId("lead-process")).ToContainTextAsync("预算约15万元");
        await Screenshots.SaveAsync(page, "33-lead-journey-screened-and-assigned");
        assistant.AssertNoBrowserErrors();

        // The second enquiry is screened the same way (through the API) and goes to the same rep, who never calls.
        var ignoredId = await LeadIdAsync(form.Id, ignored);
        using (var assistantApi = await app.ApiClientForAsync(DemoUsers.Assistant))
        {
            using var screened = await assistantApi.PostAsJsonAsync($"/api/v1/leads/{ignoredId}/screen",
                new ScreenLeadRequest(LeadGrade.B, "有明确采购计划"), Http.Json, Ct);
            await screened.ExpectAsync(HttpStatusCode.OK);
        }

        // The owner (in English) sees the notification, the lead in their list and the countdown on its page.
        var ownerEmail = await EmailOfAsync(ownerName);
        await using var rep = await app.OpenAsync("en-US");
        page = rep.Page;
        await page.SignInAsync(ownerEmail);
        await Expect(page.GetByTestId("notification-badge")).ToHaveAttributeAsync("data-unread", new Regex("^[1-9]"));
        await page.GetByTestId("notification-bell").Locator("button").First.ClickAsync();
        await Expect(page.GetByTestId("notification-menu-item").Filter(new() { HasText = "New lead assigned to you: " + hot }))
            .ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "34-lead-journey-rep-bell");
        await page.Keyboard.PressAsync("Escape");

        await page.GotoAsync("/leads?mine=true&q=" + Uri.EscapeDataString(hot));
        await page.WaitUntilInteractiveAsync();
        var mine = page.GetByTestId("lead-table").Locator("tr", new() { Has = page.GetByText(hot, new() { Exact = true }) });
        await Expect(mine.GetByTestId("lead-grade")).ToHaveTextAsync("B");
        await Expect(mine.GetByTestId("lead-sla")).ToHaveAttributeAsync("data-sla", "OnTrack");
        await mine.GetByTestId("lead-link").ClickAsync();

        await Expect(page.GetByTestId("lead-title")).ToHaveTextAsync(hot);
        var sla = page.GetByTestId("lead-sla");
        await Expect(sla).ToHaveAttributeAsync("data-sla", "OnTrack");
        await Expect(sla).ToContainTextAsync(new Regex(@"\d.* left$"));
        await Screenshots.SaveAsync(page, "35-lead-journey-rep-countdown");

        // A call that reached the contact stops the clock within the deadline.
        await page.GetByTestId("lead-log-activity").ClickAsync();
        var activity = page.GetByTestId("lead-activity-dialog");
        await Expect(activity).ToBeVisibleAsync();
        await activity.Locator("textarea").First.FillAsync("已约下周二上门演示");
        await Screenshots.SaveAsync(page, "36-lead-journey-log-call");
        await page.GetByTestId("lead-activity-save").ClickAsync();
        await Expect(activity).ToBeHiddenAsync();
        await Expect(sla).ToHaveAttributeAsync("data-sla", "Met");
        await Expect(sla).ToHaveTextAsync("Met");
        await Expect(page.GetByTestId("lead-status")).ToHaveAttributeAsync("data-status", "Contacted");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Contact attempts" }).ClickAsync();
        await Expect(page.GetByTestId("lead-activities")).ToContainTextAsync("已约下周二上门演示");
        await Screenshots.SaveAsync(page, "37-lead-journey-sla-met");
        rep.AssertNoBrowserErrors();

        // Two days pass without a call on the other lead; the escalation job runs.
        app.Clock.Advance(TimeSpan.FromHours(49));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<EscalationJob>().RunAsync(Ct) >= 1);
        }

        await using (var db = await app.SystemDbAsync())
        {
            var leads = await db.Leads.AsNoTracking().Where(l => l.Id == hotId || l.Id == ignoredId).ToDictionaryAsync(l => l.Id, Ct);
            Assert.Null(leads[hotId].EscalatedAt); // the one that was called is left alone
            Assert.NotNull(leads[ignoredId].EscalatedAt);
        }

        // The team's manager (李娜, in English) is told, and sees it marked on the lead and in the escalated filter.
        await using var manager = await app.OpenAsync("en-US");
        page = manager.Page;
        await page.SignInAsync(DemoUsers.Manager);
        await Expect(page.GetByTestId("notification-badge")).ToHaveAttributeAsync("data-unread", new Regex("^[1-9]"));
        await page.GotoAsync("/notifications");
        await page.WaitUntilInteractiveAsync();
        var notice = page.GetByTestId("notification-row").Filter(new() { HasText = ignored });
        await Expect(notice).ToHaveCountAsync(1);
        await Expect(notice.GetByTestId("notification-message"))
            .ToHaveTextAsync($"No contact attempt on {ownerName}'s lead {ignored} 48 hours after assignment");
        await Screenshots.SaveAsync(page, "38-lead-journey-manager-notifications");

        await notice.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/leads/{ignoredId}$"));
        await Expect(page.GetByTestId("lead-title")).ToHaveTextAsync(ignored);
        await Expect(page.GetByTestId("lead-escalated")).ToHaveTextAsync("Escalated");
        await Expect(page.GetByTestId("lead-owner")).ToHaveTextAsync(ownerName);
        await Expect(page.GetByTestId("lead-status")).ToHaveAttributeAsync("data-status", "Assigned"); // still no contact
        await Screenshots.SaveAsync(page, "39-lead-journey-manager-escalated-lead");

        await page.GotoAsync("/leads");
        await page.WaitUntilInteractiveAsync();
        await page.GetByTestId("lead-filters").GetByTestId("lead-escalated").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"[?&]escalated=true"));
        var links = page.GetByTestId("lead-link");
        await Expect(links.Filter(new() { HasText = ignored })).ToHaveCountAsync(1);
        await Expect(links.Filter(new() { HasText = hot })).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "40-lead-journey-escalated-filter");
        manager.AssertNoBrowserErrors();
    }

    /// <summary>Fills in the website's contact form and sends it; the app answers with its thank-you page.</summary>
    private static async Task SendEnquiryAsync(IPage page, string origin, string postUrl, string company, string name, string mobile, string email,
        string need, string? screenshot)
    {
        await page.GotoAsync(origin + "/");
        await page.Locator("input[name=company]").FillAsync(company);
        await page.Locator("input[name=name]").FillAsync(name);
        await page.Locator("input[name=mobile]").FillAsync(mobile);
        await page.Locator("input[name=email]").FillAsync(email);
        await page.Locator("textarea[name=need]").FillAsync(need);
        if (screenshot is not null)
        {
            await Screenshots.SaveAsync(page, screenshot);
        }

        await page.Locator("form button[type=submit], form input[type=submit]").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(postUrl);
        await Expect(page.Locator("h1")).Not.ToHaveTextAsync("联系我们");
    }

    private async Task<WebFormDto> CreateFormAsync(string origin)
    {
        using var admin = await app.ApiClientForAsync(DemoUsers.Admin);
        await using var db = await app.SystemDbAsync();
        var team = await db.Teams.Where(t => t.Name == TeamName).Select(t => t.Id).SingleAsync(Ct);
        using var response = await admin.PostAsJsonAsync("/api/v1/settings/web-forms",
            new SaveWebFormRequest($"官网联系我们 {Guid.NewGuid().ToString("N")[..4]}", "website-form", origin, team), Http.Json, Ct);
        await response.ExpectAsync(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<WebFormDto>(Http.Json, Ct))!;
    }

    private async Task<Guid> LeadIdAsync(Guid formId, string company)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Leads.Where(l => l.WebFormId == formId && l.CompanyName == company).Select(l => l.Id).SingleAsync(Ct);
    }

    private async Task<string> EmailOfAsync(string displayName)
    {
        await using var db = await app.SystemDbAsync();
        return (await db.Users.Where(u => u.DisplayName == displayName).Select(u => u.Email).SingleAsync(Ct))!;
    }

    [GeneratedRegex(@"/leads/([0-9a-f-]{36})")]
    private static partial Regex LeadIdPattern();
}
