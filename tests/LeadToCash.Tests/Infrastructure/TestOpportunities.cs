using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.Contacts;
using LeadToCash.Modules.Customers.NeedsAnalyses;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Opportunities.CreateOpportunity;
using LeadToCash.Modules.Opportunities.UpdateOpportunity;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>The default pipeline's stages by their Chinese names, as seeded (需求分析 → 方案呈现 → 商务谈判 → 合同签署 → 赢单 / 输单).</summary>
public sealed record DefaultStages(Guid PipelineId, Guid Needs, Guid Proposal, Guid Negotiation, Guid Contract, Guid Won, Guid Lost,
    IReadOnlyList<StageRequirement> Requirements)
{
    public StageRequirement Checklist(Guid stageId) => Requirements.Single(r => r.StageId == stageId && r.Kind == RequirementKind.Checklist);
}

/// <summary>Opportunities for tests: made through the API, and the records their gates look for.</summary>
public static class TestOpportunities
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<DefaultStages> StagesAsync(AppFactory app)
    {
        await using var db = await app.SystemDbAsync();
        var pipeline = await db.Pipelines.AsNoTracking().SingleAsync(p => p.Name == "标准销售流程", Ct);
        var stages = await db.PipelineStages.AsNoTracking().Where(s => s.PipelineId == pipeline.Id).ToDictionaryAsync(s => s.Name, s => s.Id, Ct);
        var ids = stages.Values.ToList();
        var requirements = await db.StageRequirements.AsNoTracking().Where(r => ids.Contains(r.StageId)).ToListAsync(Ct);
        return new DefaultStages(pipeline.Id, stages["需求分析"], stages["方案呈现"], stages["商务谈判"], stages["合同签署"], stages["赢单"],
            stages["输单"], requirements);
    }

    public static async Task<OpportunityDto> CreateAsync(HttpClient client, Guid customerId, string name, CreateOpportunityRequest? request = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/opportunities",
            (request ?? new CreateOpportunityRequest(customerId, name)) with { CustomerId = customerId, Name = name }, Ct);
        return await response.ExpectJsonAsync<OpportunityDto>(HttpStatusCode.Created);
    }

    /// <summary>A new customer of the client's user and an opportunity of it.</summary>
    public static async Task<OpportunityDto> CreateWithCustomerAsync(HttpClient client, string name, CreateOpportunityRequest? request = null)
    {
        var customer = await TestCustomers.CreateAsync(client, name + "客户");
        return await CreateAsync(client, customer.Id, name, request);
    }

    public static async Task<ContactDto> AddDecisionMakerAsync(HttpClient client, Guid customerId, string name = "王总")
    {
        var response = await client.PostAsJsonAsync($"/api/v1/customers/{customerId}/contacts",
            new ContactRequest(name, "总经理", Mobile: "13800000001", Role: PurchaseRole.DecisionMaker), Ct);
        return await response.ExpectJsonAsync<ContactDto>(HttpStatusCode.Created);
    }

    /// <summary>A needs analysis of the customer, confirmed by it an hour after the meeting (both in the past of the fake clock).</summary>
    public static async Task<NeedsAnalysisDto> ConfirmedNeedsAnalysisAsync(HttpClient client, AppFactory app, Guid customerId)
    {
        var now = TestLeads.Now(app);
        var created = await (await client.PostAsJsonAsync($"/api/v1/customers/{customerId}/needs-analyses",
            new NeedsAnalysisRequest("需求分析", now.AddHours(-3)), Ct)).ExpectJsonAsync<NeedsAnalysisDto>(HttpStatusCode.Created);
        return await (await client.PostAsJsonAsync($"/api/v1/customers/{customerId}/needs-analyses/{created.Id}/confirm",
            new ConfirmNeedsAnalysisRequest(now.AddHours(-2), "微信确认", created.Version), Ct)).ExpectJsonAsync<NeedsAnalysisDto>();
    }

    /// <summary>Meets every requirement of 需求分析: amount, close date, a decision maker among the contacts, a confirmed analysis.</summary>
    public static async Task<OpportunityDto> MeetNeedsGateAsync(HttpClient client, AppFactory app, OpportunityDto opportunity)
    {
        var boss = await AddDecisionMakerAsync(client, opportunity.CustomerId);
        await ConfirmedNeedsAnalysisAsync(client, app, opportunity.CustomerId);
        var current = await client.GetJsonAsync<OpportunityDto>($"/api/v1/opportunities/{opportunity.Id}");
        return await (await client.PutAsJsonAsync($"/api/v1/opportunities/{opportunity.Id}", new UpdateOpportunityRequest(
            current.Name, 500_000_00, current.Currency, new DateOnly(2027, 3, 31), ContactIds: [boss.Id], Version: current.Version), Ct))
            .ExpectJsonAsync<OpportunityDto>();
    }

    public static async Task<List<StageEntry>> HistoryRowsAsync(AppFactory app, Guid opportunityId)
    {
        await using var db = await app.SystemDbAsync();
        return await db.StageEntries.AsNoTracking().Where(e => e.OpportunityId == opportunityId).OrderBy(e => e.EnteredAt).ThenBy(e => e.Id).ToListAsync(Ct);
    }
}
