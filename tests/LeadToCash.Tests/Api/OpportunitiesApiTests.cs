using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Opportunities.Assign;
using LeadToCash.Modules.Opportunities.Checklist;
using LeadToCash.Modules.Opportunities.CreateOpportunity;
using LeadToCash.Modules.Opportunities.StageMoves;
using LeadToCash.Modules.Opportunities.UpdateOpportunity;
using LeadToCash.Platform.Api;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Api;

/// <summary>
/// Opportunities through the API: create, read, update of the plain fields, the list, and the stage commands with their
/// gates, history rows and versions.
/// </summary>
[DatabaseTest]
public sealed class OpportunitiesApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private void Tick() => app.Clock.Advance(TimeSpan.FromMinutes(1));

    [Fact]
    public async Task CreateOpportunity_VisibleCustomer_StartsInTheFirstStageWithItsProbabilityTheCustomersSourceAndTheCallerAsOwner()
    {
        var stages = await TestOpportunities.StagesAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await TestCustomers.CreateAsync(rep, "商机创建测试有限公司", new("x", SourceChannel: "trade-show"));
        var boss = await TestOpportunities.AddDecisionMakerAsync(rep, customer.Id);

        var created = await TestOpportunities.CreateAsync(rep, customer.Id, " 仓储系统一期 ",
            new CreateOpportunityRequest(customer.Id, "x", 120_000_00, ExpectedCloseDate: new DateOnly(2027, 2, 28), ContactIds: [boss.Id]));

        Assert.Equal("仓储系统一期", created.Name);
        Assert.Equal(stages.Needs, created.StageId);
        Assert.Equal("Needs analysis", created.StageName);
        Assert.Equal(10, created.Probability);
        Assert.Equal(12_000_00, created.WeightedAmountMinor);
        Assert.Equal("trade-show", created.SourceChannel);
        Assert.Equal("CNY", created.Currency);
        Assert.Equal(customer.Name, created.CustomerName);
        Assert.Equal("张伟", created.OwnerName);
        Assert.Equal(OpportunityStatus.Open, created.Status);
        Assert.Equal(boss.Id, Assert.Single(created.Contacts).Id);
        Assert.True(created.CanChange);
        var entry = Assert.Single(await TestOpportunities.HistoryRowsAsync(app, created.Id));
        Assert.Equal((StageEntryKind.Created, stages.Needs, (DateTime?)null), (entry.Kind, entry.StageId, entry.ExitedAt));
        Assert.Equal(LifecycleStage.InOpportunity, (await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{customer.Id}")).Stage);
        var read = await rep.GetJsonAsync<OpportunityDto>($"/api/v1/opportunities/{created.Id}");
        Assert.Equal(created with { Contacts = [] }, read with { Contacts = [] });
        Assert.Equal(created.Contacts, read.Contacts);
    }

    [Fact]
    public async Task CreateOpportunity_BadReferences_Returns400NamingTheField()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await TestCustomers.CreateAsync(rep, "商机校验测试有限公司");
        var other = await TestCustomers.CreateAsync(rep, "商机校验另一家公司");
        var stranger = await TestOpportunities.AddDecisionMakerAsync(rep, other.Id);
        var hidden = await TestCustomers.HiddenFromRepAsync(app);

        await (await rep.PostAsJsonAsync("/api/v1/opportunities", new CreateOpportunityRequest(hidden.Id, "看不见的客户"), Ct)).ExpectFieldErrorAsync("customerId");
        await (await rep.PostAsJsonAsync("/api/v1/opportunities", new CreateOpportunityRequest(customer.Id, "别家的联系人", ContactIds: [stranger.Id]), Ct))
            .ExpectFieldErrorAsync("contactIds");
        await (await rep.PostAsJsonAsync("/api/v1/opportunities", new CreateOpportunityRequest(customer.Id, " ", -1, "XYZ"), Ct)).ExpectFieldErrorAsync("name");
        await (await rep.PostAsJsonAsync("/api/v1/opportunities", new CreateOpportunityRequest(customer.Id, "错误币种", Currency: "XYZ"), Ct)).ExpectFieldErrorAsync("currency");
        var someoneElse = await TestLeads.UserIdAsync(app, DemoUsers.Rep2);
        await (await rep.PostAsJsonAsync("/api/v1/opportunities", new CreateOpportunityRequest(customer.Id, "替人建", OwnerId: someoneElse), Ct))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        await using var db = await app.SystemDbAsync();
        Assert.False(await db.Opportunities.AnyAsync(o => o.CustomerId == customer.Id || o.CustomerId == hidden.Id, Ct));
    }

    [Fact]
    public async Task CreateOpportunity_ManagerForTheirRep_RepOwnsIt()
    {
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var rep2 = await TestLeads.UserIdAsync(app, DemoUsers.Rep2);
        var customer = await TestCustomers.CreateAsync(manager, "经理代建商机公司");

        var created = await TestOpportunities.CreateAsync(manager, customer.Id, "代建商机", new CreateOpportunityRequest(customer.Id, "x", OwnerId: rep2));

        Assert.Equal(rep2, created.OwnerId);
    }

    [Fact]
    public async Task UpdateOpportunity_PlainFields_ChangesThemBumpsTheVersionAndOverridesTheProbability()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var created = await TestOpportunities.CreateWithCustomerAsync(rep, "字段修改商机");

        var updated = await (await rep.PutAsJsonAsync($"/api/v1/opportunities/{created.Id}", new UpdateOpportunityRequest(
            "字段修改商机（改）", 88_000_00, "USD", new DateOnly(2027, 1, 15), "竞品甲", "下周演示", "说明", Probability: 25,
            Version: created.Version), Ct)).ExpectJsonAsync<OpportunityDto>();
        var back = await (await rep.PutAsJsonAsync($"/api/v1/opportunities/{created.Id}", new UpdateOpportunityRequest(
            updated.Name, updated.AmountMinor, updated.Currency, updated.ExpectedCloseDate, Version: updated.Version), Ct)).ExpectJsonAsync<OpportunityDto>();
        var stale = await rep.PutAsJsonAsync($"/api/v1/opportunities/{created.Id}", new UpdateOpportunityRequest("过期", Version: created.Version), Ct);

        Assert.Equal(("字段修改商机（改）", 88_000_00L, "USD", "竞品甲", "下周演示", 25, true),
            (updated.Name, updated.AmountMinor, updated.Currency, updated.Competitors, updated.NextStep, updated.Probability, updated.ProbabilityOverridden));
        Assert.Equal(22_000_00, updated.WeightedAmountMinor);
        Assert.Equal(created.Version + 1, updated.Version);
        Assert.Equal((10, false), (back.Probability, back.ProbabilityOverridden));
        await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("stageId")]
    [InlineData("ownerId")]
    [InlineData("status")]
    public async Task UpdateOpportunity_StageOwnerOrStatusInTheBody_Returns400AndChangesNothing(string field)
    {
        var stages = await TestOpportunities.StagesAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var created = await TestOpportunities.CreateWithCustomerAsync(rep, "绕过命令商机" + field);
        var value = field switch { "stageId" => stages.Contract.ToString(), "ownerId" => (await TestLeads.UserIdAsync(app, DemoUsers.Rep2)).ToString(), _ => "Won" };
        using var body = new StringContent($$"""{"name":"绕过","version":{{created.Version}},"{{field}}":"{{value}}"}""",
            System.Text.Encoding.UTF8, "application/json");

        var response = await rep.PutAsync($"/api/v1/opportunities/{created.Id}", body, Ct);

        await response.ExpectFieldErrorAsync(field);
        var after = await rep.GetJsonAsync<OpportunityDto>($"/api/v1/opportunities/{created.Id}");
        Assert.Equal((created.StageId, created.OwnerId, created.Status, created.Version), (after.StageId, after.OwnerId, after.Status, after.Version));
    }

    [Fact]
    public async Task MoveOpportunity_ForwardWithRequirementsMissing_Returns409ListingEachWithCodeAndText()
    {
        var stages = await TestOpportunities.StagesAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var created = await TestOpportunities.CreateWithCustomerAsync(rep, "缺输出物商机");

        var response = await rep.PostAsJsonAsync($"/api/v1/opportunities/{created.Id}/move", new MoveStageRequest(stages.Proposal, created.Version), Ct);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Conflict);
        var missing = problem.GetProperty("missing").EnumerateArray().ToList();
        Assert.Equal(["deliverable:needs-analysis-confirmed", "deliverable:decision-maker-known", "field:amount", "field:expectedCloseDate"],
            missing.Select(m => m.GetProperty("code").GetString()));
        Assert.Equal("A needs analysis confirmed by the customer", missing[0].GetProperty("text").GetString());
        Assert.All(missing, m => Assert.Equal("Needs analysis", m.GetProperty("group").GetString()));
        var after = await rep.GetJsonAsync<OpportunityDto>($"/api/v1/opportunities/{created.Id}");
        Assert.Equal((stages.Needs, created.Version), (after.StageId, after.Version));
        Assert.Single(await TestOpportunities.HistoryRowsAsync(app, created.Id));
    }

    [Fact]
    public async Task MoveOpportunity_RefusalInChinese_ListsTheRequirementsInChinese()
    {
        var stages = await TestOpportunities.StagesAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var created = await TestOpportunities.CreateWithCustomerAsync(rep, "中文提示商机");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/opportunities/{created.Id}/move")
        {
            Content = JsonContent.Create(new MoveStageRequest(stages.Proposal, created.Version)),
        };
        request.Headers.AcceptLanguage.Clear();
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("zh-CN"));

        var problem = await (await rep.SendAsync(request, Ct)).ExpectProblemAsync(HttpStatusCode.Conflict);

        var first = problem.GetProperty("missing")[0];
        Assert.Equal("客户已确认的需求分析报告", first.GetProperty("text").GetString());
        Assert.Equal("需求分析", first.GetProperty("group").GetString());
    }

    [Fact]
    public async Task MoveOpportunity_AfterTheDeliverablesExist_MovesClosesTheStayAndOpensTheNext()
    {
        var stages = await TestOpportunities.StagesAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var created = await TestOpportunities.CreateWithCustomerAsync(rep, "满足门槛商机");
        var ready = await TestOpportunities.MeetNeedsGateAsync(rep, app, created);
        Tick();

        var moved = await (await rep.PostAsJsonAsync($"/api/v1/opportunities/{created.Id}/move", new MoveStageRequest(stages.Proposal, ready.Version), Ct))
            .ExpectJsonAsync<OpportunityDto>();

        Assert.Equal((stages.Proposal, 30, ready.Version + 1), (moved.StageId, moved.Probability, moved.Version));
        Assert.Equal(150_000_00, moved.WeightedAmountMinor);
        var rows = await TestOpportunities.HistoryRowsAsync(app, created.Id);
        Assert.Equal(2, rows.Count);
        var rep1 = await TestLeads.UserIdAsync(app, DemoUsers.Rep);
        Assert.Equal((TestLeads.Now(app), rep1), (rows[0].ExitedAt, rows[0].ExitedBy));
        Assert.Equal((StageEntryKind.Forward, stages.Proposal, (Guid?)stages.Needs, (DateTime?)null, rep1),
            (rows[1].Kind, rows[1].StageId, rows[1].FromStageId, rows[1].ExitedAt, rows[1].EnteredBy));
    }

    [Fact]
    public async Task MoveOpportunity_SkippingAStage_NeedsTheRequirementsOfEveryStageLeft()
    {
        var stages = await TestOpportunities.StagesAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var ready = await TestOpportunities.MeetNeedsGateAsync(rep, app, await TestOpportunities.CreateWithCustomerAsync(rep, "跳级商机"));

        var problem = await (await rep.PostAsJsonAsync($"/api/v1/opportunities/{ready.Id}/move", new MoveStageRequest(stages.Negotiation, ready.Version), Ct))
            .ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(["deliverable:quote-approved", "checklist:" + stages.Checklist(stages.Proposal).Id],
            problem.GetProperty("missing").EnumerateArray().Select(m => m.GetProperty("code").GetString()));
        Assert.All(problem.GetProperty("missing").EnumerateArray(), m => Assert.Equal("Proposal", m.GetProperty("group").GetString()));
    }

    [Fact]
    public async Task MoveOpportunity_Backward_IsAlwaysAllowedAndRecordedAsBack()
    {
        var stages = await TestOpportunities.StagesAsync(app);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var created = await TestOpportunities.CreateWithCustomerAsync(manager, "回退商机");
        var forward = await (await manager.PostAsJsonAsync($"/api/v1/opportunities/{created.Id}/override",
            new OverrideStageRequest(stages.Contract, "客户高层已拍板", created.Version), Ct)).ExpectJsonAsync<OpportunityDto>();
        Tick();

        var back = await (await manager.PostAsJsonAsync($"/api/v1/opportunities/{created.Id}/move", new MoveStageRequest(stages.Proposal, forward.Version), Ct))
            .ExpectJsonAsync<OpportunityDto>();

        Assert.Equal((stages.Proposal, 30), (back.StageId, back.Probability));
        var last = (await TestOpportunities.HistoryRowsAsync(app, created.Id))[^1];
        Assert.Equal((StageEntryKind.Back, (Guid?)stages.Contract), (last.Kind, last.FromStageId));
    }

    [Fact]
    public async Task OverrideGate_Rep_Returns403AndTheManagersOverrideIsRecordedWithReasonAndWhatWasMissing()
    {
        var stages = await TestOpportunities.StagesAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var created = await TestOpportunities.CreateWithCustomerAsync(rep, "越级审批商机");
        Tick();

        var byRep = await rep.PostAsJsonAsync($"/api/v1/opportunities/{created.Id}/override", new OverrideStageRequest(stages.Proposal, "想跳", created.Version), Ct);
        var noReason = await manager.PostAsJsonAsync($"/api/v1/opportunities/{created.Id}/override", new OverrideStageRequest(stages.Proposal, " ", created.Version), Ct);
        var moved = await (await manager.PostAsJsonAsync($"/api/v1/opportunities/{created.Id}/override",
            new OverrideStageRequest(stages.Proposal, "客户已口头确认需求", created.Version), Ct)).ExpectJsonAsync<OpportunityDto>();

        await byRep.ExpectProblemAsync(HttpStatusCode.Forbidden);
        await noReason.ExpectFieldErrorAsync("reason");
        Assert.Equal(stages.Proposal, moved.StageId);
        var entry = (await TestOpportunities.HistoryRowsAsync(app, created.Id))[^1];
        Assert.Equal((StageEntryKind.Override, "客户已口头确认需求"), (entry.Kind, entry.OverrideReason));
        Assert.Equal("deliverable:needs-analysis-confirmed\ndeliverable:decision-maker-known\nfield:amount\nfield:expectedCloseDate", entry.MissingRequirements);
        var history = await manager.GetJsonAsync<List<StageEntryDto>>($"/api/v1/opportunities/{created.Id}/stage-history");
        Assert.Equal(["A needs analysis confirmed by the customer", "A decision maker among the contacts", "The amount filled in",
            "The expected close date filled in"], history[^1].Missing);
    }

    [Fact]
    public async Task BulkMove_ThreeOpportunities_EachGoesThroughTheGateAndWritesTheSameRowsAndVersionsAsASingleMove()
    {
        var stages = await TestOpportunities.StagesAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var single = await TestOpportunities.MeetNeedsGateAsync(rep, app, await TestOpportunities.CreateWithCustomerAsync(rep, "单个移动商机"));
        var bulkA = await TestOpportunities.MeetNeedsGateAsync(rep, app, await TestOpportunities.CreateWithCustomerAsync(rep, "批量移动商机甲"));
        var bulkB = await TestOpportunities.MeetNeedsGateAsync(rep, app, await TestOpportunities.CreateWithCustomerAsync(rep, "批量移动商机乙"));
        var blocked = await TestOpportunities.CreateWithCustomerAsync(rep, "批量被拦商机");
        var hidden = await HiddenOpportunityAsync();
        Tick();

        var moved = await (await rep.PostAsJsonAsync($"/api/v1/opportunities/{single.Id}/move", new MoveStageRequest(stages.Proposal, single.Version), Ct))
            .ExpectJsonAsync<OpportunityDto>();
        var result = await (await rep.PostAsJsonAsync("/api/v1/opportunities/bulk/move",
            new BulkMoveRequest([bulkA.Id, bulkB.Id, blocked.Id, hidden], stages.Proposal), Ct)).ExpectJsonAsync<BulkMoveResult>();

        Assert.Equal((2, 2), (result.Succeeded, result.Failed));
        Assert.Equal([true, true, false, false], result.Items.Select(i => i.Moved));
        Assert.Equal("requirements", result.Items[2].Error);
        Assert.Contains(result.Items[2].Missing!, m => m.Code == "deliverable:needs-analysis-confirmed");
        Assert.Equal("notFound", result.Items[3].Error);
        static object Shape(StageEntry e) => (e.Kind, e.FromStageId, e.StageId, e.ExitedAt is null, e.EnteredBy, e.OverrideReason, e.MissingRequirements);
        var singleRows = (await TestOpportunities.HistoryRowsAsync(app, single.Id)).Select(Shape).ToList();
        foreach (var bulk in new[] { bulkA, bulkB })
        {
            Assert.Equal(singleRows, (await TestOpportunities.HistoryRowsAsync(app, bulk.Id)).Select(Shape).ToList());
            var after = await rep.GetJsonAsync<OpportunityDto>($"/api/v1/opportunities/{bulk.Id}");
            Assert.Equal((stages.Proposal, bulk.Version + 1), (after.StageId, after.Version));
            Assert.Equal(after.Version, result.Items.Single(i => i.Id == bulk.Id).Version);
        }

        Assert.Equal(single.Version + 1, moved.Version);
        Assert.Equal(stages.Needs, (await rep.GetJsonAsync<OpportunityDto>($"/api/v1/opportunities/{blocked.Id}")).StageId);
        Assert.Single(await TestOpportunities.HistoryRowsAsync(app, blocked.Id));
    }

    [Fact]
    public async Task BulkMove_OverrideByRep_Returns403()
    {
        var stages = await TestOpportunities.StagesAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var created = await TestOpportunities.CreateWithCustomerAsync(rep, "批量越级商机");

        var response = await rep.PostAsJsonAsync("/api/v1/opportunities/bulk/move", new BulkMoveRequest([created.Id], stages.Proposal, "跳过"), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task WinOpportunity_GatesOfTheRemainingStagesUnmet_Returns409AndAManagersOverrideClosesItWon()
    {
        var stages = await TestOpportunities.StagesAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var ready = await TestOpportunities.MeetNeedsGateAsync(rep, app, await TestOpportunities.CreateWithCustomerAsync(rep, "赢单商机"));

        var refused = await (await rep.PostAsJsonAsync($"/api/v1/opportunities/{ready.Id}/win", new WinOpportunityRequest(ready.Version), Ct))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        var repOverride = await rep.PostAsJsonAsync($"/api/v1/opportunities/{ready.Id}/win", new WinOpportunityRequest(ready.Version, "签了"), Ct);
        Tick();
        var won = await (await manager.PostAsJsonAsync($"/api/v1/opportunities/{ready.Id}/win", new WinOpportunityRequest(ready.Version, "合同已签，补录报价"), Ct))
            .ExpectJsonAsync<OpportunityDto>();

        Assert.Equal(["deliverable:quote-approved", "checklist:" + stages.Checklist(stages.Proposal).Id, "deliverable:negotiation-agreed",
            "checklist:" + stages.Checklist(stages.Contract).Id], refused.GetProperty("missing").EnumerateArray().Select(m => m.GetProperty("code").GetString()));
        await repOverride.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal((OpportunityStatus.Won, stages.Won, 100, TestLeads.Now(app)), (won.Status, won.StageId, won.Probability, won.ClosedAt));
        var last = (await TestOpportunities.HistoryRowsAsync(app, ready.Id))[^1];
        Assert.Equal((StageEntryKind.Override, "合同已签，补录报价"), (last.Kind, last.OverrideReason));
        var customer = await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{ready.CustomerId}");
        Assert.Equal(LifecycleStage.Customer, customer.Stage);
        await (await rep.PostAsJsonAsync($"/api/v1/opportunities/{ready.Id}/move", new MoveStageRequest(stages.Contract, won.Version), Ct))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task WinOpportunity_EveryGateMet_ClosesWonWithoutOverride()
    {
        var stages = await TestOpportunities.StagesAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var ready = await TestOpportunities.MeetNeedsGateAsync(rep, app, await TestOpportunities.CreateWithCustomerAsync(rep, "顺利赢单商机"));
        await using (var db = await app.SystemDbAsync())
        {
            // The deliverables of the later stages, as the quote and negotiation features record them.
            db.Quotes.Add(new Modules.Quotes.Quote { OpportunityId = ready.Id, Number = "Q-TEST-0001", Title = "报价", Status = Modules.Quotes.QuoteStatus.Approved });
            db.NegotiationMinutes.Add(new NegotiationMinutes { OpportunityId = ready.Id, Attendees = "双方", MeetingAt = TestLeads.Now(app), PaymentTerms = "30/70" });
            await db.SaveChangesAsync(Ct);
        }

        foreach (var stage in new[] { stages.Proposal, stages.Contract })
        {
            await (await rep.PutAsync($"/api/v1/opportunities/{ready.Id}/checklist/{stages.Checklist(stage).Id}", null, Ct)).ExpectAsync(HttpStatusCode.OK);
        }

        Tick();
        var won = await (await rep.PostAsJsonAsync($"/api/v1/opportunities/{ready.Id}/win", new WinOpportunityRequest(ready.Version), Ct))
            .ExpectJsonAsync<OpportunityDto>();

        Assert.Equal(OpportunityStatus.Won, won.Status);
        Assert.Equal(StageEntryKind.Closed, (await TestOpportunities.HistoryRowsAsync(app, ready.Id))[^1].Kind);
    }

    [Fact]
    public async Task LoseOpportunity_ReasonRequiredFromTheList_ThenClosesLostAndReopensInTheStageItLeft()
    {
        var stages = await TestOpportunities.StagesAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var created = await TestOpportunities.CreateWithCustomerAsync(rep, "输单商机");
        var url = $"/api/v1/opportunities/{created.Id}";

        var none = await rep.PostAsJsonAsync(url + "/lose", new LoseOpportunityRequest(null, Version: created.Version), Ct);
        var unknown = await rep.PostAsJsonAsync(url + "/lose", new LoseOpportunityRequest("not-a-reason", Version: created.Version), Ct);
        Tick();
        var lost = await (await rep.PostAsJsonAsync(url + "/lose", new LoseOpportunityRequest("competitor", "某竞品公司", created.Version), Ct))
            .ExpectJsonAsync<OpportunityDto>();
        Tick();
        var reopened = await (await rep.PostAsJsonAsync(url + "/reopen", new ReopenOpportunityRequest(Version: lost.Version), Ct)).ExpectJsonAsync<OpportunityDto>();

        await none.ExpectFieldErrorAsync("reason");
        await unknown.ExpectFieldErrorAsync("reason");
        Assert.Equal((OpportunityStatus.Lost, stages.Lost, 0, "competitor", "某竞品公司"),
            (lost.Status, lost.StageId, lost.Probability, lost.LostReason, lost.LostToCompetitor));
        Assert.NotNull(lost.ClosedAt);
        Assert.Equal((OpportunityStatus.Open, stages.Needs, 10, (DateTime?)null, (string?)null),
            (reopened.Status, reopened.StageId, reopened.Probability, reopened.ClosedAt, reopened.LostReason));
        Assert.Equal([StageEntryKind.Created, StageEntryKind.Closed, StageEntryKind.Reopened],
            (await TestOpportunities.HistoryRowsAsync(app, created.Id)).Select(e => e.Kind));
    }

    [Fact]
    public async Task AssignOpportunity_ManagerWithinTheTeam_ChangesTheOwnerAndTellsBoth()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var manager2 = await app.ClientForAsync(DemoUsers.Manager2);
        var created = await TestOpportunities.CreateWithCustomerAsync(rep, "分配商机");
        var rep2 = await TestLeads.UserIdAsync(app, DemoUsers.Rep2);
        var south = await TestLeads.UserIdAsync(app, DemoUsers.SouthRep);

        var byRep = await rep.PostAsJsonAsync($"/api/v1/opportunities/{created.Id}/assign", new AssignOpportunityRequest(rep2, created.Version), Ct);
        var byOtherManager = await manager2.PostAsJsonAsync($"/api/v1/opportunities/{created.Id}/assign", new AssignOpportunityRequest(rep2, created.Version), Ct);
        var outside = await manager.PostAsJsonAsync($"/api/v1/opportunities/{created.Id}/assign", new AssignOpportunityRequest(south, created.Version), Ct);
        var assigned = await (await manager.PostAsJsonAsync($"/api/v1/opportunities/{created.Id}/assign", new AssignOpportunityRequest(rep2, created.Version), Ct))
            .ExpectJsonAsync<OpportunityDto>();

        await byRep.ExpectProblemAsync(HttpStatusCode.Forbidden);
        await byOtherManager.ExpectProblemAsync(HttpStatusCode.NotFound);
        await outside.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal((rep2, created.Version + 1), (assigned.OwnerId!.Value, assigned.Version));
        await using var db = await app.SystemDbAsync();
        var kinds = await db.Notifications.Where(n => n.RecordId == created.Id).Select(n => new { n.UserId, n.Kind }).ToListAsync(Ct);
        Assert.Contains(kinds, n => n.UserId == rep2 && n.Kind == OpportunityNotifications.Assigned);
        Assert.Contains(kinds, n => n.UserId == created.OwnerId && n.Kind == OpportunityNotifications.Reassigned);
    }

    [Fact]
    public async Task TickChecklist_ChecklistItem_TicksAndUnticksAndADeliverableCannotBeTicked()
    {
        var stages = await TestOpportunities.StagesAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var created = await TestOpportunities.CreateWithCustomerAsync(rep, "勾选清单商机");
        var item = stages.Checklist(stages.Proposal);
        var deliverable = stages.Requirements.First(r => r.StageId == stages.Needs && r.Kind == RequirementKind.Deliverable);
        var url = $"/api/v1/opportunities/{created.Id}/checklist/";

        var ticked = await (await rep.PutAsync(url + item.Id, null, Ct)).ExpectJsonAsync<OpportunityStagesDto>();
        var cannot = await rep.PutAsync(url + deliverable.Id, null, Ct);
        var unticked = await (await rep.DeleteAsync(url + item.Id, Ct)).ExpectJsonAsync<OpportunityStagesDto>();

        RequirementStatusDto Find(OpportunityStagesDto dto) => dto.Stages.SelectMany(s => s.Requirements).Single(r => r.Id == item.Id);
        Assert.True(Find(ticked).Met);
        Assert.Equal("张伟", Find(ticked).TickedByName);
        Assert.False(Find(unticked).Met);
        await cannot.ExpectFieldErrorAsync("requirementId");
        Assert.Equal((stages.Needs, (Guid?)stages.Proposal), (ticked.CurrentStageId, ticked.NextStageId));
        Assert.Equal("Proposal presented and feedback received", Find(ticked).Text);
    }

    [Fact]
    public async Task ListOpportunities_FiltersSortsAndPages_ReturnsExactlyTheMatchingOnes()
    {
        var stages = await TestOpportunities.StagesAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await TestCustomers.CreateAsync(rep, "列表筛选测试客户");
        var made = new List<OpportunityDto>();
        for (var i = 0; i < 7; i++)
        {
            made.Add(await TestOpportunities.CreateAsync(rep, customer.Id, $"列表商机{i}",
                new CreateOpportunityRequest(customer.Id, "x", (i + 1) * 10_000_00, ExpectedCloseDate: i % 3 == 0 ? null : new DateOnly(2027, 1, 1).AddDays(i * 7))));
        }

        var byDate = await rep.ListAllAsync<OpportunityListItem>($"/api/v1/opportunities?customerId={customer.Id}&sort=expectedCloseDate", limit: 2);
        var byAmount = await rep.ListAllAsync<OpportunityListItem>($"/api/v1/opportunities?customerId={customer.Id}&sort=-amount", limit: 3);
        var ranged = await rep.GetJsonAsync<ListPage<OpportunityListItem>>(
            $"/api/v1/opportunities?customerId={customer.Id}&closeFrom=2027-01-10&closeTo=2027-02-01&stageId={stages.Needs}&status=Open");
        var searched = await rep.GetJsonAsync<ListPage<OpportunityListItem>>("/api/v1/opportunities?q=" + Uri.EscapeDataString("列表筛选测试"));

        Assert.Equal(made.OrderBy(o => o.ExpectedCloseDate ?? DateOnly.MaxValue).ThenBy(o => o.Id).Select(o => o.Id), byDate.Select(o => o.Id));
        Assert.Equal(made.OrderByDescending(o => o.AmountMinor).Select(o => o.Id), byAmount.Select(o => o.Id));
        Assert.Equal(made.Where(o => o.ExpectedCloseDate >= new DateOnly(2027, 1, 10) && o.ExpectedCloseDate <= new DateOnly(2027, 2, 1)).Select(o => o.Id).Order(),
            ranged.Items.Select(o => o.Id).Order());
        Assert.Equal(7, searched.Count);
        Assert.All(byDate, o => Assert.Equal(("Needs analysis", customer.Name), (o.StageName, o.CustomerName)));
        await (await rep.GetAsync("/api/v1/opportunities?sort=stage", Ct)).ExpectFieldErrorAsync("sort");
    }

    /// <summary>An opportunity of 何芸 (Shenzhen) that 张伟 cannot see.</summary>
    private async Task<Guid> HiddenOpportunityAsync()
    {
        using var south = await app.ClientForAsync(DemoUsers.SouthRep);
        return (await TestOpportunities.CreateWithCustomerAsync(south, "深圳看不见的商机" + Guid.NewGuid().ToString("N")[..6])).Id;
    }

    [Fact]
    public async Task Board_EveryDealOrOneTeamsDeals_FirstCardsAreTheColumnsBiggestAsLoadMoreOrdersThem()
    {
        var stages = await TestOpportunities.StagesAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await TestCustomers.CreateAsync(rep, "看板排序测试有限公司");
        // Equal amounts too, so the id decides between them as it does for "load more".
        foreach (var (name, amount) in new[] { ("看板甲", 500_00L), ("看板乙", 900_00L), ("看板丙", 900_00L), ("看板丁", 100_00L), ("看板戊", 900_00L) })
        {
            await TestOpportunities.CreateAsync(rep, customer.Id, name, new CreateOpportunityRequest(customer.Id, name, amount));
        }

        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        foreach (var client in new[] { admin, manager })
        {
            var board = await client.GetJsonAsync<Modules.Opportunities.Board.BoardDto>("/api/v1/opportunities/board?limit=2");
            var needs = board.Columns.Single(c => c.StageId == stages.Needs);
            var firstPage = await client.GetJsonAsync<ListPage<Modules.Opportunities.Board.BoardCard>>(
                $"/api/v1/opportunities/board/column?stageId={stages.Needs}&limit=2");
            Assert.Equal(firstPage.Items.Select(c => c.Id), needs.Cards.Select(c => c.Id));
            Assert.NotNull(needs.NextCursor);
            // Every card of the column, page after page from the board's cursor, in the column's order, each once.
            var all = needs.Cards.ToList();
            var cursor = needs.NextCursor;
            while (cursor is not null)
            {
                var more = await client.GetJsonAsync<ListPage<Modules.Opportunities.Board.BoardCard>>(
                    $"/api/v1/opportunities/board/column?stageId={stages.Needs}&limit=2&cursor={Uri.EscapeDataString(cursor)}");
                all.AddRange(more.Items);
                cursor = more.NextCursor;
            }

            Assert.Equal(needs.Count, all.Count);
            Assert.Equal(all.Count, all.Select(c => c.Id).Distinct().Count());
            Assert.Equal(all.OrderByDescending(c => c.AmountMinor).Select(c => c.AmountMinor), all.Select(c => c.AmountMinor));
        }
    }
}
