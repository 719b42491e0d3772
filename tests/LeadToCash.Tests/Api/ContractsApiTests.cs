using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Contracts.Jobs;
using LeadToCash.Modules.Contracts.Settings;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Tasks;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Approvals;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Api;

/// <summary>
/// Contracts: creation from an opportunity's accepted quote or for a customer, numbering (also under concurrent creation),
/// the edit rules, the status commands with the two-step approval, signing with the scan and what follows it, milestones,
/// the list, the settings and the archive reminder.
/// </summary>
[DatabaseTest]
public sealed class ContractsApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateContract_FromOpportunityWithAcceptedQuote_CarriesItsLinesTotalAndCurrency()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var (opportunity, quote) = await TestContracts.OpportunityWithAcceptedQuoteAsync(app, rep, DemoUsers.Rep, "合同来源商机");

        var contract = await TestContracts.CreateAsync(rep, new CreateContractRequest(OpportunityId: opportunity.Id));

        Assert.Matches(@"^HT-2026-\d{4}$", contract.Number);
        Assert.Equal((ContractStatus.Draft, quote.Id, opportunity.CustomerId), (contract.Status, contract.QuoteId, contract.CustomerId));
        Assert.Equal((quote.TotalMinor, "CNY", quote.Title), (contract.AmountMinor, contract.Currency, contract.Title));
        // 2 × 1,000.00 + 333.33 less 5 % = 316.66 (half away from zero), plus 9 % tax on 2,316.66 = 208.50.
        Assert.Equal([200_000L, 31_666L], contract.Lines.Select(l => l.LineTotalMinor));
        Assert.Equal(2_316_66 + 208_50, contract.AmountMinor);
        Assert.Equal(opportunity.OwnerId, contract.OwnerId);
        Assert.True(contract.CanChange);
    }

    [Fact]
    public async Task CreateContract_ManyAtOnce_EachGetsItsOwnConsecutiveNumber()
    {
        var customer = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.Rep, "并发编号客户");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var rep2 = await app.ClientForAsync(DemoUsers.Manager);
        await using (var db = await app.SystemDbAsync())
        {
            Assert.False(await db.Contracts.AnyAsync(c => c.Number.StartsWith("PAR-"), Ct));
        }

        await SetPatternAsync("PAR-{yyyy}{MM}-{seq:3}");
        try
        {
            var creates = Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? rep : rep2).PostAsJsonAsync("/api/v1/contracts",
                new CreateContractRequest(CustomerId: customer.Id, Title: $"并发合同 {i}", AmountMinor: 1000 + i), Http.Json, Ct));
            var responses = await Task.WhenAll(creates);
            var numbers = new List<string>();
            foreach (var response in responses)
            {
                numbers.Add((await response.ExpectJsonAsync<ContractDto>(HttpStatusCode.Created)).Number);
            }

            Assert.Equal(Enumerable.Range(1, 8).Select(i => $"PAR-202611-{i:000}"), numbers.Order());
        }
        finally
        {
            await SetPatternAsync(ContractNumbering.DefaultPattern);
        }
    }

    [Fact]
    public async Task CreateContract_ForACustomer_SumsItsLinesAndNamesTheFieldItRefuses()
    {
        var customer = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.Rep, "独立合同客户");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var contract = await TestContracts.CreateAsync(rep, new CreateContractRequest(CustomerId: customer.Id, Title: "年度维保",
            Lines: [new ContractLineRequest("维保服务", 12, 1_000_01, 10m), new ContractLineRequest("备件", 1, 5_000)]));

        // 12 × 1,000.01 = 12,000.12, less 10 % = 10,800.108 → 10,800.11; plus 50.00.
        Assert.Equal(10_800_11 + 5_000, contract.AmountMinor);
        Assert.Equal((customer.Id, (Guid?)null), (contract.CustomerId, contract.OpportunityId));
        await (await rep.PostAsJsonAsync("/api/v1/contracts", new CreateContractRequest(CustomerId: customer.Id), Http.Json, Ct))
            .ExpectFieldErrorAsync("title");
        await (await rep.PostAsJsonAsync("/api/v1/contracts", new CreateContractRequest(Title: "无客户"), Http.Json, Ct)).ExpectFieldErrorAsync("customerId");
        await (await rep.PostAsJsonAsync("/api/v1/contracts", new CreateContractRequest(CustomerId: customer.Id, Title: "x",
            Lines: [new ContractLineRequest("坏行", 0)]), Http.Json, Ct)).ExpectFieldErrorAsync("lines[0].quantity");
        await (await rep.PostAsJsonAsync("/api/v1/contracts", new CreateContractRequest(CustomerId: customer.Id, Title: "x", Currency: "XXX"), Http.Json, Ct))
            .ExpectFieldErrorAsync("currency");
        var hidden = await TestCustomers.HiddenFromRepAsync(app);
        await (await rep.PostAsJsonAsync("/api/v1/contracts", new CreateContractRequest(CustomerId: hidden.Id, Title: "越权"), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        using var assistant = await app.ClientForAsync(DemoUsers.Assistant);
        await (await assistant.PostAsJsonAsync("/api/v1/contracts", new CreateContractRequest(CustomerId: customer.Id, Title: "助理"), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SubmitContract_FromOneHundredThousand_TheLargeContractFlowAddsTheDirectorAndAWithdrawalStartsANewRound()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var contract = await TestContracts.DraftForNewCustomerAsync(app, rep, DemoUsers.Rep, "大额合同", amountMinor: 10_000_000);

        var submitted = await TestContracts.PostAsync(rep, $"/api/v1/contracts/{contract.Id}/submit");

        Assert.Equal([("manager", "李娜"), ("director", "陈志强"), ("Finance", "")],
            submitted.Approvals.Single().Steps.Select(s => (s.Role, s.ApproverName ?? "")));
        var withdrawn = await (await rep.PostAsync($"/api/v1/approvals/{submitted.Approvals[0].Id}/withdraw", null, Ct)).ExpectJsonAsync<ApprovalDto>();
        Assert.Equal(ApprovalStatus.Cancelled, withdrawn.Status);
        Assert.Equal(ContractStatus.Draft, (await rep.GetJsonAsync<ContractDto>($"/api/v1/contracts/{contract.Id}")).Status);
        var again = await TestContracts.PostAsync(rep, $"/api/v1/contracts/{contract.Id}/submit");
        Assert.Equal([2, 1], (await rep.GetJsonAsync<List<ApprovalDto>>($"/api/v1/approvals/records/{Contract.RecordType}/{contract.Id}")).Select(r => r.Round));
        Assert.Equal(ContractStatus.InApproval, again.Status);
    }

    [Fact]
    public async Task ContractLifecycle_ApprovedByManagerThenFinanceAndSigned_CustomerBecomesCustomerAndOwnerGetsTwoTasks()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var finance = await app.ClientForAsync(DemoUsers.Finance);
        // ¥50,000: the demo flow below ¥100,000 — the owner's manager, then anyone in Finance.
        var contract = await TestContracts.DraftForNewCustomerAsync(app, rep, DemoUsers.Rep, "全流程合同", amountMinor: 5_000_000);

        var submitted = await TestContracts.PostAsync(rep, $"/api/v1/contracts/{contract.Id}/submit");

        Assert.Equal(ContractStatus.InApproval, submitted.Status);
        var round = Assert.Single(submitted.Approvals);
        Assert.Equal([("manager", "李娜"), ("Finance", "")], round.Steps.Select(s => (s.Role, s.ApproverName ?? "")));
        await (await rep.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}", Update(submitted) with { Title = "改名" }, Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        var item = Assert.Single(await manager.GetJsonAsync<List<ApprovalDto>>("/api/v1/approvals?mine=pending"), a => a.RecordId == contract.Id);
        Assert.Equal((Contract.RecordType, contract.AmountMinor), (item.RecordType, item.Subject!.AmountMinor));
        await (await manager.PostAsJsonAsync($"/api/v1/approvals/{item.Id}/approve", new ApprovalDecisionRequest("同意"), Http.Json, Ct))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(ContractStatus.InApproval, (await rep.GetJsonAsync<ContractDto>($"/api/v1/contracts/{contract.Id}")).Status);
        await (await finance.PostAsJsonAsync($"/api/v1/approvals/{item.Id}/approve", new ApprovalDecisionRequest("款项条款可以"), Http.Json, Ct))
            .ExpectAsync(HttpStatusCode.OK);
        var approved = await rep.GetJsonAsync<ContractDto>($"/api/v1/contracts/{contract.Id}");
        Assert.Equal(ContractStatus.Approved, approved.Status);
        Assert.Contains(await TestLeads.NotificationsAboutAsync(app, contract.Id), n => n.Email == DemoUsers.Rep && n.Kind == "contract.approved");

        await (await TestContracts.SignAsync(rep, contract.Id, "2026-11-24", null)).ExpectFieldErrorAsync("file");
        await (await TestContracts.SignAsync(rep, contract.Id, "2026-12-30", TestContracts.Pdf)).ExpectFieldErrorAsync("signingDate");
        await (await TestContracts.SignAsync(rep, contract.Id, "2026-11-24", "not a pdf"u8.ToArray())).ExpectFieldErrorAsync("file");
        var signed = await (await TestContracts.SignAsync(rep, contract.Id, "2026-11-24", TestContracts.Pdf)).ExpectJsonAsync<ContractDto>();

        Assert.Equal((ContractStatus.Signed, new DateOnly(2026, 11, 24)), (signed.Status, signed.SigningDate));
        Assert.Equal(TestLeads.Now(app), signed.ArchivedAt);
        var scan = Assert.Single(signed.Attachments);
        await (await rep.GetAsync(scan.Url, Ct)).ExpectAsync(HttpStatusCode.OK);
        using (var rep2 = await app.ClientForAsync(DemoUsers.Rep2))
        {
            await (await rep2.GetAsync(scan.Url, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Equal(LifecycleStage.Customer, (await TestCustomers.ReloadCustomerAsync(app, contract.CustomerId)).Stage);
        await using (var db = await app.SystemDbAsync())
        {
            var repId = await TestLeads.UserIdAsync(app, DemoUsers.Rep);
            var tasks = await db.Tasks.AsNoTracking().Where(t => t.RelatedId == contract.CustomerId && t.OwnerId == repId).OrderBy(t => t.DueAt).ToListAsync(Ct);
            Assert.Equal([TestLeads.Now(app).AddDays(3), TestLeads.Now(app).AddDays(30)], tasks.Select(t => t.DueAt));
            Assert.All(tasks, t => Assert.Equal((WorkTaskStatus.Open, Customer.RecordType), (t.Status, t.RelatedType)));
            Assert.Contains("满意度回访", tasks[0].Title, StringComparison.Ordinal);
        }

        // Once signed, only the notes (and milestones) change.
        await (await rep.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}", Update(signed) with { AmountMinor = 1 }, Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        var noted = await (await rep.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}", Update(signed) with { Notes = "原件在档案柜 3 号" }, Http.Json, Ct))
            .ExpectJsonAsync<ContractDto>();
        Assert.Equal("原件在档案柜 3 号", noted.Notes);

        await (await rep.PostAsync($"/api/v1/contracts/{contract.Id}/complete", null, Ct)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(ContractStatus.Executing, (await TestContracts.PostAsync(rep, $"/api/v1/contracts/{contract.Id}/start")).Status);
        var completed = await TestContracts.PostAsync(rep, $"/api/v1/contracts/{contract.Id}/complete");
        Assert.Equal((ContractStatus.Completed, TestLeads.Now(app)), (completed.Status, completed.CompletedAt));

        var history = await rep.GetJsonAsync<List<System.Text.Json.JsonElement>>($"/api/v1/history/contract/{contract.Id}");
        Assert.Contains(history, h => h.GetProperty("field").GetString() == nameof(Contract.Status));
    }

    [Fact]
    public async Task RejectedContract_ChangedAndResubmitted_KeepsBothRoundsAndWithdrawCancelsTheRequest()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var contract = await TestContracts.DraftForNewCustomerAsync(app, rep, DemoUsers.Rep, "驳回合同");
        var submitted = await TestContracts.PostAsync(rep, $"/api/v1/contracts/{contract.Id}/submit");
        var first = submitted.Approvals.Single().Id;

        await (await manager.PostAsJsonAsync($"/api/v1/approvals/{first}/reject", new ApprovalDecisionRequest("付款条件太宽松"), Http.Json, Ct))
            .ExpectAsync(HttpStatusCode.OK);

        var rejected = await rep.GetJsonAsync<ContractDto>($"/api/v1/contracts/{contract.Id}");
        Assert.Equal(ContractStatus.Rejected, rejected.Status);
        Assert.Equal("付款条件太宽松", rejected.Approvals.Single().Steps[0].Comment);
        Assert.Contains(await TestLeads.NotificationsAboutAsync(app, contract.Id), n => n.Email == DemoUsers.Rep && n.Kind == "contract.approval-rejected");
        var changed = await (await rep.PutAsJsonAsync($"/api/v1/contracts/{contract.Id}", Update(rejected) with { PaymentTerms = "预付 30%" }, Http.Json, Ct))
            .ExpectJsonAsync<ContractDto>();
        app.Clock.Advance(TimeSpan.FromMinutes(1)); // rounds are listed by when they were requested
        var again = await TestContracts.PostAsync(rep, $"/api/v1/contracts/{contract.Id}/submit");
        Assert.Equal(2, again.Approvals.Count);
        Assert.Equal("预付 30%", changed.PaymentTerms);

        var withdrawn = await TestContracts.PostAsync(rep, $"/api/v1/contracts/{contract.Id}/withdraw");

        Assert.Equal((ContractStatus.Draft, ApprovalStatus.Cancelled), (withdrawn.Status, withdrawn.Approvals[^1].Status));
        Assert.DoesNotContain(await manager.GetJsonAsync<List<ApprovalDto>>("/api/v1/approvals?mine=pending"), a => a.RecordId == contract.Id);
    }

    [Fact]
    public async Task TerminateContract_NeedsAManagerAndAReason()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var contract = await TestContracts.DraftForNewCustomerAsync(app, rep, DemoUsers.Rep, "终止合同");

        await (await rep.PostAsJsonAsync($"/api/v1/contracts/{contract.Id}/terminate", new TerminateContractRequest("客户取消"), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await manager.PostAsJsonAsync($"/api/v1/contracts/{contract.Id}/terminate", new TerminateContractRequest(" "), Http.Json, Ct))
            .ExpectFieldErrorAsync("reason");
        var terminated = await TestContracts.PostAsync(manager, $"/api/v1/contracts/{contract.Id}/terminate", new TerminateContractRequest("客户预算取消"));

        Assert.Equal((ContractStatus.Terminated, "客户预算取消"), (terminated.Status, terminated.TerminationReason));
        await (await manager.PostAsJsonAsync($"/api/v1/contracts/{contract.Id}/terminate", new TerminateContractRequest("再次"), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task SignContract_CustomerWithAnEarlierSignedContract_BecomesARepeatCustomer()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var first = await TestContracts.DraftForNewCustomerAsync(app, rep, DemoUsers.Rep, "复购客户合同");
        await TestContracts.SignedAsync(app, rep, first);
        Assert.Equal(LifecycleStage.Customer, (await TestCustomers.ReloadCustomerAsync(app, first.CustomerId)).Stage);
        var second = await TestContracts.CreateAsync(rep, new CreateContractRequest(CustomerId: first.CustomerId, Title: "二期", AmountMinor: 80_000_00));

        await TestContracts.SignedAsync(app, rep, second);

        Assert.Equal(LifecycleStage.RepeatCustomer, (await TestCustomers.ReloadCustomerAsync(app, first.CustomerId)).Stage);
        var timeline = await rep.GetJsonAsync<System.Text.Json.JsonElement>($"/api/v1/customers/{first.CustomerId}/timeline");
        Assert.Contains("ContractSigned", timeline.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignContract_OfTheDealThatMadeThemACustomer_KeepsAFirstTimeCustomerACustomer()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var won = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "首单客户商机");
        await using (var db = await app.SystemDbAsync())
        {
            // Winning the deal made them a customer (as the opportunity's close does).
            var opportunity = await db.Opportunities.SingleAsync(o => o.Id == won.Id, Ct);
            opportunity.Status = OpportunityStatus.Won;
            opportunity.ClosedAt = TestLeads.Now(app);
            (await db.Customers.SingleAsync(c => c.Id == won.CustomerId, Ct)).Stage = LifecycleStage.Customer;
            await db.SaveChangesAsync(Ct);
        }

        var contract = await TestContracts.CreateAsync(rep, new CreateContractRequest(OpportunityId: won.Id, Title: "首单", AmountMinor: 60_000_00));
        await TestContracts.SignedAsync(app, rep, contract);

        Assert.Equal(LifecycleStage.Customer, (await TestCustomers.ReloadCustomerAsync(app, won.CustomerId)).Stage);
    }

    [Fact]
    public async Task Milestones_AddChangeAndRemove_OnTheContractPage()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var contract = await TestContracts.DraftForNewCustomerAsync(app, rep, DemoUsers.Rep, "里程碑合同");
        var url = $"/api/v1/contracts/{contract.Id}/milestones";

        var shipped = await (await rep.PostAsJsonAsync(url, new ContractMilestoneRequest("发货", new DateOnly(2026, 12, 10)), Http.Json, Ct))
            .ExpectJsonAsync<ContractMilestoneDto>(HttpStatusCode.Created);
        var installed = await (await rep.PostAsJsonAsync(url, new ContractMilestoneRequest("安装调试", new DateOnly(2026, 12, 20)), Http.Json, Ct))
            .ExpectJsonAsync<ContractMilestoneDto>(HttpStatusCode.Created);
        await (await rep.PostAsJsonAsync(url, new ContractMilestoneRequest(" "), Http.Json, Ct)).ExpectFieldErrorAsync("name");
        var done = await (await rep.PutAsJsonAsync($"{url}/{shipped.Id}", new ContractMilestoneRequest("发货", shipped.PlannedDate, new DateOnly(2026, 12, 9),
            Version: shipped.Version), Http.Json, Ct)).ExpectJsonAsync<ContractMilestoneDto>();
        await (await rep.DeleteAsync($"{url}/{installed.Id}", Ct)).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Equal(new DateOnly(2026, 12, 9), done.ActualDate);
        var milestones = (await rep.GetJsonAsync<ContractDto>($"/api/v1/contracts/{contract.Id}")).Milestones;
        Assert.Equal([("发货", 0)], milestones.Select(m => (m.Name, m.SortOrder)));
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
        await (await rep2.PostAsJsonAsync(url, new ContractMilestoneRequest("越权"), Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListContracts_FiltersAndPages_OnlyWhatTheCallerSees()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
        var mine = await TestContracts.DraftForNewCustomerAsync(app, rep, DemoUsers.Rep, "列表甲合同");
        await TestContracts.DraftForNewCustomerAsync(app, rep, DemoUsers.Rep, "列表乙合同");
        var theirs = await TestContracts.DraftForNewCustomerAsync(app, rep2, DemoUsers.Rep2, "列表丙合同");

        var found = await rep.GetJsonAsync<ListPage<ContractListItem>>("/api/v1/contracts?q=列表&status=Draft&limit=1");
        Assert.Single(found.Items);
        Assert.NotNull(found.NextCursor);
        var all = await rep.ListAllAsync<ContractListItem>("/api/v1/contracts?q=列表", limit: 1);
        Assert.Equal(2, all.Count);
        Assert.DoesNotContain(all, c => c.Id == theirs.Id);
        var byCustomer = await rep.GetJsonAsync<ListPage<ContractListItem>>($"/api/v1/contracts?customerId={mine.CustomerId}");
        Assert.Equal([mine.Id], byCustomer.Items.Select(c => c.Id));
        Assert.Equal("列表甲合同客户", byCustomer.Items[0].CustomerName);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var repId = await TestLeads.UserIdAsync(app, DemoUsers.Rep2);
        Assert.Contains((await manager.GetJsonAsync<ListPage<ContractListItem>>($"/api/v1/contracts?ownerId={repId}")).Items, c => c.Id == theirs.Id);
        await (await rep.GetAsync($"/api/v1/contracts/{theirs.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        var export = await (await rep.GetAsync("/api/v1/contracts/export?q=列表", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export.Content.Headers.ContentType?.MediaType);
        await (await rep.GetAsync("/api/v1/contracts?sort=bogus", Ct)).ExpectFieldErrorAsync("sort");
    }

    [Fact]
    public async Task ContractSettings_AdminChangesThePattern_NewNumbersFollowItAndBadPatternsNameTheField()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var settings = await admin.GetJsonAsync<ContractSettingsDto>("/api/v1/settings/contracts");
        Assert.Equal(("HT-{yyyy}-{seq:4}", 3, 3, 30, 7), (settings.NumberPattern, settings.ArchiveWithinDays, settings.SatisfactionVisitDays,
            settings.RepeatNeedDays, settings.OverdueReminderDays));

        await (await admin.PutAsJsonAsync("/api/v1/settings/contracts", settings with { NumberPattern = "HT-{yyyy}" }, Http.Json, Ct))
            .ExpectFieldErrorAsync("numberPattern");
        await (await admin.PutAsJsonAsync("/api/v1/settings/contracts", settings with { RepeatNeedDays = 0 }, Http.Json, Ct))
            .ExpectFieldErrorAsync("repeatNeedDays");
        await (await rep.PutAsJsonAsync("/api/v1/settings/contracts", settings, Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var saved = await (await admin.PutAsJsonAsync("/api/v1/settings/contracts", settings with { NumberPattern = "SET/{yy}/{seq:2}" }, Http.Json, Ct))
            .ExpectJsonAsync<ContractSettingsDto>();
        try
        {
            var contract = await TestContracts.DraftForNewCustomerAsync(app, rep, DemoUsers.Rep, "编号规则合同");
            Assert.Equal("SET/26/01", contract.Number);
        }
        finally
        {
            await (await admin.PutAsJsonAsync("/api/v1/settings/contracts", saved with { NumberPattern = ContractNumbering.DefaultPattern }, Http.Json, Ct))
                .ExpectAsync(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task ArchiveReminder_WonOpportunityWithoutSignedContract_RemindsItsOwnerOnceAfterThreeDays()
    {
        var late = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "未归档赢单");
        var archived = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "已归档赢单");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var contract = await TestContracts.CreateAsync(rep, new CreateContractRequest(OpportunityId: archived.Id, Title: "已归档", AmountMinor: 10_000));
        await TestContracts.SignedAsync(app, rep, contract);
        // Won three days ago less a minute (the clock only moves forward).
        var wonAt = TestLeads.Now(app).AddDays(-3).AddMinutes(1);
        await using (var db = await app.SystemDbAsync())
        {
            foreach (var o in await db.Opportunities.Where(o => o.Id == late.Id || o.Id == archived.Id).ToListAsync(Ct))
            {
                o.Status = OpportunityStatus.Won;
                o.ClosedAt = wonAt;
            }

            await db.SaveChangesAsync(Ct);
        }

        Assert.DoesNotContain(await RunArchiveJobAndReadAsync(late.Id), n => n.Kind == "contract.archive-overdue");

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var told = await RunArchiveJobAndReadAsync(late.Id);
        app.Clock.Advance(TimeSpan.FromDays(2));
        var again = await RunArchiveJobAndReadAsync(late.Id);

        Assert.Equal([DemoUsers.Rep], told.Where(n => n.Kind == "contract.archive-overdue").Select(n => n.Email));
        Assert.Single(again, n => n.Kind == "contract.archive-overdue");
        Assert.DoesNotContain(await TestLeads.NotificationsAboutAsync(app, archived.Id), n => n.Kind == "contract.archive-overdue");
    }

    private async Task<List<(string Email, string Kind, string ArgsJson)>> RunArchiveJobAndReadAsync(Guid opportunityId)
    {
        using (var scope = app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<ContractArchiveReminderJob>().RunAsync(Ct);
        }

        return await TestLeads.NotificationsAboutAsync(app, opportunityId);
    }

    private async Task SetPatternAsync(string pattern)
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var settings = await admin.GetJsonAsync<ContractSettingsDto>("/api/v1/settings/contracts");
        await (await admin.PutAsJsonAsync("/api/v1/settings/contracts", settings with { NumberPattern = pattern }, Http.Json, Ct)).ExpectAsync(HttpStatusCode.OK);
    }

    private static UpdateContractRequest Update(ContractDto c) => new(c.Title, c.AmountMinor, c.Currency, [.. c.Signers.Select(s => s.ContactId)],
        c.StartDate, c.EndDate, c.PaymentTerms, c.KeyClauses, c.Notes,
        [.. c.Lines.Select(l => new ContractLineRequest(l.Description, l.Quantity, l.UnitPriceMinor, l.DiscountPercent, l.Unit, l.ProductCode))], c.Version);
}
