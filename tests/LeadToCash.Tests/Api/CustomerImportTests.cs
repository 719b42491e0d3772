using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.CreateCustomer;
using LeadToCash.Modules.Customers.ImportCustomers;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Import;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace LeadToCash.Tests.Api;

/// <summary>
/// Customers and contacts through the import pipeline: the public Maven sample (parents linked), a Chinese file with bad
/// rows and duplicates, re-runs, and the export files read back in.
/// </summary>
[DatabaseTest]
public sealed class CustomerImportTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Url = "/api/v1/customers/imports";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Import_MavenSampleAccounts_85CustomersNoneRejectedParentsLinkedAndARerunAddsNothing()
    {
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var file = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "maven-accounts.csv"), Ct);
        var accounts = ExportFiles.ReadCsv(Encoding.UTF8.GetString(file));

        var job = await (await UploadAsync(manager, file, "accounts.csv")).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);
        Assert.Equal(["name", "industry", null, null, "size", "region", "parent"], job.Columns!.Select(c => c.Field));
        var done = await StartAndWaitAsync(manager, job.Id, new StartImportRequest());

        Assert.Equal((ImportStatus.Completed, 85, 85, 0, 0), (done.Status, done.TotalRows, done.CreatedRows, done.DuplicateRows, done.RejectedRows));
        await using var db = await app.SystemDbAsync();
        var names = accounts.Select(a => a["account"]).ToList();
        var imported = await db.Customers.AsNoTracking().Where(c => names.Contains(c.Name)).ToListAsync(Ct);
        Assert.Equal(85, imported.Count);
        var byName = imported.ToDictionary(c => c.Name);
        var acme = byName["Acme Corporation"];
        // "technolgy" is no industry of the list: "other", with the text kept in the notes; a head count finds its size.
        Assert.Equal(("other", "United States", "1000+"), (acme.Industry, acme.Region, acme.Size));
        Assert.Contains("technolgy", acme.Notes, StringComparison.Ordinal);
        Assert.Equal(12, imported.Count(c => c.Industry == "medical"));
        Assert.Equal(44, imported.Count(c => c.Industry is "finance" or "medical" or "retail" or "software"));
        var sh1 = await TestCustomers.TeamIdAsync(app, "上海销售一组");
        Assert.All(imported, c => Assert.Equal(sh1, c.PoolTeamId));
        var subsidiaries = accounts.Where(a => a["subsidiary_of"].Length > 0).ToList();
        Assert.Equal(15, subsidiaries.Count);
        Assert.All(subsidiaries, a => Assert.Equal(byName[a["subsidiary_of"]].Id, byName[a["account"]].ParentId));
        Assert.Equal(15, imported.Count(c => c.ParentId is not null));

        var again = await (await UploadAsync(manager, file, "accounts (2).csv")).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);
        Assert.All(again.Preview!, r => Assert.Equal(RowOutcome.AlreadyImported, r.Outcome));
        var rerun = await StartAndWaitAsync(manager, again.Id, new StartImportRequest());

        Assert.Equal((ImportStatus.Completed, 0, 85, 0), (rerun.Status, rerun.CreatedRows, rerun.DuplicateRows, rerun.RejectedRows));
        Assert.Equal(85, await db.Customers.CountAsync(c => names.Contains(c.Name), Ct));
    }

    [Fact]
    public async Task Import_ChineseFileWithBadRows_RejectsThemWithReasonsAndCreatesTheRest()
    {
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var existing = await SomeCustomerNameAsync();
        var csv = string.Join("\n",
            "客户名称,行业,电话,负责人,上级公司,标签,客户等级,客户阶段,联系人,职位,手机,邮箱",
            "苏州新建精密机械有限公司,制造业,0512-66668888,rep@demo.test,,重点客户；制造业,A,潜在客户,王强,采购经理,13912345678,wang@xinjian.cn",
            ",零售,,,,,,,,,,",
            "杭州坏电话公司,,12-ab,,,,,,,,,",
            "无锡负责人未知公司,,,nobody@demo.test,,,,,,,,",
            "苏州新建精密机械,,,,,,,,,,,",
            $"{existing},,,,,,,,,,,",
            "南京新建子公司,零售,,,苏州新建精密机械有限公司,,B级,复购客户,,,,",
            "深圳他人客户公司,,,he.yun@demo.test,,,,,,,,",
            "常州邮箱错误公司,,,,,,,,李四,,,not-an-email",
            "宁波未知值公司,航天,,,,,D,观望中,,,13800001111,");

        var job = await (await UploadAsync(manager, Encoding.UTF8.GetBytes(csv), "客户.csv")).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);

        Assert.Equal(["name", "industry", "phone", "owner", "parent", "tags", "grade", "stage", "contactName", "contactTitle", "contactMobile", "contactEmail"],
            job.Columns!.Select(c => c.Field));
        var preview = job.Preview!.ToDictionary(r => r.Row);
        Assert.Equal(RowOutcome.Ready, preview[2].Outcome);
        Assert.Contains("name", Reason(preview[3]), StringComparison.Ordinal);
        Assert.Contains("12-ab", Reason(preview[4]), StringComparison.Ordinal);
        Assert.Contains("nobody@demo.test", Reason(preview[5]), StringComparison.Ordinal);
        Assert.Equal(RowOutcome.Duplicate, preview[6].Outcome);
        Assert.Contains("row 2", preview[6].Message, StringComparison.Ordinal);
        Assert.Equal(RowOutcome.Duplicate, preview[7].Outcome);
        Assert.Contains(existing, preview[7].Message, StringComparison.Ordinal);
        Assert.Equal(RowOutcome.Ready, preview[8].Outcome);
        Assert.Contains("何芸", Reason(preview[9]), StringComparison.Ordinal);
        Assert.Contains("not-an-email", Reason(preview[10]), StringComparison.Ordinal);
        Assert.Equal(RowOutcome.Ready, preview[11].Outcome);

        var done = await StartAndWaitAsync(manager, job.Id, new StartImportRequest());

        Assert.Equal((3, 2, 5), (done.CreatedRows, done.DuplicateRows, done.RejectedRows));
        await using var db = await app.SystemDbAsync();
        var xinjian = await db.Customers.SingleAsync(c => c.Name == "苏州新建精密机械有限公司", Ct);
        Assert.Equal((await TestLeads.UserIdAsync(app, DemoUsers.Rep), "manufacturing", CustomerGrade.A, LifecycleStage.Prospect, "0512-66668888"),
            (xinjian.OwnerId!.Value, xinjian.Industry, xinjian.Grade, xinjian.Stage, xinjian.Phone));
        Assert.Equal(TestLeads.Now(app), xinjian.OwnedSince);
        Assert.NotNull(xinjian.FollowUpDueAt);
        Assert.Equal(["制造业", "重点客户"], (await db.CustomerTags.Where(t => t.CustomerId == xinjian.Id).Select(t => t.Name).ToListAsync(Ct)).Order(StringComparer.Ordinal));
        var contact = await db.Contacts.SingleAsync(c => c.CustomerId == xinjian.Id, Ct);
        Assert.Equal(("王强", "采购经理", "13912345678", "wang@xinjian.cn", "13912345678", true),
            (contact.Name, contact.Title, contact.Mobile, contact.Email, contact.PhoneKey, contact.IsPrimary));
        var child = await db.Customers.SingleAsync(c => c.Name == "南京新建子公司", Ct);
        Assert.Equal((xinjian.Id, CustomerGrade.B, LifecycleStage.RepeatCustomer, (Guid?)null), (child.ParentId!.Value, child.Grade, child.Stage, child.OwnerId));
        var unknown = await db.Customers.SingleAsync(c => c.Name == "宁波未知值公司", Ct);
        Assert.Equal(("other", CustomerGrade.C, LifecycleStage.Prospect), (unknown.Industry, unknown.Grade, unknown.Stage));
        Assert.Contains("航天", unknown.Notes, StringComparison.Ordinal);
        Assert.Contains("Grade: D", unknown.Notes, StringComparison.Ordinal);
        Assert.Contains("Stage: 观望中", unknown.Notes, StringComparison.Ordinal);
        Assert.Contains("13800001111", unknown.Notes, StringComparison.Ordinal); // a mobile without a contact name stays in the notes

        using var rejected = await manager.GetAsync($"{Url}/{job.Id}/rejected", Ct);
        using var workbook = new MemoryStream(await (await rejected.ExpectAsync(HttpStatusCode.OK)).Content.ReadAsByteArrayAsync(Ct));
        var rows = workbook.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal([3, 4, 5, 6, 7, 9, 10], rows.Select(r => Convert.ToInt32(r["Row"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r["Reason"]?.ToString())));
    }

    [Fact]
    public async Task ExportThenImport_CustomersDeletedMeanwhile_ComeBackWithTheirFields()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var rep2 = await TestLeads.UserIdAsync(app, DemoUsers.Rep2);
        var created = new List<CustomerDto>();
        foreach (var request in new[]
                 {
                     new CreateCustomerRequest("往返导出甲制造有限公司", "manufacturing", "苏州", "0512-61234567", "www.roundtrip-a.cn", "苏州工业园区星湖街 1 号",
                         "trade-show", "导出再导入", rep2),
                     new CreateCustomerRequest("往返导出乙零售", "retail", "杭州", null, null, null, "referral", null, null,
                         await TestCustomers.TeamIdAsync(app, "上海销售二组")),
                 })
        {
            created.Add(await (await admin.PostAsJsonAsync("/api/v1/customers", request, Ct)).ExpectJsonAsync<CustomerDto>(HttpStatusCode.Created));
        }

        var export = await admin.GetByteArrayAsync("/api/v1/customers/export?format=csv&q=" + Uri.EscapeDataString("往返导出"), Ct);
        foreach (var customer in created)
        {
            await (await admin.DeleteAsync($"/api/v1/customers/{customer.Id}?version={customer.Version}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        }

        var job = await (await UploadAsync(admin, export, "customers-export.csv")).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);
        var mapped = job.Columns!.ToDictionary(c => c.Header, c => c.Field);
        Assert.Equal(("name", "industry", "region", "phone", "website", "address", "sourceChannel", "owner"),
            (mapped["Name"], mapped["Industry"], mapped["Region"], mapped["Phone"], mapped["Website"], mapped["Address"], mapped["SourceChannel"], mapped["Owner"]));
        var done = await StartAndWaitAsync(admin, job.Id, new StartImportRequest(TeamId: await TestCustomers.TeamIdAsync(app, "上海销售二组")));

        Assert.Equal((2, 0), (done.CreatedRows, done.RejectedRows));
        await using var db = await app.SystemDbAsync();
        var back = await db.Customers.AsNoTracking().Where(c => c.Name.StartsWith("往返导出") && !c.IsDeleted).OrderBy(c => c.Name).ToListAsync(Ct);
        Assert.Equal(2, back.Count);
        foreach (var (again, original) in back.Zip(created.OrderBy(c => c.Name, StringComparer.Ordinal)))
        {
            Assert.NotEqual(original.Id, again.Id);
            Assert.Equal((original.Name, original.Industry, original.Region, original.Phone, original.Website, original.Address, original.SourceChannel, original.OwnerId),
                (again.Name, again.Industry, again.Region, again.Phone, again.Website, again.Address, again.SourceChannel, again.OwnerId));
        }
    }

    [Fact]
    public async Task ExportContacts_HeadersAreTheImportsOwn_AndOnlyVisibleCustomersContacts()
    {
        var mine = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.Rep, "联系人导出我的客户");
        var theirs = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.SouthRep, "联系人导出别人的客户");
        await using (var db = await app.SystemDbAsync())
        {
            db.Contacts.Add(new Contact { CustomerId = mine.Id, Name = "周采购", Title = "采购总监", Mobile = "13700001234", Email = "zhou@mine.cn", IsPrimary = true });
            db.Contacts.Add(new Contact { CustomerId = theirs.Id, Name = "吴保密", Mobile = "13700005678" });
            await db.SaveChangesAsync(Ct);
        }

        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var csv = await rep.GetStringAsync("/api/v1/contacts/export?format=csv", Ct);
        var rows = ExportFiles.ReadCsv(csv);

        var row = Assert.Single(rows, r => r["Contact"] == "周采购");
        Assert.Equal(("联系人导出我的客户", "采购总监", "13700001234", "张伟"), (row["Customer"], row["Title"], row["Mobile"], row["Owner"]));
        Assert.DoesNotContain("吴保密", csv, StringComparison.Ordinal);
        var job = await (await UploadAsync(rep, Encoding.UTF8.GetBytes(csv), "contacts.csv"))
            .ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);
        var mapped = job.Columns!.ToDictionary(c => c.Header, c => c.Field);
        Assert.Equal(("name", "contactName", "contactTitle", "contactMobile", "contactPhone", "contactEmail", "contactWeChat", "owner"),
            (mapped["Customer"], mapped["Contact"], mapped["Title"], mapped["Mobile"], mapped["Contact Phone"], mapped["Email"], mapped["WeChat"], mapped["Owner"]));
    }

    [Fact]
    public async Task Import_ParentInALaterBatch_LinkedWhenTheRunEnds()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<CustomerImporter>();
        var managerId = await TestLeads.UserIdAsync(app, DemoUsers.Manager);
        var user = (await scope.ServiceProvider.GetRequiredService<CurrentUserResolver>()
            .ResolveAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, managerId.ToString())], "test")), Ct))!;
        var settings = await importer.CompleteSettingsAsync(user, new ImportSettings { Columns = ["name", "parent"] }, Ct);
        var writer = await importer.OpenAsync(user, Guid.CreateVersion7(), "later-batch-parent-" + Guid.NewGuid().ToString("N"), settings, Ct);

        var first = await writer.ProcessAsync([Row(2, ("name", "后批子公司"), ("parent", "后批集团有限公司"))], commit: true, Ct);
        var second = await writer.ProcessAsync([Row(1002, ("name", "后批集团有限公司"))], commit: true, Ct);
        await using (var db = await app.SystemDbAsync())
        {
            Assert.Null((await db.Customers.SingleAsync(c => c.Name == "后批子公司", Ct)).ParentId);
        }

        await writer.FinishAsync(Ct);

        Assert.Equal([RowOutcome.Created, RowOutcome.Created], first.Concat(second).Select(r => r.Outcome));
        await using var check = await app.SystemDbAsync();
        var parent = await check.Customers.SingleAsync(c => c.Name == "后批集团有限公司", Ct);
        Assert.Equal(parent.Id, (await check.Customers.SingleAsync(c => c.Name == "后批子公司", Ct)).ParentId);
    }

    [Fact]
    public async Task Import_RestartedAfterAnInterruption_ReportsTheSameCountsAndCreatesNoDuplicates()
    {
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var lines = new StringBuilder("客户名称,电话\n");
        for (var i = 0; i < 1200; i++)
        {
            lines.Append(System.Globalization.CultureInfo.InvariantCulture, $"续跑导入客户{i},02140{i:000000}\n");
        }

        lines.Append("续跑导入客户0,\n"); // row 1202: the name of row 2 again, in the second batch
        var file = Encoding.UTF8.GetBytes(lines.ToString());
        var first = await (await UploadAsync(manager, file, "restart.csv")).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);
        var done = await StartAndWaitAsync(manager, first.Id, new StartImportRequest());
        Assert.Equal((ImportStatus.Completed, 1200, 1, 0), (done.Status, done.CreatedRows, done.DuplicateRows, done.RejectedRows));

        // The process stopped while the job ran: the first batch (rows 2-1001) was saved, the second was not, the job
        // still says Running and its file is still kept.
        await using (var db = await app.SystemDbAsync())
        {
            var job = await db.ImportJobs.SingleAsync(j => j.Id == first.Id, Ct);
            job.Status = ImportStatus.Running;
            await db.SaveChangesAsync(Ct);
            await File.WriteAllBytesAsync(Path.Combine(app.DataDirectory, job.StoredPath), file, Ct);
            var keys = await db.Customers.Where(c => c.ImportJobId == first.Id).Select(c => new { c.Id, c.ImportKey }).ToListAsync(Ct);
            Assert.Equal(1200, keys.Count);
            var unsaved = keys.Where(k => int.Parse(k.ImportKey!.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture) > 1001)
                .Select(k => k.Id).ToList();
            Assert.Equal(200, unsaved.Count);
            await db.AuditEntries.Where(a => unsaved.Contains(a.EntityId)).ExecuteDeleteAsync(Ct);
            await db.Customers.Where(c => unsaved.Contains(c.Id)).ExecuteDeleteAsync(Ct);
        }

        using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SpreadsheetImports>().MarkInterruptedAsync(Ct);
        }

        Assert.Equal(ImportStatus.Failed, (await manager.GetJsonAsync<ImportJobDto>($"{Url}/{first.Id}")).Status);
        var resumed = await StartAndWaitAsync(manager, first.Id, new StartImportRequest());

        // The rows the job itself saved before count as created again: the same figures as the run that was not interrupted.
        Assert.Equal((ImportStatus.Completed, 1200, 1, 0), (resumed.Status, resumed.CreatedRows, resumed.DuplicateRows, resumed.RejectedRows));
        await using (var check = await app.SystemDbAsync())
        {
            var names = await check.Customers.Where(c => c.Name.StartsWith("续跑导入客户")).Select(c => c.Name).ToListAsync(Ct);
            Assert.Equal(1200, names.Count);
            Assert.Equal(1200, names.Distinct().Count());
            Assert.Equal(1200, await check.Customers.CountAsync(c => c.ImportJobId == first.Id, Ct));
        }

        // Another job with the same file: the rows are someone else's import now, duplicates of what exists.
        var second = await (await UploadAsync(manager, file, "restart (2).csv")).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);
        var again = await StartAndWaitAsync(manager, second.Id, new StartImportRequest());
        Assert.Equal((ImportStatus.Completed, 0, 1201), (again.Status, again.CreatedRows, again.DuplicateRows));
    }

    [Fact]
    public async Task Import_SameJobOpenedAgain_OwnRowsCountAsCreatedAndALaterMatchNamesItsRow()
    {
        using var culture = LeadToCash.Tests.Components.ComponentServices.Culture("en-US");
        await using var scope = app.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<CustomerImporter>();
        var managerId = await TestLeads.UserIdAsync(app, DemoUsers.Manager);
        var user = (await scope.ServiceProvider.GetRequiredService<CurrentUserResolver>()
            .ResolveAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, managerId.ToString())], "test")), Ct))!;
        var settings = await importer.CompleteSettingsAsync(user, new ImportSettings { Columns = ["name", "phone"] }, Ct);
        var (jobId, hash) = (Guid.CreateVersion7(), "same-job-" + Guid.NewGuid().ToString("N"));
        IReadOnlyList<MappedRow> firstBatch = [Row(2, ("name", "同一任务甲公司")), Row(3, ("name", "同一任务乙公司"), ("phone", "021-40991234"))];
        IReadOnlyList<MappedRow> secondBatch = [Row(1002, ("name", "同一任务丙公司"), ("phone", "02140991234"))];

        var writer = await importer.OpenAsync(user, jobId, hash, settings, Ct);
        var created = await writer.ProcessAsync(firstBatch, commit: true, Ct);
        var later = Assert.Single(await writer.ProcessAsync(secondBatch, commit: true, Ct));
        var restarted = await importer.OpenAsync(user, jobId, hash, settings, Ct);
        var again = await restarted.ProcessAsync(firstBatch, commit: true, Ct);
        var laterAgain = Assert.Single(await restarted.ProcessAsync(secondBatch, commit: true, Ct));
        var otherJob = await importer.OpenAsync(user, Guid.CreateVersion7(), hash, settings, Ct);
        var byOtherJob = await otherJob.ProcessAsync(firstBatch, commit: true, Ct);

        Assert.All(created, r => Assert.Equal(RowOutcome.Created, r.Outcome));
        Assert.All(again, r => Assert.Equal((RowOutcome.AlreadyImported, true), (r.Outcome, r.ImportedByThisJob)));
        Assert.All(byOtherJob, r => Assert.Equal((RowOutcome.AlreadyImported, false), (r.Outcome, r.ImportedByThisJob)));
        // The phone of row 3, saved by an earlier batch of the same job: named by its row, in both runs.
        Assert.Equal((RowOutcome.Duplicate, "row 3 of this file (same Phone)"), (later.Outcome, later.DuplicateOf));
        Assert.Equal((RowOutcome.Duplicate, "row 3 of this file (same Phone)"), (laterAgain.Outcome, laterAgain.DuplicateOf));
        await using var db = await app.SystemDbAsync();
        Assert.Equal(2, await db.Customers.CountAsync(c => c.ImportJobId == jobId, Ct));
        Assert.Equal(0, await db.Customers.CountAsync(c => c.Name == "同一任务丙公司", Ct));
    }

    [Fact]
    public async Task Upload_AsFinance_Returns403()
    {
        using var finance = await app.ClientForAsync(DemoUsers.Finance);

        var response = await UploadAsync(finance, Encoding.UTF8.GetBytes("客户名称\n财务导入公司\n"), "a.csv");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static MappedRow Row(int number, params (string Field, string Value)[] values) =>
        new(number, values.ToDictionary(v => v.Field, v => v.Value, StringComparer.Ordinal));

    private static string Reason(ImportPreviewRowDto row)
    {
        Assert.Equal(RowOutcome.Rejected, row.Outcome);
        return row.Message ?? "";
    }

    private async Task<string> SomeCustomerNameAsync()
    {
        await using var db = await app.SystemDbAsync();
        return await db.Customers.Where(c => c.NameKey != null).OrderBy(c => c.Name).Select(c => c.Name).FirstAsync(Ct);
    }

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
        Assert.True(job.Status is ImportStatus.Completed or ImportStatus.Failed, $"The import ended as {job.Status}: {job.Error}");
        return job;
    }
}
