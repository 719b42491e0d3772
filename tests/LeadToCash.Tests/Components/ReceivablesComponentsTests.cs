using System.Security.Claims;
using Bunit;
using LeadToCash.Components.Pages.Receivables;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Receivables;
using LeadToCash.Modules.Receivables.Plan;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Export;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Components;

/// <summary>The contract's payments panel, the receivables page and the customer summary over the demo database.</summary>
public sealed class ReceivablesComponentsTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private async Task<CurrentUser> SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        Services.AddSingleton<ExportService>();
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

    private async Task PlanAsync(Guid contractId, params InstalmentRequest[] instalments)
    {
        var rep = await UserAsync(DemoUsers.Rep);
        await new PaymentPlanHandler(Database, app.Clock).SetAsync(rep, contractId, new PaymentPlanRequest(instalments), Ct);
    }

    private IRenderedComponent<ContractReceivablesPanel> RenderPanel(Guid contractId)
    {
        var panel = Render<ContractReceivablesPanel>(p => p.Add(x => x.ContractId, contractId));
        panel.WaitForElement("[data-testid=receivables-totals]", Wait);
        return panel;
    }

    [Fact]
    public async Task Panel_RepWithoutPlan_TemplateFillsTheRowsAndTheSavedPlanAddsUp()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Rep);
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 10_000_01);
        this.RenderProviders();
        var panel = RenderPanel(contract.Id);
        Assert.NotNull(panel.Find("[data-testid=plan-empty]"));
        Assert.Empty(panel.FindAll("[data-testid=receipt-new]")); // recording money is Finance's

        await panel.InvokeAsync(() => panel.Find("[data-testid=plan-edit]").Click());
        Assert.Equal(3, panel.FindAll("[data-testid=plan-row]").Count); // 30/60/10 to start with
        await panel.InvokeAsync(() => panel.Find("[data-testid=plan-template-50-50]").Click());
        Assert.Equal(2, panel.FindAll("[data-testid=plan-row]").Count);
        Assert.Equal("0", panel.Find("[data-testid=plan-total]").GetAttribute("data-difference"));
        await panel.InvokeAsync(() => panel.Find("[data-testid=plan-save]").Click());

        panel.WaitForState(() => panel.FindAll("[data-testid=instalment-row]").Count == 2, Wait);
        Assert.Contains("¥5,000.01", panel.FindAll("[data-testid=instalment-row]")[0].TextContent, StringComparison.Ordinal); // 500000.5 → 500001
        Assert.Contains("¥5,000.00", panel.FindAll("[data-testid=instalment-row]")[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("1000001", panel.Find("[data-testid=total-outstanding]").GetAttribute("data-minor"));
    }

    [Fact]
    public async Task Panel_ContractSignedWhileShown_ReadsAgainAndOffersThePlan()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Rep);
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 20_000_00, status: ContractStatus.Approved);
        this.RenderProviders();
        var panel = Render<ContractReceivablesPanel>(p => p.Add(x => x.ContractId, contract.Id).Add(x => x.Status, "Approved"));
        panel.WaitForElement("[data-testid=plan-empty]", Wait);
        Assert.Empty(panel.FindAll("[data-testid=plan-edit]")); // not signed yet: no plan

        await using (var db = await app.SystemDbAsync())
        {
            var stored = await db.Contracts.SingleAsync(c => c.Id == contract.Id, Ct);
            stored.Status = ContractStatus.Signed;
            await db.SaveChangesAsync(Ct);
        }

        // The page read the contract again after signing and hands the panel the new status.
        panel.Render(p => p.Add(x => x.ContractId, contract.Id).Add(x => x.Status, "Signed"));
        panel.WaitForElement("[data-testid=plan-edit]", Wait);
    }

    [Fact]
    public async Task Panel_PercentagesNotAddingUp_ShowsTheDifferenceAndTheServerError()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Rep);
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 10_000_00);
        this.RenderProviders();
        var panel = RenderPanel(contract.Id);
        await panel.InvokeAsync(() => panel.Find("[data-testid=plan-edit]").Click());

        await panel.InvokeAsync(() => panel.FindAll("[data-testid=plan-row-remove]")[2].Click());

        Assert.Equal("-100000", panel.Find("[data-testid=plan-total]").GetAttribute("data-difference"));
        Assert.Contains("¥1,000.00 missing", panel.Find("[data-testid=plan-total]").TextContent, StringComparison.Ordinal);
        await panel.InvokeAsync(() => panel.Find("[data-testid=plan-save]").Click());
        panel.WaitForElement("[data-testid=plan-error]", Wait);
        Assert.Contains("90%, not 100%", panel.Find("[data-testid=plan-error]").TextContent, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("[data-testid=instalment-row]"));
    }

    [Fact]
    public async Task Panel_Finance_RecordsAReceiptThatOverpaysAndSeesItFlagged()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 1_000_00);
        await PlanAsync(contract.Id, new InstalmentRequest("全款", new DateOnly(2026, 11, 20), AmountMinor: 1_000_00));
        await SignInAsync(DemoUsers.Finance);
        this.RenderProviders();
        var panel = RenderPanel(contract.Id);
        Assert.Equal("Overdue", panel.Find("[data-testid=instalment-row]").GetAttribute("data-state"));
        Assert.Contains("逾期 5 天", panel.Find("[data-testid=instalment-state]").TextContent, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("[data-testid=plan-edit]")); // Finance does not change plans

        await panel.InvokeAsync(() => panel.Find("[data-testid=receipt-new]").Click());
        await panel.InvokeAsync(() => panel.Find("input[data-testid=receipt-amount]").Input("1200.5"));
        await panel.InvokeAsync(() => panel.Find("[data-testid=receipt-save]").Click());

        panel.WaitForState(() => panel.FindAll("[data-testid=receipt-row]").Count == 1, Wait);
        Assert.Contains("超额回款 ¥200.50", panel.Find("[data-testid=receipt-overpayment]").TextContent, StringComparison.Ordinal);
        Assert.Contains("银行转账", panel.Find("[data-testid=receipt-row]").TextContent, StringComparison.Ordinal);
        Assert.Equal("100000", panel.Find("[data-testid=total-received]").GetAttribute("data-minor"));
        Assert.Equal("20050", panel.Find("[data-testid=total-unallocated]").GetAttribute("data-minor"));
        Assert.Equal("Paid", panel.Find("[data-testid=instalment-row]").GetAttribute("data-state"));

        // Corrected to the right amount: no over-payment any more.
        await panel.InvokeAsync(() => panel.Find("[data-testid=receipt-correct]").Click());
        await panel.InvokeAsync(() => panel.Find("input[data-testid=receipt-amount]").Input("1000"));
        await panel.InvokeAsync(() => panel.Find("[data-testid=receipt-save]").Click());
        panel.WaitForState(() => panel.FindAll("[data-testid=receipt-overpayment]").Count == 0 && panel.FindAll("[data-testid=receipt-form]").Count == 0, Wait);
        Assert.Empty(panel.FindAll("[data-testid=total-unallocated]"));
        Assert.Equal("100000", panel.Find("[data-testid=total-received]").GetAttribute("data-minor"));

        await panel.InvokeAsync(() => panel.Find("[data-testid=receipt-delete]").Click());
        panel.WaitForState(() => panel.FindAll("[data-testid=receipt-row]").Count == 0, Wait);
        Assert.Equal("0", panel.Find("[data-testid=total-received]").GetAttribute("data-minor"));
    }

    [Fact]
    public async Task Panel_Finance_RecordsAnInvoice()
    {
        using var culture = ComponentServices.Culture("en-US");
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 1_000_00);
        await SignInAsync(DemoUsers.Finance);
        this.RenderProviders();
        var panel = RenderPanel(contract.Id);

        await panel.InvokeAsync(() => panel.Find("[data-testid=invoice-new]").Click());
        await panel.InvokeAsync(() => panel.Find("input[data-testid=invoice-number]").Change("FP-PANEL-" + contract.Number));
        await panel.InvokeAsync(() => panel.Find("input[data-testid=invoice-amount]").Input("400"));
        await panel.InvokeAsync(() => panel.Find("[data-testid=invoice-save]").Click());

        panel.WaitForState(() => panel.FindAll("[data-testid=invoice-row]").Count == 1, Wait);
        Assert.Equal("40000", panel.Find("[data-testid=total-invoiced]").GetAttribute("data-minor"));
        Assert.Contains("VAT special invoice", panel.Find("[data-testid=invoice-row]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceivablesPage_Manager_ShowsAgingTotalsAndTheOverdueInstalmentsOfTheTeam()
    {
        using var culture = ComponentServices.Culture("en-US");
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 3_000_00);
        await PlanAsync(contract.Id,
            new InstalmentRequest("预付款", new DateOnly(2026, 11, 15), AmountMinor: 1_000_00),
            new InstalmentRequest("到货款", new DateOnly(2026, 8, 1), AmountMinor: 1_000_00),
            new InstalmentRequest("尾款", new DateOnly(2027, 1, 15), AmountMinor: 1_000_00));
        await SignInAsync(DemoUsers.Manager);
        this.RenderProviders();

        Services.GetRequiredService<NavigationManager>().NavigateTo($"/receivables?customerId={contract.CustomerId}");
        var page = Render<ReceivablesPage>();
        page.WaitForElement("[data-testid=receivables-aging]", Wait);

        Assert.Equal("100000", page.Find("[data-testid=aging-0-30]").GetAttribute("data-minor"));
        Assert.Equal("100000", page.Find("[data-testid=aging-90]").GetAttribute("data-minor"));
        Assert.Equal("100000", page.Find("[data-testid=aging-not-due]").GetAttribute("data-minor"));
        Assert.Equal("¥2,000.00", page.Find("[data-testid=receivables-overdue]").TextContent.Trim());
        Assert.Equal("0.0%", page.Find("[data-testid=receivables-rate]").TextContent.Trim()); // 1 000.00 fell due in November, nothing collected
        Assert.Single(page.FindAll("[data-testid=by-customer-row]"));
        Assert.Contains("/api/v1/receivables/export?format=xlsx", page.Find("[data-testid=receivables-export]").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceivablesPage_OverdueTab_ListsTheOldestFirst()
    {
        using var culture = ComponentServices.Culture("en-US");
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 2_000_00);
        await PlanAsync(contract.Id,
            new InstalmentRequest("预付款", new DateOnly(2026, 11, 15), AmountMinor: 1_000_00),
            new InstalmentRequest("到货款", new DateOnly(2026, 8, 1), AmountMinor: 1_000_00));
        await SignInAsync(DemoUsers.Rep);
        this.RenderProviders();
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/receivables?customerId={contract.CustomerId}");
        var page = Render<ReceivablesPage>();
        page.WaitForElement("[data-testid=receivables-tabs]", Wait);

        await page.InvokeAsync(() => page.FindAll(".mud-tab").Single(t => t.TextContent.Contains("Overdue instalments", StringComparison.Ordinal)).Click());

        var rows = page.FindAll("[data-testid=overdue-row]");
        Assert.Equal(["90+", "0-30"], rows.Select(r => r.GetAttribute("data-aging")));
        Assert.Contains(contract.Number, rows[0].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomerSummary_SignedContract_ShowsReceivedOutstandingAndOverdue()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        var contract = await TestContracts.AddSignedAsync(app, DemoUsers.Rep, 1_000_00);
        await PlanAsync(contract.Id, new InstalmentRequest("全款", new DateOnly(2026, 11, 1), AmountMinor: 1_000_00));
        await SignInAsync(DemoUsers.Rep);

        var summary = Render<CustomerReceivablesSummary>(p => p.Add(x => x.CustomerId, contract.CustomerId));
        summary.WaitForElement("[data-testid=customer-receivables]", Wait);

        Assert.Contains("1 份合同", summary.Markup, StringComparison.Ordinal);
        Assert.Equal("¥1,000.00", summary.Find("[data-testid=customer-overdue]").TextContent.Trim());
        Assert.Equal("¥0.00", summary.Find("[data-testid=customer-received]").TextContent.Trim());
    }
}
