using System.Security.Claims;
using Bunit;
using LeadToCash.Components.Pages.Contracts;
using LeadToCash.Components.Pages.Settings;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Contracts.Editing;
using LeadToCash.Modules.Quotes;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Export;
using LeadToCash.Platform.Files;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Components;

/// <summary>The contract list and page, the milestones panel, the opportunity's contract button and the contract rules page.</summary>
public sealed class ContractPagesTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private async Task<CurrentUser> SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        Services.AddSingleton(app.Services.GetRequiredService<FileStore>());
        Services.AddSingleton(app.Services.GetRequiredService<ExportService>());
        Services.AddQuotes();
        var id = await TestLeads.UserIdAsync(app, email);
        this.SignIn(id, email);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id.ToString())], "test"));
        return (await new CurrentUserResolver(Database).ResolveAsync(principal, Ct))!;
    }

    /// <summary>A draft of the rep's, made through the app's own services (so that the test's services stay open for its sign-in).</summary>
    private async Task<ContractDto> DraftAsync(string name)
    {
        var customer = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.Rep, name + "客户");
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier,
            (await TestLeads.UserIdAsync(app, DemoUsers.Rep)).ToString())], "test"));
        var rep = (await new CurrentUserResolver(Database).ResolveAsync(principal, Ct))!;
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ContractEditingHandler>().CreateAsync(rep,
            new CreateContractRequest(CustomerId: customer.Id, Title: name, AmountMinor: 123_456_78,
                Lines: [new ContractLineRequest("网关", 2, 61_728_39)]), Ct);
    }

    [Fact]
    public async Task ContractPage_Draft_SubmitsForApprovalAndSaysWhoDecides()
    {
        using var culture = ComponentServices.Culture("en-US");
        var draft = await DraftAsync("页面审批合同");
        await SignInAsync(DemoUsers.Rep);
        this.RenderProviders();

        var page = Render<ContractPage>(p => p.Add(x => x.Id, draft.Id));
        page.WaitForElement("[data-testid=contract-submit]", TimeSpan.FromSeconds(10));

        Assert.Equal("¥123,456.78", page.Find("[data-testid=contract-amount]").TextContent.Trim());
        Assert.Single(page.FindAll("[data-testid=contract-line]"));
        Assert.Empty(page.FindAll("[data-testid=contract-terminate]"));
        await page.InvokeAsync(() => page.Find("[data-testid=contract-submit]").Click());

        page.WaitForState(() => page.FindAll("[data-testid=contract-approval-pending]").Count == 1, TimeSpan.FromSeconds(10));
        Assert.Equal("InApproval", page.Find("[data-testid=contract-status]").GetAttribute("data-status"));
        Assert.Contains("李娜", page.Find("[data-testid=contract-approval-pending]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=contract-edit]"));
        Assert.Single(page.FindAll("[data-testid=contract-withdraw]"));
    }

    [Fact]
    public async Task ContractPage_ManagerOfTheOwner_CanTerminateAndAnOutsiderSeesNotFound()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        var draft = await DraftAsync("页面终止合同");
        await SignInAsync(DemoUsers.Manager);
        this.RenderProviders();

        var page = Render<ContractPage>(p => p.Add(x => x.Id, draft.Id));
        page.WaitForElement("[data-testid=contract-terminate]", TimeSpan.FromSeconds(10));

        Assert.Equal("草稿", page.Find("[data-testid=contract-status]").TextContent.Trim());
        Assert.Contains("页面终止合同", page.Find("[data-testid=contract-heading]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContractPage_AnotherRepsContract_SaysItIsNotTheirsToSee()
    {
        using var culture = ComponentServices.Culture("en-US");
        var draft = await DraftAsync("页面越权合同");
        await SignInAsync(DemoUsers.Rep2);
        this.RenderProviders();

        var page = Render<ContractPage>(p => p.Add(x => x.Id, draft.Id));

        page.WaitForElement("[data-testid=contract-missing]", TimeSpan.FromSeconds(10));
        Assert.Empty(page.FindAll("[data-testid=contract-heading]"));
    }

    [Fact]
    public async Task MilestonesPanel_AddAMilestone_ShowsItAndMarksItDone()
    {
        using var culture = ComponentServices.Culture("en-US");
        var draft = await DraftAsync("页面里程碑合同");
        await SignInAsync(DemoUsers.Rep);
        this.RenderProviders();
        var page = Render<ContractPage>(p => p.Add(x => x.Id, draft.Id));
        page.WaitForElement("[data-testid=milestone-add-button]", TimeSpan.FromSeconds(10));
        Assert.Single(page.FindAll("[data-testid=milestones-empty]"));

        await page.InvokeAsync(() => page.Find("input[data-testid=milestone-name]").Change("发货"));
        await page.InvokeAsync(() => page.Find("[data-testid=milestone-add-button]").Click());

        page.WaitForState(() => page.FindAll("[data-testid=milestone-row]").Count == 1, TimeSpan.FromSeconds(10));
        await page.InvokeAsync(() => page.Find("[data-testid=milestone-done]").Click());
        page.WaitForState(() => page.FindAll("[data-testid=milestone-done]").Count == 0, TimeSpan.FromSeconds(10));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", page.Find("[data-testid=milestone-actual]").TextContent.Trim());
    }

    [Theory]
    [InlineData(DemoUsers.Rep, true)]
    [InlineData(DemoUsers.Finance, false)]
    public async Task ContractList_RepAndFinance_SeeTheContractAndOnlyTheRepCreates(string email, bool creates)
    {
        using var culture = ComponentServices.Culture("en-US");
        var draft = await DraftAsync("页面列表合同" + (creates ? "甲" : "乙"));
        await SignInAsync(email);
        this.RenderProviders();

        var page = Render<ContractList>();

        page.WaitForState(() => page.FindAll("[data-testid=contract-link]").Any(a => a.TextContent == draft.Number), TimeSpan.FromSeconds(10));
        Assert.Equal(creates, page.FindAll("[data-testid=contract-new]").Count == 1);
    }

    [Fact]
    public async Task CreateContractButton_OnlyOnAWonOpportunityTheUserMayChange()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Rep);
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "页面按钮商机");

        var open = Render<CreateContractButton>(p => p.Add(x => x.OpportunityId, opportunity.Id).Add(x => x.Won, false).Add(x => x.CanChange, true));
        var won = Render<CreateContractButton>(p => p.Add(x => x.OpportunityId, opportunity.Id).Add(x => x.Won, true).Add(x => x.CanChange, true));
        var readOnly = Render<CreateContractButton>(p => p.Add(x => x.OpportunityId, opportunity.Id).Add(x => x.Won, true).Add(x => x.CanChange, false));

        won.WaitForElement("[data-testid=opp-create-contract]", TimeSpan.FromSeconds(10));
        Assert.Empty(open.FindAll("[data-testid=opp-create-contract]"));
        Assert.Empty(readOnly.FindAll("[data-testid=opp-create-contract]"));
        Assert.Equal("Create contract", won.Find("[data-testid=opp-create-contract]").TextContent.Trim());
    }

    [Fact]
    public async Task ContractSettingsPage_Admin_SeesTheNextNumberAndMaySave()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Admin);
        this.RenderProviders();

        var page = Render<ContractSettingsPage>();

        page.WaitForElement("[data-testid=contract-settings-save]", TimeSpan.FromSeconds(10));
        Assert.Contains("HT-2026-0001", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=contract-settings-readonly]"));
    }

    [Fact]
    public async Task ContractSettingsPage_Rep_OnlyReads()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        await SignInAsync(DemoUsers.Rep);
        this.RenderProviders();

        var page = Render<ContractSettingsPage>();

        page.WaitForElement("[data-testid=contract-settings-readonly]", TimeSpan.FromSeconds(10));
        Assert.Contains("仅管理员", page.Find("[data-testid=contract-settings-readonly]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=contract-settings-save]"));
    }

    [Fact]
    public async Task SignDialog_WithoutTheDate_SaysSoInTheUsersLanguage()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        var draft = await DraftAsync("页面签署合同");
        await using (var db = await app.SystemDbAsync())
        {
            var contract = await db.Contracts.SingleAsync(c => c.Id == draft.Id, Ct);
            contract.Status = ContractStatus.Approved;
            await db.SaveChangesAsync(Ct);
        }

        await SignInAsync(DemoUsers.Rep);
        var providers = this.RenderProviders();
        var page = Render<ContractPage>(p => p.Add(x => x.Id, draft.Id));
        page.WaitForElement("[data-testid=contract-sign]", TimeSpan.FromSeconds(10)).Click();
        providers.WaitForElement("[data-testid=contract-sign-save]", TimeSpan.FromSeconds(10));

        await providers.InvokeAsync(() => providers.Find("[data-testid=contract-sign-save]").Click());

        providers.WaitForAssertion(() => Assert.Contains("请填写合同签署日期。", providers.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Equal(ContractStatus.Approved, (await TestContracts.ReloadAsync(app, draft.Id)).Status);
    }

    [Fact]
    public async Task CreateContractButton_DealWithAContract_LinksToItInsteadOfCreatingAnother()
    {
        using var culture = ComponentServices.Culture("en-US");
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "页面已有合同商机");
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier,
            (await TestLeads.UserIdAsync(app, DemoUsers.Rep)).ToString())], "test"));
        var owner = (await new CurrentUserResolver(Database).ResolveAsync(principal, Ct))!;
        ContractDto existing;
        using (var scope = app.Services.CreateScope())
        {
            existing = await scope.ServiceProvider.GetRequiredService<ContractEditingHandler>().CreateAsync(owner,
                new CreateContractRequest(OpportunityId: opportunity.Id, AmountMinor: 100), Ct);
        }

        await SignInAsync(DemoUsers.Rep);

        var button = Render<CreateContractButton>(p => p.Add(x => x.OpportunityId, opportunity.Id).Add(x => x.Won, true).Add(x => x.CanChange, true));

        button.WaitForElement("[data-testid=opp-contract-link]", TimeSpan.FromSeconds(10));
        Assert.Equal($"Contract {existing.Number} (Draft)", button.Find("[data-testid=opp-contract-link]").TextContent.Trim());
        Assert.Empty(button.FindAll("[data-testid=opp-create-contract]"));
    }
}
