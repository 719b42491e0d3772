using System.Security.Claims;
using Bunit;
using LeadToCash.Components.Pages.Customers;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.Contacts;
using LeadToCash.Modules.Customers.ListCustomers;
using LeadToCash.Modules.Customers.NeedsAnalyses;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LeadToCash.Tests.Components;

/// <summary>The customer page's own panels over the demo database: key facts, contacts, needs analyses, sharing.</summary>
public sealed class CustomerPanelsTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private DateTime Now => app.Clock.GetUtcNow().UtcDateTime;

    private async Task<CurrentUser> SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        var user = await UserAsync(email);
        this.SignIn(user.Id, email);
        return user;
    }

    private async Task<CurrentUser> UserAsync(string email)
    {
        var id = await TestLeads.UserIdAsync(app, email);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id.ToString())], "test"));
        return (await new CurrentUserResolver(Database).ResolveAsync(principal, Ct))!;
    }

    private async Task<CustomerDto> OwnCustomerAsync(CurrentUser rep)
    {
        var page = await new ListCustomersHandler(Database).HandleAsync(rep, new CustomerFilter(OwnerId: rep.Id), new ListRequest(1, null, "name"), Ct);
        return Assert.Single(page.Items);
    }

    private IRenderedComponent<CustomerDetail> RenderDetail(Guid id)
    {
        var page = Render<CustomerDetail>(p => p.Add(x => x.Id, id));
        page.WaitForState(() => page.FindAll("[data-testid=customer-title], [data-testid=customer-not-found]").Count > 0, TimeSpan.FromSeconds(10));
        return page;
    }

    [Fact]
    public async Task Detail_Header_ShowsGradeStageTagsParentAndTheFollowUpRhythm()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var own = await OwnCustomerAsync(rep);
        var parent = (await new ListCustomersHandler(Database).HandleAsync(rep, new CustomerFilter(OwnerId: rep.Id), new ListRequest(2, null, "name"), Ct)).Items[1];
        await using (var db = await app.SystemDbAsync())
        {
            var row = await db.Customers.SingleAsync(c => c.Id == own.Id, Ct);
            row.Grade = CustomerGrade.A;
            row.Stage = LifecycleStage.InOpportunity;
            row.ParentId = parent.Id;
            row.LastFollowUpAt = Now.AddDays(-3);
            row.NextFollowUpAt = Now.AddDays(1);
            db.CustomerTags.Add(new CustomerTag { CustomerId = own.Id, Name = "页面标签" });
            await db.SaveChangesAsync(Ct);
        }

        var page = RenderDetail(own.Id);

        page.WaitForElement("[data-testid=customer-last-contact]", TimeSpan.FromSeconds(10));
        var facts = page.Find("[data-testid=customer-facts]");
        Assert.Equal("A", page.Find("[data-testid=customer-grade-chip]").GetAttribute("data-grade"));
        Assert.Contains("In opportunity", page.Find("[data-testid=customer-stage-chip]").TextContent, StringComparison.Ordinal);
        Assert.Equal(parent.Name, page.Find("[data-testid=customer-parent-link]").TextContent);
        Assert.Equal($"/customers/{parent.Id}", page.Find("[data-testid=customer-parent-link]").GetAttribute("href"));
        Assert.Contains("页面标签", page.Find("[data-testid=customer-tags]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Last contact 3 days ago", page.Find("[data-testid=customer-last-contact]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Next follow-up", page.Find("[data-testid=customer-next-follow-up]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(facts.QuerySelector("[data-testid=customer-system-tag]"));
    }

    [Fact]
    public async Task Detail_NoContactYet_SaysSoInChinese()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        var rep = await SignInAsync(DemoUsers.Rep);
        var created = await new Modules.Customers.CreateCustomer.CreateCustomerHandler(Database, app.Clock)
            .HandleAsync(rep, new Modules.Customers.CreateCustomer.CreateCustomerRequest("页面无联系测试有限公司"), Ct);

        var page = RenderDetail(created.Id);

        page.WaitForElement("[data-testid=customer-last-contact]", TimeSpan.FromSeconds(10));
        Assert.Contains("尚无联系记录", page.Find("[data-testid=customer-last-contact]").TextContent, StringComparison.Ordinal);
        Assert.Contains("未计划下次跟进", page.Find("[data-testid=customer-next-follow-up]").TextContent, StringComparison.Ordinal);
        Assert.Contains("C 级", page.Find("[data-testid=customer-grade-chip]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContactsPanel_Owner_SeesTheChainTheTableAndTheActions()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var own = await OwnCustomerAsync(rep);
        var contacts = await new ContactsHandler(Database).ListAsync(rep, own.Id, Ct);

        var panel = Render<CustomerContactsPanel>(p => p.Add(x => x.CustomerId, own.Id).Add(x => x.CanChange, true));

        panel.WaitForElement("[data-testid=contacts-table]", TimeSpan.FromSeconds(10));
        Assert.Equal(contacts.Count, panel.FindAll("[data-testid=contacts-table] tbody tr").Count);
        Assert.Equal(contacts.Count, panel.FindAll("[data-testid=chain-node]").Count);
        Assert.Equal(contacts[0].Name, panel.FindAll("[data-testid=contact-row] .cell-strong")[0].TextContent);
        Assert.NotNull(panel.Find("[data-testid=contact-add]"));
        Assert.Equal(contacts.Count, panel.FindAll("[data-testid=contact-edit]").Count);
    }

    [Fact]
    public async Task ContactsPanel_ReadOnly_HasNoActions()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var own = await OwnCustomerAsync(rep);

        var panel = Render<CustomerContactsPanel>(p => p.Add(x => x.CustomerId, own.Id).Add(x => x.CanChange, false));

        panel.WaitForElement("[data-testid=contacts-table]", TimeSpan.FromSeconds(10));
        Assert.Empty(panel.FindAll("[data-testid=contact-add]"));
        Assert.Empty(panel.FindAll("[data-testid=contact-edit]"));
        Assert.Empty(panel.FindAll("[data-testid=contact-delete]"));
    }

    [Fact]
    public async Task ContactDialog_NewContactWithBadEmail_ShowsTheRuleAndSavesNothing()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var own = await OwnCustomerAsync(rep);
        var before = (await new ContactsHandler(Database).ListAsync(rep, own.Id, Ct)).Count;
        var providers = this.RenderProviders();
        var parameters = new DialogParameters<ContactEditDialog> { { d => d.CustomerId, own.Id } };
        await providers.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<ContactEditDialog>("", parameters));
        providers.WaitForElement("[data-testid=contact-save]", TimeSpan.FromSeconds(10));

        await providers.Find("input[data-testid=contact-name]").ChangeAsync(new() { Value = "测试联系人" });
        await providers.Find("input[data-testid=contact-email]").ChangeAsync(new() { Value = "not-an-address" });
        await providers.Find("[data-testid=contact-save]").ClickAsync(new());

        providers.WaitForAssertion(() => Assert.Contains("'E-mail' is not an e-mail address.",
            providers.Find("[data-testid=contact-dialog]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Equal(before, (await new ContactsHandler(Database).ListAsync(rep, own.Id, Ct)).Count);
    }

    [Fact]
    public async Task ContactDialog_ValidNewContact_IsSavedAndReturned()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var customer = await new Modules.Customers.CreateCustomer.CreateCustomerHandler(Database, app.Clock)
            .HandleAsync(rep, new Modules.Customers.CreateCustomer.CreateCustomerRequest("对话框联系人测试有限公司"), Ct);
        var providers = this.RenderProviders();
        var parameters = new DialogParameters<ContactEditDialog> { { d => d.CustomerId, customer.Id } };
        IDialogReference? dialog = null;
        await providers.InvokeAsync(async () => dialog = await Services.GetRequiredService<IDialogService>().ShowAsync<ContactEditDialog>("", parameters));
        providers.WaitForElement("[data-testid=contact-save]", TimeSpan.FromSeconds(10));

        await providers.Find("input[data-testid=contact-name]").ChangeAsync(new() { Value = "周洁" });
        await providers.Find("input[data-testid=contact-mobile]").ChangeAsync(new() { Value = "139 1234 5678" });
        await providers.Find("[data-testid=contact-save]").ClickAsync(new());

        var result = await dialog!.Result.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var saved = Assert.IsType<ContactDto>(result!.Data);
        Assert.Equal("周洁", saved.Name);
        Assert.Equal("139 1234 5678", saved.Mobile);
        Assert.Single(await new ContactsHandler(Database).ListAsync(rep, customer.Id, Ct));
    }

    [Fact]
    public async Task NeedsDialog_EmptyTitle_ShowsTheRuleAndStaysOpen()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var own = await OwnCustomerAsync(rep);
        var providers = this.RenderProviders();
        var parameters = new DialogParameters<NeedsAnalysisDialog> { { d => d.CustomerId, own.Id } };
        await providers.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<NeedsAnalysisDialog>("", parameters));
        providers.WaitForElement("[data-testid=needs-save]:not([disabled])", TimeSpan.FromSeconds(10));

        await providers.Find("[data-testid=needs-save]").ClickAsync(new());

        providers.WaitForAssertion(() => Assert.Contains("'Title' must not be empty.", providers.Find("[data-testid=needs-dialog]").TextContent,
            StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.NotEmpty(providers.FindAll("[data-testid=needs-dialog]"));
    }

    [Fact]
    public async Task NeedsDialog_OverdueAnalysis_FillsEveryFieldAndWarns()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var customer = await new Modules.Customers.CreateCustomer.CreateCustomerHandler(Database, app.Clock)
            .HandleAsync(rep, new Modules.Customers.CreateCustomer.CreateCustomerRequest("需求对话框测试有限公司"), Ct);
        var handler = new NeedsAnalysesHandler(Database, app.Clock);
        var analysis = await handler.CreateAsync(rep, customer.Id, new NeedsAnalysisRequest("MES 选型", Now.AddHours(-30),
            PainPoints: "排产靠 Excel", CustomerWords: "“每天早上都在救火”", Goals: "排产自动化", BudgetMinor: 500_000_00, Timeline: "明年一季度"), Ct);
        Assert.True(analysis.IsOverdue);
        var providers = this.RenderProviders();
        var parameters = new DialogParameters<NeedsAnalysisDialog> { { d => d.CustomerId, customer.Id }, { d => d.Analysis, analysis } };
        await providers.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<NeedsAnalysisDialog>("", parameters));
        providers.WaitForElement("[data-testid=needs-save]:not([disabled])", TimeSpan.FromSeconds(10));

        Assert.NotNull(providers.Find("[data-testid=needs-overdue-alert]"));
        Assert.Equal("MES 选型", providers.Find("input[data-testid=needs-title]").GetAttribute("value"));
        Assert.Equal("“每天早上都在救火”", providers.Find("textarea[data-testid=needs-customer-words]").TextContent);
        Assert.Equal("排产靠 Excel", providers.Find("textarea[data-testid=needs-pain-points]").TextContent);
        Assert.Equal("明年一季度", providers.Find("input[data-testid=needs-timeline]").GetAttribute("value"));
        Assert.Contains("500,000", providers.Find("input[data-testid=needs-budget]").GetAttribute("value"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NeedsPanel_OverdueAndConfirmed_ShowTheirStatusChips()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var customer = await new Modules.Customers.CreateCustomer.CreateCustomerHandler(Database, app.Clock)
            .HandleAsync(rep, new Modules.Customers.CreateCustomer.CreateCustomerRequest("需求面板测试有限公司"), Ct);
        var handler = new NeedsAnalysesHandler(Database, app.Clock);
        var overdue = await handler.CreateAsync(rep, customer.Id, new NeedsAnalysisRequest("超时的", Now.AddHours(-48)), Ct);
        var confirmed = await handler.CreateAsync(rep, customer.Id, new NeedsAnalysisRequest("已确认的", Now.AddHours(-20)), Ct);
        await handler.ConfirmAsync(rep, customer.Id, confirmed.Id, new ConfirmNeedsAnalysisRequest(Now.AddHours(-1), "邮件"), confirmed.Version, Ct);
        await handler.CreateAsync(rep, customer.Id, new NeedsAnalysisRequest("刚开完会", Now.AddHours(-1)), Ct);

        var panel = Render<CustomerNeedsPanel>(p => p.Add(x => x.CustomerId, customer.Id).Add(x => x.CanChange, true));

        panel.WaitForElement("[data-testid=needs-list]", TimeSpan.FromSeconds(10));
        var statuses = panel.FindAll("[data-testid=needs-status]").Select(s => s.GetAttribute("data-status")).ToList();
        Assert.Equal(["awaiting", "confirmed", "overdue"], statuses);
        var overdueItem = panel.FindAll("[data-testid=needs-item]").Single(i => i.TextContent.Contains(overdue.Title, StringComparison.Ordinal));
        Assert.Equal("true", overdueItem.GetAttribute("data-overdue"));
        Assert.Contains("Confirmation overdue since", overdueItem.TextContent, StringComparison.Ordinal);
        Assert.Contains("mud-chip-color-error", panel.Find("[data-status=overdue]").ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SharingPanel_Owner_CanShareAndSeesTheColleague()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var customer = await new Modules.Customers.CreateCustomer.CreateCustomerHandler(Database, app.Clock)
            .HandleAsync(rep, new Modules.Customers.CreateCustomer.CreateCustomerRequest("共享面板测试有限公司"), Ct);
        await TestCustomers.ShareAsync(app, customer.Id, DemoUsers.Rep2, CollaboratorAccess.Edit);

        var panel = Render<CustomerSharingPanel>(p => p.Add(x => x.CustomerId, customer.Id).Add(x => x.OwnerId, rep.Id));

        panel.WaitForElement("[data-testid=sharing-list]", TimeSpan.FromSeconds(10));
        Assert.Contains("刘洋", panel.Find("[data-testid=collaborator]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(panel.Find("[data-testid=sharing-add]"));
        Assert.NotNull(panel.Find("[data-testid=collaborator-remove]"));
    }

    [Fact]
    public async Task SharingPanel_ReadOnlyCollaborator_SeesTheListWithoutControls()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Rep);
        var shared = await TestCustomers.SharedWithRepAsync(app, CollaboratorAccess.Read);

        var panel = Render<CustomerSharingPanel>(p => p.Add(x => x.CustomerId, shared.Id).Add(x => x.OwnerId, shared.OwnerId));

        panel.WaitForElement("[data-testid=sharing-list]", TimeSpan.FromSeconds(10));
        Assert.Contains("Can view", panel.Find("[data-testid=collaborator-access-chip]").TextContent, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("[data-testid=sharing-add]"));
        Assert.Empty(panel.FindAll("[data-testid=collaborator-remove]"));
    }

    [Fact]
    public async Task NeedsStepDialog_ConfirmWithAQuickChoice_RecordsWhenAndHow()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var customer = await new Modules.Customers.CreateCustomer.CreateCustomerHandler(Database, app.Clock)
            .HandleAsync(rep, new Modules.Customers.CreateCustomer.CreateCustomerRequest("确认对话框测试有限公司"), Ct);
        var handler = new NeedsAnalysesHandler(Database, app.Clock);
        var analysis = await handler.CreateAsync(rep, customer.Id, new NeedsAnalysisRequest("确认测试", Now.AddHours(-3)), Ct);
        var providers = this.RenderProviders();
        var parameters = new DialogParameters<NeedsStepDialog> { { d => d.Analysis, analysis }, { d => d.Confirm, true } };
        IDialogReference? dialog = null;
        await providers.InvokeAsync(async () => dialog = await Services.GetRequiredService<IDialogService>().ShowAsync<NeedsStepDialog>("", parameters));
        providers.WaitForElement("[data-testid=needs-step-save][disabled]", TimeSpan.FromSeconds(10)); // no "how" yet

        // Find and click in one dispatch, so no re-render between them replaces the handler.
        await providers.InvokeAsync(() => providers.FindAll("[data-testid=needs-step-dialog] .mud-chip")
            .Single(c => c.TextContent.Contains("WeChat", StringComparison.Ordinal)).Click());
        providers.WaitForElement("[data-testid=needs-step-save]:not([disabled])", TimeSpan.FromSeconds(10));
        await providers.InvokeAsync(() => providers.Find("[data-testid=needs-step-save]").Click());

        var result = await dialog!.Result.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var confirmed = Assert.IsType<NeedsAnalysisDto>(result!.Data);
        Assert.Equal("WeChat", confirmed.ConfirmedHow);
        // The dialog offers the current minute of the company's clock.
        Assert.Equal(Now.AddSeconds(-Now.Second), confirmed.ConfirmedAt);
        Assert.False(confirmed.IsOverdue);
    }
}
