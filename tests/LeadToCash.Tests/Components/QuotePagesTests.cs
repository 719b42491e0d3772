using System.Security.Claims;
using Bunit;
using LeadToCash.Components.Pages.Approvals;
using LeadToCash.Components.Pages.Products;
using LeadToCash.Components.Pages.Quotes;
using LeadToCash.Modules.Products;
using LeadToCash.Modules.Quotes;
using LeadToCash.Modules.Quotes.Editing;
using LeadToCash.Modules.Quotes.Reading;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Components;

/// <summary>The quote editor, the opportunity's quotes panel, the approvals inbox and the price book over the demo database.</summary>
public sealed class QuotePagesTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private async Task<CurrentUser> SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        Services.AddProducts();
        Services.AddQuotes();
        var id = await TestLeads.UserIdAsync(app, email);
        this.SignIn(id, email);
        return await UserAsync(email);
    }

    private async Task<CurrentUser> UserAsync(string email)
    {
        var id = await TestLeads.UserIdAsync(app, email);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id.ToString())], "test"));
        return (await new CurrentUserResolver(Database).ResolveAsync(principal, Ct))!;
    }

    private async Task<QuoteDto> DraftAsync(CurrentUser rep, string name, decimal discount)
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, name);
        var editing = Services.GetRequiredService<QuoteEditingHandler>();
        return await editing.CreateAsync(rep, opportunity.Id, new CreateQuoteRequest("页面方案",
            [new QuoteLineRequest(Description: "智能网关", Quantity: 3, UnitPriceMinor: 3333, DiscountPercent: discount)]), Ct);
    }

    [Fact]
    public async Task QuotePage_Draft_ShowsLiveTotalsAndSubmitsForApproval()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var draft = await DraftAsync(rep, "页面审批商机", 12.5m);
        this.RenderProviders();

        var page = Render<QuotePage>(p => p.Add(x => x.Id, draft.Id));
        page.WaitForElement("[data-testid=quote-total]", TimeSpan.FromSeconds(10));

        Assert.Equal("¥98.86", page.Find("[data-testid=quote-total]").TextContent.Trim()); // 87.49 + 13 % tax 11.37
        Assert.Single(page.FindAll("[data-testid=quote-line]"));
        await page.InvokeAsync(() => page.Find("[data-testid=quote-add-free]").Click());
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=quote-line]").Count), TimeSpan.FromSeconds(15));
        page.FindAll("[data-testid=quote-line-remove]")[1].Click();

        await page.InvokeAsync(() => page.Find("[data-testid=quote-submit]").Click());

        page.WaitForState(() => page.FindAll("[data-testid=quote-approval-pending]").Count == 1, TimeSpan.FromSeconds(10));
        Assert.Equal("PendingApproval", page.Find("[data-testid=quote-status]").GetAttribute("data-status"));
        Assert.Contains("12.5", page.Find("[data-testid=quote-approval-pending]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=quote-save]"));

        // Taken back before the manager decides: a draft again, editable.
        await page.InvokeAsync(() => page.Find("[data-testid=quote-withdraw]").Click());
        page.WaitForState(() => page.Find("[data-testid=quote-status]").GetAttribute("data-status") == "Draft", TimeSpan.FromSeconds(10));
        Assert.Single(page.FindAll("[data-testid=quote-save]"));
    }

    [Fact]
    public async Task OpportunityQuotesPanel_TwoVersions_ListsTheQuoteOnceWithBothVersions()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var draft = await DraftAsync(rep, "面板商机", 0m);
        await Services.GetRequiredService<LeadToCash.Modules.Quotes.Workflow.QuoteWorkflowHandler>().SubmitAsync(rep, draft.Id, Ct);
        await Services.GetRequiredService<QuoteEditingHandler>().ReviseAsync(rep, draft.Id, Ct);

        var panel = Render<OpportunityQuotesPanel>(p => p.Add(x => x.OpportunityId, draft.OpportunityId));
        panel.WaitForElement("[data-testid=quote-row]", TimeSpan.FromSeconds(10));
        panel.WaitForElement("[data-testid=quote-new]", TimeSpan.FromSeconds(10));

        var row = Assert.Single(panel.FindAll("[data-testid=quote-row]"));
        Assert.Equal(draft.Number, row.GetAttribute("data-number"));
        Assert.Equal(["v1", "v2"], panel.FindAll("[data-testid=quote-version-link]").Select(l => l.TextContent.Trim()));
        Assert.Single(panel.FindAll("[data-testid=quote-new]"));
    }

    [Fact]
    public async Task ApprovalsPage_Manager_SeesTheLinesAndApproves()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Manager);
        var rep = await UserAsync(DemoUsers.Rep);
        var draft = await DraftAsync(rep, "收件箱商机", 30m);
        await Services.GetRequiredService<LeadToCash.Modules.Quotes.Workflow.QuoteWorkflowHandler>().SubmitAsync(rep, draft.Id, Ct);
        this.RenderProviders();

        var page = Render<ApprovalsPage>();
        page.WaitForElement("[data-testid=approval-lines]", TimeSpan.FromSeconds(10));

        var item = page.FindAll("[data-testid=approval-item]").Single(i => i.TextContent.Contains(draft.Number, StringComparison.Ordinal));
        Assert.Contains("智能网关", item.TextContent, StringComparison.Ordinal);
        item.QuerySelector("[data-testid=approval-approve]")!.Click();

        page.WaitForState(() => !page.FindAll("[data-testid=approval-item]").Any(i => i.TextContent.Contains(draft.Number, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10));
        var quote = await Services.GetRequiredService<QuoteReadingHandler>().GetAsync(rep, draft.Id, Ct);
        Assert.Equal(QuoteStatus.Approved, quote.Status);
    }

    [Fact]
    public async Task ComparePage_TwoVersions_MarksChangedAddedAndRemovedLinesAndShowsBothTotals()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var v1 = await DraftAsync(rep, "对比页面商机", 0m);
        var editing = Services.GetRequiredService<QuoteEditingHandler>();
        v1 = await editing.UpdateAsync(rep, v1.Id, new UpdateQuoteRequest(v1.Title, [new QuoteLineRequest(Description: "智能网关", Quantity: 3, UnitPriceMinor: 3333),
            new QuoteLineRequest(Description: "培训", Quantity: 1, UnitPriceMinor: 5_000)]), v1.Version, Ct);
        await Services.GetRequiredService<LeadToCash.Modules.Quotes.Workflow.QuoteWorkflowHandler>().SubmitAsync(rep, v1.Id, Ct);
        var v2 = await editing.ReviseAsync(rep, v1.Id, Ct);
        v2 = await editing.UpdateAsync(rep, v2.Id, new UpdateQuoteRequest(v2.Title, [new QuoteLineRequest(Description: "智能网关", Quantity: 4, UnitPriceMinor: 3333),
            new QuoteLineRequest(Description: "运维", Quantity: 12, UnitPriceMinor: 1_000)]), v2.Version, Ct);
        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        navigation.NavigateTo($"/quotes/{v2.Id}/compare?with={v1.Id}");

        var page = Render<QuoteComparePage>(p => p.Add(x => x.Id, v2.Id));
        page.WaitForElement("[data-testid=compare-line]", TimeSpan.FromSeconds(10));

        Assert.Equal(["Changed", "Added", "Removed"], page.FindAll("[data-testid=compare-line]").Select(l => l.GetAttribute("data-kind")));
        var totals = page.Find("[data-testid=compare-totals]").TextContent;
        Assert.Contains(QuoteMoney.Format(v1.TotalMinor, "CNY"), totals, StringComparison.Ordinal);
        Assert.Contains(QuoteMoney.Format(v2.TotalMinor, "CNY"), totals, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductsPage_Admin_ListsProductsWithPricesAndOffersNew()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Admin);
        await QuoteTestData.AddProductAsync(app, "PAGE-PRD-1", 123_456, 100_000, "页面产品");

        var page = Render<ProductsPage>();
        page.WaitForElement("[data-testid=product-code]", TimeSpan.FromSeconds(10));

        var row = page.FindAll("tr").Single(r => r.TextContent.Contains("PAGE-PRD-1", StringComparison.Ordinal));
        Assert.Contains("¥1,234.56", row.TextContent, StringComparison.Ordinal);
        Assert.Single(page.FindAll("[data-testid=product-new]"));
    }
}
