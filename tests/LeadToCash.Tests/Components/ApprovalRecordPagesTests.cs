using System.Security.Claims;
using Bunit;
using LeadToCash.Components.Pages.Approvals;
using LeadToCash.Components.Pages.Contracts;
using LeadToCash.Components.Pages.Quotes;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Contracts.Editing;
using LeadToCash.Modules.Contracts.Workflow;
using LeadToCash.Modules.Products;
using LeadToCash.Modules.Quotes;
using LeadToCash.Modules.Quotes.Editing;
using LeadToCash.Modules.Quotes.Workflow;
using LeadToCash.Platform.Approvals;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Export;
using LeadToCash.Platform.Files;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Components;

/// <summary>
/// What the contract and quote pages show of their approvals: the approval events in the history, and the withdraw button
/// only for whom may withdraw (the requester, or an Admin); and the inbox of an approver outside the record's data scope.
/// </summary>
public sealed class ApprovalRecordPagesTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private async Task SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        Services.AddSingleton(app.Services.GetRequiredService<FileStore>());
        Services.AddSingleton(app.Services.GetRequiredService<ExportService>());
        Services.AddProducts();
        Services.AddQuotes();
        this.SignIn(await TestLeads.UserIdAsync(app, email), email);
    }

    private async Task<CurrentUser> UserAsync(string email)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier,
            (await TestLeads.UserIdAsync(app, email)).ToString())], "test"));
        return (await new CurrentUserResolver(Database).ResolveAsync(principal, Ct))!;
    }

    /// <summary>A contract of the rep's (¥50,000: the manager, then Finance), submitted; made through the app's own services.</summary>
    private async Task<(ContractDto Contract, Guid ApprovalId)> SubmittedContractAsync(string name)
    {
        var customer = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.Rep, name + "客户");
        var rep = await UserAsync(DemoUsers.Rep);
        using var scope = app.Services.CreateScope();
        var draft = await scope.ServiceProvider.GetRequiredService<ContractEditingHandler>().CreateAsync(rep,
            new CreateContractRequest(CustomerId: customer.Id, Title: name, AmountMinor: 5_000_000, Lines: [new ContractLineRequest("网关", 2, 2_500_000)]), Ct);
        var submitted = await scope.ServiceProvider.GetRequiredService<ContractWorkflowHandler>().SubmitAsync(rep, draft.Id, Ct);
        return (submitted, submitted.Approvals[^1].Id);
    }

    /// <summary>A quote of the rep's whose 25 % discount waits for the manager.</summary>
    private async Task<QuoteDto> PendingQuoteAsync(string name)
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, name);
        var rep = await UserAsync(DemoUsers.Rep);
        using var scope = app.Services.CreateScope();
        var draft = await scope.ServiceProvider.GetRequiredService<QuoteEditingHandler>().CreateAsync(rep, opportunity.Id, new CreateQuoteRequest("页面方案",
            [new QuoteLineRequest(Description: "智能网关", Quantity: 1, UnitPriceMinor: 100_000, DiscountPercent: 25m)]), Ct);
        return await scope.ServiceProvider.GetRequiredService<QuoteWorkflowHandler>().SubmitAsync(rep, draft.Id, Ct);
    }

    private async Task DecideAsync(string approverEmail, Guid approvalId, bool approve, string? comment)
    {
        var approver = await UserAsync(approverEmail);
        using var scope = app.Services.CreateScope();
        var inbox = scope.ServiceProvider.GetRequiredService<ApprovalsInbox>();
        _ = approve
            ? await inbox.ApproveAsync(approver, approvalId, new ApprovalDecisionRequest(comment), Ct)
            : await inbox.RejectAsync(approver, approvalId, new ApprovalDecisionRequest(comment), Ct);
    }

    [Theory]
    [InlineData("en-US", "History", "Step 1 rejected", "Approver: 李娜 · “条款不清”", "Submitted for approval (round 1)")]
    [InlineData("zh-CN", "变更历史", "第 1 步审批驳回", "审批人：李娜 ·「条款不清」", "提交审批（第 1 轮）")]
    public async Task ContractPage_HistoryTab_ShowsTheSubmissionAndTheRejectionWithTheComment(string culture, string tab, string rejected,
        string detail, string submitted)
    {
        using var language = ComponentServices.Culture(culture);
        var (contract, approvalId) = await SubmittedContractAsync("页面审批历史合同" + culture);
        app.Clock.Advance(TimeSpan.FromMinutes(1)); // the rejection is the newest change, whatever the record ids
        await DecideAsync(DemoUsers.Manager, approvalId, approve: false, "条款不清");
        await SignInAsync(DemoUsers.Rep);
        this.RenderProviders();

        var page = Render<ContractPage>(p => p.Add(x => x.Id, contract.Id));
        page.WaitForElement("[data-testid=contract-approval-rejected]", TimeSpan.FromSeconds(10));
        await page.InvokeAsync(() => page.FindAll(".mud-tab").Single(t => t.TextContent.Contains(tab, StringComparison.Ordinal)).Click());

        page.WaitForElement("[data-testid=history-approval-event]", TimeSpan.FromSeconds(10));
        Assert.Equal([rejected, submitted], page.FindAll("[data-testid=history-approval-event]").Select(e => e.TextContent.Trim()));
        var details = page.FindAll("[data-testid=history-approval-detail]").Select(e => e.TextContent.Trim()).ToList();
        Assert.Equal(detail, details[0]);
        Assert.Contains(contract.Number, details[1], StringComparison.Ordinal);
        Assert.Contains("李娜", page.FindAll("[data-testid=history-who]")[0].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuotePage_PendingApproval_HistoryShowsTheSubmission()
    {
        using var language = ComponentServices.Culture("en-US");
        var quote = await PendingQuoteAsync("页面报价历史商机");
        await SignInAsync(DemoUsers.Rep);
        this.RenderProviders();

        var page = Render<QuotePage>(p => p.Add(x => x.Id, quote.Id));

        page.WaitForElement("[data-testid=quote-record-history] [data-testid=history-approval-event]", TimeSpan.FromSeconds(10));
        Assert.Equal("Submitted for approval (round 1)", page.Find("[data-testid=history-approval-event]").TextContent.Trim());
        Assert.Equal("Line 1 (智能网关): discount 25 % is above 10 %", page.Find("[data-testid=history-approval-detail]").TextContent.Trim());
        Assert.Equal("张伟", page.Find("[data-testid=quote-record-history] [data-testid=history-who]").TextContent.Trim());
    }

    [Theory]
    [InlineData(DemoUsers.Rep, true)]
    [InlineData(DemoUsers.Manager, false)]
    public async Task QuotePage_PendingApproval_OnlyTheRequesterIsOfferedToWithdraw(string email, bool offered)
    {
        using var language = ComponentServices.Culture("en-US");
        var quote = await PendingQuoteAsync("页面撤回报价商机" + email);
        await SignInAsync(email);
        this.RenderProviders();

        var page = Render<QuotePage>(p => p.Add(x => x.Id, quote.Id));
        page.WaitForElement("[data-testid=quote-approval-pending]", TimeSpan.FromSeconds(10));

        Assert.Equal(offered, page.FindAll("[data-testid=quote-withdraw]").Count == 1);
        // Both may change the deal (the manager revises the version instead).
        Assert.Single(page.FindAll("[data-testid=quote-revise]"));
    }

    [Theory]
    [InlineData(DemoUsers.Rep, true)]
    [InlineData(DemoUsers.Manager, false)]
    public async Task ContractPage_InApproval_OnlyTheRequesterIsOfferedToWithdraw(string email, bool offered)
    {
        using var language = ComponentServices.Culture("en-US");
        var (contract, _) = await SubmittedContractAsync("页面撤回合同" + email);
        await SignInAsync(email);
        this.RenderProviders();

        var page = Render<ContractPage>(p => p.Add(x => x.Id, contract.Id));
        page.WaitForElement("[data-testid=contract-approval-pending]", TimeSpan.FromSeconds(10));

        Assert.Equal(offered, page.FindAll("[data-testid=contract-withdraw]").Count == 1);
        // The manager may change the contract (and terminate it), but the request is not theirs to take back.
        Assert.Equal(!offered, page.FindAll("[data-testid=contract-terminate]").Count == 1);
    }

    [Fact]
    public async Task ApprovalsPage_DelegateFromAnotherTeam_SeesTheContractsEssentialsWithoutALinkAndApproves()
    {
        using var language = ComponentServices.Culture("en-US");
        var manager = await UserAsync(DemoUsers.Manager);
        DelegationDto delegation;
        using (var scope = app.Services.CreateScope())
        {
            delegation = await scope.ServiceProvider.GetRequiredService<ApprovalDelegationsHandler>().CreateAsync(manager,
                new DelegationRequest(await TestLeads.UserIdAsync(app, DemoUsers.Manager2), TestLeads.Now(app).AddDays(2)), Ct);
        }

        var (contract, approvalId) = await SubmittedContractAsync("页面委托外组合同");
        await SignInAsync(DemoUsers.Manager2);
        this.RenderProviders();

        var page = Render<ApprovalsPage>();
        page.WaitForElement("[data-testid=approval-line]", TimeSpan.FromSeconds(10));

        var item = page.FindAll("[data-testid=approval-item]").Single(i => i.TextContent.Contains(contract.Number, StringComparison.Ordinal));
        var subject = item.QuerySelector("[data-testid=approval-subject]")!;
        Assert.Equal(($"{contract.Number} · 页面委托外组合同", false), (subject.TextContent.Trim(), subject.TagName == "A"));
        Assert.Equal("页面委托外组合同客户", item.QuerySelector("[data-testid=approval-customer]")!.TextContent.Trim());
        Assert.Equal("You decide on this record without access to it: its essentials are shown here.",
            item.QuerySelector("[data-testid=approval-outside-scope]")!.TextContent.Trim());
        Assert.Contains("网关", item.QuerySelector("[data-testid=approval-line]")!.TextContent, StringComparison.Ordinal);
        await page.InvokeAsync(() => item.QuerySelector("[data-testid=approval-approve]")!.Click());

        page.WaitForState(() => !page.FindAll("[data-testid=approval-item]").Any(i => i.TextContent.Contains(contract.Number, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10));
        await using var db = await app.SystemDbAsync();
        var step = await db.ApprovalSteps.SingleAsync(s => s.RequestId == approvalId && s.StepNo == 1, Ct);
        Assert.Equal((ApprovalStatus.Approved, await TestLeads.UserIdAsync(app, DemoUsers.Manager2)), (step.Status, step.DecidedBy));
        using var end = app.Services.CreateScope();
        await end.ServiceProvider.GetRequiredService<ApprovalDelegationsHandler>().EndAsync(manager, delegation.Id, Ct);
    }
}
