using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.Timeline;
using LeadToCash.Modules.Customers.UpdateCustomer;
using LeadToCash.Modules.FollowUps;
using LeadToCash.Modules.FollowUps.LogFollowUp;
using LeadToCash.Modules.Leads.Conversion;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LeadToCash.Tests.Infrastructure.TestLeads;

namespace LeadToCash.Tests.Api;

/// <summary>The customer's 360° timeline: every source merged newest first, paged without losing events, only for those who see the customer.</summary>
[DatabaseTest]
public sealed class CustomerTimelineTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Timeline_LeadFollowUpsAndChanges_MergedNewestFirstAndPagedWithBefore()
    {
        var customer = await TestFollowUps.OwnedCustomerAsync(app, DemoUsers.Rep, 0);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var lead = await AddOwnedAsync(app, DemoUsers.Rep, customer.Name, channel: "referral");
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await (await rep.PostAsJsonAsync($"/api/v1/leads/{lead.Id}/convert", new ConvertLeadRequest(customer.Id), Ct)).ExpectAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await (await rep.PostAsJsonAsync($"/api/v1/customers/{customer.Id}/follow-ups",
            new LogFollowUpRequest(FollowUpMethod.Visit, "Toured the workshop", CustomerFeedback: "Wants a pilot"), Http.Json, Ct)).ExpectAsync(HttpStatusCode.Created);
        await (await rep.PostAsJsonAsync($"/api/v1/customers/{customer.Id}/follow-ups",
            new LogFollowUpRequest(FollowUpMethod.Phone, "Booked the visit", Now(app).AddMinutes(-30)), Http.Json, Ct)).ExpectAsync(HttpStatusCode.Created);
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        var current = await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{customer.Id}");
        await (await rep.PutAsJsonAsync($"/api/v1/customers/{customer.Id}", new UpdateCustomerRequest(current.Name, current.Industry, "苏州工业园区",
            current.Phone, current.Website, current.Address, current.SourceChannel, current.Notes, current.Version, current.Size,
            ParentId: current.ParentId), Ct)).ExpectAsync(HttpStatusCode.OK);

        var page = await rep.GetJsonAsync<CustomerTimelinePage>($"/api/v1/customers/{customer.Id}/timeline");

        Assert.Null(page.NextBefore);
        Assert.Equal(page.Items.OrderByDescending(e => e.At).Select(e => e.At), page.Items.Select(e => e.At));
        var kinds = page.Items.Select(e => e.Kind).ToList();
        Assert.Equal(["CustomerChanged", "FollowUp.Visit", "LeadConverted"], kinds.Take(3));
        Assert.Contains("FollowUp.Phone", kinds);
        Assert.Contains("LeadCreated", kinds);
        Assert.Equal("CustomerCreated", kinds[^1]);
        var changed = page.Items[0];
        Assert.Equal(("张伟", $"Region: {current.Region ?? "—"} → 苏州工业园区"), (changed.ActorName, changed.Summary));
        var visit = page.Items[1];
        Assert.Equal(("Toured the workshop", "Wants a pilot", "张伟"), (visit.Summary, visit.Detail, visit.ActorName));
        var converted = page.Items.Single(e => e.Kind == "LeadConverted");
        Assert.Equal(($"/leads/{lead.Id}", "张伟", customer.Name), (converted.Link, converted.ActorName, converted.Summary));
        Assert.Equal("Customer referral", page.Items.Single(e => e.Kind == "LeadCreated").Detail);
        // The follow-up clocks move with each follow-up; they are not repeated as changes.
        Assert.DoesNotContain(page.Items, e => e.Summary.Contains("FollowUp", StringComparison.Ordinal));

        var pages = new List<TimelineEntry>();
        string url = $"/api/v1/customers/{customer.Id}/timeline?limit=2";
        for (var i = 0; i < 20; i++)
        {
            var next = await rep.GetJsonAsync<CustomerTimelinePage>(url);
            pages.AddRange(next.Items);
            if (next.NextBefore is not { } before)
            {
                break;
            }

            url = $"/api/v1/customers/{customer.Id}/timeline?limit=2&before={Uri.EscapeDataString(before.ToString("O"))}";
        }

        Assert.Equal(page.Items, pages);
    }

    [Fact]
    public async Task Timeline_InChinese_LabelsTheChangedFieldInChinese()
    {
        var customer = await TestFollowUps.OwnedCustomerAsync(app, DemoUsers.Rep, 1);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var current = await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{customer.Id}");
        await (await rep.PutAsJsonAsync($"/api/v1/customers/{customer.Id}", new UpdateCustomerRequest(current.Name, current.Industry, "宁波",
            current.Phone, current.Website, current.Address, current.SourceChannel, current.Notes, current.Version, current.Size,
            ParentId: current.ParentId), Ct)).ExpectAsync(HttpStatusCode.OK);
        rep.DefaultRequestHeaders.AcceptLanguage.Clear();
        rep.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");

        var page = await rep.GetJsonAsync<CustomerTimelinePage>($"/api/v1/customers/{customer.Id}/timeline");

        Assert.StartsWith("地区: ", page.Items.First(e => e.Kind == "CustomerChanged").Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeline_CustomerOutsideScope_Returns404()
    {
        var hidden = await TestFollowUps.OwnedCustomerAsync(app, DemoUsers.SouthRep, 0);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        await (await rep.GetAsync($"/api/v1/customers/{hidden.Id}/timeline", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.GetAsync($"/api/v1/customers/{hidden.Id}/timeline?limit=500", Ct)).ExpectProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Handler_SourcesRegisteredLater_AreMergedAndEventsAtOneMomentStayOnOnePage()
    {
        var customer = await TestFollowUps.OwnedCustomerAsync(app, DemoUsers.Rep2, 0);
        var user = await TestFollowUps.CurrentUserAsync(app, DemoUsers.Rep2);
        var at = new DateTime(2026, 11, 20, 2, 0, 0, DateTimeKind.Utc);
        var tasks = new FixedSource(
            new TimelineEntry(at, "TaskCompleted", "Sent the quote"),
            new TimelineEntry(at, "TaskCreated", "Send the quote"),
            new TimelineEntry(at.AddHours(1), "TaskCreated", "Call back"),
            new TimelineEntry(at.AddHours(-1), "TaskCreated", "Prepare"));
        var none = new FixedSource();
        var handler = new GetCustomerTimelineHandler(app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), [none, tasks]);

        var first = await handler.HandleAsync(user, customer.Id, limit: 2, ct: Ct);
        var second = await handler.HandleAsync(user, customer.Id, first.NextBefore, 2, Ct);

        Assert.Equal(["Call back", "Sent the quote", "Send the quote"], first.Items.Select(e => e.Summary)); // the tie is kept whole
        Assert.Equal(at, first.NextBefore);
        Assert.Equal(["Prepare"], second.Items.Select(e => e.Summary));
        Assert.Null(second.NextBefore);
    }

    [Fact]
    public async Task Handler_ManyFollowUpsWithTies_EveryEventOnExactlyOnePageNewestFirst()
    {
        var customer = await TestFollowUps.OwnedCustomerAsync(app, DemoUsers.SouthRep, 0);
        var user = await TestFollowUps.CurrentUserAsync(app, DemoUsers.SouthRep);
        var start = new DateTime(2026, 6, 1, 2, 0, 0, DateTimeKind.Utc);
        await using (var db = await app.SystemDbAsync())
        {
            // 45 follow-ups over 30 moments: every third moment has two; moments 10 to 12 have four each.
            for (var i = 0; i < 45; i++)
            {
                var moment = i < 30 ? i : i < 39 ? (i - 30) * 3 : 10 + (i - 39) % 3;
                db.FollowUps.Add(new FollowUp
                {
                    CustomerId = customer.Id, OccurredAt = start.AddHours(moment), Method = FollowUpMethod.Phone, KeyPoints = $"call {i}",
                    AuthorId = user.Id, RecordedAt = start.AddHours(moment),
                });
            }

            await db.SaveChangesAsync(Ct);
        }

        var handler = app.Services.CreateScope().ServiceProvider.GetRequiredService<GetCustomerTimelineHandler>();
        var seen = new List<TimelineEntry>();
        DateTime? before = null;
        var pages = 0;
        do
        {
            var page = await handler.HandleAsync(user, customer.Id, before, 7, Ct);
            seen.AddRange(page.Items);
            before = page.NextBefore;
            Assert.True(++pages < 40, "the timeline does not end");
        }
        while (before is not null);

        var calls = seen.Where(e => e.Kind == "FollowUp.Phone").ToList();
        Assert.Equal(45, calls.Count);
        Assert.Equal(45, calls.Select(e => e.RecordId).Distinct().Count());
        Assert.Equal(seen.Select(e => e.At).OrderByDescending(at => at), seen.Select(e => e.At));
    }

    private sealed class FixedSource(params TimelineEntry[] entries) : ICustomerTimelineSource
    {
        public Task<TimelineSlice> ReadAsync(AppDbContext db, Guid customerId, TimelineWindow window, CancellationToken ct) =>
            Task.FromResult(new TimelineSlice(entries));
    }
}
