using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Opportunities.Assign;
using LeadToCash.Modules.Opportunities.Board;
using LeadToCash.Modules.Opportunities.Forecast;
using LeadToCash.Modules.Opportunities.Pipelines;
using LeadToCash.Modules.Opportunities.StageMoves;
using LeadToCash.Modules.Opportunities.UpdateOpportunity;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Security;

/// <summary>
/// The opportunity doors: one record and its commands answer 404 outside the scope; the list, the board and the forecast
/// count only what the caller may see (expected sets and sums computed here from the database, not by the app).
/// Opportunities are written straight to the database on the demo customers (this class creates no customers).
/// </summary>
public sealed partial class ScopeMatrixTests
{
    private static readonly string[] DealOwners =
        [DemoUsers.Rep, DemoUsers.Rep2, DemoUsers.Manager, DemoUsers.Manager2, "huang.lei@demo.test", DemoUsers.SouthRep, "guo.peng@demo.test"];

    private static readonly SemaphoreSlim DealSeeding = new(1, 1);

    [Theory]
    [InlineData("GET", "")]
    [InlineData("GET", "/stages")]
    [InlineData("GET", "/stage-history")]
    [InlineData("PUT", "")]
    [InlineData("POST", "/move")]
    [InlineData("POST", "/win")]
    [InlineData("POST", "/lose")]
    [InlineData("POST", "/reopen")]
    [InlineData("PUT", "/checklist/{item}")]
    [InlineData("DELETE", "/checklist/{item}")]
    public async Task OpportunityDoors_DealOfAnotherTeam_Answer404ToTheRepAndChangeNothing(string method, string suffix)
    {
        var deals = await DealsForEveryoneAsync();
        var hidden = deals[DemoUsers.SouthRep][0];
        var stages = await TestOpportunities.StagesAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var url = $"/api/v1/opportunities/{hidden}{suffix.Replace("{item}", stages.Checklist(stages.Proposal).Id.ToString(), StringComparison.Ordinal)}";
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        request.Content = suffix switch
        {
            "" when method == "PUT" => JsonContent.Create(new UpdateOpportunityRequest("改名", Version: 1)),
            "/move" => JsonContent.Create(new MoveStageRequest(stages.Proposal, 1)),
            "/win" => JsonContent.Create(new WinOpportunityRequest(1)),
            "/lose" => JsonContent.Create(new LoseOpportunityRequest("price", Version: 1)),
            "/reopen" => JsonContent.Create(new ReopenOpportunityRequest(Version: 1)),
            _ => null,
        };

        var response = await rep.SendAsync(request, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        if (method == "GET")
        {
            await (await admin.GetAsync(url, Ct)).ExpectAsync(HttpStatusCode.OK); // the door itself works
        }

        await using var db = await app.SystemDbAsync();
        var deal = await db.Opportunities.AsNoTracking().SingleAsync(o => o.Id == hidden, Ct);
        Assert.Equal((1, stages.Needs, OpportunityStatus.Open), (deal.Version, deal.StageId, deal.Status));
        Assert.False(await db.ChecklistTicks.AnyAsync(t => t.OpportunityId == hidden, Ct));
    }

    [Theory]
    [InlineData("/override")]
    [InlineData("/assign")]
    public async Task ManagerCommands_DealOfAnotherTeam_Answer404ToTheManager(string suffix)
    {
        var hidden = (await DealsForEveryoneAsync())[DemoUsers.SouthRep][0];
        var stages = await TestOpportunities.StagesAsync(app);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var rep2 = await TestLeads.UserIdAsync(app, DemoUsers.Rep2);
        object body = suffix == "/override" ? new OverrideStageRequest(stages.Proposal, "越权", 1) : new AssignOpportunityRequest(rep2, 1);

        var response = await manager.PostAsJsonAsync($"/api/v1/opportunities/{hidden}{suffix}", body, Ct);
        var bulk = await manager.PostAsJsonAsync("/api/v1/opportunities/bulk/move", new BulkMoveRequest([hidden], stages.Proposal, "越权"), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("notFound", Assert.Single((await bulk.ExpectJsonAsync<BulkMoveResult>()).Items).Error);
        await using var db = await app.SystemDbAsync();
        var deal = await db.Opportunities.AsNoTracking().SingleAsync(o => o.Id == hidden, Ct);
        Assert.Equal((1, stages.Needs), (deal.Version, deal.StageId));
    }

    [Theory]
    [InlineData(DemoUsers.Rep)]
    [InlineData(DemoUsers.Manager)]
    [InlineData(DemoUsers.Manager2)]
    [InlineData(DemoUsers.EastDirector)]
    [InlineData(DemoUsers.SouthRep)]
    [InlineData(DemoUsers.Assistant)]
    [InlineData(DemoUsers.Finance)]
    [InlineData(DemoUsers.Admin)]
    public async Task ListOpportunities_DemoUser_SeesExactlyTheDealsOfTheirScope(string email)
    {
        await DealsForEveryoneAsync();
        var expected = await ExpectedVisibleDealsAsync(email);
        using var client = await app.ClientForAsync(email);

        var listed = (await client.ListAllAsync<OpportunityListItem>("/api/v1/opportunities", limit: 3)).Select(o => o.Id).ToList();

        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal(expected.Order(), listed.Order());
    }

    [Theory]
    [InlineData(DemoUsers.Rep)]
    [InlineData(DemoUsers.Manager)]
    [InlineData(DemoUsers.EastDirector)]
    [InlineData(DemoUsers.SouthRep)]
    [InlineData(DemoUsers.Admin)]
    public async Task Board_DemoUser_CountsAndSumsOnlyTheVisibleDeals(string email)
    {
        await DealsForEveryoneAsync();
        var stages = await TestOpportunities.StagesAsync(app);
        var visible = await ExpectedVisibleDealsAsync(email);
        await using var db = await app.SystemDbAsync();
        var since = app.Clock.GetUtcNow().UtcDateTime.AddDays(-30);
        var deals = (await db.Opportunities.AsNoTracking().Where(o => o.PipelineId == stages.PipelineId).ToListAsync(Ct))
            .Where(o => visible.Contains(o.Id) && (o.Status == OpportunityStatus.Open || o.ClosedAt >= since)).ToList();
        using var client = await app.ClientForAsync(email);

        var board = await client.GetJsonAsync<BoardDto>("/api/v1/opportunities/board?limit=2");

        Assert.Equal(stages.PipelineId, board.PipelineId);
        foreach (var column in board.Columns)
        {
            var mine = deals.Where(o => o.StageId == column.StageId).ToList();
            Assert.Equal(mine.Count, column.Count);
            Assert.Equal(mine.Sum(o => o.AmountMinor), column.Totals.Where(t => t.Currency == "CNY").Sum(t => t.AmountMinor));
            var weighted = (long)Math.Round(mine.Sum(o => (decimal)o.AmountMinor * o.Probability) / 100m, MidpointRounding.AwayFromZero);
            Assert.Equal(weighted, column.Totals.Where(t => t.Currency == "CNY").Sum(t => t.WeightedAmountMinor));
            Assert.Equal(mine.OrderByDescending(o => o.AmountMinor).ThenByDescending(o => o.Id).Take(2).Select(o => o.Id), column.Cards.Select(c => c.Id));
            Assert.Equal(mine.Count > 2, column.NextCursor is not null);
        }

        Assert.True(board.Columns.Sum(c => c.Count) > 0);
    }

    [Fact]
    public async Task BoardColumn_LoadMore_PagesThroughExactlyTheVisibleDealsOfTheStage()
    {
        await DealsForEveryoneAsync();
        var stages = await TestOpportunities.StagesAsync(app);
        var visible = await ExpectedVisibleDealsAsync(DemoUsers.Manager);
        await using var db = await app.SystemDbAsync();
        var expected = await db.Opportunities.AsNoTracking().Where(o => o.StageId == stages.Needs && o.Status == OpportunityStatus.Open)
            .Select(o => o.Id).ToListAsync(Ct);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        var cards = new List<BoardCard>();
        string? cursor = null;
        do
        {
            var page = await manager.GetJsonAsync<Platform.Api.ListPage<BoardCard>>(
                $"/api/v1/opportunities/board/column?stageId={stages.Needs}&limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            cards.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(expected.Where(visible.Contains).Order(), cards.Select(c => c.Id).Order());
    }

    [Theory]
    [InlineData(DemoUsers.Rep)]
    [InlineData(DemoUsers.Manager)]
    [InlineData(DemoUsers.EastDirector)]
    [InlineData(DemoUsers.Admin)]
    public async Task Forecast_DemoUser_WeighsOnlyTheVisibleOpenDealsByMonthPersonAndTeam(string email)
    {
        await DealsForEveryoneAsync();
        var visible = await ExpectedVisibleDealsAsync(email);
        await using var db = await app.SystemDbAsync();
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);
        var first = new DateOnly(today.Year, today.Month, 1);
        var deals = (await db.Opportunities.AsNoTracking().Where(o => o.Status == OpportunityStatus.Open && o.Currency == "CNY").ToListAsync(Ct))
            .Where(o => visible.Contains(o.Id) && o.ExpectedCloseDate is { } d && d >= first && d < first.AddMonths(6)).ToList();
        var teamOf = await db.Users.ToDictionaryAsync(u => u.Id, u => u.TeamId, Ct);
        static long Weigh(IEnumerable<Opportunity> list) =>
            (long)Math.Round(list.Sum(o => (decimal)o.AmountMinor * o.Probability) / 100m, MidpointRounding.AwayFromZero);
        static string MonthOf(Opportunity o) => o.ExpectedCloseDate!.Value.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        using var client = await app.ClientForAsync(email);

        var forecast = await client.GetJsonAsync<ForecastDto>("/api/v1/opportunities/forecast");

        Assert.Equal(6, forecast.Months.Count);
        Assert.Equal((deals.Count, deals.Sum(o => o.AmountMinor), Weigh(deals)), (forecast.Total.Count, forecast.Total.AmountMinor, forecast.Total.WeightedAmountMinor));
        Assert.Equal(deals.Select(o => o.OwnerId!.Value).Distinct().Order(), forecast.People.Select(p => p.OwnerId!.Value).Order());
        foreach (var person in forecast.People)
        {
            foreach (var cell in person.Months)
            {
                var mine = deals.Where(o => o.OwnerId == person.OwnerId && MonthOf(o) == cell.Month).ToList();
                Assert.Equal((mine.Count, mine.Sum(o => o.AmountMinor), Weigh(mine)), (cell.Count, cell.AmountMinor, cell.WeightedAmountMinor));
            }
        }

        foreach (var team in forecast.Teams)
        {
            var below = await SubtreeAsync(db, team.TeamId);
            var inTeam = deals.Where(o => teamOf[o.OwnerId!.Value] is { } t && below.Contains(t)).ToList();
            Assert.Equal((inTeam.Count, Weigh(inTeam)), (team.Total.Count, team.Total.WeightedAmountMinor));
        }

        Assert.True(forecast.Total.Count > 0);
    }

    [Fact]
    public async Task Opportunity_ReadShare_SeesButCannotMoveAndTheTimelineShowsOnlyVisibleDeals()
    {
        var hidden = (await DealsForEveryoneAsync())[DemoUsers.SouthRep];
        var stages = await TestOpportunities.StagesAsync(app);
        await using (var db = await app.SystemDbAsync())
        {
            db.Collaborators.Add(new Collaborator
            {
                RecordType = Opportunity.RecordType, RecordId = hidden[1], UserId = (await UserAsync(db, DemoUsers.Rep)).Id,
                Access = CollaboratorAccess.Read, AddedAt = app.Clock.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(Ct);
        }

        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var read = await rep.GetJsonAsync<OpportunityDto>($"/api/v1/opportunities/{hidden[1]}");
        var move = await rep.PostAsJsonAsync($"/api/v1/opportunities/{hidden[1]}/move", new MoveStageRequest(stages.Proposal, read.Version), Ct);

        Assert.False(read.CanChange);
        Assert.Null(read.CustomerName); // the customer itself is not shared
        await move.ExpectProblemAsync(HttpStatusCode.Forbidden);
        var adminTimeline = await admin.GetStringAsync($"/api/v1/customers/{read.CustomerId}/timeline", Ct);
        Assert.Contains("OpportunityCreated", adminTimeline, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipelines_EveryoneReadsOnlyTheAdminChanges()
    {
        var stages = await TestOpportunities.StagesAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        var list = await rep.GetJsonAsync<List<PipelineDto>>("/api/v1/pipelines");

        Assert.Contains(list, p => p.Id == stages.PipelineId);
        await (await manager.PostAsJsonAsync("/api/v1/pipelines", new PipelineRequest("经理的流程"), Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await manager.PostAsJsonAsync($"/api/v1/pipelines/{stages.PipelineId}/stages/{stages.Needs}/requirements",
            new RequirementRequest(RequirementKind.Checklist, Text: "经理加的"), Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await rep.PostAsync($"/api/v1/pipelines/{stages.PipelineId}/default", null, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await rep.DeleteAsync($"/api/v1/pipelines/{stages.PipelineId}/stages/{stages.Needs}/requirements/{stages.Requirements[0].Id}", Ct))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    /// <summary>Three open deals for each of several people across the organisation, on their own customers (once per class).</summary>
    private async Task<Dictionary<string, List<Guid>>> DealsForEveryoneAsync()
    {
        await DealSeeding.WaitAsync(Ct);
        try
        {
            await using var db = await app.SystemDbAsync();
            var users = await db.Users.Where(u => DealOwners.Contains(u.Email!)).ToDictionaryAsync(u => u.Email!, u => u.Id, Ct);
            var existing = await db.Opportunities.Where(o => o.Name.StartsWith("Scope matrix deal")).ToListAsync(Ct);
            if (existing.Count == 0)
            {
                var stages = await TestOpportunities.StagesAsync(app);
                var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);
                var n = 0;
                foreach (var owner in DealOwners)
                {
                    // A customer of the owner shared with nobody, so that the deal's customer is as private as the deal.
                    var customer = await db.Customers.Where(c => c.OwnerId == users[owner] && !db.Collaborators.Any(s => s.RecordId == c.Id))
                        .OrderBy(c => c.Name).Select(c => c.Id).FirstOrDefaultAsync(Ct);
                    if (customer == Guid.Empty)
                    {
                        customer = await db.Customers.OrderBy(c => c.Name).Select(c => c.Id).FirstAsync(Ct);
                    }

                    for (var i = 0; i < 3; i++)
                    {
                        n++;
                        existing.Add(new Opportunity
                        {
                            Name = $"Scope matrix deal {n} of {owner}",
                            CustomerId = customer,
                            OwnerId = users[owner],
                            PipelineId = stages.PipelineId,
                            StageId = i == 2 ? stages.Proposal : stages.Needs,
                            Probability = i == 2 ? 30 : 10,
                            AmountMinor = 10_000_03L * n,
                            ExpectedCloseDate = today.AddDays(20 * i + n),
                            StageEnteredAt = app.Clock.GetUtcNow().UtcDateTime,
                        });
                    }
                }

                db.Opportunities.AddRange(existing);
                await db.SaveChangesAsync(Ct);
            }

            return DealOwners.ToDictionary(o => o, o => existing.Where(d => d.OwnerId == users[o]).OrderBy(d => d.Name, StringComparer.Ordinal).Select(d => d.Id).ToList());
        }
        finally
        {
            DealSeeding.Release();
        }
    }

    /// <summary>The deals <paramref name="email"/> may see: their own and shared ones; their teams' people's for managers and directors; all for Admin and Finance.</summary>
    private async Task<HashSet<Guid>> ExpectedVisibleDealsAsync(string email)
    {
        await using var db = await app.SystemDbAsync();
        var user = await UserAsync(db, email);
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == user.Id
                           select r.Name!).ToListAsync(Ct);
        var deals = await db.Opportunities.Select(o => new { o.Id, o.OwnerId }).ToListAsync(Ct);
        if (roles.Contains(Roles.Admin) || roles.Contains(Roles.Finance))
        {
            return deals.Select(d => d.Id).ToHashSet();
        }

        var teamOf = await db.Users.ToDictionaryAsync(u => u.Id, u => u.TeamId, Ct);
        var shared = await db.Collaborators.Where(s => s.UserId == user.Id).Select(s => s.RecordId).ToListAsync(Ct);
        var below = new List<Guid>();
        if (roles.Contains(Roles.Manager) || roles.Contains(Roles.Director))
        {
            if (user.TeamId is { } team)
            {
                below.AddRange(await SubtreeAsync(db, team));
            }

            foreach (var headed in await db.Teams.Where(t => t.HeadUserId == user.Id).Select(t => t.Id).ToListAsync(Ct))
            {
                below.AddRange(await SubtreeAsync(db, headed));
            }
        }

        return deals.Where(d => d.OwnerId == user.Id || shared.Contains(d.Id)
                || (d.OwnerId is { } owner && teamOf[owner] is { } ownerTeam && below.Contains(ownerTeam)))
            .Select(d => d.Id).ToHashSet();
    }
}
