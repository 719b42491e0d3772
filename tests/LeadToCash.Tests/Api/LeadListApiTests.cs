using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Leads.BulkActions;
using LeadToCash.Modules.Leads.ListLeads;
using LeadToCash.Platform.Api;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace LeadToCash.Tests.Api;

/// <summary>
/// The lead list, its export and its bulk actions through HTTP. Every test seeds its own leads, tagged with a marker in
/// the company name, and narrows the list to that tag, so the tests do not see each other's leads.
/// </summary>
[DatabaseTest]
public sealed class LeadListApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListLeads_EachFilter_NarrowsToTheMatchingLeads()
    {
        var (tag, _) = await SeedStandardAsync();
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var ids = await IdsAsync();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(Now, Shanghai));

        (string Query, string[] Expected)[] cases =
        [
            ("", ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta"]),
            ("status=assigned", ["Alpha", "Delta", "Epsilon", "Theta"]),
            ("status=new,pool", ["Beta"]),
            ("status=Contacted&status=disqualified", ["Gamma", "Zeta", "Eta"]),
            ("grade=A", ["Alpha"]),
            ("grade=C", ["Beta"]),
            ("grade=a,c", ["Alpha", "Beta"]),
            ("source=referral", ["Beta", "Gamma"]),
            ($"ownerId={ids.Rep}", ["Alpha", "Epsilon", "Eta", "Theta"]),
            ($"teamId={ids.Sh1}", ["Alpha", "Beta", "Delta", "Epsilon", "Eta", "Theta"]),
            ($"teamId={ids.East}", ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Eta", "Theta"]),
            ($"teamId={ids.South}", ["Zeta"]),
            ($"createdFrom={today:yyyy-MM-dd}", ["Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta"]),
            ($"createdTo={today.AddDays(-1):yyyy-MM-dd}", ["Alpha"]),
            ($"createdFrom={today.AddDays(-10):yyyy-MM-dd}&createdTo={today.AddDays(-10):yyyy-MM-dd}", ["Alpha"]),
            ("sla=overdue", ["Delta"]),
            ("sla=dueSoon", ["Epsilon"]),
            ("sla=met", ["Gamma"]),
            ("sla=missed", ["Zeta"]),
            ("screening=awaiting", ["Beta"]),
            ("inPool=true", ["Beta"]),
            ("inPool=false", ["Alpha", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta"]),
            ("escalated=true", ["Delta"]),
            ("mine=true", []),
            ("status=assigned&sla=overdue&escalated=true", ["Delta"]),
        ];

        foreach (var (query, expected) in cases)
        {
            var names = await NamesAsync(admin, tag, query);
            Assert.True(expected.Order().SequenceEqual(names.Order()),
                $"?{query}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", names)}]");
        }
    }

    [Fact]
    public async Task ListLeads_SearchText_MatchesCompanyContactMobileAndEmail()
    {
        var (tag, leads) = await SeedStandardAsync();
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        Assert.Equal(["Alpha"], await NamesAsync(admin, null, "q=" + Uri.EscapeDataString(leads["Alpha"].ContactName!)));
        Assert.Equal(["Alpha"], await NamesAsync(admin, null, "q=" + leads["Alpha"].Mobile![3..]));
        Assert.Equal(["Alpha"], await NamesAsync(admin, null, "q=" + Uri.EscapeDataString(leads["Alpha"].Email!)));
        Assert.Equal(8, (await NamesAsync(admin, null, "q=" + tag)).Count);
    }

    [Fact]
    public async Task ListLeads_Rows_CarryOwnerTeamGradesSlaAndMarkers()
    {
        var (tag, leads) = await SeedStandardAsync();
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var rows = (await admin.ListAllAsync<LeadListItem>($"/api/v1/leads?q={tag}")).ToDictionary(r => Name(r, tag));

        Assert.Equal("张伟", rows["Alpha"].OwnerName);
        Assert.Equal("上海销售一组", rows["Alpha"].TeamName);
        Assert.Equal(LeadGrade.A, rows["Alpha"].Grade);
        Assert.Equal(LeadGrade.B, rows["Alpha"].SuggestedGrade);
        Assert.Null(rows["Beta"].Grade);
        Assert.Null(rows["Beta"].OwnerName);
        Assert.Equal(SlaState.Overdue, rows["Delta"].Sla);
        Assert.Equal(SlaState.DueSoon, rows["Epsilon"].Sla);
        Assert.Equal(SlaState.Met, rows["Gamma"].Sla);
        Assert.Equal(SlaState.Missed, rows["Zeta"].Sla);
        Assert.Equal(SlaState.OnTrack, rows["Theta"].Sla);
        Assert.Equal(SlaState.None, rows["Eta"].Sla); // closed before anyone called: no clock any more
        Assert.True(rows["Beta"].Incomplete);
        Assert.False(rows["Alpha"].Incomplete);
        Assert.True(rows["Gamma"].Duplicate);
        Assert.False(rows["Alpha"].Duplicate);
        Assert.Equal(leads["Alpha"].Id, rows["Alpha"].Id);
    }

    [Fact]
    public async Task ListLeads_SlaFilter_FollowsTheClock()
    {
        var (tag, _) = await SeedStandardAsync();
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        Assert.Equal(["Epsilon"], await NamesAsync(admin, tag, "sla=dueSoon"));

        // Epsilon was due in 10 minutes; 11 minutes later it is overdue, and Theta (due in 5 hours) is not yet due soon.
        app.Clock.Advance(TimeSpan.FromMinutes(11));

        Assert.Empty(await NamesAsync(admin, tag, "sla=dueSoon"));
        Assert.Equal(["Delta", "Epsilon"], (await NamesAsync(admin, tag, "sla=overdue")).Order());
        var epsilon = (await admin.ListAllAsync<LeadListItem>($"/api/v1/leads?q={tag}")).Single(r => Name(r, tag) == "Epsilon");
        Assert.Equal(SlaState.Overdue, epsilon.Sla);

        app.Clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(35));
        Assert.Equal(["Theta"], await NamesAsync(admin, tag, "sla=dueSoon"));
    }

    [Fact]
    public async Task ListLeads_Rep_SeesOwnLeadsAndTheTeamPoolButNotAColleaguesLeads()
    {
        var (tag, _) = await SeedStandardAsync();
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var ids = await IdsAsync();

        Assert.Equal(["Alpha", "Beta", "Epsilon", "Eta", "Theta"], (await NamesAsync(rep, tag, "")).Order());
        Assert.Equal(["Alpha", "Epsilon", "Eta", "Theta"], (await NamesAsync(rep, tag, "mine=true")).Order());
        Assert.Empty(await NamesAsync(rep, tag, $"ownerId={ids.Rep2}"));
    }

    [Fact]
    public async Task ListLeads_Manager_SeesTheTeamsLeadsNotOtherTeams()
    {
        var (tag, _) = await SeedStandardAsync();
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var director = await app.ClientForAsync(DemoUsers.EastDirector);

        Assert.Equal(["Alpha", "Beta", "Delta", "Epsilon", "Eta", "Theta"], (await NamesAsync(manager, tag, "")).Order());
        Assert.Equal(["Alpha", "Beta", "Delta", "Epsilon", "Eta", "Gamma", "Theta"], (await NamesAsync(director, tag, "")).Order());
    }

    [Fact]
    public async Task ListLeads_DirectorFilteringByStatusOrSla_GetsTheVisibleMatchesOnlyAndTheirCount()
    {
        // A scoped caller's list reads the owner and pool indexes with these filters applied (NarrowToScope's within).
        var (tag, leads) = await SeedStandardAsync();
        using var director = await app.ClientForAsync(DemoUsers.EastDirector);

        (string Query, string[] Expected)[] cases =
        [
            ("status=assigned", ["Alpha", "Delta", "Epsilon", "Theta"]),
            ("status=new,pool", ["Beta"]),
            ("sla=overdue", ["Delta"]),
            ("sla=dueSoon", ["Epsilon"]),
            ("sla=met", ["Gamma"]),
            ("sla=missed", []), // Zeta is the south team's
            ("status=disqualified&sla=overdue", []),
        ];

        foreach (var (query, expected) in cases)
        {
            var names = await NamesAsync(director, tag, query);
            Assert.True(expected.Order().SequenceEqual(names.Order()),
                $"?{query}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", names)}]");
        }

        await using (var db = await app.SystemDbAsync())
        {
            var gamma = await db.Leads.SingleAsync(l => l.Id == leads["Gamma"].Id, Ct);
            gamma.IsDeleted = true;
            await db.SaveChangesAsync(Ct);
        }

        Assert.Empty(await NamesAsync(director, tag, "sla=met")); // in the recycle bin: not listed

        // Without a search the count comes from the owner and pool indexes and the shares (VisibleIdsWithin): it is the
        // number of leads listed, the recycle bin left out.
        foreach (var query in new[] { "status=assigned", "status=new,pool", "sla=met", "sla=missed", "status=assigned,contacted&sla=met" })
        {
            var listed = await director.ListAllAsync<LeadListItem>($"/api/v1/leads?{query}");
            var first = await director.GetJsonAsync<ListPage<LeadListItem>>($"/api/v1/leads?{query}&limit=1");
            Assert.Equal((Math.Min(listed.Count, ListRequest.CountCap), listed.Count > ListRequest.CountCap), (first.Count, first.CountCapped));
            Assert.DoesNotContain(listed, l => l.Id == leads["Gamma"].Id);
        }
    }

    [Theory]
    [InlineData("sort=company", new[] { "Alpha", "Beta", "Delta", "Epsilon", "Eta", "Gamma", "Theta", "Zeta" })]
    [InlineData("sort=-score", new[] { "Theta", "Eta", "Zeta", "Epsilon", "Delta", "Gamma", "Beta", "Alpha" })]
    [InlineData("sort=firstTouchDueAt", new[] { "Eta", "Zeta", "Gamma", "Delta", "Epsilon", "Theta", "Alpha", "Beta" })]
    public async Task ListLeads_SortedAcrossPages_ReturnsEveryLeadOnceInOrder(string sort, string[] expected)
    {
        var (tag, _) = await SeedStandardAsync();
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var rows = await admin.ListAllAsync<LeadListItem>($"/api/v1/leads?q={tag}&{sort}", limit: 3);

        var names = rows.Select(r => Name(r, tag)).ToList();
        if (sort == "sort=firstTouchDueAt")
        {
            // Leads without a deadline come last, in id order among themselves.
            Assert.Equal(expected[..6], names[..6]);
            Assert.Equal(expected[6..].Order(), names[6..].Order());
        }
        else
        {
            Assert.Equal(expected, names);
        }
    }

    [Theory]
    [InlineData("status=open", "status")]
    [InlineData("grade=D", "grade")]
    [InlineData("sla=late", "sla")]
    [InlineData("screening=done", "screening")]
    [InlineData("sort=owner", "sort")]
    [InlineData("createdFrom=2026-11-20&createdTo=2026-11-01", "createdTo")]
    public async Task ListLeads_UnreadableParameter_Returns400NamingIt(string query, string field)
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var response = await admin.GetAsync($"/api/v1/leads?{query}", Ct);

        await response.ExpectFieldErrorAsync(field);
    }

    [Fact]
    public async Task ListLeads_FinanceWithoutLeadAccess_Returns403()
    {
        using var finance = await app.ClientForAsync(DemoUsers.Finance);

        var response = await finance.GetAsync("/api/v1/leads", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ExportLeads_Csv_HoldsExactlyTheRowsTheFilteredListShowsTheCaller()
    {
        var (tag, leads) = await SeedStandardAsync();
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var listed = await rep.ListAllAsync<LeadListItem>($"/api/v1/leads?q={tag}&status=assigned");

        var response = await rep.GetAsync($"/api/v1/leads/export?format=csv&q={tag}&status=assigned", Ct);

        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("leads-", response.Content.Headers.ContentDisposition?.FileName, StringComparison.Ordinal);
        var rows = ExportFiles.ReadCsv(Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(Ct)));
        Assert.Equal(new[] { leads["Alpha"].Id, leads["Epsilon"].Id, leads["Theta"].Id }.Order(), listed.Select(l => l.Id).Order());
        Assert.Equal(listed.Select(l => l.Id.ToString()).Order(), rows.Select(r => r["Id"]).Order());
        var alpha = rows.Single(r => r["Id"] == leads["Alpha"].Id.ToString());
        Assert.Equal(leads["Alpha"].CompanyName, alpha["Company"]);
        Assert.Equal("Assigned", alpha["Status"]);
        Assert.Equal("上海销售一组", alpha["Team"]);
        Assert.Equal("张伟", alpha["Owner"]);
    }

    [Fact]
    public async Task ExportLeads_XlsxInChinese_HasChineseHeadersAndTheFilteredRows()
    {
        var (tag, leads) = await SeedStandardAsync();
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        manager.DefaultRequestHeaders.AcceptLanguage.Clear();
        manager.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("zh-CN"));

        var response = await manager.GetAsync($"/api/v1/leads/export?format=xlsx&q={tag}&sla=overdue", Ct);

        await response.ExpectAsync(HttpStatusCode.OK);
        var rows = await ReadXlsxAsync(await response.Content.ReadAsStreamAsync(Ct));
        var delta = Assert.Single(rows);
        Assert.Equal(leads["Delta"].Id.ToString(), delta["Id"]);
        Assert.Equal("已超时", delta["首次跟进时效"]);
        Assert.Equal("刘洋", delta["负责人"]);
    }

    [Fact]
    public async Task ExportLeads_NoMatch_GivesTheHeaderOnly()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var text = await rep.GetStringAsync("/api/v1/leads/export?format=csv&q=nothing-matches-this", Ct);

        Assert.Empty(ExportFiles.ReadCsv(text));
        Assert.StartsWith("Id,Company,Contact", text.TrimStart('\uFEFF'), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportLeads_UnknownFormat_Returns400()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.GetAsync("/api/v1/leads/export?format=pdf", Ct);

        await response.ExpectFieldErrorAsync("format");
    }

    [Fact]
    public async Task BulkAssign_MixOfManagedAndOtherLeads_AssignsTheManagedAndListsTheRest()
    {
        var (_, leads) = await SeedStandardAsync();
        var ids = await IdsAsync();
        var eastPool = (await SeedAsync(NewLead(NewTag(), "East pool", ids.East, null))).Single();
        var unknown = Guid.CreateVersion7();
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        var response = await manager.PostAsJsonAsync("/api/v1/leads/bulk/assign",
            new BulkAssignRequest([leads["Beta"].Id, leads["Alpha"].Id, leads["Gamma"].Id, eastPool.Id, unknown], ids.Rep2), Ct);

        var result = await response.ExpectJsonAsync<BulkResult>();
        Assert.Equal(2, result.Succeeded);
        var errors = result.Failed.ToDictionary(f => f.Id, f => f.Error);
        Assert.Equal(3, errors.Count);
        Assert.Equal("notFound", errors[leads["Gamma"].Id]);
        Assert.Equal("forbidden", errors[eastPool.Id]);
        Assert.Equal("notFound", errors[unknown]);
        Assert.All(result.Failed, f => Assert.False(string.IsNullOrWhiteSpace(f.Message)));
        await using var db = await app.SystemDbAsync();
        var owners = await db.Leads.Where(l => new[] { leads["Alpha"].Id, leads["Beta"].Id, leads["Gamma"].Id, eastPool.Id }.Contains(l.Id))
            .ToDictionaryAsync(l => l.Id, l => l.OwnerId, Ct);
        Assert.Equal(ids.Rep2, owners[leads["Alpha"].Id]);
        Assert.Equal(ids.Rep2, owners[leads["Beta"].Id]);
        Assert.Equal(ids.HuangLei, owners[leads["Gamma"].Id]);
        Assert.Null(owners[eastPool.Id]);
    }

    [Fact]
    public async Task BulkDisqualify_RepWithOwnPoolColleagueAndClosedLeads_DisqualifiesOnlyTheOwnOpenOne()
    {
        var (_, leads) = await SeedStandardAsync();
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync("/api/v1/leads/bulk/disqualify",
            new BulkDisqualifyRequest([leads["Alpha"].Id, leads["Beta"].Id, leads["Delta"].Id, leads["Eta"].Id], "展会名片，无采购计划"), Ct);

        var result = await response.ExpectJsonAsync<BulkResult>();
        Assert.Equal(1, result.Succeeded);
        var errors = result.Failed.ToDictionary(f => f.Id, f => f.Error);
        Assert.Equal("forbidden", errors[leads["Beta"].Id]);
        Assert.Equal("notFound", errors[leads["Delta"].Id]);
        Assert.Equal("conflict", errors[leads["Eta"].Id]);
        await using var db = await app.SystemDbAsync();
        var alpha = await db.Leads.SingleAsync(l => l.Id == leads["Alpha"].Id, Ct);
        Assert.Equal(LeadStatus.Disqualified, alpha.Status);
        Assert.Equal("展会名片，无采购计划", alpha.DisqualifyReason);
        Assert.Equal(LeadStatus.New, (await db.Leads.SingleAsync(l => l.Id == leads["Beta"].Id, Ct)).Status);
    }

    [Fact]
    public async Task BulkRegrade_Manager_RegradesEachVisibleLeadWithTheReason()
    {
        var (_, leads) = await SeedStandardAsync();
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        var response = await manager.PostAsJsonAsync("/api/v1/leads/bulk/regrade",
            new BulkRegradeRequest([leads["Alpha"].Id, leads["Theta"].Id, leads["Zeta"].Id], LeadGrade.C, "预算取消"), Ct);

        var result = await response.ExpectJsonAsync<BulkResult>();
        Assert.Equal(2, result.Succeeded);
        Assert.Equal(leads["Zeta"].Id, Assert.Single(result.Failed).Id);
        await using var db = await app.SystemDbAsync();
        var alpha = await db.Leads.SingleAsync(l => l.Id == leads["Alpha"].Id, Ct);
        Assert.Equal(LeadGrade.C, alpha.Grade);
        Assert.Equal("预算取消", alpha.GradeReason);
    }

    [Fact]
    public async Task BulkActions_MissingReasonOrTooManyIds_Return400WithoutChangingAnything()
    {
        var (_, leads) = await SeedStandardAsync();
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var tooMany = Enumerable.Range(0, BulkLeadsHandler.MaxIds + 1).Select(_ => Guid.CreateVersion7()).ToList();

        await (await manager.PostAsJsonAsync("/api/v1/leads/bulk/disqualify", new BulkDisqualifyRequest([leads["Alpha"].Id], " "), Ct))
            .ExpectFieldErrorAsync("reason");
        await (await manager.PostAsJsonAsync("/api/v1/leads/bulk/regrade", new BulkRegradeRequest([leads["Alpha"].Id], LeadGrade.A, null), Ct))
            .ExpectFieldErrorAsync("reason");
        await (await manager.PostAsJsonAsync("/api/v1/leads/bulk/assign", new BulkAssignRequest(tooMany, null), Ct))
            .ExpectFieldErrorAsync("ids");
        await (await manager.PostAsJsonAsync("/api/v1/leads/bulk/assign", new BulkAssignRequest([], null), Ct))
            .ExpectFieldErrorAsync("ids");

        await using var db = await app.SystemDbAsync();
        var alpha = await db.Leads.SingleAsync(l => l.Id == leads["Alpha"].Id, Ct);
        Assert.Equal(LeadStatus.Assigned, alpha.Status);
        Assert.Equal(1, alpha.Version);
    }

    [Fact]
    public async Task BulkAssign_RepWithoutAssignPermission_Returns403()
    {
        var (_, leads) = await SeedStandardAsync();
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync("/api/v1/leads/bulk/assign", new BulkAssignRequest([leads["Beta"].Id], null), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    // ---- arrangement ----------------------------------------------------------------------------------------------

    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private DateTime Now => app.Clock.GetUtcNow().UtcDateTime;

    private sealed record Ids(Guid Rep, Guid Rep2, Guid HuangLei, Guid HeYun, Guid Sh1, Guid Sh2, Guid East, Guid South);

    private async Task<Ids> IdsAsync()
    {
        await using var db = await app.SystemDbAsync();
        var users = await db.Users.ToDictionaryAsync(u => u.Email!, u => u.Id, Ct);
        var teams = await db.Teams.ToDictionaryAsync(t => t.Name, t => t.Id, Ct);
        return new Ids(users[DemoUsers.Rep], users[DemoUsers.Rep2], users["huang.lei@demo.test"], users[DemoUsers.SouthRep],
            teams["上海销售一组"], teams["上海销售二组"], teams["华东大区"], teams["华南大区"]);
    }

    private static string NewTag() => "LT" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    /// <summary>
    /// Eight leads, one for each state the filters tell apart (times relative to the fake clock):
    /// Alpha (rep, A confirmed, 10 days old), Beta (sh1 pool, unscreened, C, referral, no contact details, created
    /// 01:00 today Shanghai time = yesterday UTC), Gamma (huang.lei, met, referral, duplicate), Delta (rep2, overdue,
    /// escalated), Epsilon (rep, due in 10 min), Zeta (he.yun, missed), Eta (rep, disqualified, untouched past its
    /// deadline), Theta (rep, due in 5 h).
    /// </summary>
    private async Task<(string Tag, Dictionary<string, Lead> Leads)> SeedStandardAsync()
    {
        var tag = NewTag();
        var ids = await IdsAsync();
        var now = Now;
        var today = TimeZoneInfo.ConvertTimeFromUtc(now, Shanghai).Date;
        var earlyToday = TimeZoneInfo.ConvertTimeToUtc(today.AddHours(1), Shanghai);
        var leads = new[]
        {
            NewLead(tag, "Alpha", ids.Sh1, ids.Rep, l =>
            {
                l.Grade = LeadGrade.A;
                l.ContactName = "王经理" + tag;
                l.Mobile = "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
                l.Email = $"alpha.{tag.ToLowerInvariant()}@example.test";
                l.CreatedAt = now.AddDays(-10);
                l.Score = 10;
                l.FirstTouchDueAt = null;
            }),
            NewLead(tag, "Beta", ids.Sh1, null, l =>
            {
                l.Status = LeadStatus.New;
                l.ScreenedAt = null;
                l.Grade = null;
                l.SuggestedGrade = LeadGrade.C;
                l.SourceChannel = "referral";
                l.Mobile = null;
                l.CreatedAt = earlyToday;
                l.Score = 20;
            }),
            NewLead(tag, "Gamma", ids.Sh2, ids.HuangLei, l =>
            {
                l.Status = LeadStatus.Contacted;
                l.SourceChannel = "referral";
                l.FirstTouchDueAt = now.AddMinutes(-90);
                l.FirstTouchAt = now.AddHours(-2);
                l.DuplicateOfCustomerId = Guid.CreateVersion7();
                l.DuplicateField = "company";
                l.Score = 30;
            }),
            NewLead(tag, "Delta", ids.Sh1, ids.Rep2, l =>
            {
                l.FirstTouchDueAt = now.AddHours(-1);
                l.EscalatedAt = now.AddMinutes(-10);
                l.Score = 40;
            }),
            NewLead(tag, "Epsilon", ids.Sh1, ids.Rep, l =>
            {
                l.FirstTouchDueAt = now.AddMinutes(10);
                l.Score = 50;
            }),
            NewLead(tag, "Zeta", ids.South, ids.HeYun, l =>
            {
                l.Status = LeadStatus.Contacted;
                l.FirstTouchDueAt = now.AddHours(-3);
                l.FirstTouchAt = now.AddHours(-1);
                l.Score = 60;
            }),
            NewLead(tag, "Eta", ids.Sh1, ids.Rep, l =>
            {
                l.Status = LeadStatus.Disqualified;
                l.FirstTouchDueAt = now.AddHours(-5);
                l.DisqualifyReason = "空号";
                l.Score = 70;
            }),
            NewLead(tag, "Theta", ids.Sh1, ids.Rep, l =>
            {
                l.FirstTouchDueAt = now.AddHours(5);
                l.Score = 80;
            }),
        };
        await SeedAsync(leads);
        return (tag, leads.ToDictionary(l => l.CompanyName![(tag.Length + 1)..]));
    }

    private Lead NewLead(string tag, string name, Guid teamId, Guid? ownerId, Action<Lead>? setup = null)
    {
        var now = Now;
        var lead = new Lead
        {
            SourceChannel = "trade-show",
            CompanyName = $"{tag} {name}",
            Mobile = "13800000000",
            CapturedAt = now.AddHours(-2),
            CreatedAt = now.AddHours(-2),
            TeamId = teamId,
            OwnerId = ownerId,
            PoolTeamId = ownerId is null ? teamId : null,
            Status = ownerId is null ? LeadStatus.Pool : LeadStatus.Assigned,
            SuggestedGrade = LeadGrade.B,
            Grade = LeadGrade.B,
            ScreeningDueAt = now.AddHours(-1),
            ScreenedAt = now.AddHours(-1),
            AssignedAt = ownerId is null ? null : now.AddHours(-1),
        };
        setup?.Invoke(lead);
        return lead;
    }

    private async Task<Lead[]> SeedAsync(params Lead[] leads)
    {
        await using var db = await app.SystemDbAsync();
        db.Leads.AddRange(leads);
        await db.SaveChangesAsync(Ct);
        return leads;
    }

    private static string Name(LeadListItem item, string tag) => item.CompanyName![(tag.Length + 1)..];

    private static async Task<List<string>> NamesAsync(HttpClient client, string? tag, string query)
    {
        var url = "/api/v1/leads?" + string.Join('&', new[] { tag is null ? null : "q=" + tag, query }.Where(p => !string.IsNullOrEmpty(p)));
        var rows = await client.ListAllAsync<LeadListItem>(url);
        return [.. rows.Select(r => r.CompanyName![(r.CompanyName!.IndexOf(' ', StringComparison.Ordinal) + 1)..])];
    }

    private static async Task<List<Dictionary<string, string>>> ReadXlsxAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, Ct);
        buffer.Position = 0;
        return buffer.Query(useHeaderRow: true)
            .Cast<IDictionary<string, object?>>()
            .Select(r => r.ToDictionary(kv => kv.Key, kv => Convert.ToString(kv.Value, CultureInfo.InvariantCulture) ?? ""))
            .ToList();
    }
}
