using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Customers.Timeline;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Quotes;
using LeadToCash.Modules.Quotes.Reading;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Api;

/// <summary>Quotes of an opportunity: defaults, numbering, drafts, versions and their comparison, the status flow and who may do what.</summary>
[DatabaseTest]
public sealed class QuotesApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateQuote_ProductAndFreeTextLines_TakesDefaultsAndComputesTotals()
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "报价默认值商机");
        var product = await QuoteTestData.AddProductAsync(app, "DEF-1", 3333, name: "数据采集网关");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var quote = await CreateAsync(rep, opportunity.Id, new CreateQuoteRequest("一期方案",
            [new QuoteLineRequest(product.Id, Quantity: 3, DiscountPercent: 12.5m), new QuoteLineRequest(Description: "实施服务", Quantity: 2, UnitPriceMinor: 10_000, DiscountPercent: 10m)]));

        Assert.Matches(@"^Q-2026-\d{4}$", quote.Number);
        Assert.Equal((1, QuoteStatus.Draft, "CNY", 13m, new DateOnly(2026, 12, 25)), (quote.VersionNo, quote.Status, quote.Currency, quote.TaxRatePercent, quote.ValidUntil!.Value));
        var first = quote.Lines[0];
        Assert.Equal(("DEF-1", "数据采集网关", "台", 3333L, 8749L), (first.ProductCode, first.Description, first.Unit, first.UnitPriceMinor, first.LineTotalMinor));
        Assert.Equal((29999L, 3250L, 3477L, 30226L, 12.5m), (quote.SubtotalMinor, quote.DiscountMinor, quote.TaxMinor, quote.TotalMinor, quote.MaxDiscountPercent));
        Assert.True(quote.CanChange);
        Assert.Equal(("报价默认值商机", "报价默认值商机 客户"), (quote.OpportunityName, quote.CustomerName));
    }

    [Fact]
    public async Task CreateQuote_TwoQuotes_GetConsecutiveNumbers()
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "编号商机");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var a = await CreateAsync(rep, opportunity.Id, new CreateQuoteRequest("A"));
        var b = await CreateAsync(rep, opportunity.Id, new CreateQuoteRequest("B"));

        Assert.Equal(int.Parse(a.Number[7..], System.Globalization.CultureInfo.InvariantCulture) + 1,
            int.Parse(b.Number[7..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(0, 0, "lines[0].quantity")]
    [InlineData(1, 101, "lines[0].discountPercent")]
    [InlineData(-1, 0, "lines[0].quantity")]
    public async Task CreateQuote_InvalidLine_Returns400NamingTheLineField(decimal quantity, decimal discount, string field)
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, $"校验商机 {field} {quantity}");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync($"/api/v1/opportunities/{opportunity.Id}/quotes",
            new CreateQuoteRequest("x", [new QuoteLineRequest(Description: "服务", Quantity: quantity, UnitPriceMinor: 100, DiscountPercent: discount)]), Http.Json, Ct);

        await response.ExpectFieldErrorAsync(field);
    }

    [Fact]
    public async Task CreateQuote_FreeTextLineWithoutPrice_Returns400()
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "无价格商机");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync($"/api/v1/opportunities/{opportunity.Id}/quotes",
            new CreateQuoteRequest("x", [new QuoteLineRequest(Description: "服务", Quantity: 1)]), Http.Json, Ct);

        await response.ExpectFieldErrorAsync("lines[0].unitPriceMinor");
    }

    [Fact]
    public async Task UpdateQuote_Draft_ReplacesLinesAndRecomputes_ButNotOnceSubmitted()
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "编辑草稿商机");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var quote = await CreateAsync(rep, opportunity.Id, new CreateQuoteRequest("草稿", [Free("服务", 1, 10_000)]));

        var updated = await (await rep.PutAsJsonAsync($"/api/v1/quotes/{quote.Id}", new UpdateQuoteRequest("草稿二", [Free("服务", 2, 10_000), Free("培训", 1, 5_000)],
            6m, Version: quote.Version), Http.Json, Ct)).ExpectJsonAsync<QuoteDto>();

        Assert.Equal(("草稿二", 2, 25_000L, 1_500L, 26_500L), (updated.Title, updated.Lines.Count, updated.SubtotalMinor, updated.TaxMinor, updated.TotalMinor));
        Assert.Equal(quote.Version + 1, updated.Version);
        await (await rep.PutAsJsonAsync($"/api/v1/quotes/{quote.Id}", new UpdateQuoteRequest("x", Version: quote.Version), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        var submitted = await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{quote.Id}/submit");
        Assert.Equal(QuoteStatus.Approved, submitted.Status);
        await (await rep.PutAsJsonAsync($"/api/v1/quotes/{quote.Id}", new UpdateQuoteRequest("x", Version: submitted.Version), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task StatusFlow_NoRuleFires_ApprovedSentAcceptedSetsTheOpportunityAmountAndClosesOtherVersions()
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "接受报价商机");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var v1 = await CreateAsync(rep, opportunity.Id, new CreateQuoteRequest("方案", [Free("系统", 1, 1_000_000, 5m)]));
        await (await rep.PostAsync($"/api/v1/quotes/{v1.Id}/send", null, Ct)).ExpectProblemAsync(HttpStatusCode.Conflict);

        var approved = await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{v1.Id}/submit");
        var sent = await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{v1.Id}/send");
        var v2 = await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{v1.Id}/revise", HttpStatusCode.Created);
        var v2Sent = await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{(await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{v2.Id}/submit")).Id}/send");
        var accepted = await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{v2Sent.Id}/accept", body: new QuoteResponseRequest("客户确认"));

        Assert.Equal((QuoteStatus.Approved, QuoteStatus.Sent), (approved.Status, sent.Status));
        Assert.NotNull(sent.SentAt);
        Assert.Equal((QuoteStatus.Accepted, "客户确认"), (accepted.Status, accepted.CustomerResponse));
        Assert.Equal(accepted.TotalMinor, (await QuoteTestData.ReloadOpportunityAsync(app, opportunity.Id)).AmountMinor);
        Assert.Equal(1_073_500L, accepted.TotalMinor);
        var versions = await rep.GetJsonAsync<List<QuoteSummaryDto>>($"/api/v1/quotes/{v1.Id}/versions");
        Assert.Equal([(1, QuoteStatus.Superseded), (2, QuoteStatus.Accepted)], versions.Select(v => (v.VersionNo, v.Status)));
        await (await rep.PostAsync($"/api/v1/quotes/{v2.Id}/revise", null, Ct)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await rep.PostAsync($"/api/v1/quotes/{v2.Id}/reject", null, Ct)).ExpectProblemAsync(HttpStatusCode.Conflict);

        // The customer timeline shows the quote's events.
        var timeline = await rep.GetJsonAsync<CustomerTimelinePage>($"/api/v1/customers/{opportunity.CustomerId}/timeline");
        Assert.Contains(timeline.Items, e => e.Kind == "QuoteAccepted" && e.RecordId == v2.Id && e.Detail == "客户确认");
        Assert.Equal(2, timeline.Items.Count(e => e.Kind == "QuoteSent"));
        Assert.Equal(2, timeline.Items.Count(e => e.Kind == "QuoteCreated"));
    }

    [Fact]
    public async Task RejectQuote_Sent_KeepsTheResponseAndCanBeRevised()
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "拒绝报价商机");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var v1 = await CreateAsync(rep, opportunity.Id, new CreateQuoteRequest("方案", [Free("系统", 1, 500_000)]));
        await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{v1.Id}/submit");
        await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{v1.Id}/send");

        var rejected = await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{v1.Id}/reject", body: new QuoteResponseRequest("价格太高"));
        var v2 = await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{v1.Id}/revise", HttpStatusCode.Created);

        Assert.Equal((QuoteStatus.Rejected, "价格太高"), (rejected.Status, rejected.CustomerResponse));
        Assert.Equal((2, QuoteStatus.Draft, v1.Number), (v2.VersionNo, v2.Status, v2.Number));
        Assert.Equal(QuoteStatus.Rejected, (await rep.GetJsonAsync<QuoteDto>($"/api/v1/quotes/{v1.Id}")).Status);
        Assert.Equal(100_000_00L, (await QuoteTestData.ReloadOpportunityAsync(app, opportunity.Id)).AmountMinor);
    }

    [Fact]
    public async Task ReviseAndCompare_ChangedLines_AreListedAddedRemovedAndChangedWithBothTotals()
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "比较版本商机");
        var gateway = await QuoteTestData.AddProductAsync(app, "CMP-1", 50_000);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var v1 = await CreateAsync(rep, opportunity.Id, new CreateQuoteRequest("方案",
            [new QuoteLineRequest(gateway.Id, Quantity: 2), Free("实施", 1, 20_000), Free("培训", 1, 5_000)]));
        await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{v1.Id}/submit");
        var v2 = await PostAsync<QuoteDto>(rep, $"/api/v1/quotes/{v1.Id}/revise", HttpStatusCode.Created);
        Assert.Equal(QuoteStatus.Superseded, (await rep.GetJsonAsync<QuoteDto>($"/api/v1/quotes/{v1.Id}")).Status);
        v2 = await (await rep.PutAsJsonAsync($"/api/v1/quotes/{v2.Id}", new UpdateQuoteRequest("方案", [new QuoteLineRequest(gateway.Id, Quantity: 3),
            Free("实施", 1, 20_000), Free("运维", 12, 1_000)], Version: v2.Version), Http.Json, Ct)).ExpectJsonAsync<QuoteDto>();

        var comparison = await rep.GetJsonAsync<QuoteComparison>($"/api/v1/quotes/{v2.Id}/compare?with={v1.Id}");

        Assert.Equal((1, 2), (comparison.Left.VersionNo, comparison.Right.VersionNo));
        Assert.Equal([LineChangeKind.Changed, LineChangeKind.Same, LineChangeKind.Added, LineChangeKind.Removed], comparison.Lines.Select(l => l.Kind));
        Assert.Equal(["quantity", "lineTotalMinor"], comparison.Lines[0].ChangedFields);
        Assert.Equal("培训", comparison.Lines[3].Left!.Description);
        Assert.Equal((125_000L + 16_250L, 182_000L + 23_660L), (comparison.Left.TotalMinor, comparison.Right.TotalMinor));
    }

    [Fact]
    public async Task Quotes_OtherRepOfTheTeam_CannotSeeThem_ManagerMayChangeThem_ReadShareMayOnlyRead()
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "权限报价商机");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var quote = await CreateAsync(rep, opportunity.Id, new CreateQuoteRequest("方案", [Free("系统", 1, 1_000)]));
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var finance = await app.ClientForAsync(DemoUsers.Finance);

        await (await rep2.GetAsync($"/api/v1/quotes/{quote.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep2.PostAsync($"/api/v1/quotes/{quote.Id}/submit", null, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.True((await manager.GetJsonAsync<QuoteDto>($"/api/v1/quotes/{quote.Id}")).CanChange);
        Assert.Equal(QuoteStatus.Approved, (await PostAsync<QuoteDto>(manager, $"/api/v1/quotes/{quote.Id}/submit")).Status);
        await (await finance.PostAsync($"/api/v1/quotes/{quote.Id}/send", null, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);

        await using (var db = await app.SystemDbAsync())
        {
            db.Collaborators.Add(new LeadToCash.Platform.Data.Collaborator
            {
                RecordType = Opportunity.RecordType, RecordId = opportunity.Id, UserId = await TestLeads.UserIdAsync(app, DemoUsers.Rep2),
                Access = LeadToCash.Platform.Data.CollaboratorAccess.Read, AddedAt = TestLeads.Now(app),
            });
            await db.SaveChangesAsync(Ct);
        }

        var shared = await rep2.GetJsonAsync<QuoteDto>($"/api/v1/quotes/{quote.Id}");
        Assert.False(shared.CanChange);
        await (await rep2.PostAsync($"/api/v1/quotes/{quote.Id}/send", null, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await rep2.PostAsJsonAsync($"/api/v1/opportunities/{opportunity.Id}/quotes", new CreateQuoteRequest("不许"), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    private static QuoteLineRequest Free(string description, decimal quantity, long price, decimal discount = 0) =>
        new(Description: description, Quantity: quantity, UnitPriceMinor: price, DiscountPercent: discount);

    private static async Task<QuoteDto> CreateAsync(HttpClient client, Guid opportunityId, CreateQuoteRequest request) =>
        await (await client.PostAsJsonAsync($"/api/v1/opportunities/{opportunityId}/quotes", request, Http.Json, Ct)).ExpectJsonAsync<QuoteDto>(HttpStatusCode.Created);

    private static async Task<T> PostAsync<T>(HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK, object? body = null) =>
        await (await (body is null ? client.PostAsync(url, null, Ct) : client.PostAsJsonAsync(url, body, Http.Json, Ct))).ExpectJsonAsync<T>(expected);
}
