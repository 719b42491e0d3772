using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.NeedsAnalyses;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Cli;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Api;

/// <summary>
/// Needs analyses through the API: the confirmation window against the fake clock, the sent and confirmed steps, the
/// list of unconfirmed ones for "My day", and access through the customer.
/// </summary>
[DatabaseTest]
public sealed class NeedsAnalysesApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DateTime Now => TestLeads.Now(app);

    [Fact]
    public async Task CreateNeedsAnalysis_ValidRequest_Returns201DueForConfirmation24HoursAfterTheMeeting()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await TestCustomers.CreateAsync(rep, "需求分析创建测试有限公司");
        var meeting = Now.AddHours(-3);

        var response = await rep.PostAsJsonAsync($"/api/v1/customers/{customer.Id}/needs-analyses", new NeedsAnalysisRequest(
            " 仓储系统升级 ", meeting, Background: "三个仓库", CurrentSituation: "Excel 记账", PainPoints: "盘点对不上",
            CustomerWords: "“月底盘点太折腾了”", Goals: "半天完成盘点", BudgetMinor: 300_000_00, Timeline: "下季度",
            NeedPriorities: "1. 条码 2. 报表", DecisionProcess: "总经理拍板"), Ct);

        var created = await response.ExpectJsonAsync<NeedsAnalysisDto>(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/needs-analyses/{created.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("仓储系统升级", created.Title);
        Assert.Equal(customer.Name, created.CustomerName);
        Assert.Equal(meeting, created.MeetingAt);
        Assert.Equal(meeting.AddHours(24), created.ConfirmDueAt);
        Assert.Equal("“月底盘点太折腾了”", created.CustomerWords);
        Assert.Equal(300_000_00, created.BudgetMinor);
        Assert.False(created.IsOverdue);
        Assert.Null(created.SentAt);
        Assert.Equal(created, await rep.GetJsonAsync<NeedsAnalysisDto>($"/api/v1/needs-analyses/{created.Id}"));
    }

    [Fact]
    public async Task CreateNeedsAnalysis_BadFields_Returns400NamingEachField()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await TestCustomers.CreateAsync(rep, "需求分析校验测试有限公司");
        var url = $"/api/v1/customers/{customer.Id}/needs-analyses";

        var blank = await rep.PostAsJsonAsync(url, new NeedsAnalysisRequest("", default, BudgetMinor: -1, PainPoints: new string('痛', 4001)), Ct);
        var future = await rep.PostAsJsonAsync(url, new NeedsAnalysisRequest("未来会议", Now.AddHours(2)), Ct);

        await blank.ExpectFieldErrorAsync("title");
        await blank.ExpectFieldErrorAsync("meetingAt");
        await blank.ExpectFieldErrorAsync("budgetMinor");
        await blank.ExpectFieldErrorAsync("painPoints");
        Assert.Contains(await future.ExpectFieldErrorAsync("meetingAt"), m => m.Contains("future", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NeedsAnalysis_UnconfirmedPast24Hours_IsOverdueByTheFakeClock()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await TestCustomers.CreateAsync(rep, "需求确认超时测试有限公司");
        var created = await CreateAsync(rep, customer.Id, "超时测试", Now.AddHours(-1));

        app.Clock.Advance(TimeSpan.FromHours(22));
        // A new client each time: the fake clock moves the token's expiry too.
        using var later = await app.ClientForAsync(DemoUsers.Rep);
        var justBefore = await later.GetJsonAsync<NeedsAnalysisDto>($"/api/v1/needs-analyses/{created.Id}");
        app.Clock.Advance(TimeSpan.FromHours(2));
        using var after24 = await app.ClientForAsync(DemoUsers.Rep);
        var after = await after24.GetJsonAsync<NeedsAnalysisDto>($"/api/v1/needs-analyses/{created.Id}");
        var overdueList = await after24.ListAllAsync<NeedsAnalysisDto>("/api/v1/needs-analyses?overdue=true&mine=true");

        Assert.False(justBefore.IsOverdue);
        Assert.True(after.IsOverdue);
        Assert.Contains(overdueList, n => n.Id == created.Id && n.IsOverdue);
        Assert.All(overdueList, n => Assert.True(n.IsOverdue));
    }

    [Fact]
    public async Task MarkSentThenConfirm_RecordsTheStepsAndEndsTheOverdue()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await TestCustomers.CreateAsync(rep, "需求确认步骤测试有限公司");
        var created = await CreateAsync(rep, customer.Id, "步骤测试", Now.AddHours(-30));
        Assert.True(created.IsOverdue);
        var url = $"/api/v1/customers/{customer.Id}/needs-analyses/{created.Id}";

        var sent = await (await rep.PostAsJsonAsync($"{url}/sent", new MarkNeedsAnalysisSentRequest(Now.AddHours(-29), created.Version), Ct))
            .ExpectJsonAsync<NeedsAnalysisDto>();
        var confirmed = await (await rep.PostAsJsonAsync($"{url}/confirm",
            new ConfirmNeedsAnalysisRequest(Now.AddHours(-1), " 微信确认 ", sent.Version), Ct)).ExpectJsonAsync<NeedsAnalysisDto>();

        Assert.Equal(Now.AddHours(-29), sent.SentAt);
        Assert.True(sent.IsOverdue);
        Assert.Equal(Now.AddHours(-1), confirmed.ConfirmedAt);
        Assert.Equal("微信确认", confirmed.ConfirmedHow);
        Assert.False(confirmed.IsOverdue);
        var unconfirmed = await rep.ListAllAsync<NeedsAnalysisDto>("/api/v1/needs-analyses?unconfirmed=true&mine=true");
        Assert.DoesNotContain(unconfirmed, n => n.Id == created.Id);
    }

    [Fact]
    public async Task ConfirmAndMarkSent_BadDatesOrNoHow_Return400NamingTheField()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await TestCustomers.CreateAsync(rep, "需求确认校验测试有限公司");
        var created = await CreateAsync(rep, customer.Id, "校验测试", Now.AddHours(-5));
        var url = $"/api/v1/customers/{customer.Id}/needs-analyses/{created.Id}";

        var beforeMeeting = await rep.PostAsJsonAsync($"{url}/sent", new MarkNeedsAnalysisSentRequest(Now.AddHours(-6), created.Version), Ct);
        var future = await rep.PostAsJsonAsync($"{url}/confirm", new ConfirmNeedsAnalysisRequest(Now.AddHours(1), "邮件", created.Version), Ct);
        var noHow = await rep.PostAsJsonAsync($"{url}/confirm", new ConfirmNeedsAnalysisRequest(Now, " ", created.Version), Ct);
        var noVersion = await rep.PostAsJsonAsync($"{url}/sent", new MarkNeedsAnalysisSentRequest(Now), Ct);
        var stale = await rep.PostAsJsonAsync($"{url}/sent", new MarkNeedsAnalysisSentRequest(Now, created.Version + 3), Ct);

        await beforeMeeting.ExpectFieldErrorAsync("sentAt");
        await future.ExpectFieldErrorAsync("confirmedAt");
        await noHow.ExpectFieldErrorAsync("how");
        await noVersion.ExpectFieldErrorAsync("version");
        await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task UpdateNeedsAnalysis_NewMeetingTime_MovesTheDeadline_StaleVersionReturns409()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await TestCustomers.CreateAsync(rep, "需求修改测试有限公司");
        var created = await CreateAsync(rep, customer.Id, "修改测试", Now.AddHours(-40));
        var url = $"/api/v1/customers/{customer.Id}/needs-analyses/{created.Id}";

        var updated = await (await rep.PutAsJsonAsync(url, new NeedsAnalysisRequest("修改后的标题", Now.AddHours(-2), Goals: "新目标",
            Version: created.Version), Ct)).ExpectJsonAsync<NeedsAnalysisDto>();
        var stale = await rep.PutAsJsonAsync(url, new NeedsAnalysisRequest("过期修改", Now.AddHours(-2), Version: created.Version), Ct);

        Assert.True(created.IsOverdue);
        Assert.Equal("修改后的标题", updated.Title);
        Assert.Equal(Now.AddHours(22), updated.ConfirmDueAt);
        Assert.False(updated.IsOverdue);
        Assert.Equal(created.Version + 1, updated.Version);
        await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task DeleteNeedsAnalysis_CurrentVersion_GoneFromTheCustomerAndItsSegment()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await TestCustomers.CreateAsync(rep, "需求删除测试有限公司",
            new Modules.Customers.CreateCustomer.CreateCustomerRequest("", Industry: "education"));
        var created = await CreateAsync(rep, customer.Id, "删除测试", Now.AddHours(-3), budget: 1_500_000_00);
        Assert.Equal(["教育-预算100万+"], (await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{customer.Id}")).SystemTags);

        var deleted = await rep.DeleteAsync($"/api/v1/customers/{customer.Id}/needs-analyses/{created.Id}?version={created.Version}", Ct);

        await deleted.ExpectAsync(HttpStatusCode.NoContent);
        Assert.Empty(await rep.GetJsonAsync<List<NeedsAnalysisDto>>($"/api/v1/customers/{customer.Id}/needs-analyses"));
        await (await rep.GetAsync($"/api/v1/needs-analyses/{created.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(["教育"], (await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{customer.Id}")).SystemTags);
    }

    [Fact]
    public async Task ListForCustomer_LatestMeetingFirst()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await TestCustomers.CreateAsync(rep, "需求排序测试有限公司");
        await CreateAsync(rep, customer.Id, "第一次", Now.AddDays(-10));
        await CreateAsync(rep, customer.Id, "第三次", Now.AddHours(-1));
        await CreateAsync(rep, customer.Id, "第二次", Now.AddDays(-3));

        var list = await rep.GetJsonAsync<List<NeedsAnalysisDto>>($"/api/v1/customers/{customer.Id}/needs-analyses");

        Assert.Equal(["第三次", "第二次", "第一次"], list.Select(n => n.Title));
        Assert.Equal([false, true, true], list.Select(n => n.IsOverdue));
    }

    [Fact]
    public async Task ListNeedsAnalyses_UnconfirmedMine_OnlyUnconfirmedOnesOfTheCallersOwnCustomersSoonestDeadlineFirst()
    {
        var shared = await TestCustomers.SharedWithRepAsync(app, CollaboratorAccess.Edit);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var own = await TestCustomers.CreateAsync(rep, "我的一天需求测试有限公司");
        var mine = await CreateAsync(rep, own.Id, "我的待确认", Now.AddHours(-2));
        var onShared = await CreateAsync(rep, shared.Id, "共享客户的待确认", Now.AddHours(-2));
        var repId = await TestLeads.UserIdAsync(app, DemoUsers.Rep);

        var unconfirmedMine = await rep.ListAllAsync<NeedsAnalysisDto>("/api/v1/needs-analyses?unconfirmed=true&mine=true", limit: 3);
        var unconfirmedVisible = await rep.ListAllAsync<NeedsAnalysisDto>("/api/v1/needs-analyses?unconfirmed=true", limit: 3);

        Assert.Contains(unconfirmedMine, n => n.Id == mine.Id);
        Assert.DoesNotContain(unconfirmedMine, n => n.Id == onShared.Id);
        Assert.Contains(unconfirmedVisible, n => n.Id == onShared.Id);
        Assert.All(unconfirmedMine, n => Assert.Null(n.ConfirmedAt));
        Assert.Equal(unconfirmedMine.Select(n => n.ConfirmDueAt).Order(), unconfirmedMine.Select(n => n.ConfirmDueAt));
        await using var db = await app.SystemDbAsync();
        var ownedIds = await db.Customers.Where(c => c.OwnerId == repId).Select(c => c.Id).ToListAsync(Ct);
        var expected = await db.NeedsAnalyses.Where(n => n.ConfirmedAt == null && ownedIds.Contains(n.CustomerId)).Select(n => n.Id).ToListAsync(Ct);
        Assert.Equal(expected.Order(), unconfirmedMine.Select(n => n.Id).Order());
    }

    [Fact]
    public async Task ListNeedsAnalyses_Manager_SeesExactlyThoseOfCustomersTheManagerCanSee()
    {
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var visible = (await manager.AllCustomersAsync()).Select(c => c.Id).ToHashSet();

        var all = await manager.ListAllAsync<NeedsAnalysisDto>("/api/v1/needs-analyses");

        await using var db = await app.SystemDbAsync();
        var expected = (await db.NeedsAnalyses.Select(n => new { n.Id, n.CustomerId }).ToListAsync(Ct))
            .Where(n => visible.Contains(n.CustomerId)).Select(n => n.Id).ToList();
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < await db.NeedsAnalyses.CountAsync(Ct), "Some analyses belong to customers the manager cannot see.");
        Assert.Equal(expected.Order(), all.Select(n => n.Id).Order());
    }

    [Fact]
    public async Task ListNeedsAnalyses_BadSortOrLimit_Returns400NamingTheField()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        await (await rep.GetAsync("/api/v1/needs-analyses?sort=title", Ct)).ExpectFieldErrorAsync("sort");
        await (await rep.GetAsync("/api/v1/needs-analyses?limit=0", Ct)).ExpectFieldErrorAsync("limit");
    }

    [Fact]
    public async Task NeedsAnalyses_HiddenCustomer_Returns404ForEveryOperation()
    {
        var hidden = await TestCustomers.HiddenFromRepAsync(app);
        Guid analysisId;
        await using (var db = await app.SystemDbAsync())
        {
            var analysis = new NeedsAnalysis { CustomerId = hidden.Id, Title = "不可见", MeetingAt = Now.AddHours(-1), ConfirmDueAt = Now.AddHours(23) };
            db.NeedsAnalyses.Add(analysis);
            await db.SaveChangesAsync(Ct);
            analysisId = analysis.Id;
        }

        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var url = $"/api/v1/customers/{hidden.Id}/needs-analyses";

        await (await rep.GetAsync(url, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.GetAsync($"/api/v1/needs-analyses/{analysisId}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.PostAsJsonAsync(url, new NeedsAnalysisRequest("偷写", Now.AddHours(-1)), Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.PutAsJsonAsync($"{url}/{analysisId}", new NeedsAnalysisRequest("偷改", Now.AddHours(-1), Version: 1), Ct))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.PostAsJsonAsync($"{url}/{analysisId}/confirm", new ConfirmNeedsAnalysisRequest(Now, "邮件", 1), Ct))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.DeleteAsync($"{url}/{analysisId}?version=1", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain(await rep.ListAllAsync<NeedsAnalysisDto>("/api/v1/needs-analyses"), n => n.Id == analysisId);
    }

    [Fact]
    public async Task NeedsAnalyses_ReadOnlyCollaborator_ReadsButGets403OnChanges()
    {
        var shared = await TestCustomers.SharedWithRepAsync(app, CollaboratorAccess.Read);
        Guid analysisId;
        await using (var db = await app.SystemDbAsync())
        {
            var analysis = new NeedsAnalysis { CustomerId = shared.Id, Title = "只读", MeetingAt = Now.AddHours(-1), ConfirmDueAt = Now.AddHours(23) };
            db.NeedsAnalyses.Add(analysis);
            await db.SaveChangesAsync(Ct);
            analysisId = analysis.Id;
        }

        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var url = $"/api/v1/customers/{shared.Id}/needs-analyses";

        Assert.Contains(await rep.GetJsonAsync<List<NeedsAnalysisDto>>(url), n => n.Id == analysisId);
        await (await rep.PostAsJsonAsync(url, new NeedsAnalysisRequest("只读新增", Now.AddHours(-1)), Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await rep.PutAsJsonAsync($"{url}/{analysisId}", new NeedsAnalysisRequest("只读修改", Now.AddHours(-1), Version: 1), Ct))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await rep.PostAsJsonAsync($"{url}/{analysisId}/sent", new MarkNeedsAnalysisSentRequest(Now, 1), Ct))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await rep.DeleteAsync($"{url}/{analysisId}?version=1", Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ListNeedsAnalysesHandler_CalledDirectly_AnswersAsTheEndpoint()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var own = await TestCustomers.CreateAsync(rep, "处理器直调测试有限公司");
        var created = await CreateAsync(rep, own.Id, "直调", Now.AddHours(-1));
        var database = app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, (await TestLeads.UserIdAsync(app, DemoUsers.Rep)).ToString())], "test"));
        var user = (await new CurrentUserResolver(database).ResolveAsync(principal, Ct))!;
        var handler = new ListNeedsAnalysesHandler(database, app.Clock);

        var page = await handler.ListAsync(user, new NeedsAnalysisFilter(Unconfirmed: true, Mine: true), new ListRequest(200), Ct);
        var viaApi = await rep.GetJsonAsync<ListPage<NeedsAnalysisDto>>("/api/v1/needs-analyses?unconfirmed=true&mine=true&limit=200");

        Assert.Contains(page.Items, n => n.Id == created.Id);
        Assert.Equal(viaApi.Items.Select(n => n.Id), page.Items.Select(n => n.Id));
    }

    [Fact]
    public async Task DemoData_HasConfirmedAwaitingAndOverdueNeedsAnalysesAtTheStart()
    {
        var demoIds = DemoData.PlanFor().Customers.Select(c => c.Id).ToList();
        var start = AppFactory.Start.UtcDateTime;
        await using var db = await app.SystemDbAsync();

        var demo = await db.NeedsAnalyses.AsNoTracking().Where(n => demoIds.Contains(n.CustomerId)).ToListAsync(Ct);

        Assert.Contains(demo, n => n.ConfirmedAt is not null && n.ConfirmedHow is not null);
        Assert.Contains(demo, n => CustomerRules.IsConfirmOverdue(n.ConfirmDueAt, n.ConfirmedAt, start));
        Assert.Contains(demo, n => n.ConfirmedAt is null && !CustomerRules.IsConfirmOverdue(n.ConfirmDueAt, n.ConfirmedAt, start));
        Assert.All(demo, n => Assert.Equal(n.MeetingAt.AddHours(24), n.ConfirmDueAt));
    }

    private static async Task<NeedsAnalysisDto> CreateAsync(HttpClient client, Guid customerId, string title, DateTime meetingAt, long? budget = null) =>
        await (await client.PostAsJsonAsync($"/api/v1/customers/{customerId}/needs-analyses",
            new NeedsAnalysisRequest(title, meetingAt, BudgetMinor: budget), Ct)).ExpectJsonAsync<NeedsAnalysisDto>(HttpStatusCode.Created);
}
