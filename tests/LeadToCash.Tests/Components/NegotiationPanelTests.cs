using System.Security.Claims;
using Bunit;
using LeadToCash.Components.Pages.Negotiations;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Opportunities.Negotiations;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LeadToCash.Tests.Components;

/// <summary>
/// The negotiation panel over the demo database: 张伟's deal, shared for editing with 杨帆 (a manager of another team)
/// and for reading with 刘洋. The confidential bottom-line box is the owner's (and his managers'); nobody else's.
/// </summary>
public sealed class NegotiationPanelTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private const string EditCollaborator = "manager2@demo.test";
    private const string FloorTerms = "底线：预付两成";

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private DateTime Now => app.Clock.GetUtcNow().UtcDateTime;

    private NegotiationMinutesHandler Handler => new(Database, app.Clock);

    private async Task<CurrentUser> SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        Services.AddNegotiations();
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

    /// <summary>张伟's deal with one set of minutes (an open item, bottom lines), shared as described above.</summary>
    private async Task<(Opportunity Deal, NegotiationMinutesDto Minutes)> ArrangeAsync(string name)
    {
        var deal = await TestNegotiations.AddOpportunityAsync(app, DemoUsers.Rep, name);
        await TestNegotiations.ShareAsync(app, deal.Id, EditCollaborator, CollaboratorAccess.Edit);
        await TestNegotiations.ShareAsync(app, deal.Id, DemoUsers.Rep2, CollaboratorAccess.Read);
        var owner = await UserAsync(DemoUsers.Rep);
        var minutes = await Handler.CreateAsync(owner, deal.Id, new NegotiationMinutesRequest(Now.AddHours(-2), "张伟；客户王总", 95_000_000,
            "签约付30%，验收付70%", "45天交付", NextSteps: "下周提交合同",
            OpenItems: [new MinutesOpenItemRequest("确认发票抬头", OwnerName: "客户财务", DueDate: new DateOnly(2026, 12, 1))]), Ct);
        minutes = await Handler.SetBottomLineAsync(owner, minutes.Id, new NegotiationBottomLineRequest(88_123_400, FloorTerms), Ct);
        return (deal, minutes);
    }

    private IRenderedComponent<OpportunityNegotiationPanel> RenderPanel(Guid opportunityId)
    {
        var panel = Render<OpportunityNegotiationPanel>(p => p.Add(x => x.OpportunityId, opportunityId));
        panel.WaitForState(() => panel.FindAll("[data-testid=minutes-item], [data-testid=minutes-empty], [data-testid=minutes-not-found]").Count > 0,
            TimeSpan.FromSeconds(10));
        return panel;
    }

    [Fact]
    public async Task Panel_Owner_ShowsTheTermsAndTheConfidentialBox()
    {
        using var culture = ComponentServices.Culture("en-US");
        var (deal, _) = await ArrangeAsync("面板底线负责人");
        await SignInAsync(DemoUsers.Rep);

        var panel = RenderPanel(deal.Id);

        var box = panel.Find("[data-testid=minutes-bottom-line]");
        Assert.Contains("Confidential", box.TextContent, StringComparison.Ordinal);
        Assert.Contains("¥881,234.00", box.TextContent, StringComparison.Ordinal);
        Assert.Contains(FloorTerms, box.TextContent, StringComparison.Ordinal);
        Assert.Contains("¥950,000.00", panel.Find("[data-testid=minutes-terms]").TextContent, StringComparison.Ordinal);
        Assert.Contains("确认发票抬头", panel.Find("[data-testid=minutes-open-items]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(panel.Find("[data-testid=minutes-add]"));
        Assert.NotNull(panel.Find("[data-testid=minutes-edit]"));
    }

    [Fact]
    public async Task Panel_EditCollaborator_EditsButNeverSeesTheBottomLines()
    {
        using var culture = ComponentServices.Culture("en-US");
        var (deal, _) = await ArrangeAsync("面板底线协作者");
        await SignInAsync(EditCollaborator);
        var providers = this.RenderProviders();
        var panel = RenderPanel(deal.Id);

        Assert.Empty(panel.FindAll("[data-testid=minutes-bottom-line]"));
        Assert.DoesNotContain("881,234", panel.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(FloorTerms, panel.Markup, StringComparison.Ordinal);
        Assert.Contains("签约付30%", panel.Find("[data-testid=minutes-terms]").TextContent, StringComparison.Ordinal);

        // The click's handler waits for the dialog to close: not awaited here.
        _ = panel.Find("[data-testid=minutes-edit]").ClickAsync(new());
        providers.WaitForElement("[data-testid=minutes-save]:not([disabled])", TimeSpan.FromSeconds(10));

        Assert.Equal("张伟；客户王总", providers.Find("input[data-testid=minutes-attendees]").GetAttribute("value"));
        Assert.Empty(providers.FindAll("[data-testid=minutes-bottom-line-edit]"));
        // What the dialog shows: its text and its fields' values (its markup also carries generated ids, which may hold any digits).
        var dialog = providers.Find("[data-testid=minutes-dialog]");
        var shown = dialog.TextContent + string.Concat(dialog.QuerySelectorAll("input, textarea").Select(e => e.GetAttribute("value") + e.TextContent));
        Assert.DoesNotContain("881", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Panel_ReadShareInChinese_ShowsTheMinutesReadOnlyWithoutBottomLines()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        var (deal, _) = await ArrangeAsync("面板只读同事");
        await SignInAsync(DemoUsers.Rep2);

        var panel = RenderPanel(deal.Id);

        Assert.Contains("谈判纪要", panel.Markup, StringComparison.Ordinal);
        Assert.Contains("已商定条款", panel.Find("[data-testid=minutes-agreed-chip]").TextContent, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("[data-testid=minutes-add]"));
        Assert.Empty(panel.FindAll("[data-testid=minutes-edit]"));
        Assert.Empty(panel.FindAll("[data-testid=minutes-bottom-line]"));
        Assert.True(panel.Find("[data-testid=minutes-open-item] input[type=checkbox]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Panel_NoMinutesYet_SaysWhatToDo()
    {
        using var culture = ComponentServices.Culture("en-US");
        var deal = await TestNegotiations.AddOpportunityAsync(app, DemoUsers.Rep, "面板无纪要");
        await SignInAsync(DemoUsers.Rep);

        var panel = RenderPanel(deal.Id);

        Assert.Contains("write down who attended", panel.Find("[data-testid=minutes-empty]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Panel_DealOfAnotherTeam_ShowsNotFound()
    {
        using var culture = ComponentServices.Culture("en-US");
        var deal = await TestNegotiations.AddOpportunityAsync(app, DemoUsers.SouthRep, "面板看不到的商机");
        await SignInAsync(DemoUsers.Rep);

        var panel = RenderPanel(deal.Id);

        Assert.NotNull(panel.Find("[data-testid=minutes-not-found]"));
    }

    [Fact]
    public async Task Panel_TickOpenItem_MarksItDone()
    {
        using var culture = ComponentServices.Culture("en-US");
        var (deal, minutes) = await ArrangeAsync("面板勾选待办");
        await SignInAsync(DemoUsers.Rep);
        var panel = RenderPanel(deal.Id);

        await panel.Find("[data-testid=minutes-open-item] input[type=checkbox]").ChangeAsync(new() { Value = true });

        panel.WaitForAssertion(() => Assert.Equal("true", panel.Find("[data-testid=minutes-open-item]").GetAttribute("data-done")), TimeSpan.FromSeconds(10));
        var stored = await Handler.GetAsync(await UserAsync(DemoUsers.Rep), minutes.Id, Ct);
        Assert.True(stored.OpenItems[0].IsDone);
        Assert.Equal(minutes.Version + 1, stored.Version);
    }

    [Fact]
    public async Task Dialog_Owner_WritesMinutesWithAnOpenItemAndBottomLines()
    {
        using var culture = ComponentServices.Culture("en-US");
        var deal = await TestNegotiations.AddOpportunityAsync(app, DemoUsers.Rep, "对话框新纪要");
        var rep = await SignInAsync(DemoUsers.Rep);
        var providers = this.RenderProviders();
        var panel = RenderPanel(deal.Id);

        // The click's handler waits for the dialog to close: awaited once the dialog saved.
        var adding = panel.Find("[data-testid=minutes-add]").ClickAsync(new());
        providers.WaitForElement("[data-testid=minutes-save]:not([disabled])", TimeSpan.FromSeconds(10));
        Assert.NotNull(providers.Find("[data-testid=minutes-bottom-line-edit]"));
        await providers.Find("input[data-testid=minutes-attendees]").ChangeAsync(new() { Value = "张伟；客户赵总" });
        await providers.Find("input[data-testid=minutes-agreed-price]").ChangeAsync(new() { Value = "120000" });
        await providers.Find("textarea[data-testid=minutes-payment-terms]").ChangeAsync(new() { Value = "预付50%" });
        await providers.Find("[data-testid=minutes-item-add]").ClickAsync(new());
        await providers.Find("input[data-testid=minutes-item-text]").ChangeAsync(new() { Value = "提供资质文件" });
        await providers.Find("input[data-testid=minutes-item-owner-name]").ChangeAsync(new() { Value = "客户采购" });
        await providers.Find("input[data-testid=minutes-price-floor]").ChangeAsync(new() { Value = "100000" });
        await providers.Find("input[data-testid=minutes-acceptable-terms]").ChangeAsync(new() { Value = "预付30%" });
        await providers.Find("[data-testid=minutes-save]").ClickAsync(new());
        await adding.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        panel.WaitForElement("[data-testid=minutes-item]", TimeSpan.FromSeconds(10));
        var saved = Assert.Single(await Handler.ListAsync(rep, deal.Id, ct: Ct));
        Assert.Equal("张伟；客户赵总", saved.Attendees);
        Assert.Equal(12_000_000, saved.AgreedPriceMinor);
        Assert.Equal("预付50%", saved.PaymentTerms);
        Assert.Equal(("提供资质文件", "客户采购"), (saved.OpenItems[0].Text, saved.OpenItems[0].OwnerName));
        Assert.Equal(10_000_000, saved.BottomLine?.PriceFloorMinor);
        Assert.Equal("预付30%", saved.BottomLine?.AcceptablePaymentTerms);
    }
}
