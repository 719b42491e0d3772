using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Products;
using LeadToCash.Modules.Quotes;
using LeadToCash.Platform.Approvals;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Security;

/// <summary>
/// The quote and approval doors: every one answers 404 to someone who cannot see the opportunity (a rep of the same team,
/// a rep and a manager of another region) and opens for those who can; changes need the right to change the opportunity.
/// </summary>
public sealed partial class ScopeMatrixTests
{
    [Fact]
    public async Task Quotes_OpportunityOutsideTheScope_EveryDoorAnswers404AndOpensForTheOwnerAndTheManager()
    {
        Guid customerId;
        await using (var db = await app.SystemDbAsync())
        {
            customerId = await db.Customers.Where(c => c.Owner!.Email == DemoUsers.Rep).OrderBy(c => c.Name).Select(c => c.Id).FirstAsync(Ct);
        }

        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, "范围矩阵报价商机", customerId: customerId);
        using var owner = await app.ClientForAsync(DemoUsers.Rep);
        var quote = await (await owner.PostAsJsonAsync($"/api/v1/opportunities/{opportunity.Id}/quotes",
            new CreateQuoteRequest("范围矩阵方案", [new QuoteLineRequest(Description: "系统", Quantity: 1, UnitPriceMinor: 100_000, DiscountPercent: 20m)]),
            Http.Json, Ct)).ExpectJsonAsync<QuoteDto>(HttpStatusCode.Created);
        var other = await (await owner.PostAsync($"/api/v1/quotes/{quote.Id}/submit", null, Ct)).ExpectJsonAsync<QuoteDto>();
        var approvalId = other.Approval!.Id;
        var reads = new[]
        {
            $"/api/v1/opportunities/{opportunity.Id}/quotes", $"/api/v1/quotes/{quote.Id}", $"/api/v1/quotes/{quote.Id}/versions",
            $"/api/v1/quotes/{quote.Id}/compare?with={quote.Id}", $"/api/v1/quotes/{quote.Id}/pdf", $"/api/v1/quotes/{quote.Id}/xlsx",
        };
        var writes = new (string Url, object? Body)[]
        {
            ($"/api/v1/opportunities/{opportunity.Id}/quotes", new CreateQuoteRequest("越权")),
            ($"/api/v1/quotes/{quote.Id}/submit", null), ($"/api/v1/quotes/{quote.Id}/send", null), ($"/api/v1/quotes/{quote.Id}/revise", null),
            ($"/api/v1/quotes/{quote.Id}/accept", null), ($"/api/v1/quotes/{quote.Id}/reject", null),
        };

        foreach (var outsider in new[] { DemoUsers.Rep2, DemoUsers.SouthRep, DemoUsers.Manager2, "manager3@demo.test", "south.director@demo.test" })
        {
            using var client = await app.ClientForAsync(outsider);
            foreach (var url in reads)
            {
                await (await client.GetAsync(url, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
            }

            foreach (var (url, body) in writes)
            {
                await (await client.PostAsJsonAsync(url, body, Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
            }

            await (await client.PutAsJsonAsync($"/api/v1/quotes/{quote.Id}", new UpdateQuoteRequest("越权", Version: quote.Version), Http.Json, Ct))
                .ExpectProblemAsync(HttpStatusCode.NotFound);
            if (outsider.StartsWith("manager", StringComparison.Ordinal) || outsider.StartsWith("south.director", StringComparison.Ordinal))
            {
                // Managers elsewhere may decide approvals, but not this one: it does not exist for them.
                await (await client.GetAsync($"/api/v1/approvals/{approvalId}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
                await (await client.PostAsJsonAsync($"/api/v1/approvals/{approvalId}/approve", new ApprovalDecisionRequest(), Http.Json, Ct))
                    .ExpectProblemAsync(HttpStatusCode.NotFound);
                await (await client.PostAsJsonAsync($"/api/v1/approvals/{approvalId}/reject", new ApprovalDecisionRequest("不行"), Http.Json, Ct))
                    .ExpectProblemAsync(HttpStatusCode.NotFound);
                Assert.DoesNotContain(await client.GetJsonAsync<List<ApprovalDto>>("/api/v1/approvals?mine=pending"), a => a.Id == approvalId);
            }

            await (await client.PostAsync($"/api/v1/approvals/{approvalId}/withdraw", null, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
            Assert.Empty(await client.GetJsonAsync<List<ApprovalDto>>($"/api/v1/approvals/records/{Quote.RecordType}/{quote.Id}"));
            await (await client.GetAsync("/api/v1/approval-flows", Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }

        foreach (var insider in new[] { DemoUsers.Rep, DemoUsers.Manager, DemoUsers.EastDirector, DemoUsers.Director, DemoUsers.Admin })
        {
            using var client = await app.ClientForAsync(insider);
            foreach (var url in reads)
            {
                await (await client.GetAsync(url, Ct)).ExpectAsync(HttpStatusCode.OK);
            }
        }

        // The Director sees it but is not the approver: the request is not theirs to decide.
        using var director = await app.ClientForAsync(DemoUsers.Director);
        await (await director.PostAsJsonAsync($"/api/v1/approvals/{approvalId}/approve", new ApprovalDecisionRequest(), Http.Json, Ct))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        Assert.Contains(await manager.GetJsonAsync<List<ApprovalDto>>("/api/v1/approvals?mine=pending"), a => a.Id == approvalId);
        Assert.Single(await director.GetJsonAsync<List<ApprovalDto>>($"/api/v1/approvals/records/{Quote.RecordType}/{quote.Id}"));
        await (await manager.PostAsync($"/api/v1/approvals/{approvalId}/withdraw", null, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        await (await admin.GetAsync("/api/v1/approval-flows", Ct)).ExpectAsync(HttpStatusCode.OK);

        // A delegation is its giver's: nobody else ends it.
        var delegation = await (await manager.PostAsJsonAsync("/api/v1/approvals/delegations",
            new DelegationRequest(await TestLeads.UserIdAsync(app, DemoUsers.Director), app.Clock.GetUtcNow().UtcDateTime.AddDays(1)), Http.Json, Ct))
            .ExpectJsonAsync<DelegationDto>(HttpStatusCode.Created);
        await (await director.DeleteAsync($"/api/v1/approvals/delegations/{delegation.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await manager.DeleteAsync($"/api/v1/approvals/delegations/{delegation.Id}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Products_EveryoneReadsOnlyTheAdminManages()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var product = await (await admin.PostAsJsonAsync("/api/v1/products", new ProductRequest("SCOPE-P1", "范围产品", 1000), Ct))
            .ExpectJsonAsync<ProductDto>(HttpStatusCode.Created);

        foreach (var email in new[] { DemoUsers.Rep, DemoUsers.Assistant, DemoUsers.Finance, DemoUsers.Manager, DemoUsers.Director })
        {
            using var client = await app.ClientForAsync(email);
            await (await client.GetAsync($"/api/v1/products/{product.Id}", Ct)).ExpectAsync(HttpStatusCode.OK);
            await (await client.GetAsync("/api/v1/products/export?format=csv", Ct)).ExpectAsync(HttpStatusCode.OK);
            await (await client.PostAsJsonAsync("/api/v1/products", new ProductRequest("SCOPE-X", "x", 1), Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
            await (await client.PostAsync($"/api/v1/products/{product.Id}/deactivate", null, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
            await (await client.GetAsync("/api/v1/products/imports", Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }
    }
}
