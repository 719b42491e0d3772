using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using LeadToCash.Modules.Products;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Import;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace LeadToCash.Tests.Api;

/// <summary>The price book: who reads and who manages it, its rules, its list, the public Maven sample imported and the export.</summary>
[DatabaseTest]
public sealed class ProductsApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Url = "/api/v1/products";
    private const string ImportUrl = "/api/v1/products/imports";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateProduct_Admin_IsListedReadableAndChangeable()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var created = await (await admin.PostAsJsonAsync(Url, new ProductRequest("crm-pro", "CRM 专业版", 1_280_000, "软件", "套", null, 900_000,
            "每年订阅"), Ct)).ExpectJsonAsync<ProductDto>(HttpStatusCode.Created);

        Assert.Equal(("crm-pro", "CRM 专业版", 1_280_000L, 900_000L, "CNY", true), (created.Code, created.Name, created.ListPriceMinor,
            created.FloorPriceMinor!.Value, created.Currency, created.IsActive));
        var read = await admin.GetJsonAsync<ProductDto>($"{Url}/{created.Id}");
        Assert.Equal(created, read);
        var updated = await (await admin.PutAsJsonAsync($"{Url}/{created.Id}", new ProductRequest("CRM-PRO", "CRM 专业版", 1_380_000, "软件",
            Version: read.Version), Ct)).ExpectJsonAsync<ProductDto>();
        Assert.Equal(("CRM-PRO", 1_380_000L, (long?)null, read.Version + 1), (updated.Code, updated.ListPriceMinor, updated.FloorPriceMinor, updated.Version));
        var stale = await admin.PutAsJsonAsync($"{Url}/{created.Id}", new ProductRequest("CRM-PRO", "x", 1, Version: read.Version), Ct);
        await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task CreateProduct_CodeOfAnotherProductInOtherCase_Returns400NamingTheCode()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        await (await admin.PostAsJsonAsync(Url, new ProductRequest("DUP-1", "First", 100), Ct)).ExpectAsync(HttpStatusCode.Created);

        var again = await admin.PostAsJsonAsync(Url, new ProductRequest("dup-1", "Second", 100), Ct);

        var messages = await again.ExpectFieldErrorAsync("code");
        Assert.Contains("First", messages[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Name", 100L, null, "code")]
    [InlineData("has space", "Name", 100L, null, "code")]
    [InlineData("OK-1", "", 100L, null, "name")]
    [InlineData("OK-2", "Name", -1L, null, "listPriceMinor")]
    [InlineData("OK-3", "Name", 100L, 101L, "floorPriceMinor")]
    public async Task CreateProduct_InvalidField_Returns400NamingTheField(string code, string name, long price, long? floor, string field)
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var response = await admin.PostAsJsonAsync(Url, new ProductRequest(code, name, price, FloorPriceMinor: floor), Ct);

        await response.ExpectFieldErrorAsync(field);
    }

    [Fact]
    public async Task CreateProduct_UnknownCurrency_Returns400()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var response = await admin.PostAsJsonAsync(Url, new ProductRequest("CUR-1", "Name", 100, Currency: "XYZ"), Ct);

        await response.ExpectFieldErrorAsync("currency");
    }

    [Theory]
    [InlineData(DemoUsers.Rep)]
    [InlineData(DemoUsers.Manager)]
    [InlineData(DemoUsers.Finance)]
    public async Task Products_NonAdmin_ReadsButCannotChange(string email)
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var product = await (await admin.PostAsJsonAsync(Url, new ProductRequest($"READ-{email[..3]}", "Readable", 500), Ct))
            .ExpectJsonAsync<ProductDto>(HttpStatusCode.Created);
        using var client = await app.ClientForAsync(email);

        Assert.Equal("Readable", (await client.GetJsonAsync<ProductDto>($"{Url}/{product.Id}")).Name);
        await (await client.PostAsJsonAsync(Url, new ProductRequest("NEW-X", "No", 1), Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PutAsJsonAsync($"{Url}/{product.Id}", new ProductRequest(product.Code, "Changed", 1, Version: product.Version), Ct))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await client.PostAsync($"{Url}/{product.Id}/deactivate", null, Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ListProducts_FiltersAndPages_FindExactlyTheMatchingProducts()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        for (var i = 0; i < 7; i++)
        {
            await (await admin.PostAsJsonAsync(Url, new ProductRequest($"PAGE-{i:00}", $"翻页产品 {i}", 100 * (i + 1), "翻页线"), Ct))
                .ExpectAsync(HttpStatusCode.Created);
        }

        var other = await (await admin.PostAsJsonAsync(Url, new ProductRequest("PAGE-OTHER", "翻页其他", 1, "别的线"), Ct))
            .ExpectJsonAsync<ProductDto>(HttpStatusCode.Created);
        var retired = await (await admin.PostAsJsonAsync(Url, new ProductRequest("PAGE-OLD", "翻页旧品", 1, "翻页线"), Ct))
            .ExpectJsonAsync<ProductDto>(HttpStatusCode.Created);
        var deactivated = await (await admin.PostAsync($"{Url}/{retired.Id}/deactivate", null, Ct)).ExpectJsonAsync<ProductDto>();
        Assert.False(deactivated.IsActive);

        var line = await admin.ListAllAsync<ProductDto>($"{Url}?line={Uri.EscapeDataString("翻页线")}&active=true", limit: 3);
        var search = await admin.ListAllAsync<ProductDto>($"{Url}?q=page-", limit: 4);
        var inactive = await admin.GetJsonAsync<ListPage<ProductDto>>($"{Url}?q=page&active=false");
        var byPrice = await admin.GetJsonAsync<ListPage<ProductDto>>($"{Url}?line={Uri.EscapeDataString("翻页线")}&sort=-listPrice&limit=2");

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"PAGE-{i:00}"), line.Select(p => p.Code));
        Assert.Equal(9, search.Count);
        Assert.Contains(search, p => p.Id == other.Id);
        Assert.Equal([retired.Id], inactive.Items.Select(p => p.Id));
        Assert.Equal([700L, 600L], byPrice.Items.Select(p => p.ListPriceMinor));
        Assert.Contains("翻页线", await admin.GetJsonAsync<List<string>>($"{Url}/lines"));
    }

    [Fact]
    public async Task ImportProducts_MavenSample_CreatesEveryProductOnceAndARerunAddsNothing()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var file = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "maven-products.csv"), Ct);
        // Counted from the file itself: rows with a product name and a price, distinct by name.
        var rows = ExportFiles.ReadCsv(Encoding.ASCII.GetString(file));
        var expected = rows.Where(r => r["product"].Trim().Length > 0 && decimal.TryParse(r["sales_price"], CultureInfo.InvariantCulture, out _))
            .Select(r => r["product"].Trim().ToUpperInvariant()).Distinct().Count();

        var job = await (await UploadAsync(admin, file, "products.csv")).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);
        Assert.Equal(["name", "line", "listPrice"], job.Columns!.Select(c => c.Field));
        Assert.All(job.Preview!, r => Assert.Equal(RowOutcome.Ready, r.Outcome));
        var done = await StartAndWaitAsync(admin, job.Id);
        var names = rows.Select(r => r["product"].Trim().ToUpperInvariant()).ToHashSet();

        Assert.Equal((ImportStatus.Completed, rows.Count, expected, 0, 0), (done.Status, done.TotalRows, done.CreatedRows, done.DuplicateRows, done.RejectedRows));
        await using (var db = await app.SystemDbAsync())
        {
            // Other tests of this class import files too: only this file's products count.
            var imported = (await db.Products.AsNoTracking().Where(p => p.ImportKey != null).ToListAsync(Ct))
                .Where(p => names.Contains(p.Name.ToUpperInvariant())).ToList();
            Assert.Equal(expected, imported.Count);
            var gtk = Assert.Single(imported, p => p.Name == "GTK 500");
            Assert.Equal(("GTK-500", "GTK", 2_676_800L, "CNY", true), (gtk.Code, gtk.Line, gtk.ListPriceMinor, gtk.Currency, gtk.IsActive));
            foreach (var row in rows)
            {
                var product = Assert.Single(imported, p => p.Name == row["product"]);
                Assert.Equal(decimal.Parse(row["sales_price"], CultureInfo.InvariantCulture) * 100, product.ListPriceMinor);
                Assert.Equal(row["series"], product.Line);
            }
        }

        var again = await (await UploadAsync(admin, file, "products (2).csv")).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);
        Assert.All(again.Preview!, r => Assert.Equal(RowOutcome.AlreadyImported, r.Outcome));
        var rerun = await StartAndWaitAsync(admin, again.Id);
        Assert.Equal((ImportStatus.Completed, 0, expected, 0), (rerun.Status, rerun.CreatedRows, rerun.DuplicateRows, rerun.RejectedRows));
        await using var after = await app.SystemDbAsync();
        Assert.Equal(expected, (await after.Products.AsNoTracking().Where(p => p.ImportKey != null).Select(p => p.Name).ToListAsync(Ct))
            .Count(name => names.Contains(name.ToUpperInvariant())));
    }

    [Fact]
    public async Task ImportProducts_FileWithBadRowsAndKnownCodes_RejectsThemWithReasonsInTheRejectedFile()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        await (await admin.PostAsJsonAsync(Url, new ProductRequest("EXIST-1", "已有产品", 100), Ct)).ExpectAsync(HttpStatusCode.Created);
        var csv = string.Join("\n",
            "产品编码,产品名称,系列,单价,底价,状态",
            "IMP-1,导入产品一,导入线,\"1,234.50\",1000,启用",
            "imp-1,重复编码,导入线,10,,",
            "exist-1,撞已有编码,导入线,10,,",
            "IMP-2,无价格产品,导入线,,,",
            "IMP-3,坏价格产品,导入线,abc,,",
            "IMP-4,底价过高产品,导入线,10,20,",
            "IMP-5,停用产品,导入线,¥99,,停用");

        var job = await (await UploadAsync(admin, Encoding.UTF8.GetBytes(csv), "产品.csv")).ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Created);
        Assert.Equal(["code", "name", "line", "listPrice", "floorPrice", "active"], job.Columns!.Select(c => c.Field));
        var done = await StartAndWaitAsync(admin, job.Id);

        Assert.Equal((2, 2, 3), (done.CreatedRows, done.DuplicateRows, done.RejectedRows));
        await using (var db = await app.SystemDbAsync())
        {
            var first = await db.Products.SingleAsync(p => p.CodeKey == "IMP-1", Ct);
            Assert.Equal((123_450L, 100_000L, true), (first.ListPriceMinor, first.FloorPriceMinor!.Value, first.IsActive));
            Assert.False((await db.Products.SingleAsync(p => p.CodeKey == "IMP-5", Ct)).IsActive);
        }

        var rejected = await admin.GetAsync($"{ImportUrl}/{job.Id}/rejected", Ct);
        await rejected.ExpectAsync(HttpStatusCode.OK);
        var reasons = (await (await rejected.Content.ReadAsStreamAsync(Ct)).QueryAsync(useHeaderRow: true, cancellationToken: Ct))
            .Cast<IDictionary<string, object?>>().ToDictionary(r => Convert.ToInt32(r["Row"], CultureInfo.InvariantCulture), r => r["Reason"]?.ToString() ?? "");
        Assert.Equal([3, 4, 5, 6, 7], reasons.Keys.Order());
        Assert.Contains("row 2", reasons[3], StringComparison.Ordinal);
        Assert.Contains("已有产品", reasons[4], StringComparison.Ordinal);
        Assert.Contains("list price", reasons[5], StringComparison.Ordinal);
        Assert.Contains("abc", reasons[6], StringComparison.Ordinal);
        Assert.Contains("floor", reasons[7], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportProducts_Rep_Returns403()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await UploadAsync(rep, Encoding.UTF8.GetBytes("产品名称,单价\n代表导入,10\n"), "a.csv");

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ExportProducts_Csv_HasThePriceBookInMajorUnits()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        await (await admin.PostAsJsonAsync(Url, new ProductRequest("EXP-1", "=导出产品", 123_456, "导出线", FloorPriceMinor: 100_000), Ct))
            .ExpectAsync(HttpStatusCode.Created);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var csv = await rep.GetStringAsync($"{Url}/export?format=csv&line={Uri.EscapeDataString("导出线")}", Ct);
        var xlsx = await rep.GetAsync($"{Url}/export?format=xlsx&line={Uri.EscapeDataString("导出线")}", Ct);

        var row = Assert.Single(ExportFiles.ReadCsv(csv));
        Assert.Equal(("EXP-1", "'=导出产品", "1234.56", "1000", "CNY"), (row["Code"], row["Name"], row["ListPrice"], row["FloorPrice"], row["Currency"]));
        await xlsx.ExpectAsync(HttpStatusCode.OK);
        var sheet = (await (await xlsx.Content.ReadAsStreamAsync(Ct)).QueryAsync(useHeaderRow: true, cancellationToken: Ct)).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal("EXP-1", Assert.Single(sheet)["Code"]);
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] content, string fileName)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await client.PostAsync(ImportUrl, form, Ct);
    }

    private async Task<ImportJobDto> StartAndWaitAsync(HttpClient client, Guid id)
    {
        var started = await (await client.PostAsJsonAsync($"{ImportUrl}/{id}/start", new StartImportRequest(), Http.Json, Ct))
            .ExpectJsonAsync<ImportJobDto>(HttpStatusCode.Accepted);
        Assert.Equal(ImportStatus.Running, started.Status);
        await app.Services.GetRequiredService<StartedImports>().WhenDoneAsync(id).WaitAsync(TimeSpan.FromMinutes(1), Ct);
        var job = await client.GetJsonAsync<ImportJobDto>($"{ImportUrl}/{id}");
        Assert.True(job.Status is ImportStatus.Completed or ImportStatus.Failed, $"The import ended as {job.Status}: {job.Error}");
        return job;
    }
}
