using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Opportunities.Negotiations;
using LeadToCash.Modules.Opportunities.Playbook;
using LeadToCash.Modules.Opportunities.Settings;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Security;

/// <summary>
/// The negotiation, playbook and quote-rule doors: minutes answer only within the scope of their opportunity (a deal
/// of a Shenzhen rep, on one of her existing customers: no customer is created), the playbook is read by all and
/// written by managers, the quote rules are read by all and written by the Admin.
/// </summary>
public sealed partial class ScopeMatrixTests
{
    private async Task<(Opportunity Deal, NegotiationMinutesDto Minutes)> SouthDealWithMinutesAsync(string name)
    {
        var customer = await HiddenFromRepAsync();
        var deal = await TestNegotiations.AddOpportunityAsync(app, DemoUsers.SouthRep, name, customer.Id);
        using var owner = await app.ClientForAsync(DemoUsers.SouthRep);
        var minutes = await TestNegotiations.CreateMinutesAsync(owner, deal.Id, new NegotiationMinutesRequest(
            app.Clock.GetUtcNow().UtcDateTime.AddHours(-1), "何芸、客户张总", 12_000_000, "月结60天",
            OpenItems: [new MinutesOpenItemRequest("寄送样品", OwnerName: "何芸")]));
        await (await owner.PutAsJsonAsync($"/api/v1/negotiations/{minutes.Id}/bottom-line",
            new NegotiationBottomLineRequest(10_000_000, "月结90天"), Ct)).ExpectAsync(HttpStatusCode.OK);
        return (deal, minutes);
    }

