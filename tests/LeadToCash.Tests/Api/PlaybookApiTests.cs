using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Opportunities.Playbook;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Api;

/// <summary>The sales playbook: the demo's entries, search over title, body and tags, and the managers' edits.</summary>
[DatabaseTest]
public sealed class PlaybookApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<Dictionary<string, Guid>> StagesAsync()
    {
        await using var db = await app.SystemDbAsync();
        return await db.PipelineStages.AsNoTracking().Where(s => db.Pipelines.Any(p => p.Id == s.PipelineId && p.IsDefault))
            .ToDictionaryAsync(s => s.Name, s => s.Id, Ct);
    }

    private static async Task<PlaybookEntryDto> CreateAsync(HttpClient client, PlaybookEntryRequest request) =>
        await (await client.PostAsJsonAsync("/api/v1/playbook", request, Http.Json, Ct)).ExpectJsonAsync<PlaybookEntryDto>(HttpStatusCode.Created);

    [Fact]
    public async Task ListPlaybook_DemoCompany_AnswersThePriceObjectionInTheNegotiationStage()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var found = await rep.GetJsonAsync<List<PlaybookEntryDto>>("/api/v1/playbook?q=" + Uri.EscapeDataString("价格太高"));

        var entry = Assert.Single(found);
        Assert.Equal(PlaybookKind.Objection, entry.Kind);
        Assert.Equal("商务谈判", entry.StageName);
        Assert.Equal("Negotiation", entry.StageNameEn);
        Assert.Contains("案例", entry.Body, StringComparison.Ordinal);
        var all = await rep.GetJsonAsync<List<PlaybookEntryDto>>("/api/v1/playbook");
        // By stage in pipeline order (other tests of this class may add entries to later stages).
        string[] pipelineOrder = ["需求分析", "方案呈现", "商务谈判", "合同签署", "赢单", "输单"];
        var stageOrder = all.Select(e => e.StageName).Distinct().ToList();
        Assert.Equal(stageOrder.OrderBy(n => Array.IndexOf(pipelineOrder, n)), stageOrder);
        Assert.Superset(new HashSet<string> { "需求分析", "方案呈现", "商务谈判", "合同签署" }, stageOrder.ToHashSet());
        Assert.All(all.GroupBy(e => e.StageId), g => Assert.Equal(g.Select(e => e.SortOrder).Order(), g.Select(e => e.SortOrder)));
    }

    [Fact]
    public async Task ListPlaybook_Search_MatchesTitleBodyAndTagsIgnoringCase()
    {
        var stages = await StagesAsync();
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var entry = await CreateAsync(manager, new PlaybookEntryRequest(stages["方案呈现"], PlaybookKind.SuccessCase, "ROI Story of Zeta Corp",
            "Payback within TWELVE months, measured by the customer.", "Finance，CFO; finance"));

        Assert.Equal("Finance, CFO", entry.Tags);
        foreach (var q in new[] { "roi story", "twelve MONTHS", "cfo", "zeta" })
        {
            Assert.Contains(await rep.GetJsonAsync<List<PlaybookEntryDto>>("/api/v1/playbook?q=" + Uri.EscapeDataString(q)), e => e.Id == entry.Id);
        }

        Assert.DoesNotContain(await rep.GetJsonAsync<List<PlaybookEntryDto>>("/api/v1/playbook?q=zeta&kind=talkTrack"), e => e.Id == entry.Id);
        Assert.Contains(await rep.GetJsonAsync<List<PlaybookEntryDto>>("/api/v1/playbook?q=zeta&kind=SuccessCase"), e => e.Id == entry.Id);
        Assert.DoesNotContain(await rep.GetJsonAsync<List<PlaybookEntryDto>>($"/api/v1/playbook?q=zeta&stageId={stages["商务谈判"]}"), e => e.Id == entry.Id);
        Assert.Empty(await rep.GetJsonAsync<List<PlaybookEntryDto>>("/api/v1/playbook?q=" + Uri.EscapeDataString("zeta_corp")));
        Assert.Empty(await rep.GetJsonAsync<List<PlaybookEntryDto>>("/api/v1/playbook?q=" + Uri.EscapeDataString("%zeta")));
        await (await rep.GetAsync("/api/v1/playbook?kind=anecdote", Ct)).ExpectFieldErrorAsync("kind");
    }

    [Fact]
    public async Task CreatePlaybook_InvalidInput_Returns400NamingTheField()
    {
        var stages = await StagesAsync();
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        await (await manager.PostAsJsonAsync("/api/v1/playbook", new PlaybookEntryRequest(stages["需求分析"], PlaybookKind.TalkTrack, " ", "正文"), Http.Json, Ct))
            .ExpectFieldErrorAsync("title");
        await (await manager.PostAsJsonAsync("/api/v1/playbook", new PlaybookEntryRequest(stages["需求分析"], PlaybookKind.TalkTrack, "标题", ""), Http.Json, Ct))
            .ExpectFieldErrorAsync("body");
        await (await manager.PostAsJsonAsync("/api/v1/playbook", new PlaybookEntryRequest(Guid.NewGuid(), PlaybookKind.TalkTrack, "标题", "正文"), Http.Json, Ct))
            .ExpectFieldErrorAsync("stageId");
        await (await manager.PostAsJsonAsync("/api/v1/playbook", new { stageId = stages["需求分析"], kind = 7, title = "标题", body = "正文" }, Ct))
            .ExpectFieldErrorAsync("kind");
    }

    [Fact]
    public async Task ReorderPlaybook_WholeStage_SetsTheOrder_PartialListIsRefused()
    {
        var stages = await StagesAsync();
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var won = stages["赢单"];
        var first = await CreateAsync(manager, new PlaybookEntryRequest(won, PlaybookKind.TalkTrack, "赢单后感谢", "签约当天致谢。"));
        var second = await CreateAsync(manager, new PlaybookEntryRequest(won, PlaybookKind.TalkTrack, "请求转介绍", "上线一个月后请求转介绍。"));
        var third = await CreateAsync(manager, new PlaybookEntryRequest(won, PlaybookKind.SuccessCase, "回款案例", "按期回款。"));
        Assert.Equal([0, 1, 2], new[] { first.SortOrder, second.SortOrder, third.SortOrder });

        var reordered = await (await manager.PostAsJsonAsync("/api/v1/playbook/reorder", new PlaybookReorderRequest(won, [third.Id, first.Id, second.Id]),
            Http.Json, Ct)).ExpectJsonAsync<List<PlaybookEntryDto>>();
        var partial = await manager.PostAsJsonAsync("/api/v1/playbook/reorder", new PlaybookReorderRequest(won, [third.Id, first.Id]), Http.Json, Ct);
        var twice = await manager.PostAsJsonAsync("/api/v1/playbook/reorder", new PlaybookReorderRequest(won, [third.Id, first.Id, first.Id]), Http.Json, Ct);

        Assert.Equal([third.Id, first.Id, second.Id], reordered.Select(e => e.Id));
        await partial.ExpectFieldErrorAsync("entryIds");
        await twice.ExpectFieldErrorAsync("entryIds");
        Assert.Equal([third.Id, first.Id, second.Id], (await manager.GetJsonAsync<List<PlaybookEntryDto>>($"/api/v1/playbook?stageId={won}")).Select(e => e.Id));
    }

    [Fact]
    public async Task UpdatePlaybook_MovedToAnotherStage_GoesLastThere_StaleVersionReturns409()
    {
        var stages = await StagesAsync();
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var entry = await CreateAsync(manager, new PlaybookEntryRequest(stages["需求分析"], PlaybookKind.Objection, "我们再考虑一下", "问清楚考虑什么。"));
        var lastInContract = (await manager.GetJsonAsync<List<PlaybookEntryDto>>($"/api/v1/playbook?stageId={stages["合同签署"]}")).Max(e => e.SortOrder);

        var moved = await (await manager.PutAsJsonAsync($"/api/v1/playbook/{entry.Id}", new PlaybookEntryRequest(stages["合同签署"], PlaybookKind.Objection,
            "我们再考虑一下", "问清楚考虑的是价格、时间还是内部意见。", Version: entry.Version), Http.Json, Ct)).ExpectJsonAsync<PlaybookEntryDto>();
        var stale = await manager.PutAsJsonAsync($"/api/v1/playbook/{entry.Id}", new PlaybookEntryRequest(stages["合同签署"], PlaybookKind.Objection,
            "过期", "过期", Version: entry.Version), Http.Json, Ct);

        Assert.Equal("合同签署", moved.StageName);
        Assert.Equal(lastInContract + 1, moved.SortOrder);
        Assert.Equal(entry.Version + 1, moved.Version);
        await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await manager.DeleteAsync($"/api/v1/playbook/{entry.Id}?version={moved.Version}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        await (await manager.GetAsync($"/api/v1/playbook/{entry.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
