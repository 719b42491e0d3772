using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Leads.Activities;
using LeadToCash.Modules.Leads.Assignment;
using LeadToCash.Modules.Leads.Conversion;
using LeadToCash.Modules.Leads.CreateLead;
using LeadToCash.Modules.Leads.Disqualify;
using LeadToCash.Modules.Leads.GetLead;
using LeadToCash.Modules.Leads.ListLeads;
using LeadToCash.Modules.Leads.Merge;
using LeadToCash.Modules.Leads.Screening;
using LeadToCash.Modules.Leads.UpdateLead;
using LeadToCash.Modules.Organization.Users;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Api;

/// <summary>The lead commands through the API: capture, duplicates, screening, assignment, claim, SLA, conversion, merge.</summary>
[DatabaseTest]
public sealed class LeadsApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string[] SeniorRepsOfTeam1 = ["李娜", "张伟", "赵敏"];
    private static int _sequence;

    // Meets every default score rule: target industry, budget ≥ ¥100,000, buying within 3 months, decision maker known.
    private static CreateLeadRequest HotLead(string company, bool toPool = true) => new(
        "trade-show", CompanyName: company, ContactName: "王经理", Mobile: UniqueMobile(), Industry: "manufacturing",
        BudgetMinor: 200_000_00, PurchaseWithinMonths: 2, DecisionMakerIdentified: true, ToPool: toPool ? true : null);

    private static CreateLeadRequest ColdLead(string company) => new(
        "advertising", CompanyName: company, ContactName: "陈先生", Mobile: UniqueMobile(), Industry: "retail", ToPool: true);

    private static string UniqueMobile() => "139" + (10_000_000 + Interlocked.Increment(ref _sequence) * 7919 % 89_999_999).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<LeadDto> CreateAsync(HttpClient client, CreateLeadRequest request)
    {
        var response = await client.PostAsJsonAsync("/api/v1/leads", request, Ct);
        return (await response.ExpectJsonAsync<CreateLeadResult>(HttpStatusCode.Created)).Lead;
    }

    private static async Task<LeadDto> ScreenAsync(HttpClient client, Guid id, LeadGrade grade, string? reason = null) =>
        await (await client.PostAsJsonAsync($"/api/v1/leads/{id}/screen", new ScreenLeadRequest(grade, reason), Ct)).ExpectJsonAsync<LeadDto>();

    [Fact]
    public async Task CreateLead_ByRep_RepOwnsItAndTheFirstTouchClockRunsInWorkingTime()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var me = await rep.GetJsonAsync<MeDto>("/api/v1/me");

        var lead = await CreateAsync(rep, HotLead("苏州恒达精密机械有限公司", toPool: false));

        Assert.Equal(me.Id, lead.OwnerId);
        Assert.Equal(LeadStatus.Assigned, lead.Status);
        Assert.Equal(100, lead.Score);
        Assert.Equal(LeadGrade.A, lead.SuggestedGrade);
        Assert.Null(lead.Grade);
        Assert.Null(lead.ScreenedAt);
        // 09:00 Shanghai on a Wednesday: two working hours later.
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddHours(2), lead.FirstTouchDueAt);
        Assert.Equal(SlaState.OnTrack, lead.Sla);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddMinutes(30), lead.ScreeningDueAt);
    }

    [Fact]
    public async Task CreateLead_ByAssistant_WaitsInTheTeamPoolForScreening()
    {
        using var assistant = await app.ClientForAsync(DemoUsers.Assistant);

        var lead = await CreateAsync(assistant, ColdLead("上海优选便利店连锁"));

        Assert.Null(lead.OwnerId);
        Assert.Equal(lead.TeamId, lead.PoolTeamId);
        Assert.Equal(LeadStatus.New, lead.Status);
        Assert.Equal(LeadGrade.C, lead.SuggestedGrade);
        Assert.Equal(SlaState.None, lead.Sla);
        Assert.True(lead.CanChange);
    }

    [Fact]
    public async Task CreateLead_NeitherCompanyNorContact_Returns400NamingCompanyName()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync("/api/v1/leads", new CreateLeadRequest("trade-show", Mobile: "13800001111"), Ct);

        await response.ExpectFieldErrorAsync("companyName");
    }

    [Fact]
    public async Task CreateLead_BadPhoneEmailAndSource_NamesEachField()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync("/api/v1/leads",
            new CreateLeadRequest("no-such-channel", CompanyName: "测试", Mobile: "call me", Email: "not-an-email"), Ct);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("mobile", out _));
        Assert.True(errors.TryGetProperty("email", out _));
    }

    [Fact]
    public async Task CreateLead_NoContactDetails_IsIncompleteNotInvalid()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var lead = await CreateAsync(rep, new CreateLeadRequest("referral", ContactName: "周女士"));

        Assert.True(lead.Incomplete);
    }

    [Fact]
    public async Task CreateLead_SamePhoneWithPrefixAndCompanyWithSuffix_IsFlaggedWithTheMatch()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var first = await CreateAsync(rep, new CreateLeadRequest("trade-show", CompanyName: "宁波海天塑机股份有限公司", Mobile: "138 1234 5601"));

        var response = await rep.PostAsJsonAsync("/api/v1/leads",
            new CreateLeadRequest("website-form", CompanyName: "宁波海天塑机", ContactName: "徐工", Mobile: "+86 138-1234-5601"), Ct);

        var second = await response.ExpectJsonAsync<CreateLeadResult>(HttpStatusCode.Created);
        Assert.NotNull(second.Duplicate);
        Assert.Equal(first.Id, second.Duplicate.Id);
        Assert.Equal("phone", second.Duplicate.Field);
        Assert.Equal(first.Id, second.Lead.DuplicateOfLeadId);
        var detail = await rep.GetJsonAsync<LeadDetail>($"/api/v1/leads/{second.Lead.Id}");
        Assert.Equal(first.Id, detail.Duplicate?.Id);
        var check = await rep.GetJsonAsync<DuplicateCheckResult>("/api/v1/leads/duplicates?email=&companyName=宁波海天塑机有限公司");
        Assert.Equal("company", check.Match?.Field);
    }

    [Fact]
    public async Task CreateLead_MatchesACustomerInBlockMode_Returns409NamingTheCustomerAndWritesNothing()
    {
        await using (var db = await app.SystemDbAsync())
        {
            db.LeadSettings.Add(new LeadSettings { DuplicateMode = DuplicateMode.Block });
            await db.SaveChangesAsync(Ct);
        }

        try
        {
            using var rep = await app.ClientForAsync(DemoUsers.Rep);
            var customer = (await rep.AllCustomersAsync()).First(c => c.OwnerId is not null);
            var before = await CountLeadsAsync();

            var response = await rep.PostAsJsonAsync("/api/v1/leads",
                new CreateLeadRequest("cold-call", CompanyName: customer.Name + " 有限公司", ContactName: "某人"), Ct);

            var problem = await response.ExpectProblemAsync(HttpStatusCode.Conflict);
            Assert.Contains(customer.Name, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(before, await CountLeadsAsync());
        }
        finally
        {
            await using var db = await app.SystemDbAsync();
            db.LeadSettings.RemoveRange(db.LeadSettings);
            await db.SaveChangesAsync(Ct);
        }
    }

    [Fact]
    public async Task ScreenLead_ChangedGradeWithoutReason_Returns400NamingReason()
    {
        using var assistant = await app.ClientForAsync(DemoUsers.Assistant);
        var lead = await CreateAsync(assistant, HotLead("嘉兴联创电子有限公司"));

        var response = await assistant.PostAsJsonAsync($"/api/v1/leads/{lead.Id}/screen", new ScreenLeadRequest(LeadGrade.B), Ct);

        await response.ExpectFieldErrorAsync("reason");
    }

    [Fact]
    public async Task ScreenLead_ConfirmedA_TheRulesGiveItToASeniorRepWithATwoHourClock()
    {
        using var assistant = await app.ClientForAsync(DemoUsers.Assistant);
        var lead = await CreateAsync(assistant, HotLead("常州天合自动化有限公司"));

        var screened = await ScreenAsync(assistant, lead.Id, LeadGrade.A);

        Assert.Equal(LeadGrade.A, screened.Grade);
        Assert.NotNull(screened.ScreenedAt);
        Assert.Equal("孙丽", screened.ScreenedByName);
        Assert.Equal(LeadStatus.Assigned, screened.Status);
        Assert.Contains(screened.OwnerName, SeniorRepsOfTeam1);
        Assert.Equal(screened.AssignedAt!.Value.AddHours(2), screened.FirstTouchDueAt);
        await using var db = await app.SystemDbAsync();
        Assert.True(await db.Notifications.AnyAsync(n => n.UserId == screened.OwnerId && n.RecordId == lead.Id && n.Kind == "lead.assigned", Ct));
    }

    [Fact]
    public async Task ScreenLead_B_GoesToTheJuniorRepAndCGoesToTheNurturePool()
    {
        using var assistant = await app.ClientForAsync(DemoUsers.Assistant);
        var b = await CreateAsync(assistant, ColdLead("昆山宏远物流有限公司"));
        var c = await CreateAsync(assistant, ColdLead("太仓万家超市"));

        var screenedB = await ScreenAsync(assistant, b.Id, LeadGrade.B, "电话确认有采购计划");
        var screenedC = await ScreenAsync(assistant, c.Id, LeadGrade.C);

        Assert.Equal("刘洋", screenedB.OwnerName);
        Assert.Equal("电话确认有采购计划", screenedB.GradeReason);
        Assert.Equal(LeadStatus.Pool, screenedC.Status);
        Assert.Null(screenedC.OwnerId);
        Assert.Null(screenedC.FirstTouchDueAt);
    }

    [Fact]
    public async Task ClaimLead_TwoRepsAtTheSameMoment_ExactlyOneGetsItTheOtherHears409ClaimedBy()
    {
        using var assistant = await app.ClientForAsync(DemoUsers.Assistant);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
        for (var round = 0; round < 8; round++)
        {
            var lead = await CreateAsync(assistant, ColdLead($"公海线索{round}号贸易公司"));
            await ScreenAsync(assistant, lead.Id, LeadGrade.C);

            var responses = await Task.WhenAll(
                rep.PostAsync($"/api/v1/leads/{lead.Id}/claim", null, Ct),
                rep2.PostAsync($"/api/v1/leads/{lead.Id}/claim", null, Ct));

            var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync(Ct)));
            Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.OK) == 1, string.Join("\n", bodies));
            Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.Conflict) == 1, string.Join("\n", bodies));
            var loser = responses.Single(r => r.StatusCode == HttpStatusCode.Conflict);
            var winner = await responses.Single(r => r.IsSuccessStatusCode).ReadAsync<LeadDto>();
            var problem = await loser.ExpectProblemAsync(HttpStatusCode.Conflict);
            Assert.Contains($"already been claimed by {winner.OwnerName}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            // A claimed nurture lead gets B's first-touch deadline: 24 working hours.
            Assert.NotNull(winner.FirstTouchDueAt);
        }
    }

    [Fact]
    public async Task ClaimLead_StillAwaitingScreening_Returns409()
    {
        using var assistant = await app.ClientForAsync(DemoUsers.Assistant);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var lead = await CreateAsync(assistant, ColdLead("松江未筛选线索有限公司"));

        var response = await rep.PostAsync($"/api/v1/leads/{lead.Id}/claim", null, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task ClaimLead_OverTheClaimLimit_Returns409()
    {
        await using (var db = await app.SystemDbAsync())
        {
            db.LeadSettings.Add(new LeadSettings { ClaimLimit = 1 });
            await db.SaveChangesAsync(Ct);
        }

        try
        {
            using var assistant = await app.ClientForAsync(DemoUsers.Assistant);
            using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
            var first = await CreateAsync(assistant, ColdLead("限额一号公司"));
            var second = await CreateAsync(assistant, ColdLead("限额二号公司"));
            await ScreenAsync(assistant, first.Id, LeadGrade.C);
            await ScreenAsync(assistant, second.Id, LeadGrade.C);

            await using var db = await app.SystemDbAsync();
            var open = await db.Leads.CountAsync(l => l.Owner!.Email == DemoUsers.Rep2 && (l.Status == LeadStatus.Assigned || l.Status == LeadStatus.Contacted), Ct);
            var response = await rep2.PostAsync($"/api/v1/leads/{first.Id}/claim", null, Ct);
            if (open == 0)
            {
                await response.ExpectAsync(HttpStatusCode.OK);
                response = await rep2.PostAsync($"/api/v1/leads/{second.Id}/claim", null, Ct);
            }

            var problem = await response.ExpectProblemAsync(HttpStatusCode.Conflict);
            Assert.Contains("open leads", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await using var db = await app.SystemDbAsync();
            db.LeadSettings.RemoveRange(db.LeadSettings);
            await db.SaveChangesAsync(Ct);
        }
    }

    [Fact]
    public async Task LogActivity_FirstCallWithinTheDeadline_StopsTheClockAsMet()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var lead = await CreateAsync(rep, HotLead("无锡华光锅炉有限公司", toPool: false));
        app.Clock.Advance(TimeSpan.FromMinutes(45));

        var response = await rep.PostAsJsonAsync($"/api/v1/leads/{lead.Id}/activities",
            new LogLeadActivityRequest(LeadActivityKind.Call, LeadActivityOutcome.Reached, "约了下周拜访"), Ct);

        await response.ExpectAsync(HttpStatusCode.Created);
        var detail = await rep.GetJsonAsync<LeadDetail>($"/api/v1/leads/{lead.Id}");
        Assert.Equal(SlaState.Met, detail.Lead.Sla);
        Assert.Equal(LeadStatus.Contacted, detail.Lead.Status);
        Assert.Equal(45, detail.Lead.ResponseMinutes);
        // The stored outcome the list filters on follows the logged touch.
        Assert.Contains(lead.Id, (await rep.ListAllAsync<LeadListItem>("/api/v1/leads?sla=met")).Select(l => l.Id));
        Assert.DoesNotContain(lead.Id, (await rep.ListAllAsync<LeadListItem>("/api/v1/leads?sla=missed")).Select(l => l.Id));
        var activity = Assert.Single(detail.Activities);
        Assert.Equal("约了下周拜访", activity.Notes);
        Assert.Equal("张伟", activity.UserName);
    }

    [Fact]
    public async Task LeadSla_NoContactPastTheDeadline_IsOverdueThenMissedWhenCalled()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var lead = await CreateAsync(rep, HotLead("南通中远船务有限公司", toPool: false));
        app.Clock.Advance(TimeSpan.FromHours(3));

        var overdue = await rep.GetJsonAsync<LeadDetail>($"/api/v1/leads/{lead.Id}");
        await (await rep.PostAsJsonAsync($"/api/v1/leads/{lead.Id}/activities",
            new LogLeadActivityRequest(LeadActivityKind.Call, LeadActivityOutcome.NoAnswer), Ct)).ExpectAsync(HttpStatusCode.Created);
        var missed = await rep.GetJsonAsync<LeadDetail>($"/api/v1/leads/{lead.Id}");

        Assert.Equal(SlaState.Overdue, overdue.Lead.Sla);
        Assert.Equal(SlaState.Missed, missed.Lead.Sla);
        Assert.Contains(lead.Id, (await rep.ListAllAsync<LeadListItem>("/api/v1/leads?sla=missed")).Select(l => l.Id));
        Assert.DoesNotContain(lead.Id, (await rep.ListAllAsync<LeadListItem>("/api/v1/leads?sla=overdue")).Select(l => l.Id));
    }

    [Fact]
    public async Task GetLead_ColleaguesLead_Returns404ButTheManagerSeesIt()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var otherManager = await app.ClientForAsync(DemoUsers.Manager2);
        var lead = await CreateAsync(rep, HotLead("扬州私有线索有限公司", toPool: false));

        await (await rep2.GetAsync($"/api/v1/leads/{lead.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await otherManager.GetAsync($"/api/v1/leads/{lead.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await manager.GetAsync($"/api/v1/leads/{lead.Id}", Ct)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AssignLead_ToARepOfAnotherTeam_Returns403AndToOwnRep_NotifiesBoth()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var lead = await CreateAsync(rep, HotLead("镇江转派测试有限公司", toPool: false));
        var users = await manager.ListAllAsync<UserDto>("/api/v1/users");
        var otherTeamRep = users.First(u => u.Email == "huang.lei@demo.test");
        var rep2 = users.First(u => u.Email == DemoUsers.Rep2);

        await (await manager.PostAsJsonAsync($"/api/v1/leads/{lead.Id}/assign", new AssignLeadRequest(otherTeamRep.Id), Ct))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        var reassigned = await (await manager.PostAsJsonAsync($"/api/v1/leads/{lead.Id}/assign", new AssignLeadRequest(rep2.Id), Ct))
            .ExpectJsonAsync<LeadDto>();

        Assert.Equal(rep2.Id, reassigned.OwnerId);
        await using var db = await app.SystemDbAsync();
        var kinds = await db.Notifications.Where(n => n.RecordId == lead.Id).Select(n => n.Kind).ToListAsync(Ct);
        Assert.Contains("lead.assigned", kinds);
        Assert.Contains("lead.reassigned", kinds);
    }

    [Fact]
    public async Task AssignLead_ByARep_Returns403()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var lead = await CreateAsync(rep, HotLead("泰州权限测试有限公司", toPool: false));

        var response = await rep.PostAsJsonAsync($"/api/v1/leads/{lead.Id}/assign", new AssignLeadRequest(null), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task UpdateLead_NewBudget_RescoresAndStaleVersionReturns409()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var lead = await CreateAsync(rep, new CreateLeadRequest("referral", CompanyName: "徐州重型机械有限公司", Industry: "manufacturing"));
        var request = new UpdateLeadRequest("referral", CompanyName: "徐州重型机械有限公司", Industry: "manufacturing",
            BudgetMinor: 500_000_00, PurchaseWithinMonths: 1, Version: lead.Version);

        var updated = await (await rep.PutAsJsonAsync($"/api/v1/leads/{lead.Id}", request, Ct)).ExpectJsonAsync<LeadDto>();
        var stale = await rep.PutAsJsonAsync($"/api/v1/leads/{lead.Id}", request, Ct);

        Assert.Equal(25, lead.Score);
        Assert.Equal(75, updated.Score);
        Assert.Equal(LeadGrade.A, updated.SuggestedGrade);
        await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task DisqualifyLead_WithoutReason_Returns400ThenClosedWithReason()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var lead = await CreateAsync(rep, HotLead("盐城无效线索有限公司", toPool: false));

        await (await rep.PostAsJsonAsync($"/api/v1/leads/{lead.Id}/disqualify", new DisqualifyLeadRequest(" "), Ct)).ExpectFieldErrorAsync("reason");
        var closed = await (await rep.PostAsJsonAsync($"/api/v1/leads/{lead.Id}/disqualify", new DisqualifyLeadRequest("空号"), Ct))
            .ExpectJsonAsync<LeadDto>();
        var again = await rep.PostAsJsonAsync($"/api/v1/leads/{lead.Id}/disqualify", new DisqualifyLeadRequest("空号"), Ct);

        Assert.Equal(LeadStatus.Disqualified, closed.Status);
        Assert.Equal("空号", closed.DisqualifyReason);
        await again.ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task ConvertLead_CreatesCustomerWithContactAndChannel_SecondLeadOfTheSameCompanyLinksIt()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var first = await CreateAsync(rep, HotLead("湖州绿源环保科技有限公司", toPool: false) with { Title = "采购总监", Email = "wang@lvyuan.example" });
        var second = await CreateAsync(rep, new CreateLeadRequest("referral", CompanyName: "湖州绿源环保科技", ContactName: "李工", Mobile: UniqueMobile()));

        var converted = await (await rep.PostAsJsonAsync($"/api/v1/leads/{first.Id}/convert", new ConvertLeadRequest(), Ct))
            .ExpectJsonAsync<ConvertLeadResult>();
        var linked = await (await rep.PostAsJsonAsync($"/api/v1/leads/{second.Id}/convert", new ConvertLeadRequest(), Ct))
            .ExpectJsonAsync<ConvertLeadResult>();

        Assert.False(converted.LinkedExisting);
        Assert.True(linked.LinkedExisting);
        Assert.Equal(converted.CustomerId, linked.CustomerId);
        await using var db = await app.SystemDbAsync();
        var customer = await db.Customers.SingleAsync(c => c.Id == converted.CustomerId, Ct);
        Assert.Equal("trade-show", customer.SourceChannel);
        Assert.Equal(first.OwnerId, customer.OwnerId);
        var contacts = await db.Contacts.Where(c => c.CustomerId == customer.Id).OrderBy(c => c.Name).ToListAsync(Ct);
        Assert.Equal(["李工", "王经理"], contacts.Select(c => c.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("采购总监", contacts.Single(c => c.Name == "王经理").Title);
        var lead = await db.Leads.SingleAsync(l => l.Id == first.Id, Ct);
        Assert.Equal(LeadStatus.Converted, lead.Status);
        Assert.Equal(customer.Id, lead.ConvertedCustomerId);
    }

    [Fact]
    public async Task MergeLeads_ByManager_MovesActivitiesFillsBlanksAndKeepsHistory()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var target = await CreateAsync(rep, new CreateLeadRequest("trade-show", CompanyName: "绍兴合并目标有限公司", Mobile: UniqueMobile()));
        var source = await CreateAsync(rep, new CreateLeadRequest("website-form", CompanyName: "绍兴合并目标", ContactName: "钱总",
            Email: "qian@merge.example", Mobile: UniqueMobile()));
        await (await rep.PostAsJsonAsync($"/api/v1/leads/{source.Id}/activities",
            new LogLeadActivityRequest(LeadActivityKind.WeChat, LeadActivityOutcome.Reached), Ct)).ExpectAsync(HttpStatusCode.Created);

        await (await rep.PostAsJsonAsync("/api/v1/leads/merge", new MergeLeadsRequest(target.Id, source.Id), Ct))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        var merged = await (await manager.PostAsJsonAsync("/api/v1/leads/merge", new MergeLeadsRequest(target.Id, source.Id), Ct))
            .ExpectJsonAsync<LeadDto>();

        Assert.Equal("钱总", merged.ContactName);
        Assert.Equal("qian@merge.example", merged.Email);
        Assert.NotNull(merged.FirstTouchAt);
        var detail = await manager.GetJsonAsync<LeadDetail>($"/api/v1/leads/{target.Id}");
        Assert.Single(detail.Activities);
        await using var db = await app.SystemDbAsync();
        var closed = await db.Leads.SingleAsync(l => l.Id == source.Id, Ct);
        Assert.Equal(LeadStatus.Merged, closed.Status);
        Assert.Equal(target.Id, closed.MergedIntoId);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityId == target.Id && a.Field == "ContactName", Ct));
    }

    private async Task<int> CountLeadsAsync()
    {
        await using var db = await app.SystemDbAsync();
        return await db.Leads.CountAsync(Ct);
    }
}