    [Fact]
    public async Task Negotiations_DealOfAnotherTeam_EveryDoorAnswers404ToTheRepAndOpensForTheAdmin()
    {
        var (deal, minutes) = await SouthDealWithMinutesAsync("深圳谈判范围");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var item = minutes.OpenItems[0].Id;
        string[] reads =
        [
            $"/api/v1/opportunities/{deal.Id}/negotiations",
            $"/api/v1/opportunities/{deal.Id}/negotiations/export?format=csv",
            $"/api/v1/negotiations/{minutes.Id}",
            $"/api/v1/history/negotiation/{minutes.Id}",
        ];

        foreach (var url in reads)
        {
            await (await rep.GetAsync(url, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await manager.GetAsync(url, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await admin.GetAsync(url, Ct)).ExpectAsync(HttpStatusCode.OK);
        }

        var request = new NegotiationMinutesRequest(app.Clock.GetUtcNow().UtcDateTime.AddHours(-1), "张伟", Version: minutes.Version);
        await (await rep.PostAsJsonAsync($"/api/v1/opportunities/{deal.Id}/negotiations", request, Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.PutAsJsonAsync($"/api/v1/negotiations/{minutes.Id}", request, Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.PutAsJsonAsync($"/api/v1/negotiations/{minutes.Id}/open-items/{item}", new OpenItemDoneRequest(true), Ct))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.PutAsJsonAsync($"/api/v1/negotiations/{minutes.Id}/bottom-line", new NegotiationBottomLineRequest(1, null), Ct))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await manager.DeleteAsync($"/api/v1/negotiations/{minutes.Id}?version={minutes.Version}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);

        var unchanged = await admin.GetJsonAsync<NegotiationMinutesDto>($"/api/v1/negotiations/{minutes.Id}");
        Assert.Equal(minutes.Version, unchanged.Version);
        Assert.Equal("何芸、客户张总", unchanged.Attendees);
        Assert.False(unchanged.OpenItems[0].IsDone);
        Assert.Equal(10_000_000, unchanged.BottomLine?.PriceFloorMinor);
    }

    [Theory]
    [InlineData(DemoUsers.SouthRep, true, true)]
    [InlineData("manager3@demo.test", true, true)]
    [InlineData("south.director@demo.test", true, true)]
    [InlineData(DemoUsers.Director, true, true)]
    [InlineData(DemoUsers.Finance, true, false)]
    [InlineData("ma.xiaoli@demo.test", false, false)]
    [InlineData("guo.peng@demo.test", false, false)]
    [InlineData(DemoUsers.EastDirector, false, false)]
    [InlineData(DemoUsers.Manager2, false, false)]
    public async Task Negotiations_DealOfAShenzhenRep_VisibleAndBottomLinesByTheTeamTree(string email, bool sees, bool seesBottomLine)
    {
        var (deal, minutes) = await SouthDealWithMinutesAsync("深圳谈判可见" + email);
        using var client = await app.ClientForAsync(email);

        var response = await client.GetAsync($"/api/v1/opportunities/{deal.Id}/negotiations", Ct);

        if (!sees)
        {
            await response.ExpectProblemAsync(HttpStatusCode.NotFound);
            await (await client.GetAsync($"/api/v1/negotiations/{minutes.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
            return;
        }

        var found = Assert.Single(await (await response.ExpectAsync(HttpStatusCode.OK)).ReadAsync<List<NegotiationMinutesDto>>());
        Assert.Equal(seesBottomLine, found.BottomLineVisible);
        Assert.Equal(seesBottomLine ? 10_000_000 : null, found.BottomLine?.PriceFloorMinor);
    }

    [Fact]
    public async Task Playbook_EveryoneReads_OnlyManagersDirectorsAndTheAdminWrite()
    {
        await using var db = await app.SystemDbAsync();
        var stage = await db.PipelineStages.AsNoTracking().Where(s => db.Pipelines.Any(p => p.Id == s.PipelineId && p.IsDefault))
            .OrderBy(s => s.SortOrder).FirstAsync(Ct);
        var request = new PlaybookEntryRequest(stage.Id, PlaybookKind.TalkTrack, "范围测试话术", "先问预算，再谈方案。");

        foreach (var email in new[] { DemoUsers.Rep, DemoUsers.Assistant, DemoUsers.Finance, DemoUsers.SouthRep })
        {
            using var reader = await app.ClientForAsync(email);
            Assert.NotEmpty(await reader.GetJsonAsync<List<PlaybookEntryDto>>($"/api/v1/playbook?stageId={stage.Id}"));
            await (await reader.PostAsJsonAsync("/api/v1/playbook", request, Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        using var manager = await app.ClientForAsync(DemoUsers.Manager2);
        using var director = await app.ClientForAsync(DemoUsers.Director);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var created = await (await manager.PostAsJsonAsync("/api/v1/playbook", request, Http.Json, Ct)).ExpectJsonAsync<PlaybookEntryDto>(HttpStatusCode.Created);
        var changed = await (await director.PutAsJsonAsync($"/api/v1/playbook/{created.Id}", request with { Title = "范围测试话术（改）", Version = created.Version },
            Http.Json, Ct)).ExpectJsonAsync<PlaybookEntryDto>();
        await (await rep.PutAsJsonAsync($"/api/v1/playbook/{created.Id}", request with { Version = changed.Version }, Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await rep.DeleteAsync($"/api/v1/playbook/{created.Id}?version={changed.Version}", Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await rep.PostAsJsonAsync("/api/v1/playbook/reorder", new PlaybookReorderRequest(stage.Id, []), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.DeleteAsync($"/api/v1/playbook/{created.Id}?version={changed.Version}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        await (await rep.GetAsync($"/api/v1/playbook/{created.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OpportunitySettings_EveryoneReadsOnlyTheAdminChanges()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var director = await app.ClientForAsync(DemoUsers.Director);
        var settings = await rep.GetJsonAsync<OpportunitySettingsDto>("/api/v1/settings/opportunities");

        foreach (var client in new[] { rep, manager, director })
        {
            await (await client.PutAsJsonAsync("/api/v1/settings/opportunities", settings with { QuoteValidDays = 45 }, Ct))
                .ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        Assert.Equal(settings.QuoteValidDays, (await rep.GetJsonAsync<OpportunitySettingsDto>("/api/v1/settings/opportunities")).QuoteValidDays);
    }
}
