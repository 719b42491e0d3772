using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Audit;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.CreateCustomer;
using LeadToCash.Modules.Customers.NeedsAnalyses;
using LeadToCash.Modules.Customers.UpdateCustomer;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Leads.Conversion;
using LeadToCash.Modules.Organization.Users;
using LeadToCash.Platform.Api;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Api;

/// <summary>A customer's profile through the API: size, grade, stage, parent company, tags, list filters and sorts, export.</summary>
[DatabaseTest]
public sealed class CustomerProfileApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateCustomer_WithProfile_ReturnsItWithTheDerivedSegmentTag()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var parent = await TestCustomers.CreateAsync(rep, "苏州恒通集团有限公司");

        var created = await TestCustomers.CreateAsync(rep, "苏州恒通精密机械有限公司", new CreateCustomerRequest("",
            Industry: "manufacturing", Size: "50-199", Grade: CustomerGrade.A, Stage: LifecycleStage.InOpportunity,
            ParentId: parent.Id, Tags: [" 重点客户 ", "展会获客", "重点客户"]));

        Assert.Equal("50-199", created.Size);
        Assert.Equal(CustomerGrade.A, created.Grade);
        Assert.Equal(LifecycleStage.InOpportunity, created.Stage);
        Assert.Equal(parent.Id, created.ParentId);
        Assert.Equal("苏州恒通集团有限公司", created.ParentName);
        Assert.Equal(["展会获客", "重点客户"], created.Tags);
        Assert.Equal(["制造业-中小企业"], created.SystemTags);
        Assert.Equal(TestLeads.Now(app), created.OwnedSince);
        Assert.NotNull(created.FollowUpDueAt);
        Assert.Equivalent(created, await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{created.Id}"), strict: true);
    }

    [Fact]
    public async Task CreateCustomer_NoProfile_IsGradeCProspectWithoutTags()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var created = await TestCustomers.CreateAsync(rep, "无锡简单包装有限公司");

        Assert.Equal(CustomerGrade.C, created.Grade);
        Assert.Equal(LifecycleStage.Prospect, created.Stage);
        Assert.Empty(created.Tags!);
        Assert.Empty(created.SystemTags!);
        Assert.Null(created.ParentId);
    }

    [Fact]
    public async Task CreateCustomer_UnknownSize_Returns400NamingSize()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync("/api/v1/customers", new CreateCustomerRequest("杭州规模测试有限公司", Size: "huge"), Ct);

        await response.ExpectFieldErrorAsync("size");
    }

    [Fact]
    public async Task CreateCustomer_TooManyOrTooLongTags_Returns400NamingTags()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var many = await rep.PostAsJsonAsync("/api/v1/customers",
            new CreateCustomerRequest("杭州标签测试有限公司", Tags: Enumerable.Range(1, 11).Select(i => $"标签{i}").ToList()), Ct);
        var longTag = await rep.PostAsJsonAsync("/api/v1/customers",
            new CreateCustomerRequest("杭州标签测试有限公司", Tags: [new string('长', 51)]), Ct);
        var blank = await rep.PostAsJsonAsync("/api/v1/customers", new CreateCustomerRequest("杭州标签测试有限公司", Tags: ["  "]), Ct);

        await many.ExpectFieldErrorAsync("tags");
        await longTag.ExpectFieldErrorAsync("tags");
        await blank.ExpectFieldErrorAsync("tags");
    }

    [Fact]
    public async Task CreateCustomer_UnknownGradeOrStage_Returns400NamingTheField()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var grade = await rep.PostAsync("/api/v1/customers", JsonContent("""{"name":"坏等级有限公司","grade":"D"}"""), Ct);
        var stage = await rep.PostAsync("/api/v1/customers", JsonContent("""{"name":"坏阶段有限公司","stage":"Won"}"""), Ct);

        await grade.ExpectFieldErrorAsync("grade");
        await stage.ExpectFieldErrorAsync("stage");
    }

    [Fact]
    public async Task CreateCustomer_ParentTheCallerCannotSee_Returns400NamingParentId()
    {
        var hidden = await TestCustomers.HiddenFromRepAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync("/api/v1/customers", new CreateCustomerRequest("上海子公司有限公司", ParentId: hidden.Id), Ct);
        var unknown = await rep.PostAsJsonAsync("/api/v1/customers", new CreateCustomerRequest("上海子公司有限公司", ParentId: Guid.NewGuid()), Ct);

        var messages = await response.ExpectFieldErrorAsync("parentId");
        Assert.Contains(messages, m => m.Contains("cannot see", StringComparison.Ordinal));
        await unknown.ExpectFieldErrorAsync("parentId");
    }

    [Fact]
    public async Task UpdateCustomer_ParentIsItselfOrItsOwnSubsidiary_Returns400NamingParentId()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var group = await TestCustomers.CreateAsync(rep, "南京德隆集团有限公司");
        var child = await TestCustomers.CreateAsync(rep, "南京德隆食品有限公司", new CreateCustomerRequest("", ParentId: group.Id));
        var grandchild = await TestCustomers.CreateAsync(rep, "南京德隆冷链有限公司", new CreateCustomerRequest("", ParentId: child.Id));

        var self = await rep.PutAsJsonAsync($"/api/v1/customers/{group.Id}", Update(group) with { ParentId = group.Id }, Ct);
        var loop = await rep.PutAsJsonAsync($"/api/v1/customers/{group.Id}", Update(group) with { ParentId = grandchild.Id }, Ct);

        await self.ExpectFieldErrorAsync("parentId");
        var messages = await loop.ExpectFieldErrorAsync("parentId");
        Assert.Contains(messages, m => m.Contains("subsidiaries", StringComparison.Ordinal));
        Assert.Null((await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{group.Id}")).ParentId);
    }

    [Fact]
    public async Task UpdateCustomer_GradeChange_RefreshesTheCadenceAndWritesHistory()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var created = await TestCustomers.CreateAsync(rep, "宁波海纳等级测试有限公司");
        await using (var db = await app.SystemDbAsync())
        {
            // A follow-up a while ago, so that the cadence counts from it: C weekly, A daily.
            var row = await db.Customers.SingleAsync(c => c.Id == created.Id, Ct);
            row.OwnedSince = TestLeads.Now(app).AddDays(-20);
            row.LastFollowUpAt = TestLeads.Now(app).AddDays(-2);
            CustomerRules.RefreshCadence(row, await CustomerRulebook.LoadAsync(db, Ct));
            await db.SaveChangesAsync(Ct);
        }

        var before = await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{created.Id}");
        var updated = await (await rep.PutAsJsonAsync($"/api/v1/customers/{created.Id}",
            Update(before) with { Grade = CustomerGrade.A, Stage = LifecycleStage.InOpportunity }, Ct)).ExpectJsonAsync<CustomerDto>();

        Assert.Equal(CustomerGrade.A, updated.Grade);
        Assert.Equal(LifecycleStage.InOpportunity, updated.Stage);
        Assert.True(updated.FollowUpDueAt < before.FollowUpDueAt, $"A is due sooner than C: {updated.FollowUpDueAt} vs {before.FollowUpDueAt}");
        await using (var db = await app.SystemDbAsync())
        {
            var expected = CustomerRules.FollowUpDueAt(CustomerGrade.A, updated.OwnerId, updated.LastFollowUpAt, updated.OwnedSince,
                await CustomerRulebook.LoadAsync(db, Ct));
            Assert.Equal(expected, updated.FollowUpDueAt);
        }

        var history = await rep.GetJsonAsync<List<HistoryEntryDto>>($"/api/v1/history/customer/{created.Id}");
        Assert.Contains(history, h => h.Field == "Grade" && h.OldValue == "C" && h.NewValue == "A");
        Assert.Contains(history, h => h.Field == "Stage" && h.OldValue == "Prospect" && h.NewValue == "InOpportunity");
    }

    [Fact]
    public async Task UpdateCustomer_NoGradeStageOrTags_KeepsThem()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var created = await TestCustomers.CreateAsync(rep, "合肥保持不变有限公司",
            new CreateCustomerRequest("", Grade: CustomerGrade.B, Stage: LifecycleStage.Customer, Tags: ["老客户转介绍"]));

        var updated = await (await rep.PutAsJsonAsync($"/api/v1/customers/{created.Id}",
            new UpdateCustomerRequest(created.Name, Notes: "only the notes", Version: created.Version), Ct)).ExpectJsonAsync<CustomerDto>();

        Assert.Equal(CustomerGrade.B, updated.Grade);
        Assert.Equal(LifecycleStage.Customer, updated.Stage);
        Assert.Equal(["老客户转介绍"], updated.Tags);
    }

    [Fact]
    public async Task UpdateCustomer_TagsReplaced_BumpsVersionAndWritesOneHistoryRow()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var created = await TestCustomers.CreateAsync(rep, "厦门金桥标签有限公司", new CreateCustomerRequest("", Tags: ["年底采购", "展会获客"]));

        var updated = await (await rep.PutAsJsonAsync($"/api/v1/customers/{created.Id}",
            Update(created) with { Tags = ["展会获客", "预算已批"] }, Ct)).ExpectJsonAsync<CustomerDto>();
        var stale = await rep.PutAsJsonAsync($"/api/v1/customers/{created.Id}", Update(created) with { Tags = [] }, Ct);

        Assert.Equal(["展会获客", "预算已批"], updated.Tags);
        Assert.Equal(created.Version + 1, updated.Version);
        await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
        var history = await rep.GetJsonAsync<List<HistoryEntryDto>>($"/api/v1/history/customer/{created.Id}");
        var tags = Assert.Single(history, h => h.Field == "Tags");
        Assert.Equal("展会获客, 年底采购", tags.OldValue);
        Assert.Equal("展会获客, 预算已批", tags.NewValue);
    }

    [Fact]
    public async Task UpdateCustomer_IndustryAndSizeChange_RecomputesTheSegmentTag()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var created = await TestCustomers.CreateAsync(rep, "东莞启明五金有限公司", new CreateCustomerRequest("", Industry: "retail", Size: "1-49"));

        var updated = await (await rep.PutAsJsonAsync($"/api/v1/customers/{created.Id}",
            Update(created) with { Industry = "software", Size = "1000+" }, Ct)).ExpectJsonAsync<CustomerDto>();

        Assert.Equal(["零售-小微企业"], created.SystemTags);
        Assert.Equal(["软件与信息服务-大型企业"], updated.SystemTags);
        await using var db = await app.SystemDbAsync();
        Assert.Equal(["软件与信息服务-大型企业"], await db.CustomerTags.Where(t => t.CustomerId == created.Id).Select(t => t.Name).ToListAsync(Ct));
    }

    [Fact]
    public async Task NeedsAnalysisWithBudget_AddsTheBudgetBandToTheSegmentTag()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var created = await TestCustomers.CreateAsync(rep, "佛山恒通预算有限公司", new CreateCustomerRequest("", Industry: "manufacturing", Size: "50-199"));

        await (await rep.PostAsJsonAsync($"/api/v1/customers/{created.Id}/needs-analyses",
            new NeedsAnalysisRequest("产线改造", TestLeads.Now(app).AddHours(-2), BudgetMinor: 600_000_00), Ct)).ExpectAsync(HttpStatusCode.Created);

        var read = await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{created.Id}");
        Assert.Equal(["制造业-中小企业-预算50万+"], read.SystemTags);
    }

    [Fact]
    public async Task ListCustomers_FilterByGradeStageTagParentAndRegion_ReturnsOnlyMatches()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var group = await TestCustomers.CreateAsync(rep, "过滤测试集团有限公司");
        var a = await TestCustomers.CreateAsync(rep, "过滤测试甲有限公司", new CreateCustomerRequest("", Region: "温州", Grade: CustomerGrade.A,
            Stage: LifecycleStage.Dormant, ParentId: group.Id, Tags: ["过滤标签"]));
        await TestCustomers.CreateAsync(rep, "过滤测试乙有限公司", new CreateCustomerRequest("", Region: "温州", Grade: CustomerGrade.B,
            ParentId: group.Id));

        var byParent = await rep.AllCustomersAsync($"?parentId={group.Id}");
        var byTag = await rep.AllCustomersAsync("?tag=" + Uri.EscapeDataString("过滤标签"));
        var combined = await rep.AllCustomersAsync($"?grade=A&stage=Dormant&region={Uri.EscapeDataString("温州")}&parentId={group.Id}");
        var byGrade = await rep.AllCustomersAsync("?grade=B");

        Assert.Equal(2, byParent.Count);
        Assert.Equal(a.Id, Assert.Single(byTag).Id);
        Assert.Equal(a.Id, Assert.Single(combined).Id);
        Assert.All(byGrade, c => Assert.Equal(CustomerGrade.B, c.Grade));
        Assert.All(byParent, c => Assert.Equal("过滤测试集团有限公司", c.ParentName));
    }

    [Fact]
    public async Task ListCustomers_UnknownGrade_Returns400()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.GetAsync("/api/v1/customers?grade=Z", Ct);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ListCustomers_SortByLastFollowUpAt_PagesThroughEveryCustomerOnceNeverContactedFirst()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var all = await admin.AllCustomersAsync();
        await using (var db = await app.SystemDbAsync())
        {
            var some = await db.Customers.OrderBy(c => c.Name).Take(12).ToListAsync(Ct);
            for (var i = 0; i < some.Count; i++)
            {
                some[i].LastFollowUpAt = TestLeads.Now(app).AddHours(-i * 5);
            }

            await db.SaveChangesAsync(Ct);
        }

        var ascending = await admin.ListAllAsync<CustomerDto>("/api/v1/customers?sort=lastFollowUpAt", limit: 7);
        var descending = await admin.ListAllAsync<CustomerDto>("/api/v1/customers?sort=-lastFollowUpAt", limit: 7);

        Assert.Equal(all.Count, ascending.Count);
        Assert.Equal(all.Select(c => c.Id).Order(), ascending.Select(c => c.Id).Order());
        Assert.Equal(all.Select(c => c.Id).Order(), descending.Select(c => c.Id).Order());
        var contacted = ascending.Where(c => c.LastFollowUpAt is not null).ToList();
        Assert.True(contacted.Count >= 12);
        Assert.Null(ascending[0].LastFollowUpAt);
        Assert.Equal(contacted.Select(c => c.LastFollowUpAt), contacted.Select(c => c.LastFollowUpAt).Order());
        Assert.NotNull(descending[0].LastFollowUpAt);
        Assert.Equal(descending.Where(c => c.LastFollowUpAt is not null).Select(c => c.LastFollowUpAt),
            contacted.Select(c => c.LastFollowUpAt).OrderDescending());
    }

    [Fact]
    public async Task ExportCustomers_Csv_HasTheProfileColumns()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var group = await TestCustomers.CreateAsync(rep, "导出测试集团有限公司");
        var created = await TestCustomers.CreateAsync(rep, "导出测试子公司有限公司", new CreateCustomerRequest("", Industry: "software",
            Size: "200-999", Grade: CustomerGrade.B, Stage: LifecycleStage.RepeatCustomer, ParentId: group.Id, Tags: ["导出标签", "重点客户"]));

        var csv = await rep.GetStringAsync("/api/v1/customers/export?format=csv&tag=" + Uri.EscapeDataString("导出标签"), Ct);

        var row = Assert.Single(ExportFiles.ReadCsv(csv));
        Assert.Equal(created.Id.ToString(), row["Id"]);
        Assert.Equal("200-999", row["Size"]);
        Assert.Equal("B", row["Grade"]);
        Assert.Equal("RepeatCustomer", row["Stage"]);
        Assert.Equal("导出测试集团有限公司", row["Parent"]);
        Assert.Equal("导出标签, 重点客户", row["Tags"]);
        Assert.Equal("软件与信息服务-中型企业", row["SystemTags"]);
        Assert.Contains("LastFollowUpAt", row.Keys);
        Assert.Contains("NextFollowUpAt", row.Keys);
    }

    [Fact]
    public async Task ExportCustomers_MoreRowsThanOneBatch_EveryRowHasItsOwnTags()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        await using (var db = await app.SystemDbAsync())
        {
            Assert.True(await db.CustomerTags.AnyAsync(t => t.IsSystem, Ct), "The demo customers have segment tags.");
        }

        var csv = await admin.GetStringAsync("/api/v1/customers/export?format=csv", Ct);

        var rows = ExportFiles.ReadCsv(csv);
        await using var check = await app.SystemDbAsync();
        var tags = await check.CustomerTags.Where(t => t.IsSystem).ToDictionaryAsync(t => t.CustomerId, t => t.Name, Ct);
        Assert.All(rows, r => Assert.Equal(tags.GetValueOrDefault(Guid.Parse(r["Id"])) ?? "", r["SystemTags"]));
    }

    [Fact]
    public async Task ConvertLead_NewCustomer_TakesTheLeadsGradeAndStartsOwnership()
    {
        var lead = await TestLeads.AddOwnedAsync(app, DemoUsers.Rep, "温州中科电气转化测试有限公司", LeadGrade.B,
            change: l => l.Industry = "energy");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var result = await (await rep.PostAsJsonAsync($"/api/v1/leads/{lead.Id}/convert", new ConvertLeadRequest(), Ct))
            .ExpectJsonAsync<ConvertLeadResult>();

        var customer = await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{result.CustomerId}");
        Assert.False(result.LinkedExisting);
        Assert.Equal(CustomerGrade.B, customer.Grade);
        Assert.Equal(TestLeads.Now(app), customer.OwnedSince);
        Assert.NotNull(customer.FollowUpDueAt);
        Assert.Equal(["能源"], customer.SystemTags);
    }

    private static UpdateCustomerRequest Update(CustomerDto c) =>
        new(c.Name, c.Industry, c.Region, c.Phone, c.Website, c.Address, c.SourceChannel, c.Notes, c.Version, c.Size, c.Grade, c.Stage,
            c.ParentId, c.Tags);

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
