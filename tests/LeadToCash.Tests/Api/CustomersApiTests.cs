using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using LeadToCash.Modules.Audit;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.CreateCustomer;
using LeadToCash.Modules.Customers.UpdateCustomer;
using LeadToCash.Modules.Organization.Users;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Export;
using LeadToCash.Platform.Web;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace LeadToCash.Tests.Api;

/// <summary>The customers API through real HTTP (Kestrel on a loopback port, so that server limits apply too).</summary>
[DatabaseTest]
public sealed class CustomersApiTests(KestrelAppFactory app) : IClassFixture<KestrelAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateCustomer_ValidRequest_Returns201OwnedByCallerAtVersion1()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var me = await rep.GetJsonAsync<MeDto>("/api/v1/me");

        var response = await rep.PostAsJsonAsync("/api/v1/customers",
            new CreateCustomerRequest("  杭州启明软件有限公司 ", Industry: "software", Region: "杭州", Phone: "0571-8888 6666",
                Website: "www.qiming.example", SourceChannel: "referral"), Ct);

        var created = await response.ExpectJsonAsync<CustomerDto>(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/customers/{created.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("杭州启明软件有限公司", created.Name);
        Assert.Equal(me.Id, created.OwnerId);
        Assert.Equal("张伟", created.OwnerName);
        Assert.Null(created.PoolTeamId);
        Assert.Equal(1, created.Version);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, created.CreatedAt);
        var read = await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{created.Id}");
        Assert.Equivalent(created, read, strict: true);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task CreateCustomer_EmptyName_Returns400NamingName(string name)
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync("/api/v1/customers", new CreateCustomerRequest(name), Ct);

        await response.ExpectFieldErrorAsync("name");
    }

    [Fact]
    public async Task CreateCustomer_UnknownIndustryCode_Returns400NamingIndustry()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync("/api/v1/customers", new CreateCustomerRequest("无锡新源包装有限公司", Industry: "mining"), Ct);

        var messages = await response.ExpectFieldErrorAsync("industry");
        Assert.Contains(messages, m => m.Contains("mining", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateCustomer_SeveralBadFields_NamesEachField()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync("/api/v1/customers",
            new CreateCustomerRequest(new string('x', 201), Phone: "call me", Website: "http://exa mple"), Ct);

        await response.ExpectFieldErrorAsync("name");
        await response.ExpectFieldErrorAsync("phone");
        await response.ExpectFieldErrorAsync("website");
    }

    [Theory]
    [InlineData("""{"name": 5}""", "name")]
    [InlineData("""{"name": "ok", "ownerId": "not-a-guid"}""", "ownerId")]
    [InlineData("""[{"name": "in an array"}]""", "body")]
    [InlineData("""{"name": "unterminated""", "name")]
    [InlineData("""{"name": "ok", "regoin": "typo"}""", "regoin")]
    public async Task CreateCustomer_JsonOfTheWrongShape_Returns400NamingTheField(string json, string field)
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsync("/api/v1/customers", new StringContent(json, Encoding.UTF8, "application/json"), Ct);

        await response.ExpectFieldErrorAsync(field);
    }

    [Fact]
    public async Task CreateCustomer_NoBody_Returns400Problem()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsync("/api/v1/customers", new StringContent("", Encoding.UTF8, "application/json"), Ct);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task GetCustomer_OwnAndPoolCustomerOfRep_TellsWhetherTheRepMayChangeIt()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var me = await rep.GetJsonAsync<MeDto>("/api/v1/me");
        var own = (await rep.AllCustomersAsync($"?ownerId={me.Id}"))[0];
        var pooled = (await rep.AllCustomersAsync("?inPool=true"))[0];

        var ownRead = await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{own.Id}");
        var pooledRead = await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{pooled.Id}");

        Assert.True(ownRead.CanChange);
        Assert.False(pooledRead.CanChange);
        Assert.Null(own.CanChange);
    }

    [Fact]
    public async Task ListCustomers_ManagerFilteringByIndexedFields_GetsExactlyTheVisibleMatchesAndTheirCount()
    {
        // A scoped caller's list reads the owner and pool indexes with these filters applied (NarrowToScope's within),
        // and counts from those indexes and the shares alone (VisibleIdsWithin).
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var otherTeam = await app.ClientForAsync(DemoUsers.Manager2);
        var created = await CreateAsync(manager, "筛选测试客户" + Guid.CreateVersion7().ToString("N")[..8]);
        var shared = await CreateAsync(otherTeam, "共享测试客户" + Guid.CreateVersion7().ToString("N")[..8]);
        var region = "筛选区" + created.Id.ToString("N")[..6];
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/api/v1/customers/{shared.Id}", Ct)).StatusCode);
        await using (var db = await app.SystemDbAsync())
        {
            var customer = await db.Customers.SingleAsync(c => c.Id == created.Id, Ct);
            (customer.Grade, customer.Stage, customer.Region) = (CustomerGrade.A, LifecycleStage.Customer, region);
            // Another team's customer shared with the manager: visible by the share only, and only where the filter keeps it.
            var other = await db.Customers.SingleAsync(c => c.Id == shared.Id, Ct);
            (other.Grade, other.Stage, other.Region) = (CustomerGrade.B, LifecycleStage.Prospect, region);
            var managerId = await db.Users.Where(u => u.Email == DemoUsers.Manager).Select(u => u.Id).SingleAsync(Ct);
            db.Collaborators.Add(new Collaborator { RecordType = Customer.RecordType, RecordId = shared.Id, UserId = managerId, AddedAt = app.Clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(Ct);
        }

        var all = await manager.AllCustomersAsync();
        Assert.Contains(all, c => c.Id == shared.Id);
        (string Query, Func<CustomerDto, bool> Matches)[] cases =
        [
            ("?grade=A", c => c.Grade == CustomerGrade.A),
            ("?grade=B", c => c.Grade == CustomerGrade.B),
            ("?stage=Customer", c => c.Stage == LifecycleStage.Customer),
            ("?industry=manufacturing", c => c.Industry == "manufacturing"),
            ($"?region={Uri.EscapeDataString(region)}", c => c.Region == region),
            ("?inPool=true", c => c.OwnerId is null),
            ("?inPool=false&grade=B", c => c.OwnerId is not null && c.Grade == CustomerGrade.B),
            ($"?grade=A&stage=Customer&region={Uri.EscapeDataString(region)}", c => c.Id == created.Id),
            ($"?grade=B&region={Uri.EscapeDataString(region)}", c => c.Id == shared.Id),
        ];

        foreach (var (query, matches) in cases)
        {
            var expected = all.Where(matches).Select(c => c.Id).Order().ToList();
            var listed = (await manager.AllCustomersAsync(query)).Select(c => c.Id).Order().ToList();
            Assert.True(expected.SequenceEqual(listed), $"{query}: not the visible matches");
            // A page of one leaves the count to the query (a first page holding every match is its own count).
            var first = await manager.GetJsonAsync<ListPage<CustomerDto>>($"/api/v1/customers{query}&limit=1");
            Assert.Equal((Math.Min(expected.Count, ListRequest.CountCap), expected.Count > ListRequest.CountCap), (first.Count, first.CountCapped));
        }

        await using (var db = await app.SystemDbAsync())
        {
            var customer = await db.Customers.SingleAsync(c => c.Id == created.Id, Ct);
            customer.IsDeleted = true;
            await db.SaveChangesAsync(Ct);
        }

        Assert.Empty(await manager.AllCustomersAsync($"?grade=A&region={Uri.EscapeDataString(region)}")); // in the recycle bin
        Assert.Equal(1, (await manager.GetJsonAsync<ListPage<CustomerDto>>($"/api/v1/customers?region={Uri.EscapeDataString(region)}&limit=1")).Count);
    }

    [Fact]
    public async Task GetCustomer_UnknownId_Returns404()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var response = await admin.GetAsync($"/api/v1/customers/{Guid.CreateVersion7()}", Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UpdateCustomer_CurrentVersion_Returns200AtVersion2WithETag()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await CreateAsync(rep, "宁波远航物流有限公司");

        var response = await rep.PutAsJsonAsync($"/api/v1/customers/{customer.Id}",
            Edit(customer) with { Region = "宁波", Notes = "年底前再联系" }, Ct);

        var updated = await response.ExpectJsonAsync<CustomerDto>();
        Assert.Equal(2, updated.Version);
        Assert.Equal("宁波", updated.Region);
        Assert.Equal("年底前再联系", updated.Notes);
        Assert.Equal("\"2\"", response.Headers.ETag?.ToString());
        var read = await rep.GetAsync($"/api/v1/customers/{customer.Id}", Ct);
        Assert.Equal("\"2\"", read.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task UpdateCustomer_StaleVersion_Returns409WithClearDetail()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await CreateAsync(rep, "苏州恒通精密机械有限公司");
        await (await rep.PutAsJsonAsync($"/api/v1/customers/{customer.Id}", Edit(customer) with { Notes = "first" }, Ct))
            .ExpectAsync(HttpStatusCode.OK);

        var response = await rep.PutAsJsonAsync($"/api/v1/customers/{customer.Id}", Edit(customer) with { Notes = "second" }, Ct);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Conflict);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("changed by someone else", detail, StringComparison.Ordinal);
        Assert.Contains("version 2", detail, StringComparison.Ordinal);
        Assert.Equal("first", (await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{customer.Id}")).Notes);
    }

    [Fact]
    public async Task UpdateCustomer_TwoUsersSaveTheSameVersionAtOnce_OneWinsTheOtherGets409AndNothingIsLost()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        for (var round = 0; round < 6; round++)
        {
            var customer = await CreateAsync(rep, $"无锡同步精工机械有限公司{round}号");

            var responses = await Task.WhenAll(
                rep.PutAsJsonAsync($"/api/v1/customers/{customer.Id}", Edit(customer) with { Notes = "rep's notes" }, Ct),
                manager.PutAsJsonAsync($"/api/v1/customers/{customer.Id}", Edit(customer) with { Notes = "manager's notes" }, Ct));

            var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync(Ct)));
            Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.OK) == 1, string.Join("\n", bodies));
            Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.Conflict) == 1, string.Join("\n", bodies));
            var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).ReadAsync<CustomerDto>();
            var stored = await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{customer.Id}");
            Assert.Equal(winner.Notes, stored.Notes);
            Assert.Equal(2, stored.Version);
        }
    }

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("W/\"1\"")]
    public async Task UpdateCustomer_VersionInIfMatchHeader_IsUsed(string ifMatch)
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await CreateAsync(rep, "南京鼎盛新材料有限公司 " + ifMatch.Length);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/customers/{customer.Id}")
        {
            Content = JsonContent.Create(Edit(customer) with { Version = null, Notes = "via If-Match" }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);

        var response = await rep.SendAsync(request, Ct);

        var updated = await response.ExpectJsonAsync<CustomerDto>();
        Assert.Equal(2, updated.Version);
        Assert.Equal("via If-Match", updated.Notes);
    }

    [Fact]
    public async Task UpdateCustomer_StaleIfMatchHeader_Returns409()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await CreateAsync(rep, "合肥启明教育科技有限公司");
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/customers/{customer.Id}")
        {
            Content = JsonContent.Create(Edit(customer) with { Version = null }),
        };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"7\""));

        var response = await rep.SendAsync(request, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task UpdateCustomer_NoVersion_Returns400NamingVersion()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await CreateAsync(rep, "东莞德隆包装有限公司");

        var response = await rep.PutAsJsonAsync($"/api/v1/customers/{customer.Id}", Edit(customer) with { Version = null }, Ct);

        await response.ExpectFieldErrorAsync("version");
    }

    [Fact]
    public async Task DeleteCustomer_ManagerDeletesRepsCustomer_Returns204ThenGetReturns404()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var customer = await CreateAsync(rep, "无锡汇川电子科技有限公司");

        var deleted = await manager.DeleteAsync($"/api/v1/customers/{customer.Id}?version=1", Ct);

        await deleted.ExpectAsync(HttpStatusCode.NoContent);
        await (await rep.GetAsync($"/api/v1/customers/{customer.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await manager.GetAsync($"/api/v1/customers/{customer.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain(await rep.AllCustomersAsync(), c => c.Id == customer.Id);
    }

    [Fact]
    public async Task DeleteCustomer_Rep_Returns403()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await CreateAsync(rep, "厦门海纳食品有限公司");

        var response = await rep.DeleteAsync($"/api/v1/customers/{customer.Id}?version=1", Ct);

        await response.ExpectAsync(HttpStatusCode.Forbidden);
        await (await rep.GetAsync($"/api/v1/customers/{customer.Id}", Ct)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task History_CreatedThenRenamed_ListsBothWithOldAndNewValuesAndWho()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await CreateAsync(rep, "佛山瑞丰自动化设备有限公司");
        await (await rep.PutAsJsonAsync($"/api/v1/customers/{customer.Id}",
            Edit(customer) with { Name = "佛山瑞丰智能装备有限公司" }, Ct)).ExpectAsync(HttpStatusCode.OK);

        var history = await rep.GetJsonAsync<List<HistoryEntryDto>>($"/api/v1/history/customer/{customer.Id}");

        var created = Assert.Single(history, h => h.Action == AuditAction.Created);
        var renamed = Assert.Single(history, h => h.Action == AuditAction.Updated);
        Assert.Equal("张伟", created.ChangedByName);
        Assert.Equal(nameof(Customer.Name), renamed.Field);
        Assert.Equal("佛山瑞丰自动化设备有限公司", renamed.OldValue);
        Assert.Equal("佛山瑞丰智能装备有限公司", renamed.NewValue);
        Assert.Equal("张伟", renamed.ChangedByName);
        Assert.Equal(customer.OwnerId, renamed.ChangedBy);
        Assert.Equal(2, history.Count);
    }

    [Fact]
    public async Task RecycleBin_DeletedCustomer_AdminListsAndRestoresIt()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var customer = await CreateAsync(rep, "上海联创软件股份有限公司");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await manager.DeleteAsync($"/api/v1/customers/{customer.Id}?version=1", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        app.Clock.Advance(TimeSpan.FromMinutes(1));

        var bin = await admin.GetJsonAsync<List<DeletedRecordDto>>("/api/v1/recycle-bin");
        var restore = await admin.PostAsync($"/api/v1/recycle-bin/customer/{customer.Id}/restore", null, Ct);

        var entry = Assert.Single(bin, r => r.Id == customer.Id);
        Assert.Equal(Customer.RecordType, entry.RecordType);
        Assert.Equal("上海联创软件股份有限公司", entry.Title);
        Assert.Equal("李娜", entry.DeletedByName);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-1), entry.DeletedAt);
        await restore.ExpectAsync(HttpStatusCode.NoContent);
        var back = await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{customer.Id}");
        Assert.Equal(3, back.Version);
        Assert.DoesNotContain(await admin.GetJsonAsync<List<DeletedRecordDto>>("/api/v1/recycle-bin"), r => r.Id == customer.Id);
        var history = await rep.GetJsonAsync<List<HistoryEntryDto>>($"/api/v1/history/customer/{customer.Id}");
        Assert.Equal([AuditAction.Restored, AuditAction.Deleted, AuditAction.Created], history.Select(h => h.Action));
    }

    [Fact]
    public async Task RecycleBin_Rep_Returns403()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var list = await rep.GetAsync("/api/v1/recycle-bin", Ct);
        var restore = await rep.PostAsync($"/api/v1/recycle-bin/customer/{Guid.CreateVersion7()}/restore", null, Ct);

        await list.ExpectAsync(HttpStatusCode.Forbidden);
        await restore.ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ListCustomers_Limit7ByName_PagesThroughEveryCustomerOnceInNameOrder()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var expected = await AllIdsAsync();

        var all = await admin.ListAllAsync<CustomerDto>("/api/v1/customers?sort=name", limit: 7);

        Assert.Equal(expected.Count, all.Count);
        Assert.Equal(expected.Order(), all.Select(c => c.Id).Order());
        for (var i = 1; i < all.Count; i++)
        {
            Assert.True(string.CompareOrdinal(all[i - 1].Name, all[i].Name) <= 0, $"'{all[i - 1].Name}' is listed before '{all[i].Name}'.");
        }
    }

    [Fact]
    public async Task ListCustomers_Limit7ByCreatedAtDescending_PagesThroughEveryCustomerOnce()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var expected = await AllIdsAsync();

        // The demo customers share one creation time: the id decides, which is what a keyset cursor must get right.
        var all = await admin.ListAllAsync<CustomerDto>("/api/v1/customers?sort=-createdAt", limit: 7);

        Assert.Equal(expected.Order(), all.Select(c => c.Id).Order());
        Assert.Equal(expected.Count, all.Count);
        for (var i = 1; i < all.Count; i++)
        {
            Assert.True(all[i - 1].CreatedAt >= all[i].CreatedAt);
        }
    }

    [Fact]
    public async Task ListCustomers_FilteredAndPaged_KeepsTheFilterOnEveryPage()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var pooled = await admin.ListAllAsync<CustomerDto>("/api/v1/customers?inPool=true&sort=-name", limit: 4);

        await using var db = await app.SystemDbAsync();
        Assert.Equal(await db.Customers.CountAsync(c => c.OwnerId == null, Ct), pooled.Count);
        Assert.All(pooled, c => Assert.Null(c.OwnerId));
        for (var i = 1; i < pooled.Count; i++)
        {
            Assert.True(string.CompareOrdinal(pooled[i - 1].Name, pooled[i].Name) >= 0);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(ListRequest.MaxLimit + 1)]
    [InlineData(500)]
    public async Task ListCustomers_LimitOutOfRange_Returns400NamingLimit(int limit)
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.GetAsync($"/api/v1/customers?limit={limit}", Ct);

        await response.ExpectFieldErrorAsync("limit");
    }

    [Theory]
    [InlineData("not-a-cursor")]
    [InlineData("WzEsMl0")]
    public async Task ListCustomers_GarbageCursor_Returns400NamingCursor(string cursor)
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.GetAsync($"/api/v1/customers?cursor={cursor}", Ct);

        await response.ExpectFieldErrorAsync("cursor");
    }

    [Fact]
    public async Task ListCustomers_CursorOfAnotherSort_Returns400NamingCursor()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var byName = await rep.GetJsonAsync<ListPage<CustomerDto>>("/api/v1/customers?sort=name&limit=2");

        var response = await rep.GetAsync($"/api/v1/customers?sort=createdAt&cursor={byName.NextCursor}", Ct);

        await response.ExpectFieldErrorAsync("cursor");
    }

    [Theory]
    [InlineData("owner")]
    [InlineData("-phone")]
    public async Task ListCustomers_UnknownSort_Returns400NamingSort(string sort)
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.GetAsync($"/api/v1/customers?sort={sort}", Ct);

        var messages = await response.ExpectFieldErrorAsync("sort");
        Assert.Contains(messages, m => m.Contains("createdAt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListCustomers_Count_IsExactAndNotCapped()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var expected = await AllIdsAsync();

        var page = await admin.GetJsonAsync<ListPage<CustomerDto>>("/api/v1/customers?limit=3");

        Assert.Equal(expected.Count, page.Count);
        Assert.False(page.CountCapped);
        Assert.Equal(3, page.Items.Count);
        Assert.NotNull(page.NextCursor);
    }

    [Fact]
    public async Task CreateCustomer_BodyOver10Megabytes_Returns413()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var json = "{\"name\":\"big\",\"notes\":\"" + new string('x', (int)AppComposition.MaxRequestBodyBytes) + "\"}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/customers")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        // As curl does for big bodies: the server can refuse before the body is sent (else the refusal races the upload).
        request.Headers.ExpectContinue = true;

        var response = await rep.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await using var db = await app.SystemDbAsync();
        Assert.False(await db.Customers.AnyAsync(c => c.Name == "big", Ct));
    }

    [Fact]
    public async Task ExportCustomers_Csv_IsUtf8CsvWithExactlyTheVisibleRows()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var visible = await rep.AllCustomersAsync();

        var response = await rep.GetAsync("/api/v1/customers/export?format=csv", Ct);

        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Matches(@"^customers-\d{8}-\d{4}\.csv$", response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "");
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]); // Excel needs the BOM to read UTF-8
        var rows = ExportFiles.ReadCsv(Encoding.UTF8.GetString(bytes));
        Assert.Equal(visible.Select(c => c.Id).Order(), rows.Select(r => Guid.Parse(r["Id"])).Order());
        var first = visible.OrderBy(c => c.Name, StringComparer.Ordinal).First();
        Assert.Equal(first.OwnerName ?? "", rows.Single(r => r["Id"] == first.Id.ToString())["Owner"]);
    }

    [Fact]
    public async Task ExportCustomers_FormulaInName_IsNeutralisedInCsvAndXlsx()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await CreateAsync(rep, "=HYPERLINK(\"x\")");

        var csv = await rep.GetStringAsync("/api/v1/customers/export?format=csv", Ct);
        await using var xlsx = await rep.GetStreamAsync("/api/v1/customers/export?format=xlsx", Ct);
        var sheet = await ReadXlsxAsync(xlsx);

        Assert.Equal("'=HYPERLINK(\"x\")", ExportFiles.ReadCsv(csv).Single(r => r["Id"] == customer.Id.ToString())["Name"]);
        Assert.Equal("'=HYPERLINK(\"x\")", sheet.Single(r => r["Id"] == customer.Id.ToString())["Name"]);
        Assert.Equal("=HYPERLINK(\"x\")", (await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{customer.Id}")).Name);
    }

    [Fact]
    public async Task ExportCustomers_Xlsx_IsAWorkbookWithExactlyTheVisibleRows()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var visible = await rep.AllCustomersAsync();

        var response = await rep.GetAsync("/api/v1/customers/export?format=xlsx", Ct);

        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".xlsx", response.Content.Headers.ContentDisposition?.FileName?.Trim('"') ?? "", StringComparison.Ordinal);
        var rows = await ReadXlsxAsync(await response.Content.ReadAsStreamAsync(Ct));
        Assert.Equal(visible.Select(c => c.Id).Order(), rows.Select(r => Guid.Parse(r["Id"])).Order());
        var sample = visible[0];
        // Other tests of this class may have added a customer whose name looks like a formula; it is exported neutralised.
        Assert.Equal(ExportService.Cell(sample.Name), rows.Single(r => r["Id"] == sample.Id.ToString())["Name"]);
    }

    [Fact]
    public async Task ExportCustomers_WithFilter_ExportsOnlyMatchingRows()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var pooled = await rep.AllCustomersAsync("?inPool=true");

        var rows = ExportFiles.ReadCsv(await rep.GetStringAsync("/api/v1/customers/export?format=csv&inPool=true", Ct));

        Assert.NotEmpty(pooled);
        Assert.Equal(pooled.Select(c => c.Id).Order(), rows.Select(r => Guid.Parse(r["Id"])).Order());
    }

    [Fact]
    public async Task ExportCustomers_UnknownFormat_Returns400NamingFormat()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.GetAsync("/api/v1/customers/export?format=pdf", Ct);

        await response.ExpectFieldErrorAsync("format");
    }

    private static UpdateCustomerRequest Edit(CustomerDto c) =>
        new(c.Name, c.Industry, c.Region, c.Phone, c.Website, c.Address, c.SourceChannel, c.Notes, c.Version);

    private static async Task<CustomerDto> CreateAsync(HttpClient client, string name) =>
        await (await client.PostAsJsonAsync("/api/v1/customers", new CreateCustomerRequest(name, Industry: "manufacturing"), Ct))
            .ExpectJsonAsync<CustomerDto>(HttpStatusCode.Created);

    private async Task<List<Guid>> AllIdsAsync()
    {
        await using var db = await app.SystemDbAsync();
        return await db.Customers.Select(c => c.Id).ToListAsync(Ct);
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
