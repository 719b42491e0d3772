using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.Timeline;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Opportunities.Checklist;
using LeadToCash.Modules.Opportunities.CreateOpportunity;
using LeadToCash.Modules.Opportunities.Pipelines;
using LeadToCash.Modules.Opportunities.StageMoves;
using LeadToCash.Modules.Opportunities.UpdateOpportunity;
using LeadToCash.Modules.Organization.HandOver;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Api;

/// <summary>
/// Pipeline administration (stages, kinds, requirements and their order, the default), and what opportunities add to the
/// customer timeline and the hand-over.
/// </summary>
[DatabaseTest]
public sealed class OpportunityPipelinesApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pipelines_AdminBuildsAPipeline_NewDealsWalkItsStagesAndGates()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var pipeline = await (await admin.PostAsJsonAsync("/api/v1/pipelines", new PipelineRequest("项目型销售", "Project sales", "系统集成"), Ct))
            .ExpectJsonAsync<PipelineDto>(HttpStatusCode.Created);
        pipeline = await (await admin.PostAsJsonAsync($"/api/v1/pipelines/{pipeline.Id}/stages", new StageRequest("初步接触", "First contact", 5), Ct)).ExpectJsonAsync<PipelineDto>();
        pipeline = await (await admin.PostAsJsonAsync($"/api/v1/pipelines/{pipeline.Id}/stages", new StageRequest("招投标", "Tender", 50), Ct)).ExpectJsonAsync<PipelineDto>();
        var first = pipeline.Stages[0];
        var tender = pipeline.Stages[1];
        pipeline = await (await admin.PostAsJsonAsync($"/api/v1/pipelines/{pipeline.Id}/stages/{first.Id}/requirements",
            new RequirementRequest(RequirementKind.Field, GateFields.NextStep), Ct)).ExpectJsonAsync<PipelineDto>();
        pipeline = await (await admin.PostAsJsonAsync($"/api/v1/pipelines/{pipeline.Id}/stages/{first.Id}/requirements",
            new RequirementRequest(RequirementKind.Checklist, Text: "已拿到招标文件", TextEn: "Tender documents obtained"), Ct)).ExpectJsonAsync<PipelineDto>();
        var twice = await admin.PostAsJsonAsync($"/api/v1/pipelines/{pipeline.Id}/stages/{first.Id}/requirements",
            new RequirementRequest(RequirementKind.Field, GateFields.NextStep), Ct);
        var unknown = await admin.PostAsJsonAsync($"/api/v1/pipelines/{pipeline.Id}/stages/{first.Id}/requirements",
            new RequirementRequest(RequirementKind.Deliverable, "contract-signed"), Ct);
        var secondWon = await admin.PostAsJsonAsync($"/api/v1/pipelines/{pipeline.Id}/stages", new StageRequest("又一个赢单", Kind: StageKind.Won, Probability: 100), Ct);

        Assert.Equal(["初步接触", "招投标", "赢单", "输单"], pipeline.Stages.Select(s => s.Name));
        Assert.Equal(["The next step filled in", "Tender documents obtained"], pipeline.Stages[0].Requirements.Select(r => r.Label));
        await twice.ExpectProblemAsync(HttpStatusCode.Conflict);
        await unknown.ExpectFieldErrorAsync("code");
        await secondWon.ExpectProblemAsync(HttpStatusCode.Conflict);

        var customer = await TestCustomers.CreateAsync(rep, "项目型销售客户");
        var deal = await TestOpportunities.CreateAsync(rep, customer.Id, "集成项目", new CreateOpportunityRequest(customer.Id, "x", PipelineId: pipeline.Id));
        Assert.Equal((first.Id, 5, "First contact"), (deal.StageId, deal.Probability, deal.StageName));
        var refused = await (await rep.PostAsJsonAsync($"/api/v1/opportunities/{deal.Id}/move", new MoveStageRequest(tender.Id, deal.Version), Ct))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(2, refused.GetProperty("missing").GetArrayLength());
        var otherPipelineStage = (await TestOpportunities.StagesAsync(app)).Proposal;
        await (await rep.PostAsJsonAsync($"/api/v1/opportunities/{deal.Id}/move", new MoveStageRequest(otherPipelineStage, deal.Version), Ct))
            .ExpectFieldErrorAsync("stageId");

        // Reordered requirements, the default moved over, and the old default cannot be switched off while default.
        var reordered = await (await admin.PutAsJsonAsync($"/api/v1/pipelines/{pipeline.Id}/stages/{first.Id}/requirements/order",
            new OrderRequest([.. pipeline.Stages[0].Requirements.Select(r => r.Id).Reverse()]), Ct)).ExpectJsonAsync<PipelineDto>();
        Assert.Equal(["Tender documents obtained", "The next step filled in"], reordered.Stages[0].Requirements.Select(r => r.Label));
        var standard = (await TestOpportunities.StagesAsync(app)).PipelineId;
        var standardDto = await admin.GetJsonAsync<PipelineDto>($"/api/v1/pipelines/{standard}");
        await (await admin.PutAsJsonAsync($"/api/v1/pipelines/{standard}", new PipelineRequest(standardDto.Name, standardDto.NameEn, IsActive: false, Version: standardDto.Version), Ct))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PostAsync($"/api/v1/pipelines/{pipeline.Id}/default", null, Ct)).ExpectAsync(HttpStatusCode.OK);
        var all = await admin.GetJsonAsync<List<PipelineDto>>("/api/v1/pipelines");
        Assert.Equal([pipeline.Id], all.Where(p => p.IsDefault).Select(p => p.Id));
        await (await admin.PostAsync($"/api/v1/pipelines/{standard}/default", null, Ct)).ExpectAsync(HttpStatusCode.OK);

        // A stage with deals in it stays on; an empty one can be switched off and then leaves the board.
        var tenderDto = reordered.Stages.Single(s => s.Id == tender.Id);
        var firstDto = reordered.Stages.Single(s => s.Id == first.Id);
        await (await admin.PutAsJsonAsync($"/api/v1/pipelines/{pipeline.Id}/stages/{first.Id}",
            new StageRequest(firstDto.Name, firstDto.NameEn, firstDto.Probability, StageKind.Open, false, firstDto.Version), Ct)).ExpectProblemAsync(HttpStatusCode.Conflict);
        var off = await (await admin.PutAsJsonAsync($"/api/v1/pipelines/{pipeline.Id}/stages/{tender.Id}",
            new StageRequest("投标", "Bid", 55, StageKind.Open, false, tenderDto.Version), Ct)).ExpectJsonAsync<PipelineDto>();
        Assert.False(off.Stages.Single(s => s.Id == tender.Id).IsActive);
        var board = await rep.GetJsonAsync<Modules.Opportunities.Board.BoardDto>($"/api/v1/opportunities/board?pipelineId={pipeline.Id}");
        Assert.DoesNotContain(board.Columns, c => c.StageId == tender.Id);
        Assert.Equal(1, board.Columns.Single(c => c.StageId == first.Id).Count);
    }

    [Fact]
    public async Task UpdateStage_NewProbability_DealsTakingTheStagesFollowAndAnOverriddenOneStays()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var pipeline = await (await admin.PostAsJsonAsync("/api/v1/pipelines", new PipelineRequest("概率调整管道", "Re-rated"), Ct)).ExpectJsonAsync<PipelineDto>(HttpStatusCode.Created);
        pipeline = await (await admin.PostAsJsonAsync($"/api/v1/pipelines/{pipeline.Id}/stages", new StageRequest("初步接触", "First contact", 5), Ct)).ExpectJsonAsync<PipelineDto>();
        var stage = pipeline.Stages[0];
        var following = await TestOpportunities.CreateWithCustomerAsync(rep, "跟随阶段概率", new CreateOpportunityRequest(Guid.Empty, "", PipelineId: pipeline.Id));
        var estimated = await TestOpportunities.CreateWithCustomerAsync(rep, "自估概率", new CreateOpportunityRequest(Guid.Empty, "", PipelineId: pipeline.Id));
        await (await rep.PutAsJsonAsync($"/api/v1/opportunities/{estimated.Id}",
            new UpdateOpportunityRequest(estimated.Name, Probability: 40, Version: estimated.Version), Ct)).ExpectJsonAsync<OpportunityDto>();

        await (await admin.PutAsJsonAsync($"/api/v1/pipelines/{pipeline.Id}/stages/{stage.Id}",
            new StageRequest(stage.Name, stage.NameEn, 15, StageKind.Open, true, stage.Version), Ct)).ExpectJsonAsync<PipelineDto>();

        var followed = await rep.GetJsonAsync<OpportunityDto>($"/api/v1/opportunities/{following.Id}");
        Assert.Equal((5, 15), (following.Probability, followed.Probability));
        Assert.True(followed.Version > following.Version);
        Assert.Equal(40, (await rep.GetJsonAsync<OpportunityDto>($"/api/v1/opportunities/{estimated.Id}")).Probability);
    }

    [Fact]
    public async Task OrderStages_NotEveryStageOnce_Returns400()
    {
        var stages = await TestOpportunities.StagesAsync(app);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var response = await admin.PutAsJsonAsync($"/api/v1/pipelines/{stages.PipelineId}/stages/order", new OrderRequest([stages.Needs, stages.Needs]), Ct);

        await response.ExpectFieldErrorAsync("ids");
    }

    [Fact]
    public async Task CustomerTimeline_OpportunityCreatedMovedAndLost_ShowsEachEventWithTheDeal()
    {
        var stages = await TestOpportunities.StagesAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var deal = await TestOpportunities.CreateWithCustomerAsync(rep, "时间线商机");
        app.Clock.Advance(TimeSpan.FromHours(1));
        var moved = await (await manager.PostAsJsonAsync($"/api/v1/opportunities/{deal.Id}/override",
            new OverrideStageRequest(stages.Proposal, "先出方案", deal.Version), Ct)).ExpectJsonAsync<OpportunityDto>();
        app.Clock.Advance(TimeSpan.FromHours(1));
        await (await rep.PostAsJsonAsync($"/api/v1/opportunities/{deal.Id}/lose", new LoseOpportunityRequest("price", "低价竞品", moved.Version), Ct))
            .ExpectAsync(HttpStatusCode.OK);

        var timeline = await rep.GetJsonAsync<CustomerTimelinePage>($"/api/v1/customers/{deal.CustomerId}/timeline");

        var events = timeline.Items.Where(e => e.RecordId == deal.Id).ToList();
        Assert.Equal(["OpportunityLost", "OpportunityStage", "OpportunityCreated"], events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Equal(("时间线商机", $"/opportunities/{deal.Id}"), (e.Summary, e.Link)));
        Assert.Equal("Needs analysis → Proposal (先出方案)", events[1].Detail);
        Assert.Equal("低价竞品", events[0].Detail);
        Assert.Equal("Needs analysis", events[2].Detail);
    }

    [Fact]
    public async Task HandOver_RepWithDeals_OpenOnesGoToTheColleagueAndClosedOnesStay()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var zhao = await TestLeads.UserIdAsync(app, "zhao.min@demo.test");
        var rep2 = await TestLeads.UserIdAsync(app, DemoUsers.Rep2);
        using var zhaoClient = await app.ClientForAsync("zhao.min@demo.test");
        var open1 = await TestOpportunities.CreateWithCustomerAsync(zhaoClient, "交接商机一");
        var open2 = await TestOpportunities.CreateWithCustomerAsync(zhaoClient, "交接商机二");
        var lost = await TestOpportunities.CreateWithCustomerAsync(zhaoClient, "交接已输商机");
        await (await zhaoClient.PostAsJsonAsync($"/api/v1/opportunities/{lost.Id}/lose", new LoseOpportunityRequest("timing", Version: lost.Version), Ct))
            .ExpectAsync(HttpStatusCode.OK);

        var preview = await manager.GetJsonAsync<HandOverPreviewDto>($"/api/v1/users/{zhao}/hand-over");
        var summary = await (await manager.PostAsJsonAsync($"/api/v1/users/{zhao}/hand-over", new HandOverRequest([rep2]), Ct))
            .ExpectJsonAsync<HandOverSummaryDto>();

        Assert.Equal(2, preview.Counts.Single(c => c.Kind == "opportunities").Count);
        Assert.Equal(2, summary.CountOf("opportunities"));
        await using var db = await app.SystemDbAsync();
        var owners = await db.Opportunities.Where(o => o.Id == open1.Id || o.Id == open2.Id || o.Id == lost.Id).ToDictionaryAsync(o => o.Id, o => o.OwnerId, Ct);
        Assert.Equal((rep2, rep2, zhao), (owners[open1.Id]!.Value, owners[open2.Id]!.Value, owners[lost.Id]!.Value));
    }
}
