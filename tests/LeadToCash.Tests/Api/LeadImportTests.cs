using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using LeadToCash.Modules.Leads;
using LeadToCash.Platform.Import;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace LeadToCash.Tests.Api;

/// <summary>
/// The lead import through HTTP with messy files made here the way people's spreadsheets look: Chinese headers, GBK
/// text, blank lines, a title row, bad phones, duplicates inside the file and against the database.
/// </summary>
[DatabaseTest]
public sealed class LeadImportTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Url = "/api/v1/leads/imports";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    static LeadImportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Fact]
    public async Task Upload_GbkCsvWithChineseHeaders_SuggestsMappingAndMarksPreviewRows()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await SomeCustomerAsync();
        var file = Gbk(
            "公司名称,联系人,手机,邮箱,所属行业,预算,采购时间,备注,无关列\r\n" +
            "上海澄明机械有限公司,王海,138 0013 8000,wanghai@chengming.example,制造业,50万,3个月内,展会认识,x\r\n" +
            "\r\n" +
            $"{customer.Name},李娜,,lina@example.cn,软件与信息服务,\"¥100,000\",,,\r\n" +
            "杭州远帆科技,赵强,1380013800O,zhao@yuanfan.example,金融,,,,\r\n" +
            "上海澄明机械,陈静,13800138000,,未知行业,面议,,,\r\n");

        var job = await (await UploadAsync(rep, file, "线索.csv")).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);

        Assert.Equal(ImportStatus.Pending, job.Status);
        Assert.Equal(["companyName", "contactName", "mobile", "email", "industry", "budget", "purchaseTimeframe", "notes", null],
            job.Columns!.Select(c => c.Field));
        Assert.Equal("公司名称", job.Columns![0].Header);
        var preview = job.Preview!;
        Assert.Equal([2, 4, 5, 6], preview.Select(r => r.Row));
        Assert.Equal(RowOutcome.Ready, preview[0].Outcome);
        Assert.Null(preview[0].DuplicateOf);
        Assert.Equal(RowOutcome.Ready, preview[1].Outcome);
        Assert.Contains(customer.Name, preview[1].DuplicateOf, StringComparison.Ordinal);
        Assert.True(preview[1].Incomplete is false);
        Assert.Equal(RowOutcome.Rejected, preview[2].Outcome);
        Assert.Contains("1380013800O", preview[2].Message, StringComparison.Ordinal);
        Assert.Equal(RowOutcome.Ready, preview[3].Outcome);
        Assert.Contains("row 2", preview[3].DuplicateOf, StringComparison.Ordinal);
        Assert.Contains("未知行业", preview[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_MessyGbkCsv_CreatesValidRowsMarksDuplicatesAndOffersRejectedRows()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await SomeCustomerAsync();
        var file = Gbk(
            "客户线索导出\r\n" +
            "公司名称（必填）,联系人,职位,联系人手机,座机,电子邮箱,微信,行业,规模,地区,预算,采购时间,决策人,需求,来源,标签\r\n" +
            "苏州恒通精密制造有限公司,周敏,采购经理,+86 139-1234-5678,0512-6688 1234,zhoumin@hengtong.example,zm_wx,制造业,200-999人,苏州,50万,3个月,是,产线MES,展会,\"重点,华东\"\r\n" +
            ",,,,,,,,,,,,,,,\r\n" +
            "南京云杉软件,林涛,CTO,13912345679,,LinTao@YunShan.example,,Software & IT services,80,南京,\"¥100,000\",半年,否,,官网表单,\r\n" +
            ",孙丽,,,,,,,,,,,,,,\r\n" +
            ",,,13700000000,,,,,,,,,,,,\r\n" +
            "无锡明远物流,何军,,abc123,,,,物流,,无锡,,,,,,\r\n" +
            $"{customer.Name},钱亮,,,,,,,,,,,,,,\r\n" +
            "苏州恒通精密制造,周敏,,13912345678,,,,,,,,,,,,\r\n" +
            "常州新材料研究院,吴刚,,,,,,新材料,,常州,面议,,,,未知渠道,\r\n" +
            "扬州宏达,刘伟,,,,liuwei.example.com,,,,,,,,,,\r\n");

        var job = await (await UploadAsync(rep, file, "leads-gbk.csv")).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);
        Assert.Equal("companyName", job.Columns![0].Field);
        Assert.Equal("mobile", job.Columns![3].Field);
        Assert.Equal("phone", job.Columns![4].Field);
        var done = await StartAndWaitAsync(rep, job.Id, new StartImportRequest(SourceChannel: "trade-show"));

        Assert.Equal(ImportStatus.Completed, done.Status);
        Assert.Null(done.Error);
        Assert.Equal(9, done.TotalRows);
        Assert.Equal(9, done.ProcessedRows);
        Assert.Equal(6, done.CreatedRows);
        Assert.Equal(2, done.DuplicateRows);
        Assert.Equal(3, done.RejectedRows);
        Assert.True(done.HasRejectedFile);

        await using var db = await app.SystemDbAsync();
        var leads = await db.Leads.Where(l => l.ImportJobId == job.Id).OrderBy(l => l.ImportKey).ToListAsync(Ct);
        Assert.Equal(6, leads.Count);
        var hengtong = leads.Single(l => l.ContactName == "周敏" && l.Title == "采购经理");
        Assert.Equal("苏州恒通精密制造有限公司", hengtong.CompanyName);
        Assert.Equal("+86 139-1234-5678", hengtong.Mobile);
        Assert.Equal("13912345678", hengtong.PhoneKey);
        Assert.Equal("manufacturing", hengtong.Industry);
        Assert.Equal("200-999", hengtong.CompanySize);
        Assert.Equal(50_000_000, hengtong.BudgetMinor);
        Assert.Equal(3, hengtong.PurchaseWithinMonths);
        Assert.True(hengtong.DecisionMakerIdentified);
        Assert.Equal("trade-show", hengtong.SourceChannel);
        Assert.Equal("重点,华东", hengtong.Tags);
        Assert.Equal(LeadStatus.New, hengtong.Status);
        Assert.Null(hengtong.OwnerId);
        Assert.Equal(hengtong.TeamId, hengtong.PoolTeamId);
        Assert.Equal(LeadGrade.A, hengtong.SuggestedGrade);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, hengtong.CapturedAt);
        Assert.True(hengtong.ScreeningDueAt > hengtong.CapturedAt);
        Assert.EndsWith(":3", hengtong.ImportKey, StringComparison.Ordinal);

        var yunshan = leads.Single(l => l.ContactName == "林涛");
        Assert.Equal("software", yunshan.Industry);
        Assert.Equal("50-199", yunshan.CompanySize);
        Assert.Equal(10_000_000, yunshan.BudgetMinor);
        Assert.Equal(6, yunshan.PurchaseWithinMonths);
        Assert.Equal("website-form", yunshan.SourceChannel);
        Assert.Equal("lintao@yunshan.example", yunshan.EmailKey);

        // A contact name alone is enough: incomplete, not rejected.
        Assert.Contains(leads, l => l.ContactName == "孙丽" && l.CompanyName == null && l.IsIncomplete);
        // Matches against the database and within the file are created and marked.
        var againstCustomer = leads.Single(l => l.ContactName == "钱亮");
        Assert.Equal(customer.Id, againstCustomer.DuplicateOfCustomerId);
        Assert.Equal("company", againstCustomer.DuplicateField);
        // Unknown industry and source are kept in the notes, not a reason to reject.
        var institute = leads.Single(l => l.ContactName == "吴刚");
        Assert.Null(institute.Industry);
        Assert.Contains("新材料", institute.Notes, StringComparison.Ordinal);
        Assert.Contains("面议", institute.Notes, StringComparison.Ordinal);
        Assert.Contains("未知渠道", institute.Notes, StringComparison.Ordinal);
        Assert.Equal("trade-show", institute.SourceChannel);
        var sameMobile = leads.Single(l => l.CompanyName == "苏州恒通精密制造");
        Assert.Equal((hengtong.Id, "phone"), (sameMobile.DuplicateOfLeadId!.Value, sameMobile.DuplicateField));

        using var rejected = await rep.GetAsync($"{Url}/{job.Id}/rejected", Ct);
        await rejected.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(ImportFiles.XlsxContentType, rejected.Content.Headers.ContentType?.MediaType);
        using var workbook = new MemoryStream(await rejected.Content.ReadAsByteArrayAsync(Ct));
        var rows = workbook.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal([7, 8, 12], rows.Select(r => Convert.ToInt32(r["Row"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("company or a contact name", rows[0]["Reason"]?.ToString(), StringComparison.Ordinal);
        Assert.Contains("abc123", rows[1]["Reason"]?.ToString(), StringComparison.Ordinal);
        Assert.Equal("无锡明远物流", rows[1]["公司名称（必填）"]);
        Assert.Contains("e-mail", rows[2]["Reason"]?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_XlsxWithNumbersAndEnglishHeaders_CreatesLeadsAssignedToTheImporter()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep2);
        var me = await rep.GetJsonAsync<Modules.Organization.Users.MeDto>("/api/v1/me");
        using var xlsx = new MemoryStream();
        await xlsx.SaveAsAsync(new[]
        {
            new Dictionary<string, object?> { ["Company"] = "Northwind Traders Ltd.", ["Contact Name"] = "Anna Wu", ["Mobile"] = 13600001111d, ["E-mail"] = "Anna@Northwind.example", ["Industry"] = "Retail", ["Budget"] = 250000, ["Notes"] = "=cmd()" },
            new Dictionary<string, object?> { ["Company"] = "Contoso Medical", ["Contact Name"] = "Ben Li", ["Mobile"] = null, ["E-mail"] = null, ["Industry"] = "healthcare", ["Budget"] = "10k", ["Notes"] = null },
        }, cancellationToken: Ct);

        var job = await (await UploadAsync(rep, xlsx.ToArray(), "contacts.xlsx")).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);
        var done = await StartAndWaitAsync(rep, job.Id, new StartImportRequest(job.Columns!.Select(c => c.Field).ToList(), AssignToMe: true));

        Assert.Equal((ImportStatus.Completed, 2, 0, 0), (done.Status, done.CreatedRows, done.DuplicateRows, done.RejectedRows));
        Assert.False(done.HasRejectedFile);
        await using var db = await app.SystemDbAsync();
        var leads = await db.Leads.Where(l => l.ImportJobId == job.Id).OrderBy(l => l.ImportKey).ToListAsync(Ct);
        Assert.Equal(["Northwind Traders Ltd.", "Contoso Medical"], leads.Select(l => l.CompanyName));
        Assert.Equal("13600001111", leads[0].Mobile);
        Assert.Equal("anna@northwind.example", leads[0].EmailKey);
        Assert.Equal("retail", leads[0].Industry);
        Assert.Equal(25_000_000, leads[0].BudgetMinor);
        Assert.Equal("medical", leads[1].Industry);
        Assert.Equal(1_000_000, leads[1].BudgetMinor);
        Assert.All(leads, l => Assert.Equal((me.Id, LeadStatus.Assigned, (Guid?)null), (l.OwnerId!.Value, l.Status, l.PoolTeamId)));
        Assert.All(leads, l => Assert.NotNull(l.FirstTouchDueAt));
        Assert.Equal("other", leads[1].SourceChannel);
    }

    [Fact]
    public async Task Import_SameFileAgainAfterAnInterruption_CreatesNoDuplicates()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Manager);
        var lines = new StringBuilder("公司,联系人,手机\n");
        for (var i = 0; i < 1500; i++)
        {
            lines.Append(System.Globalization.CultureInfo.InvariantCulture, $"重跑测试公司{i},联系人{i},1590000{i:0000}\n");
        }

        var file = new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(lines.ToString())).ToArray();
        var first = await (await UploadAsync(rep, file, "rerun.csv")).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);
        var done = await StartAndWaitAsync(rep, first.Id, new StartImportRequest());
        Assert.Equal((ImportStatus.Completed, 1500, 0), (done.Status, done.CreatedRows, done.RejectedRows));

        // The process stopped while the job ran: the first batch (rows 2-1001) was saved, the second was not, the
        // job still says Running and its file is still kept.
        await using (var db = await app.SystemDbAsync())
        {
            var job = await db.ImportJobs.SingleAsync(j => j.Id == first.Id, Ct);
            job.Status = ImportStatus.Running;
            await db.SaveChangesAsync(Ct);
            await File.WriteAllBytesAsync(Path.Combine(app.DataDirectory, job.StoredPath), file, Ct);
            var keys = await db.Leads.Where(l => l.ImportJobId == first.Id).Select(l => new { l.Id, l.ImportKey }).ToListAsync(Ct);
            var unsaved = keys.Where(k => int.Parse(k.ImportKey!.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture) > 1001).Select(k => k.Id).ToList();
            Assert.Equal(500, unsaved.Count);
            await db.AuditEntries.Where(a => unsaved.Contains(a.EntityId)).ExecuteDeleteAsync(Ct);
            await db.Leads.Where(l => unsaved.Contains(l.Id)).ExecuteDeleteAsync(Ct);
        }

        using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SpreadsheetImports>().MarkInterruptedAsync(Ct);
        }

        var interrupted = await rep.GetJsonAsync<ImportJobDto>($"{Url}/{first.Id}");
        Assert.Equal(ImportStatus.Failed, interrupted.Status);
        Assert.Contains("interrupted", interrupted.Error, StringComparison.Ordinal);

        var resumed = await StartAndWaitAsync(rep, first.Id, new StartImportRequest());
        Assert.Equal((ImportStatus.Completed, 1500, 0, 0), (resumed.Status, resumed.CreatedRows, resumed.DuplicateRows, resumed.RejectedRows));

        // The same file uploaded again: every row was imported before.
        var second = await (await UploadAsync(rep, file, "rerun (2).csv")).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);
        Assert.All(second.Preview!, r => Assert.Equal(RowOutcome.AlreadyImported, r.Outcome));
        var again = await StartAndWaitAsync(rep, second.Id, new StartImportRequest());
        Assert.Equal((ImportStatus.Completed, 0, 1500), (again.Status, again.CreatedRows, again.DuplicateRows));

        await using var check = await app.SystemDbAsync();
        Assert.Equal(1500, await check.Leads.CountAsync(l => l.CompanyName!.StartsWith("重跑测试公司"), Ct));
    }

    [Theory]
    [InlineData("notes.pdf", "%PDF-1.4\0\0binary", "not a spreadsheet")]
    [InlineData("leads.xlsx", "公司名称,联系人\n", "not an Excel workbook")]
    [InlineData("empty.csv", "", "empty")]
    [InlineData("blank.csv", "\n\n  \n", "empty")]
    [InlineData("unknown.csv", "foo,bar,baz\n1,2,3\n", "No column")]
    [InlineData("headers-only.csv", "公司名称,联系人\n", "no rows")]
    public async Task Upload_UnusableFile_Returns400NamingFileAndWritesNothing(string name, string content, string expected)
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        await using var before = await app.SystemDbAsync();
        var jobs = await before.ImportJobs.CountAsync(Ct);
        var leads = await before.Leads.CountAsync(Ct);

        var messages = await (await UploadAsync(rep, Encoding.UTF8.GetBytes(content), name)).ExpectFieldErrorAsync("file");

        Assert.Contains(messages, m => m.Contains(expected, StringComparison.Ordinal));
        await using var after = await app.SystemDbAsync();
        Assert.Equal(jobs, await after.ImportJobs.CountAsync(Ct));
        Assert.Equal(leads, await after.Leads.CountAsync(Ct));
        var imports = Path.Combine(app.DataDirectory, "imports");
        Assert.True(!Directory.Exists(imports) || Directory.GetFiles(imports).All(f => !f.EndsWith(".upload", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Upload_NoFile_Returns400NamingFile()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var form = new MultipartFormDataContent { { new StringContent("x"), "other" } };

        await (await rep.PostAsync(Url, form, Ct)).ExpectFieldErrorAsync("file");
    }

    [Fact]
    public async Task Start_MappingWithoutCompanyOrContact_Returns400NamingColumns()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var job = await (await UploadAsync(rep, Encoding.UTF8.GetBytes("公司,手机\n甲公司,13800000000\n"), "a.csv"))
            .ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);

        var response = await rep.PostAsJsonAsync($"{Url}/{job.Id}/start", new StartImportRequest([null, "mobile"]), Http.Json, Ct);

        await response.ExpectFieldErrorAsync("columns");
        var twice = await rep.PostAsJsonAsync($"{Url}/{job.Id}/start", new StartImportRequest(["companyName", "companyName"]), Http.Json, Ct);
        await twice.ExpectFieldErrorAsync("columns");
        var team = await rep.PostAsJsonAsync($"{Url}/{job.Id}/start", new StartImportRequest(TeamId: Guid.NewGuid()), Http.Json, Ct);
        await team.ExpectFieldErrorAsync("teamId");
    }

    [Fact]
    public async Task Jobs_OtherUsers_SeeOnlyTheirOwnButAdminSeesAll()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var job = await (await UploadAsync(rep, Encoding.UTF8.GetBytes("Company\nAcme\n"), "a.csv")).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);

        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
        await (await rep2.GetAsync($"{Url}/{job.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep2.PostAsJsonAsync($"{Url}/{job.Id}/start", new StartImportRequest(), Http.Json, Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain(await rep2.GetJsonAsync<List<ImportJobDto>>(Url), j => j.Id == job.Id);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        Assert.Equal(job.Id, (await admin.GetJsonAsync<ImportJobDto>($"{Url}/{job.Id}")).Id);
        using var finance = await app.ClientForAsync(DemoUsers.Finance);
        await (await finance.GetAsync(Url, Ct)).ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Import_MavenSampleAccounts_Creates85LeadsAndRejectsNone()
    {
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var file = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "maven-accounts.csv"), Ct);

        var job = await (await UploadAsync(manager, file, "accounts.csv")).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);
        Assert.Equal(["companyName", "industry", null, null, "companySize", "region", null], job.Columns!.Select(c => c.Field));
        var done = await StartAndWaitAsync(manager, job.Id, new StartImportRequest());

        Assert.Equal((ImportStatus.Completed, 85, 85, 0), (done.Status, done.TotalRows, done.CreatedRows, done.RejectedRows));
        await using var db = await app.SystemDbAsync();
        var acme = await db.Leads.SingleAsync(l => l.ImportJobId == job.Id && l.CompanyName == "Acme Corporation", Ct);
        Assert.Equal(("United States", "1000+", (string?)null), (acme.Region, acme.CompanySize, acme.Industry));
        Assert.Contains("technolgy", acme.Notes, StringComparison.Ordinal);
        var medical = await db.Leads.CountAsync(l => l.ImportJobId == job.Id && l.Industry == "medical", Ct);
        Assert.Equal(12, medical);
    }

    private async Task<(Guid Id, string Name)> SomeCustomerAsync()
    {
        await using var db = await app.SystemDbAsync();
        var customer = await db.Customers.OrderBy(c => c.Name).FirstAsync(c => c.NameKey != null, Ct);
        return (customer.Id, customer.Name);
    }

    private static byte[] Gbk(string text) => Encoding.GetEncoding("GB18030").GetBytes(text);

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] content, string fileName)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await client.PostAsync(Url, form, Ct);
    }

    private async Task<ImportJobDto> StartAndWaitAsync(HttpClient client, Guid id, StartImportRequest request)
    {
        var started = await (await client.PostAsJsonAsync($"{Url}/{id}/start", request, Http.Json, Ct)).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Accepted);
        Assert.Equal(ImportStatus.Running, started.Status);
        await app.Services.GetRequiredService<StartedImports>().WhenDoneAsync(id).WaitAsync(TimeSpan.FromMinutes(1), Ct);
        var job = await client.GetJsonAsync<ImportJobDto>($"{Url}/{id}");
        Assert.True(job.Status is ImportStatus.Completed or ImportStatus.Failed, $"The import ended as {job.Status}.");
        return job;
    }
}
