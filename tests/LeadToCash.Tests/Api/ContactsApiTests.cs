using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.Contacts;
using LeadToCash.Platform.Cli;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Api;

/// <summary>A customer's contacts through the API: visible with the customer, changed with the right to change it.</summary>
[DatabaseTest]
public sealed class ContactsApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateContact_ValidRequest_Returns201WithKeysForTheDuplicateCheck()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await TestCustomers.CreateAsync(rep, "联系人创建测试有限公司");

        var response = await rep.PostAsJsonAsync($"/api/v1/customers/{customer.Id}/contacts", new ContactRequest(" 王建华 ", "总经理",
            Mobile: "+86 138-0013-8000", Email: " Wang@Example.CN ", WeChat: "wjh_2026", Role: PurchaseRole.DecisionMaker,
            Stance: ContactStance.Supporter, IsPrimary: true, Notes: "喜欢早上开会"), Ct);

        var created = await response.ExpectJsonAsync<ContactDto>(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/customers/{customer.Id}/contacts/{created.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("王建华", created.Name);
        Assert.Equal("Wang@Example.CN", created.Email);
        Assert.Equal(PurchaseRole.DecisionMaker, created.Role);
        Assert.Equal(ContactStance.Supporter, created.Stance);
        Assert.True(created.IsPrimary);
        Assert.Equal(1, created.Version);
        await using var db = await app.SystemDbAsync();
        var row = await db.Contacts.SingleAsync(c => c.Id == created.Id, Ct);
        Assert.Equal("13800138000", row.PhoneKey);
        Assert.Equal("wang@example.cn", row.EmailKey);
        Assert.Equal(created, await rep.GetJsonAsync<ContactDto>($"/api/v1/customers/{customer.Id}/contacts/{created.Id}"));
    }

    [Fact]
    public async Task CreateContact_BadFields_Returns400NamingEachField()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await TestCustomers.CreateAsync(rep, "联系人校验测试有限公司");

        var response = await rep.PostAsJsonAsync($"/api/v1/customers/{customer.Id}/contacts",
            new ContactRequest("", Mobile: "call me", Email: "not-an-address", Notes: new string('x', 2001)), Ct);
        var badRole = await rep.PostAsync($"/api/v1/customers/{customer.Id}/contacts",
            new StringContent("""{"name":"李静","role":"Boss"}""", System.Text.Encoding.UTF8, "application/json"), Ct);

        await response.ExpectFieldErrorAsync("name");
        await response.ExpectFieldErrorAsync("mobile");
        await response.ExpectFieldErrorAsync("email");
        await response.ExpectFieldErrorAsync("notes");
        await badRole.ExpectFieldErrorAsync("role");
    }

    [Fact]
    public async Task ListContacts_PrimaryFirstThenByName_AndOnlyOnePrimary()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await TestCustomers.CreateAsync(rep, "首要联系人测试有限公司");
        var first = await AddAsync(rep, customer.Id, new ContactRequest("A 先生", IsPrimary: true));
        await AddAsync(rep, customer.Id, new ContactRequest("C 女士"));
        var second = await AddAsync(rep, customer.Id, new ContactRequest("B 先生", IsPrimary: true));

        var list = await rep.GetJsonAsync<List<ContactDto>>($"/api/v1/customers/{customer.Id}/contacts");

        Assert.Equal(["B 先生", "A 先生", "C 女士"], list.Select(c => c.Name));
        Assert.Equal(second.Id, Assert.Single(list, c => c.IsPrimary).Id);
        Assert.Equal(first.Version + 1, list.Single(c => c.Id == first.Id).Version);
    }

    [Fact]
    public async Task UpdateContact_ReportsToChainAndVersions_WorkAsTheDecisionChainNeeds()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await TestCustomers.CreateAsync(rep, "决策链测试有限公司");
        var boss = await AddAsync(rep, customer.Id, new ContactRequest("老板", Role: PurchaseRole.DecisionMaker));
        var cto = await AddAsync(rep, customer.Id, new ContactRequest("技术总监", Role: PurchaseRole.Influencer, ReportsToId: boss.Id));
        var user = await AddAsync(rep, customer.Id, new ContactRequest("工程师", Role: PurchaseRole.User, ReportsToId: cto.Id));

        var self = await rep.PutAsJsonAsync(Url(customer.Id, boss.Id), Request(boss) with { ReportsToId = boss.Id }, Ct);
        var loop = await rep.PutAsJsonAsync(Url(customer.Id, boss.Id), Request(boss) with { ReportsToId = user.Id }, Ct);
        var otherCustomer = await TestCustomers.CreateAsync(rep, "决策链其他客户有限公司");
        var stranger = await AddAsync(rep, otherCustomer.Id, new ContactRequest("外人"));
        var foreign = await rep.PutAsJsonAsync(Url(customer.Id, user.Id), Request(user) with { ReportsToId = stranger.Id }, Ct);
        var moved = await (await rep.PutAsJsonAsync(Url(customer.Id, user.Id), Request(user) with { ReportsToId = boss.Id, Stance = ContactStance.Opponent }, Ct))
            .ExpectJsonAsync<ContactDto>();
        var stale = await rep.PutAsJsonAsync(Url(customer.Id, user.Id), Request(user) with { Notes = "stale" }, Ct);

        await self.ExpectFieldErrorAsync("reportsToId");
        Assert.Contains(await loop.ExpectFieldErrorAsync("reportsToId"), m => m.Contains("loop", StringComparison.Ordinal));
        await foreign.ExpectFieldErrorAsync("reportsToId");
        Assert.Equal(boss.Id, moved.ReportsToId);
        Assert.Equal(ContactStance.Opponent, moved.Stance);
        Assert.Equal(2, moved.Version);
        await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task UpdateContact_VersionInIfMatchHeader_IsUsed()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await TestCustomers.CreateAsync(rep, "联系人版本头测试有限公司");
        var contact = await AddAsync(rep, customer.Id, new ContactRequest("刘芳"));
        using var request = new HttpRequestMessage(HttpMethod.Put, Url(customer.Id, contact.Id))
        {
            Content = JsonContent.Create(Request(contact) with { Version = null, Title = "采购经理" }),
        };
        request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));

        var updated = await (await rep.SendAsync(request, Ct)).ExpectJsonAsync<ContactDto>();
        var noVersion = await rep.PutAsJsonAsync(Url(customer.Id, contact.Id), Request(updated) with { Version = null }, Ct);

        Assert.Equal("采购经理", updated.Title);
        await noVersion.ExpectFieldErrorAsync("version");
    }

    [Fact]
    public async Task DeleteContact_Manager_ReportsMoveUpAndTheContactGoesToTheRecycleBin()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await TestCustomers.CreateAsync(rep, "删除联系人测试有限公司");
        var boss = await AddAsync(rep, customer.Id, new ContactRequest("总经理"));
        var middle = await AddAsync(rep, customer.Id, new ContactRequest("副总", ReportsToId: boss.Id));
        var report = await AddAsync(rep, customer.Id, new ContactRequest("经理", ReportsToId: middle.Id));

        var stale = await rep.DeleteAsync($"{Url(customer.Id, middle.Id)}?version=7", Ct);
        var deleted = await rep.DeleteAsync($"{Url(customer.Id, middle.Id)}?version={middle.Version}", Ct);

        await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
        await deleted.ExpectAsync(HttpStatusCode.NoContent);
        var list = await rep.GetJsonAsync<List<ContactDto>>($"/api/v1/customers/{customer.Id}/contacts");
        Assert.DoesNotContain(list, c => c.Id == middle.Id);
        Assert.Equal(boss.Id, list.Single(c => c.Id == report.Id).ReportsToId);
        await (await rep.GetAsync(Url(customer.Id, middle.Id), Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await using var db = await app.SystemDbAsync();
        Assert.True((await db.Contacts.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).SingleAsync(c => c.Id == middle.Id, Ct)).IsDeleted);
    }

    [Fact]
    public async Task Contacts_HiddenCustomer_Returns404ForEveryOperation()
    {
        var hidden = await TestCustomers.HiddenFromRepAsync(app);
        Guid contactId;
        await using (var db = await app.SystemDbAsync())
        {
            contactId = await db.Contacts.Where(c => c.CustomerId == hidden.Id).Select(c => c.Id).FirstAsync(Ct);
        }

        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        await (await rep.GetAsync($"/api/v1/customers/{hidden.Id}/contacts", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.GetAsync(Url(hidden.Id, contactId), Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.PostAsJsonAsync($"/api/v1/customers/{hidden.Id}/contacts", new ContactRequest("偷看"), Ct))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.PutAsJsonAsync(Url(hidden.Id, contactId), new ContactRequest("偷改", Version: 1), Ct))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.DeleteAsync($"{Url(hidden.Id, contactId)}?version=1", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Contacts_ContactOfAnotherCustomerUnderAVisibleOne_Returns404()
    {
        var hidden = await TestCustomers.HiddenFromRepAsync(app);
        Guid hiddenContact;
        await using (var db = await app.SystemDbAsync())
        {
            hiddenContact = await db.Contacts.Where(c => c.CustomerId == hidden.Id).Select(c => c.Id).FirstAsync(Ct);
        }

        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var own = await TestCustomers.CreateAsync(rep, "借道测试有限公司");

        await (await rep.GetAsync(Url(own.Id, hiddenContact), Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.PutAsJsonAsync(Url(own.Id, hiddenContact), new ContactRequest("借道修改", Version: 1), Ct))
            .ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Contacts_ReadOnlyCollaborator_ReadsButGets403OnChanges()
    {
        var shared = await TestCustomers.SharedWithRepAsync(app, CollaboratorAccess.Read);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var list = await rep.GetJsonAsync<List<ContactDto>>($"/api/v1/customers/{shared.Id}/contacts");
        var existing = list[0];
        var create = await rep.PostAsJsonAsync($"/api/v1/customers/{shared.Id}/contacts", new ContactRequest("只读新增"), Ct);
        var update = await rep.PutAsJsonAsync(Url(shared.Id, existing.Id), Request(existing) with { Notes = "只读修改" }, Ct);
        var delete = await rep.DeleteAsync($"{Url(shared.Id, existing.Id)}?version={existing.Version}", Ct);

        Assert.NotEmpty(list);
        await create.ExpectProblemAsync(HttpStatusCode.Forbidden);
        await update.ExpectProblemAsync(HttpStatusCode.Forbidden);
        await delete.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Contacts_EditCollaborator_MayAddAContact()
    {
        var shared = await TestCustomers.SharedWithRepAsync(app, CollaboratorAccess.Edit);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var created = await AddAsync(rep, shared.Id, new ContactRequest("协作人新增", Role: PurchaseRole.Gatekeeper));

        Assert.Equal(shared.Id, created.CustomerId);
    }

    [Fact]
    public async Task CreateContact_Finance_Returns403ByPolicy()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var finance = await app.ClientForAsync(DemoUsers.Finance);
        var customer = await TestCustomers.CreateAsync(rep, "财务联系人测试有限公司");

        var list = await finance.GetAsync($"/api/v1/customers/{customer.Id}/contacts", Ct);
        var create = await finance.PostAsJsonAsync($"/api/v1/customers/{customer.Id}/contacts", new ContactRequest("财务新增"), Ct);

        await list.ExpectAsync(HttpStatusCode.OK);
        await create.ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task DemoCustomers_HaveTwoToFourContactsWithOneDecisionMakerAtTheTop()
    {
        var demoIds = DemoData.PlanFor().Customers.Select(c => c.Id).ToList();
        await using var db = await app.SystemDbAsync();
        // The demo seed writes as the system (no author); contacts other tests of this class add have one.
        var contacts = await db.Contacts.AsNoTracking().Where(c => demoIds.Contains(c.CustomerId) && c.CreatedBy == null).ToListAsync(Ct);
        var demo = contacts.GroupBy(c => c.CustomerId).ToList();

        Assert.Equal(120, demo.Count);
        Assert.All(demo, g =>
        {
            Assert.InRange(g.Count(), 2, 4);
            var top = Assert.Single(g, c => c.ReportsToId is null);
            Assert.Equal(PurchaseRole.DecisionMaker, top.Role);
            Assert.All(g.Where(c => c.ReportsToId is not null), c => Assert.Contains(g, m => m.Id == c.ReportsToId));
            Assert.Single(g, c => c.IsPrimary);
        });
        Assert.Contains(contacts, c => c.Stance == ContactStance.Opponent);
        Assert.Contains(contacts, c => c.Stance == ContactStance.Supporter);
    }

    private static string Url(Guid customerId, Guid contactId) => $"/api/v1/customers/{customerId}/contacts/{contactId}";

    private static ContactRequest Request(ContactDto c) =>
        new(c.Name, c.Title, c.Mobile, c.Phone, c.Email, c.WeChat, c.Role, c.Stance, c.ReportsToId, c.IsPrimary, c.Notes, c.Version);

    private static async Task<ContactDto> AddAsync(HttpClient client, Guid customerId, ContactRequest request) =>
        await (await client.PostAsJsonAsync($"/api/v1/customers/{customerId}/contacts", request, Ct)).ExpectJsonAsync<ContactDto>(HttpStatusCode.Created);
}
