using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.CreateCustomer;
using LeadToCash.Modules.Customers.UpdateCustomer;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Search;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Matching;
using LeadToCash.Platform.Search;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Api;

/// <summary>The global search (GET /api/v1/search) on both databases: what it finds, how it ranks, what it hides.</summary>
[DatabaseTest]
public sealed class SearchApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Search_ExactName_FindsTheCustomerFirstAsExact()
    {
        var customer = await CreateAsync(DemoUsers.Rep, "鲲鹏数智");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var results = await SearchAsync(rep, "鲲鹏数智");

        var first = results.Customers[0];
        Assert.Equal(customer.Id, first.Id);
        Assert.Equal(SearchMatch.Exact, first.Match);
        Assert.Equal("张伟", first.OwnerName);
    }

    [Theory]
    [InlineData("hwkj", SearchMatch.Initials)]
    [InlineData("HWKJ", SearchMatch.Initials)]
    [InlineData("hw", SearchMatch.Initials)]
    [InlineData("huaweikeji", SearchMatch.Pinyin)]
    [InlineData("hua wei ke ji", SearchMatch.Pinyin)]
    [InlineData("weikeji", SearchMatch.Spelling)]
    [InlineData("华为", SearchMatch.NamePrefix)]
    [InlineData("科技", SearchMatch.Name)]
    [InlineData("为科", SearchMatch.Name)]
    public async Task Search_PinyinInitialsOrPartOfTheName_FindsTheCustomer(string query, SearchMatch expected)
    {
        var customer = await CreateAsync(DemoUsers.Rep, "华为科技");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var results = await SearchAsync(rep, query, limit: 50);

        var hit = Assert.Single(results.Customers, c => c.Id == customer.Id);
        Assert.Equal(expected, hit.Match);
    }

    [Theory]
    [InlineData("chongqingyinhang")]
    [InlineData("zhongqingyinxing")]
    [InlineData("cqyh")]
    [InlineData("yinhang")]
    public async Task Search_EveryReadingOfAPolyphonicName_FindsIt(string query)
    {
        var customer = await CreateAsync(DemoUsers.Rep, "重庆银行");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var results = await SearchAsync(rep, query, limit: 50);

        Assert.Contains(results.Customers, c => c.Id == customer.Id);
    }

    [Fact]
    public async Task Search_ShortChineseQuery_DoesNotReturnHomophones()
    {
        var customer = await CreateAsync(DemoUsers.Rep, "沧澜海运");
        var homophone = await CreateAsync(DemoUsers.Rep, "苍兰花卉");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var results = await SearchAsync(rep, "沧澜", limit: 50);
        var bySpelling = await SearchAsync(rep, "canglan", limit: 50);

        Assert.Contains(results.Customers, c => c.Id == customer.Id);
        Assert.DoesNotContain(results.Customers, c => c.Id == homophone.Id);
        Assert.Contains(bySpelling.Customers, c => c.Id == customer.Id);
        Assert.Contains(bySpelling.Customers, c => c.Id == homophone.Id);
    }

    [Theory]
    [InlineData("+86 139-2468-1357")]
    [InlineData("13924681357")]
    [InlineData("0086 139 2468 1357")]
    public async Task Search_PhoneNumberAnyWayWritten_FindsTheCustomerAsExact(string query)
    {
        var customer = await CreateAsync(DemoUsers.Rep, "明远仪器", phone: "139-2468-1357");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var results = await SearchAsync(rep, query);

        var hit = Assert.Single(results.Customers, c => c.Id == customer.Id);
        Assert.Equal(SearchMatch.Exact, hit.Match);
    }

    [Fact]
    public async Task Search_PartOfAPhoneNumber_FindsItAsPhone()
    {
        var customer = await CreateAsync(DemoUsers.Rep, "明远仪器二厂", phone: "021-5876-4321");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var results = await SearchAsync(rep, "5876-4321");

        Assert.Equal(SearchMatch.Phone, Assert.Single(results.Customers, c => c.Id == customer.Id).Match);
    }

    [Fact]
    public async Task Search_ContactByEmailNameOrLandline_ShowsTheirCustomer()
    {
        var customer = await CreateAsync(DemoUsers.Rep, "青禾农业科技");
        var contact = await AddContactAsync(customer.Id, "欧阳娜", email: "OuYang.Na@QingHe.example", mobile: "13700001111",
            phone: "(0571) 8765-0099", title: "采购经理");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var byEmail = await SearchAsync(rep, "ouyang.na@qinghe.example");
        var byDomain = await SearchAsync(rep, "qinghe.example");
        var byName = await SearchAsync(rep, "欧阳娜");
        var byInitials = await SearchAsync(rep, "oyn");
        var byLandline = await SearchAsync(rep, "0571 8765 0099");

        var hit = Assert.Single(byEmail.Contacts, c => c.Id == contact.Id);
        Assert.Equal(SearchMatch.Exact, hit.Match);
        Assert.Equal(customer.Id, hit.CustomerId);
        Assert.Equal("青禾农业科技", hit.CustomerName);
        Assert.Equal("采购经理", hit.Detail);
        Assert.Equal(SearchMatch.Email, Assert.Single(byDomain.Contacts, c => c.Id == contact.Id).Match);
        Assert.Equal(SearchMatch.Exact, Assert.Single(byName.Contacts, c => c.Id == contact.Id).Match);
        Assert.Contains(byInitials.Contacts, c => c.Id == contact.Id);
        Assert.Contains(byLandline.Contacts, c => c.Id == contact.Id);
    }

    [Fact]
    public async Task Search_LeadByCompanyContactOrInitials_FindsTheLead()
    {
        var lead = await TestLeads.AddOwnedAsync(app, DemoUsers.Rep, "苏州星澜物流", change: l =>
        {
            l.ContactName = "司马光";
            l.Mobile = "13511112222";
            l.PhoneKey = DuplicateKeys.Phone(l.Mobile);
            l.Email = "sima@xinglan.example";
            l.EmailKey = DuplicateKeys.Email(l.Email);
        });
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var byCompany = await SearchAsync(rep, "星澜物流");
        var byContact = await SearchAsync(rep, "司马光");
        var byInitials = await SearchAsync(rep, "szxlwl");
        var byContactPinyin = await SearchAsync(rep, "simaguang");
        var byPhone = await SearchAsync(rep, "135 1111 2222");

        var hit = Assert.Single(byCompany.Leads, l => l.Id == lead.Id);
        Assert.Equal("苏州星澜物流", hit.Name);
        Assert.Equal("司马光", hit.Detail);
        Assert.Equal("Assigned", hit.Status);
        Assert.Equal(SearchMatch.Exact, Assert.Single(byContact.Leads, l => l.Id == lead.Id).Match);
        Assert.Contains(byInitials.Leads, l => l.Id == lead.Id);
        Assert.Contains(byContactPinyin.Leads, l => l.Id == lead.Id);
        Assert.Contains(byPhone.Leads, l => l.Id == lead.Id);
    }

    [Fact]
    public async Task Search_Ranking_ExactThenPrefixThenNameThenInitialsThenPinyin()
    {
        var exact = await CreateAsync(DemoUsers.Rep, "蓝鲸");
        var prefix = await CreateAsync(DemoUsers.Rep, "蓝鲸数据");
        var contains = await CreateAsync(DemoUsers.Rep, "杭州蓝鲸");
        var initials = await CreateAsync(DemoUsers.Rep, "兰江贸易"); // lan jiang: initials lj, pinyin lanjiang
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var byName = await SearchAsync(rep, "蓝鲸", limit: 50);
        var byInitials = await SearchAsync(rep, "lj", limit: 50);
        var byPinyin = await SearchAsync(rep, "lanjing", limit: 50);

        Assert.Equal([exact.Id, prefix.Id, contains.Id], Ours(byName.Customers, exact, prefix, contains, initials));
        Assert.Equal([SearchMatch.Exact, SearchMatch.NamePrefix, SearchMatch.Name],
            byName.Customers.Where(c => c.Id == exact.Id || c.Id == prefix.Id || c.Id == contains.Id).Select(c => c.Match));
        // Initials: the shorter name first; 杭州蓝鲸's initials (hzlj) only end with lj, which a two-letter query does not reach.
        Assert.Equal([exact.Id, initials.Id, prefix.Id], Ours(byInitials.Customers, exact, prefix, contains, initials));
        Assert.Equal([exact.Id, prefix.Id, contains.Id], Ours(byPinyin.Customers, exact, prefix, contains, initials));
        Assert.Equal(SearchMatch.Pinyin, byPinyin.Customers.Single(c => c.Id == exact.Id).Match);
        Assert.Equal(SearchMatch.Spelling, byPinyin.Customers.Single(c => c.Id == contains.Id).Match);
    }

    [Fact]
    public async Task Search_InitialsOutrankPinyin()
    {
        var byInitials = await CreateAsync(DemoUsers.Rep, "三和鄂南"); // s-h-e-n
        var byPinyin = await CreateAsync(DemoUsers.Rep, "深蓝"); // shen-lan
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var results = await SearchAsync(rep, "shen", limit: 50);

        Assert.Equal([byInitials.Id, byPinyin.Id], Ours(results.Customers, byInitials, byPinyin));
        Assert.Equal(SearchMatch.Initials, results.Customers.Single(c => c.Id == byInitials.Id).Match);
    }

    [Fact]
    public async Task Search_OneCharacter_FindsWordStarts()
    {
        var customer = await CreateAsync(DemoUsers.Rep, "Zephyr 风电");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var results = await SearchAsync(rep, "z", limit: 50);
        var chinese = await SearchAsync(rep, "风", limit: 50);

        Assert.Contains(results.Customers, c => c.Id == customer.Id);
        Assert.Contains(chinese.Customers, c => c.Id == customer.Id);
    }

    [Fact]
    public async Task Search_OtherTeamsRecords_AreNeverFound()
    {
        var hidden = await CreateAsync(DemoUsers.Admin, "鼎峰隐秘制造", ownerEmail: DemoUsers.SouthRep, phone: "13600009999");
        var hiddenContact = await AddContactAsync(hidden.Id, "诸葛隐", email: "zhuge@dingfeng.example");
        var hiddenLead = await TestLeads.AddOwnedAsync(app, DemoUsers.SouthRep, "鼎峰隐秘制造分厂");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        foreach (var query in new[] { "鼎峰隐秘制造", "dfymzz", "dingfeng", "13600009999", "诸葛隐", "zhuge@dingfeng.example", "鼎峰" })
        {
            var asRep = await SearchAsync(rep, query, limit: 50);
            Assert.DoesNotContain(asRep.Customers, c => c.Id == hidden.Id);
            Assert.DoesNotContain(asRep.Contacts, c => c.Id == hiddenContact.Id || c.CustomerId == hidden.Id);
            Assert.DoesNotContain(asRep.Leads, l => l.Id == hiddenLead.Id);
        }

        // The search itself works: the Admin finds all three.
        var asAdmin = await SearchAsync(admin, "鼎峰隐秘", limit: 50);
        Assert.Contains(asAdmin.Customers, c => c.Id == hidden.Id);
        Assert.Contains(asAdmin.Leads, l => l.Id == hiddenLead.Id);
        Assert.Contains((await SearchAsync(admin, "诸葛隐")).Contacts, c => c.Id == hiddenContact.Id);
    }

    [Fact]
    public async Task Search_CallerWithoutLeadAccess_GetsNoLeads()
    {
        var customer = await CreateAsync(DemoUsers.Rep, "银杉财务咨询");
        var lead = await TestLeads.AddOwnedAsync(app, DemoUsers.Rep, "银杉财务咨询");
        using var finance = await app.ClientForAsync(DemoUsers.Finance);

        var results = await SearchAsync(finance, "银杉财务");

        Assert.Contains(results.Customers, c => c.Id == customer.Id);
        Assert.Empty(results.Leads);
        Assert.DoesNotContain(results.Leads, l => l.Id == lead.Id);
    }

    [Fact]
    public async Task Search_RenamedOrDeletedCustomer_TheIndexFollows()
    {
        var renamed = await CreateAsync(DemoUsers.Rep, "旧名纺织");
        var deleted = await CreateAsync(DemoUsers.Rep, "将删纺织");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        await (await rep.PutAsJsonAsync($"/api/v1/customers/{renamed.Id}",
            new UpdateCustomerRequest("新颜纺织", Version: renamed.Version), Ct)).ExpectAsync(HttpStatusCode.OK);
        await (await manager.DeleteAsync($"/api/v1/customers/{deleted.Id}?version={deleted.Version}", Ct)).ExpectAsync(HttpStatusCode.NoContent);

        Assert.DoesNotContain((await SearchAsync(rep, "旧名纺织")).Customers, c => c.Id == renamed.Id);
        Assert.DoesNotContain((await SearchAsync(rep, "jmfz")).Customers, c => c.Id == renamed.Id);
        Assert.Contains((await SearchAsync(rep, "新颜纺织")).Customers, c => c.Id == renamed.Id);
        Assert.Contains((await SearchAsync(rep, "xinyan")).Customers, c => c.Id == renamed.Id);
        Assert.DoesNotContain((await SearchAsync(manager, "将删纺织")).Customers, c => c.Id == deleted.Id);
        await using var db = await app.SystemDbAsync();
        var stored = await db.Customers.SingleAsync(c => c.Id == renamed.Id, Ct);
        Assert.Equal("xinyanfangzhi", stored.Pinyin);
        Assert.Equal("xyfz", stored.PinyinInitials);
    }

    [Fact]
    public async Task Search_LeadWrittenByTheImportsBulkInsert_IsSpelledAndFound()
    {
        Guid leadId;
        await using (var db = await app.SystemDbAsync())
        {
            var rep = await db.Users.SingleAsync(u => u.Email == DemoUsers.Rep, Ct);
            var now = app.Clock.GetUtcNow().UtcDateTime;
            var lead = new Lead
            {
                SourceChannel = "import", CompanyName = "澜沧江茶业", ContactName = "上官婉", CapturedAt = now, ScreeningDueAt = now,
                TeamId = rep.TeamId!.Value, OwnerId = rep.Id, Status = LeadStatus.Assigned,
            };
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            await BulkInsert.AddCreatedAsync(db, [lead], now, Ct);
            await transaction.CommitAsync(Ct);
            leadId = lead.Id;
        }

        using var client = await app.ClientForAsync(DemoUsers.Rep);

        Assert.Contains((await SearchAsync(client, "lcjcy")).Leads, l => l.Id == leadId);
        Assert.Contains((await SearchAsync(client, "shangguanwan")).Leads, l => l.Id == leadId);
        await using var check = await app.SystemDbAsync();
        Assert.StartsWith("lancangjiangchaye", (await check.Leads.SingleAsync(l => l.Id == leadId, Ct)).Pinyin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchBackfill_RowsWithoutSpelling_AreSpelledAndIndexed()
    {
        var customer = await CreateAsync(DemoUsers.Rep, "补拼音测试云杉");
        await using (var db = await app.SystemDbAsync())
        {
            // As a row written before the spellings existed.
            await db.Customers.Where(c => c.Id == customer.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.Pinyin, (string?)null).SetProperty(c => c.PinyinInitials, (string?)null), Ct);
        }

        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        Assert.DoesNotContain((await SearchAsync(rep, "bpycsys")).Customers, c => c.Id == customer.Id);

        var spelled = await SearchBackfill.RunAsync(app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), Ct);

        Assert.True(spelled >= 1);
        Assert.Contains((await SearchAsync(rep, "bpycsys")).Customers, c => c.Id == customer.Id);
        Assert.Equal(0, await SearchBackfill.RunAsync(app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), Ct));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Search_EmptyQuery_ReturnsNothing(string query)
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var results = await SearchAsync(rep, query);

        Assert.Equal(0, results.Total);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    public async Task Search_LimitOutOfRange_Returns400(int limit)
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.GetAsync($"/api/v1/search?q=abc&limit={limit}", Ct);

        await response.ExpectFieldErrorAsync("limit");
    }

    [Fact]
    public async Task Search_SqlAndFtsSyntaxInTheQuery_IsJustText()
    {
        var customer = await CreateAsync(DemoUsers.Rep, "100% \"Quote\" O'Brien_Co");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        foreach (var query in new[] { "' OR 1=1 --", "NEAR(a b)", "a*", "\\", "%", "_", "\"" })
        {
            // Answers 200 (GetJsonAsync checks): the query is only ever a parameter and a quoted phrase.
            await SearchAsync(rep, query, limit: 50);
        }

        Assert.Contains((await SearchAsync(rep, "100%")).Customers, c => c.Id == customer.Id);
        Assert.Contains((await SearchAsync(rep, "\"quote\"")).Customers, c => c.Id == customer.Id);
        Assert.Contains((await SearchAsync(rep, "o'brien_co")).Customers, c => c.Id == customer.Id);
    }

    [Fact]
    public async Task Search_Anonymous_Returns401()
    {
        using var anonymous = app.AnonymousClient();

        var response = await anonymous.GetAsync("/api/v1/search?q=abc", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static List<Guid> Ours(IEnumerable<SearchHit> hits, params CustomerDto[] ours) =>
        hits.Where(h => ours.Any(o => o.Id == h.Id)).Select(h => h.Id).ToList();

    private static Task<SearchResults> SearchAsync(HttpClient client, string query, int? limit = null) =>
        client.GetJsonAsync<SearchResults>($"/api/v1/search?q={Uri.EscapeDataString(query)}" + (limit is { } l ? $"&limit={l}" : ""));

    private async Task<CustomerDto> CreateAsync(string asEmail, string name, string? ownerEmail = null, string? phone = null)
    {
        using var client = await app.ClientForAsync(asEmail);
        Guid? ownerId = ownerEmail is null ? null : await TestLeads.UserIdAsync(app, ownerEmail);
        return await (await client.PostAsJsonAsync("/api/v1/customers", new CreateCustomerRequest(name, Phone: phone, OwnerId: ownerId), Ct))
            .ExpectJsonAsync<CustomerDto>(HttpStatusCode.Created);
    }

    /// <summary>A contact written directly (with the keys the contact commands keep).</summary>
    private async Task<Contact> AddContactAsync(Guid customerId, string name, string? email = null, string? mobile = null,
        string? phone = null, string? title = null)
    {
        await using var db = await app.SystemDbAsync();
        var contact = new Contact
        {
            CustomerId = customerId,
            Name = name,
            Email = email,
            Mobile = mobile,
            Phone = phone,
            Title = title,
            EmailKey = DuplicateKeys.Email(email),
            PhoneKey = DuplicateKeys.Phone(mobile ?? phone),
        };
        db.Contacts.Add(contact);
        await db.SaveChangesAsync(Ct);
        return contact;
    }
}
