using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadToCash.Modules.Audit;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.Timeline;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Opportunities.Negotiations;
using LeadToCash.Modules.Search;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace LeadToCash.Tests.Api;

/// <summary>
/// Negotiation minutes and their bottom lines. The deal is 张伟's (上海销售一组); 杨帆 (manager of 上海销售二组) may edit it
/// through a share, 刘洋 (张伟's teammate) may read it through a share. Bottom lines reach the owner, the managers above
/// the owner and the Admin only: through no path (minutes, list, export, history, timeline, search) anyone else.
/// </summary>
[DatabaseTest]
public sealed class NegotiationMinutesApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    /// <summary>杨帆: a manager, of another team, with an edit share of the deal.</summary>
    private const string EditCollaborator = "manager2@demo.test";

    /// <summary>刘洋: in the owner's team, with a read share of the deal.</summary>
    private const string Colleague = DemoUsers.Rep2;

    private const long Floor = 88_123_400;
    private const string FloorText = "88123400";
    private const string FloorTerms = "底线XQZ预付两成即可";
    private const string FloorMarker = "XQZ";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DateTime Now => app.Clock.GetUtcNow().UtcDateTime;

    private sealed record Deal(Opportunity Opportunity, NegotiationMinutesDto Minutes);

    private NegotiationMinutesRequest Request(int? version = null, long price = 95_000_000, IReadOnlyList<MinutesOpenItemRequest>? items = null) => new(
        Now.AddHours(-3),
        "我方：张伟；客户：王总、采购部李经理",
        price,
        "签约付30%，验收后付70%",
        "签约后45天内交付",
        "违约金不超过合同额的10%",
        "培训两次",
        "下周提交正式合同文本",
        items ?? [new MinutesOpenItemRequest("确认发票抬头", OwnerName: "客户财务", DueDate: new DateOnly(2026, 12, 1))],
        version);

    /// <summary>A deal of 张伟 shared as described above, with minutes and bottom lines set by 张伟.</summary>
    private async Task<Deal> ArrangeAsync(string name)
    {
        var deal = await TestNegotiations.AddOpportunityAsync(app, DemoUsers.Rep, name);
        await TestNegotiations.ShareAsync(app, deal.Id, EditCollaborator, CollaboratorAccess.Edit);
        await TestNegotiations.ShareAsync(app, deal.Id, Colleague, CollaboratorAccess.Read);
        // They see the customer too, so that its timeline is theirs to read.
        await TestNegotiations.ShareAsync(app, deal.CustomerId, EditCollaborator, CollaboratorAccess.Read, Customer.RecordType);
        await TestNegotiations.ShareAsync(app, deal.CustomerId, Colleague, CollaboratorAccess.Read, Customer.RecordType);
        using var owner = await app.ClientForAsync(DemoUsers.Rep);
        var minutes = await TestNegotiations.CreateMinutesAsync(owner, deal.Id, Request());
        var withLine = await (await owner.PutAsJsonAsync($"/api/v1/negotiations/{minutes.Id}/bottom-line",
            new NegotiationBottomLineRequest(Floor, FloorTerms), Ct)).ExpectJsonAsync<NegotiationMinutesDto>();
        Assert.Equal(Floor, withLine.BottomLine?.PriceFloorMinor);
        return new Deal(deal, withLine);
    }

    private static void AssertNoBottomLine(string body)
    {
        Assert.DoesNotContain(FloorText, body, StringComparison.Ordinal);
        Assert.DoesNotContain("881,234", body, StringComparison.Ordinal);
        Assert.DoesNotContain("881234", body, StringComparison.Ordinal);
        Assert.DoesNotContain(FloorMarker, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DemoUsers.Rep, true)]
    [InlineData(DemoUsers.Manager, true)]
    [InlineData(DemoUsers.EastDirector, true)]
    [InlineData(DemoUsers.Director, true)]
    [InlineData(DemoUsers.Admin, true)]
    [InlineData(EditCollaborator, false)]
    [InlineData(Colleague, false)]
    [InlineData(DemoUsers.Finance, false)]
    public async Task ReadPaths_ByViewer_CarryBottomLinesOnlyForTheOwnerAndTheManagersAbove(string viewer, bool sees)
    {
        var deal = await ArrangeAsync("底线可见性" + viewer);
        using var client = await app.ClientForAsync(viewer);

        var one = await (await client.GetAsync($"/api/v1/negotiations/{deal.Minutes.Id}", Ct)).ExpectAsync(HttpStatusCode.OK);
        var list = await (await client.GetAsync($"/api/v1/opportunities/{deal.Opportunity.Id}/negotiations", Ct)).ExpectAsync(HttpStatusCode.OK);
        var csv = await (await client.GetAsync($"/api/v1/opportunities/{deal.Opportunity.Id}/negotiations/export?format=csv", Ct))
            .ExpectAsync(HttpStatusCode.OK);

        var oneJson = await one.ReadAsync<JsonElement>();
        var listJson = Assert.Single((await list.ReadAsync<JsonElement>()).EnumerateArray());
        var rows = ExportFiles.ReadCsv(await csv.Content.ReadAsStringAsync(Ct));
        var row = Assert.Single(rows);
        Assert.Equal("我方：张伟；客户：王总、采购部李经理", row["Attendees"]);
        Assert.Equal(950000m, decimal.Parse(row["AgreedPrice"], System.Globalization.CultureInfo.InvariantCulture));
        foreach (var minutes in new[] { oneJson, listJson })
        {
            Assert.Equal(sees, minutes.GetProperty("bottomLineVisible").GetBoolean());
            Assert.Equal(sees, minutes.TryGetProperty("bottomLine", out var line));
            if (sees)
            {
                Assert.Equal(Floor, line.GetProperty("priceFloorMinor").GetInt64());
                Assert.Equal(FloorTerms, line.GetProperty("acceptablePaymentTerms").GetString());
            }
        }

        if (sees)
        {
            Assert.Equal(881234m, decimal.Parse(row["PriceFloor"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(FloorTerms, row["AcceptablePaymentTerms"]);
        }
        else
        {
            Assert.DoesNotContain("PriceFloor", row.Keys);
            Assert.DoesNotContain("AcceptablePaymentTerms", row.Keys);
            AssertNoBottomLine(await one.Content.ReadAsStringAsync(Ct));
            AssertNoBottomLine(await list.Content.ReadAsStringAsync(Ct));
            AssertNoBottomLine(await csv.Content.ReadAsStringAsync(Ct));
        }
    }

    [Fact]
    public async Task Export_Xlsx_CollaboratorsFileHasNoBottomLineColumns()
    {
        var deal = await ArrangeAsync("底线导出表格");
        using var collaborator = await app.ClientForAsync(EditCollaborator);
        using var owner = await app.ClientForAsync(DemoUsers.Rep);

        var theirs = await collaborator.GetByteArrayAsync($"/api/v1/opportunities/{deal.Opportunity.Id}/negotiations/export?format=xlsx", Ct);
        var mine = await owner.GetByteArrayAsync($"/api/v1/opportunities/{deal.Opportunity.Id}/negotiations/export", Ct);

        var theirRow = Assert.Single(Xlsx(theirs));
        var myRow = Assert.Single(Xlsx(mine));
        Assert.DoesNotContain("PriceFloor", theirRow.Keys);
        Assert.DoesNotContain(theirRow.Values, v => v?.ToString()?.Contains(FloorMarker, StringComparison.Ordinal) == true);
        Assert.Equal(FloorTerms, myRow["AcceptablePaymentTerms"]?.ToString());
    }

    private static List<IDictionary<string, object?>> Xlsx(byte[] file)
    {
        using var stream = new MemoryStream(file);
        return stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
    }

    [Fact]
    public async Task History_OfMinutes_ShowsTheirChangesButNeverBottomLines()
    {
        var deal = await ArrangeAsync("底线历史");
        using var owner = await app.ClientForAsync(DemoUsers.Rep);
        using var collaborator = await app.ClientForAsync(EditCollaborator);
        using var colleague = await app.ClientForAsync(Colleague);
        var changed = await (await collaborator.PutAsJsonAsync($"/api/v1/negotiations/{deal.Minutes.Id}",
            Request(deal.Minutes.Version, price: 93_000_000), Http.Json, Ct)).ExpectJsonAsync<NegotiationMinutesDto>();
        await (await owner.PutAsJsonAsync($"/api/v1/negotiations/{deal.Minutes.Id}/bottom-line",
            new NegotiationBottomLineRequest(Floor + 100, FloorTerms + "（调整）"), Ct)).ExpectAsync(HttpStatusCode.OK);

        foreach (var client in new[] { owner, collaborator, colleague })
        {
            var response = await (await client.GetAsync($"/api/v1/history/negotiation/{deal.Minutes.Id}", Ct)).ExpectAsync(HttpStatusCode.OK);
            var history = await response.ReadAsync<List<HistoryEntryDto>>();

            Assert.Contains(history, h => h.Field == nameof(NegotiationMinutes.AgreedPriceMinor) && h.OldValue == "95000000" && h.NewValue == "93000000");
            Assert.Contains(history, h => h.Action == AuditAction.Created);
            var body = await response.Content.ReadAsStringAsync(Ct);
            AssertNoBottomLine(body);
            Assert.DoesNotContain("88123500", body, StringComparison.Ordinal);
        }

        Assert.Equal(deal.Minutes.Version + 1, changed.Version);
        // The bottom line change gave the minutes no new version either: it is not a change of the minutes.
        Assert.Equal(changed.Version, (await owner.GetJsonAsync<NegotiationMinutesDto>($"/api/v1/negotiations/{deal.Minutes.Id}")).Version);
    }

    [Fact]
    public async Task CustomerTimeline_Minutes_ShowAttendeesAndTermsButNeverBottomLines()
    {
        var deal = await ArrangeAsync("底线时间线");
        // Sees the customer but not the deal: the deal's minutes are not on the customer's timeline for him.
        const string outsider = "huang.lei@demo.test";
        await TestNegotiations.ShareAsync(app, deal.Opportunity.CustomerId, outsider, CollaboratorAccess.Read, Customer.RecordType);

        foreach (var email in new[] { DemoUsers.Rep, EditCollaborator, Colleague, DemoUsers.Manager })
        {
            using var client = await app.ClientForAsync(email);
            var response = await (await client.GetAsync($"/api/v1/customers/{deal.Opportunity.CustomerId}/timeline", Ct)).ExpectAsync(HttpStatusCode.OK);
            var page = await response.ReadAsync<CustomerTimelinePage>();

            var entry = Assert.Single(page.Items, e => e.Kind == "Negotiation");
            Assert.Contains("王总", entry.Summary, StringComparison.Ordinal);
            Assert.Contains(deal.Opportunity.Name, entry.Summary, StringComparison.Ordinal);
            Assert.Contains("签约付30%", entry.Detail, StringComparison.Ordinal);
            Assert.Contains("¥950,000.00", entry.Detail, StringComparison.Ordinal);
            Assert.Equal(deal.Minutes.Id, entry.RecordId);
            AssertNoBottomLine(await response.Content.ReadAsStringAsync(Ct));
        }

        using var other = await app.ClientForAsync(outsider);
        var theirs = await other.GetJsonAsync<CustomerTimelinePage>($"/api/v1/customers/{deal.Opportunity.CustomerId}/timeline");
        Assert.DoesNotContain(theirs.Items, e => e.Kind == "Negotiation");
    }

    [Fact]
    public async Task Search_BottomLineText_IsFoundByNoOneAnywhere()
    {
        var deal = await ArrangeAsync("底线搜索");
        var list = $"/api/v1/opportunities/{deal.Opportunity.Id}/negotiations";

        foreach (var email in new[] { DemoUsers.Rep, EditCollaborator, Colleague, DemoUsers.Admin })
        {
            using var client = await app.ClientForAsync(email);
            var global = await (await client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString(FloorTerms), Ct)).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(0, (await global.ReadAsync<SearchResults>()).Total);
            AssertNoBottomLine((await global.Content.ReadAsStringAsync(Ct)).Replace(FloorTerms, "", StringComparison.Ordinal));

            // The minutes' own search covers their text, never the bottom lines (so it cannot be used to guess them).
            Assert.Empty(await client.GetJsonAsync<List<NegotiationMinutesDto>>(list + "?q=" + Uri.EscapeDataString(FloorMarker)));
            Assert.Empty(await client.GetJsonAsync<List<NegotiationMinutesDto>>(list + "?q=" + FloorText));
            Assert.Single(await client.GetJsonAsync<List<NegotiationMinutesDto>>(list + "?q=" + Uri.EscapeDataString("发票抬头")));
            Assert.Single(await client.GetJsonAsync<List<NegotiationMinutesDto>>(list + "?q=" + Uri.EscapeDataString("45天")));
        }
    }

    [Fact]
    public async Task ListMinutes_SearchIgnoresCaseAndTakesWildcardsLiterally()
    {
        var deal = await TestNegotiations.AddOpportunityAsync(app, DemoUsers.Rep, "纪要搜索大小写");
        using var owner = await app.ClientForAsync(DemoUsers.Rep);
        await TestNegotiations.CreateMinutesAsync(owner, deal.Id, Request() with { PaymentTerms = "Net 30 days, 100% on delivery" });
        var list = $"/api/v1/opportunities/{deal.Id}/negotiations?q=";

        Assert.Single(await owner.GetJsonAsync<List<NegotiationMinutesDto>>(list + "NET%2030"));
        Assert.Single(await owner.GetJsonAsync<List<NegotiationMinutesDto>>(list + "100%25"));
        Assert.Empty(await owner.GetJsonAsync<List<NegotiationMinutesDto>>(list + "N_t"));
    }

    [Fact]
    public async Task SetBottomLine_OnlyOwnerManagersAboveAndAdmin_OthersGet403()
    {
        var deal = await ArrangeAsync("底线写入权限");
        var url = $"/api/v1/negotiations/{deal.Minutes.Id}/bottom-line";

        foreach (var email in new[] { EditCollaborator, Colleague })
        {
            using var client = await app.ClientForAsync(email);
            await (await client.PutAsJsonAsync(url, new NegotiationBottomLineRequest(1, "改底线"), Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        using var finance = await app.ClientForAsync(DemoUsers.Finance);
        await (await finance.PutAsJsonAsync(url, new NegotiationBottomLineRequest(1, "改底线"), Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var set = await (await manager.PutAsJsonAsync(url, new NegotiationBottomLineRequest(80_000_000, null), Ct)).ExpectJsonAsync<NegotiationMinutesDto>();
        Assert.Equal(80_000_000, set.BottomLine?.PriceFloorMinor);
        Assert.Null(set.BottomLine?.AcceptablePaymentTerms);
        Assert.Equal("李娜", set.BottomLine?.UpdatedByName);

        await using var db = await app.SystemDbAsync();
        var stored = await db.NegotiationBottomLines.AsNoTracking().SingleAsync(b => b.MinutesId == deal.Minutes.Id, Ct);
        Assert.Equal(80_000_000, stored.PriceFloorMinor);
    }

    [Fact]
    public async Task SetBottomLine_BothEmpty_RemovesIt()
    {
        var deal = await ArrangeAsync("底线清除");
        using var owner = await app.ClientForAsync(DemoUsers.Rep);

        var cleared = await (await owner.PutAsJsonAsync($"/api/v1/negotiations/{deal.Minutes.Id}/bottom-line",
            new NegotiationBottomLineRequest(null, "  "), Ct)).ExpectJsonAsync<NegotiationMinutesDto>();

        Assert.True(cleared.BottomLineVisible);
        Assert.Null(cleared.BottomLine?.PriceFloorMinor);
        await using var db = await app.SystemDbAsync();
        Assert.False(await db.NegotiationBottomLines.AnyAsync(b => b.MinutesId == deal.Minutes.Id, Ct));
    }

    [Fact]
    public async Task CreateMinutes_BodyCarryingABottomLine_IsRefusedAndStoresNothing()
    {
        var deal = await TestNegotiations.AddOpportunityAsync(app, DemoUsers.Rep, "纪要夹带底线");
        await TestNegotiations.ShareAsync(app, deal.Id, EditCollaborator, CollaboratorAccess.Edit);
        using var collaborator = await app.ClientForAsync(EditCollaborator);
        var body = new
        {
            meetingAt = Now.AddHours(-1),
            attendees = "杨帆",
            bottomLine = new { priceFloorMinor = 1 },
        };

        var response = await collaborator.PostAsJsonAsync($"/api/v1/opportunities/{deal.Id}/negotiations", body, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        await using var db = await app.SystemDbAsync();
        Assert.False(await db.NegotiationMinutes.AnyAsync(m => m.OpportunityId == deal.Id, Ct));
    }

    [Fact]
    public async Task WriteMinutes_ReadShare_Returns403_EditShare_Writes()
    {
        var deal = await ArrangeAsync("纪要写入权限");
        using var colleague = await app.ClientForAsync(Colleague);
        using var collaborator = await app.ClientForAsync(EditCollaborator);
        var minutesUrl = $"/api/v1/negotiations/{deal.Minutes.Id}";
        var itemUrl = $"{minutesUrl}/open-items/{deal.Minutes.OpenItems[0].Id}";

        await (await colleague.PostAsJsonAsync($"/api/v1/opportunities/{deal.Opportunity.Id}/negotiations", Request(), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await colleague.PutAsJsonAsync(minutesUrl, Request(deal.Minutes.Version), Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await colleague.PutAsJsonAsync(itemUrl, new OpenItemDoneRequest(true), Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await colleague.DeleteAsync($"{minutesUrl}?version={deal.Minutes.Version}", Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        var created = await TestNegotiations.CreateMinutesAsync(collaborator, deal.Opportunity.Id, Request() with { Attendees = "杨帆、王总" });
        Assert.True(created.CanChange);
        Assert.False(created.BottomLineVisible);
        Assert.Null(created.BottomLine);
        Assert.Equal("杨帆", created.CreatedByName);
        await (await collaborator.DeleteAsync($"/api/v1/negotiations/{created.Id}?version={created.Version}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        await (await collaborator.GetAsync($"/api/v1/negotiations/{created.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        var left = await colleague.GetJsonAsync<List<NegotiationMinutesDto>>($"/api/v1/opportunities/{deal.Opportunity.Id}/negotiations");
        Assert.Equal([deal.Minutes.Id], left.Select(m => m.Id));
        Assert.False(left[0].CanChange);
    }

    [Fact]
    public async Task UpdateMinutes_OpenItemsAreReplacedKeptAndTicked_StaleVersionReturns409()
    {
        var deal = await TestNegotiations.AddOpportunityAsync(app, DemoUsers.Rep, "纪要待办");
        var rep2 = await TestLeads.UserIdAsync(app, DemoUsers.Rep2);
        using var owner = await app.ClientForAsync(DemoUsers.Rep);
        var created = await TestNegotiations.CreateMinutesAsync(owner, deal.Id, Request(items:
        [
            new MinutesOpenItemRequest("确认发票抬头", OwnerName: "客户财务"),
            new MinutesOpenItemRequest("法务审核合同", OwnerUserId: rep2, DueDate: new DateOnly(2026, 12, 3)),
        ]));
        var keep = created.OpenItems.Single(i => i.Text == "法务审核合同");
        Assert.Equal("刘洋", keep.OwnerName);

        var ticked = await (await owner.PutAsJsonAsync($"/api/v1/negotiations/{created.Id}/open-items/{keep.Id}", new OpenItemDoneRequest(true), Ct))
            .ExpectJsonAsync<NegotiationMinutesDto>();
        var stale = await owner.PutAsJsonAsync($"/api/v1/negotiations/{created.Id}", Request(created.Version), Http.Json, Ct);
        var updated = await (await owner.PutAsJsonAsync($"/api/v1/negotiations/{created.Id}", Request(ticked.Version, items:
        [
            new MinutesOpenItemRequest("法务审核合同", OwnerUserId: rep2, DueDate: new DateOnly(2026, 12, 3), IsDone: true, Id: keep.Id),
            new MinutesOpenItemRequest("安排现场验收", OwnerName: "王总"),
        ]), Http.Json, Ct)).ExpectJsonAsync<NegotiationMinutesDto>();

        Assert.True(ticked.OpenItems.Single(i => i.Id == keep.Id).IsDone);
        Assert.Equal(created.Version + 1, ticked.Version);
        await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(2, updated.OpenItems.Count);
        Assert.Contains(updated.OpenItems, i => i.Id == keep.Id && i.IsDone && i.DueDate == new DateOnly(2026, 12, 3));
        Assert.Contains(updated.OpenItems, i => i.Text == "安排现场验收" && i.OwnerName == "王总" && i.OwnerUserId == null);
        Assert.DoesNotContain(updated.OpenItems, i => i.Text == "确认发票抬头");
        Assert.True(updated.HasAgreedTerms);
    }

    [Fact]
    public async Task CreateMinutes_InvalidInput_Returns400NamingTheField()
    {
        var deal = await TestNegotiations.AddOpportunityAsync(app, DemoUsers.Rep, "纪要校验");
        using var owner = await app.ClientForAsync(DemoUsers.Rep);
        var url = $"/api/v1/opportunities/{deal.Id}/negotiations";

        await (await owner.PostAsJsonAsync(url, Request() with { MeetingAt = Now.AddDays(1) }, Http.Json, Ct)).ExpectFieldErrorAsync("meetingAt");
        await (await owner.PostAsJsonAsync(url, Request() with { Attendees = " " }, Http.Json, Ct)).ExpectFieldErrorAsync("attendees");
        await (await owner.PostAsJsonAsync(url, Request(price: -1), Http.Json, Ct)).ExpectFieldErrorAsync("agreedPriceMinor");
        await (await owner.PostAsJsonAsync(url, Request(items: [new MinutesOpenItemRequest("谁的事", OwnerUserId: Guid.NewGuid())]), Http.Json, Ct))
            .ExpectFieldErrorAsync("openItems");
        await (await owner.PostAsJsonAsync(url, Request(items: [new MinutesOpenItemRequest("")]), Http.Json, Ct))
            .ExpectFieldErrorAsync("openItems[0].text");
        Assert.Empty(await owner.GetJsonAsync<List<NegotiationMinutesDto>>(url));
    }

    [Fact]
    public async Task CreateMinutes_OnlyTheOtherTerms_HasNoAgreedTerms()
    {
        var deal = await TestNegotiations.AddOpportunityAsync(app, DemoUsers.Rep, "纪要无商定条款");
        using var owner = await app.ClientForAsync(DemoUsers.Rep);

        var created = await TestNegotiations.CreateMinutesAsync(owner, deal.Id, new NegotiationMinutesRequest(Now.AddHours(-1), "张伟、王总",
            Delivery: "待定", NextSteps: "再约"));

        Assert.False(created.HasAgreedTerms);
        Assert.Empty(created.OpenItems);
        Assert.Equal(deal.Name, created.OpportunityName);
        Assert.Equal("CNY", created.Currency);
    }
}
