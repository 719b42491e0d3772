using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Opportunities.ImportOpportunities;
using LeadToCash.Modules.Products;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Import;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace LeadToCash.Tests.Api;

/// <summary>
/// Deals through the import pipeline, with the file's values matched to the system's: the public Maven sample end to end
/// (people, accounts, products, then 8,800 deals, counts checked against the file), and a Chinese file with every kind of bad row.
/// </summary>
[DatabaseTest]
public sealed class OpportunityImportTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Url = "/api/v1/opportunities/imports";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Import_MavenSamplePipeline_CreatesAndRejectsExactlyTheRowsTheFileImplies()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var teams = await TestImports.CsvAsync("maven-sales-teams.csv");
        var accounts = await TestImports.CsvAsync("maven-accounts.csv");
        var catalogue = await TestImports.CsvAsync("maven-products.csv");
        var deals = await TestImports.CsvAsync("maven-sales-pipeline.csv");

        // The organisation, the customers and the catalogue first, as a user would set them up.
        var people = await TestImports.UploadOkAsync(admin, "/api/v1/users/imports", await TestImports.FileAsync("maven-sales-teams.csv"), "sales_teams.csv");
        Assert.Equal(teams.Count, (await TestImports.StartAndWaitAsync(app, admin, "/api/v1/users/imports", people.Id, new StartImportRequest())).CreatedRows);
        var customers = await TestImports.UploadOkAsync(admin, "/api/v1/customers/imports", await TestImports.FileAsync("maven-accounts.csv"), "accounts.csv");
        Assert.Equal(accounts.Count, (await TestImports.StartAndWaitAsync(app, admin, "/api/v1/customers/imports", customers.Id, new StartImportRequest())).CreatedRows);
        await using var db = await app.SystemDbAsync();
        foreach (var product in catalogue)
        {
            db.Products.Add(new Product
            {
                Code = product["product"], CodeKey = product["product"].ToUpperInvariant(), Name = product["product"], Line = product["series"],
                ListPriceMinor = long.Parse(product["sales_price"], CultureInfo.InvariantCulture) * 100, Currency = "USD", Unit = "unit",
            });
        }

        await db.SaveChangesAsync(Ct);
        var pipeline = await db.Pipelines.SingleAsync(p => p.IsDefault, Ct);
        var stages = await db.PipelineStages.Where(s => s.PipelineId == pipeline.Id).OrderBy(s => s.SortOrder).ToListAsync(Ct);
        var open = stages.Where(s => s.Kind == StageKind.Open).ToList();
        var won = stages.Single(s => s.Kind == StageKind.Won);
        var lost = stages.Single(s => s.Kind == StageKind.Lost);
        var products = await db.Products.ToDictionaryAsync(p => p.Name, p => p.Id, Ct);

        var job = await TestImports.UploadOkAsync(admin, Url, await TestImports.FileAsync("maven-sales-pipeline.csv"), "sales_pipeline.csv");

        Assert.Equal(["externalId", "owner", "product", "customer", "stage", "createdDate", "closeDate", "amount"], job.Columns!.Select(c => c.Field));
        Assert.Equal(pipeline.Id.ToString(), job.Options![OpportunityImporter.PipelineOption]);
        var values = job.Values!.ToDictionary(v => v.Field);
        var stageValues = values["stage"].Values.ToDictionary(v => v.Value);
        Assert.Equal(deals.GroupBy(d => d["deal_stage"]).ToDictionary(g => g.Key, g => g.Count()), stageValues.ToDictionary(v => v.Key, v => v.Value.Count));
        Assert.Equal((won.Id.ToString(), lost.Id.ToString()), (stageValues["Won"].Suggested, stageValues["Lost"].Suggested));
        Assert.Equal(((string?)null, (string?)null), (stageValues["Prospecting"].Target, stageValues["Engaging"].Target));
        Assert.Equal(stages.Select(s => s.Id.ToString()), values["stage"].Targets!.Select(t => t.Key));
        Assert.Equal(products["GTX Pro"].ToString(), values["product"].Values.Single(v => v.Value == "GTXPro").Suggested);
        Assert.All(values["product"].Values, v => Assert.NotNull(v.Target));
        Assert.Null(values["customer"].Targets);
        Assert.Equal(accounts.Count, values["customer"].DistinctValues);
        Assert.All(values["customer"].Values, v => Assert.NotNull(v.Target));
        Assert.All(values["owner"].Values, v => Assert.NotNull(v.Target));

        var stageChoices = new Dictionary<string, string?> { ["Prospecting"] = open[0].Id.ToString(), ["Engaging"] = open[1].Id.ToString() };
        var done = await TestImports.StartAndWaitAsync(app, admin, Url, job.Id, new StartImportRequest(job.Columns!.Select(c => c.Field).ToList(),
            Options: job.Options!.ToDictionary(o => o.Key, o => (string?)o.Value),
            Values: new Dictionary<string, IReadOnlyDictionary<string, string?>> { ["stage"] = stageChoices }));

        // Independently of the importer: a row is created when its account, agent and product are known, else rejected.
        var accountNames = accounts.Select(a => a["account"]).ToHashSet(StringComparer.Ordinal);
        var agents = teams.Select(t => t["sales_agent"]).ToHashSet(StringComparer.Ordinal);
        var productKeys = catalogue.Select(p => ProductKey(p["product"])).ToHashSet(StringComparer.Ordinal);
        var importable = deals.Where(d => accountNames.Contains(d["account"]) && agents.Contains(d["sales_agent"]) && productKeys.Contains(ProductKey(d["product"])))
            .ToList();
        Assert.Equal(1425, deals.Count(d => d["account"].Length == 0));
        Assert.Equal((ImportStatus.Completed, deals.Count, importable.Count, 0, deals.Count - importable.Count),
            (done.Status, done.TotalRows, done.CreatedRows, done.DuplicateRows, done.RejectedRows));
        var imported = db.Opportunities.AsNoTracking().Where(o => o.ImportJobId == job.Id);
        Assert.Equal(importable.Count, await imported.CountAsync(Ct));
        Assert.Equal(importable.Count(d => d["deal_stage"] == "Won"), await imported.CountAsync(o => o.Status == OpportunityStatus.Won && o.StageId == won.Id, Ct));
        Assert.Equal(importable.Count(d => d["deal_stage"] == "Lost"), await imported.CountAsync(o => o.Status == OpportunityStatus.Lost && o.StageId == lost.Id, Ct));
        Assert.Equal(importable.Count(d => d["deal_stage"] == "Prospecting"), await imported.CountAsync(o => o.Status == OpportunityStatus.Open && o.StageId == open[0].Id, Ct));
        Assert.Equal(importable.Count(d => d["deal_stage"] == "Engaging"), await imported.CountAsync(o => o.Status == OpportunityStatus.Open && o.StageId == open[1].Id, Ct));
        Assert.Equal(importable.Where(d => d["close_value"].Length > 0).Sum(d => long.Parse(d["close_value"], CultureInfo.InvariantCulture) * 100),
            await imported.SumAsync(o => o.AmountMinor, Ct));

        // A won deal: its amount, dates (company time, Asia/Shanghai), owner, product, customer, name and imported stage history.
        var first = deals[0];
        Assert.Equal(("1C1I7A6R", "Won", "2017-03-01", "1054"), (first["opportunity_id"], first["deal_stage"], first["close_date"], first["close_value"]));
        var deal = await imported.SingleAsync(o => o.Description!.Contains("1C1I7A6R"), Ct);
        var moses = await db.Users.SingleAsync(u => u.DisplayName == first["sales_agent"], Ct);
        var cancity = await db.Customers.SingleAsync(c => c.Name == first["account"], Ct);
        Assert.Equal((105400L, OpportunityStatus.Won, new DateOnly(2017, 3, 1), 100, moses.Id, products["GTX Plus Basic"], cancity.Id, "Cancity · GTX Plus Basic"),
            (deal.AmountMinor, deal.Status, deal.ExpectedCloseDate!.Value, deal.Probability, deal.OwnerId!.Value, deal.ProductId!.Value, deal.CustomerId, deal.Name));
        Assert.Equal((Utc(2017, 2, 28, 16), Utc(2016, 10, 19, 16), Utc(2017, 2, 28, 16)), (deal.ClosedAt!.Value, deal.CreatedAt, deal.StageEnteredAt));
        var entry = Assert.Single(await db.StageEntries.Where(e => e.OpportunityId == deal.Id).ToListAsync(Ct));
        Assert.Equal((StageEntryKind.Imported, won.Id, pipeline.Id, deal.ClosedAt, (Guid?)null), (entry.Kind, entry.StageId, entry.PipelineId, (DateTime?)entry.EnteredAt, entry.FromStageId));
        Assert.Equal(importable.Count, await db.StageEntries.CountAsync(e => imported.Any(o => o.Id == e.OpportunityId) && e.Kind == StageEntryKind.Imported, Ct));

        // "GTXPro" became the catalogue's "GTX Pro"; an engaging deal is open with its engage date as creation and no close.
        var gtxPro = deals.First(d => d["product"] == "GTXPro" && importable.Contains(d));
        Assert.Equal(products["GTX Pro"], (await imported.SingleAsync(o => o.Description!.Contains(gtxPro["opportunity_id"]), Ct)).ProductId);
        var engaging = importable.First(d => d["deal_stage"] == "Engaging");
        var open1 = await imported.SingleAsync(o => o.Description!.Contains(engaging["opportunity_id"]), Ct);
        var engaged = DateOnly.ParseExact(engaging["engage_date"], "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal((OpportunityStatus.Open, (DateTime?)null, 0L, open[1].Probability, Utc(engaged.Year, engaged.Month, engaged.Day, 0).AddHours(-8)),
            (open1.Status, open1.ClosedAt, open1.AmountMinor, open1.Probability, open1.CreatedAt));

        // Every rejected row is in the rejected-rows file, with its reason.
        using var rejected = await admin.GetAsync($"{Url}/{job.Id}/rejected", Ct);
        using var workbook = new MemoryStream(await (await rejected.ExpectAsync(HttpStatusCode.OK)).Content.ReadAsByteArrayAsync(Ct));
        var rows = workbook.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(deals.Count - importable.Count, rows.Count);
        Assert.All(rows, r => Assert.Equal("the customer is missing", r["Reason"]?.ToString()));
    }

    [Fact]
    public async Task Import_ChineseFileWithBadRows_RejectsEachWithItsReasonAndARerunAddsNothing()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        await using var db = await app.SystemDbAsync();
        var names = (await db.Customers.OrderBy(c => c.Name).Select(c => c.Name).ToListAsync(Ct)).Where(n => !n.Contains(',')).Take(2).ToList();
        var product = new Product { Code = "ENT", CodeKey = "ENT", Name = "企业版", Unit = "套", ListPriceMinor = 100_000_00 };
        db.Products.Add(product);
        await db.SaveChangesAsync(Ct);
        var csv = Encoding.UTF8.GetBytes(string.Join("\n",
            "编号,商机名称,客户,负责人,产品,阶段,创建日期,成交日期,金额,币种",
            $"D1,,{names[0]},张伟,企业版,需求分析,2026-10-01,2026-12-31,\"12,000.50\",",
            $"D2,大单,{names[1]},刘洋,ENT,赢单,2026/9/1,2026年11月2日,¥80000,CNY",
            "D3,,,张伟,,需求分析,,,,",
            "D4,,不存在的客户公司,张伟,,需求分析,,,,",
            $"D5,,{names[0]},不认识的人,,需求分析,,,,",
            $"D6,,{names[0]},张伟,,观望,,,,",
            $"D7,,{names[0]},张伟,,需求分析,2026-13-45,,abc,",
            $"D8,,{names[0]},张伟,,输单,,,,",
            $"D1,,{names[0]},张伟,,需求分析,,,,",
            $"D9,,{names[1]},,,输单,2026-08-01,2026-09-15,0,usd"));

        var job = await TestImports.UploadOkAsync(admin, Url, csv, "商机.csv");

        var preview = job.Preview!.ToDictionary(r => r.Row, r => (r.Outcome, r.Message));
        Assert.Equal((RowOutcome.Ready, RowOutcome.Ready, RowOutcome.Ready), (preview[2].Outcome, preview[3].Outcome, preview[11].Outcome));
        Assert.Equal((RowOutcome.Rejected, "the customer is missing"), preview[4]);
        Assert.Equal((RowOutcome.Rejected, "Customer “不存在的客户公司” is not mapped"), preview[5]);
        Assert.Equal((RowOutcome.Rejected, "Owner “不认识的人” is not mapped"), preview[6]);
        Assert.Equal((RowOutcome.Rejected, "Stage “观望” is not mapped"), preview[7]);
        Assert.Equal((RowOutcome.Rejected, "Created date “2026-13-45” is not a date (write e.g. 2026-03-01); amount “abc” is not a number of currency units"), preview[8]);
        Assert.Equal((RowOutcome.Rejected, "a won or lost deal needs its close date"), preview[9]);
        Assert.Equal(RowOutcome.Duplicate, preview[10].Outcome);
        Assert.Contains("row 2", preview[10].Message, StringComparison.Ordinal);

        var done = await TestImports.StartAndWaitAsync(app, admin, Url, job.Id, new StartImportRequest());

        Assert.Equal((3, 1, 6), (done.CreatedRows, done.DuplicateRows, done.RejectedRows));
        var deals = await db.Opportunities.AsNoTracking().Where(o => o.ImportJobId == job.Id).ToListAsync(Ct);
        var d1 = deals.Single(d => d.Description!.Contains("D1"));
        var d2 = deals.Single(d => d.Name == "大单");
        var d9 = deals.Single(d => d.Description!.Contains("D9"));
        var zhang = await TestLeads.UserIdAsync(app, DemoUsers.Rep);
        Assert.Equal(($"{names[0]} · 企业版", 1_200_050L, "CNY", OpportunityStatus.Open, new DateOnly(2026, 12, 31), product.Id, zhang, 10),
            (d1.Name, d1.AmountMinor, d1.Currency, d1.Status, d1.ExpectedCloseDate!.Value, d1.ProductId!.Value, d1.OwnerId!.Value, d1.Probability));
        Assert.Equal((8_000_000L, OpportunityStatus.Won, Utc(2026, 11, 1, 16), product.Id), (d2.AmountMinor, d2.Status, d2.ClosedAt!.Value, d2.ProductId!.Value));
        Assert.Equal((0L, "USD", OpportunityStatus.Lost, await TestLeads.UserIdAsync(app, DemoUsers.Admin), (Guid?)null),
            (d9.AmountMinor, d9.Currency, d9.Status, d9.OwnerId!.Value, d9.ProductId));
        var customer = await db.Customers.SingleAsync(c => c.Name == names[0], Ct);
        Assert.Equal(customer.SourceChannel, d1.SourceChannel);

        var again = await TestImports.UploadOkAsync(admin, Url, csv, "商机 (2).csv");
        Assert.Equal([RowOutcome.AlreadyImported, RowOutcome.AlreadyImported, RowOutcome.AlreadyImported],
            again.Preview!.Where(r => r.Row is 2 or 3 or 11).Select(r => r.Outcome));
        var rerun = await TestImports.StartAndWaitAsync(app, admin, Url, again.Id, new StartImportRequest());

        Assert.Equal((0, 4, 6), (rerun.CreatedRows, rerun.DuplicateRows, rerun.RejectedRows));
        Assert.Equal(3, await db.Opportunities.CountAsync(o => o.ImportJobId == job.Id, Ct));
        Assert.False(await db.Opportunities.AnyAsync(o => o.ImportJobId == again.Id, Ct));
    }

    [Fact]
    public async Task Import_ManagerNamesAnOwnerOutsideTheirTeams_ThatOwnerCannotBeMatched()
    {
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        await using var db = await app.SystemDbAsync();
        var zhang = await TestLeads.UserIdAsync(app, DemoUsers.Rep);
        var name = (await db.Customers.Where(c => c.OwnerId == zhang).OrderBy(c => c.Name).Select(c => c.Name).ToListAsync(Ct)).First(n => !n.Contains(','));
        var csv = Encoding.UTF8.GetBytes($"客户,负责人,阶段\n{name},何芸,需求分析\n{name},张伟,需求分析\n");

        var job = await TestImports.UploadOkAsync(manager, Url, csv, "商机.csv");

        var owners = job.Values!.Single(v => v.Field == "owner");
        Assert.DoesNotContain(owners.Targets!, t => t.Label.StartsWith("何芸", StringComparison.Ordinal));
        Assert.Equal([RowOutcome.Rejected, RowOutcome.Ready], job.Preview!.Select(r => r.Outcome));
        Assert.Equal("Owner “何芸” is not mapped", job.Preview![0].Message);

        // Naming the other team's person through the API is refused too.
        var heYun = await TestLeads.UserIdAsync(app, DemoUsers.SouthRep);
        using var refused = await manager.PostAsJsonAsync($"{Url}/{job.Id}/start", new StartImportRequest(
            Values: new Dictionary<string, IReadOnlyDictionary<string, string?>> { ["owner"] = new Dictionary<string, string?> { ["何芸"] = heYun.ToString() } }),
            Http.Json, Ct);
        await refused.ExpectProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Upload_Finance_IsForbidden()
    {
        using var finance = await app.ClientForAsync(DemoUsers.Finance);

        var response = await TestImports.UploadAsync(finance, Url, Encoding.UTF8.GetBytes("客户,阶段\n某公司,需求分析\n"), "a.csv");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static string ProductKey(string name) => name.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    private static DateTime Utc(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, DateTimeKind.Utc);
}
