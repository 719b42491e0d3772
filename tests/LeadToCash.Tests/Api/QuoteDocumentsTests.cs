using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using LeadToCash.Modules.Quotes;
using LeadToCash.Tests.Infrastructure;
using MiniExcelLibs;
using UglyToad.PdfPig;

namespace LeadToCash.Tests.Api;

/// <summary>A quote as the customer gets it: the PDF read back (totals, Chinese text as text) and rendered (not blank), and the .xlsx.</summary>
[DatabaseTest]
public sealed class QuoteDocumentsTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task QuotePdf_ChineseQuote_ReadsBackWithTotalsAndChineseTextAndRendersVisibly()
    {
        var (rep, quote) = await QuoteAsync("智能仓储一期方案");

        var response = await rep.GetAsync($"/api/v1/quotes/{quote.Id}/pdf", Ct);

        await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{quote.Number}-v1.pdf", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        // Kept beside the test assembly for a look at the layout.
        await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "quote-sample.pdf"), bytes, Ct);
        using (var pdf = PdfDocument.Open(bytes))
        {
            var text = string.Join("\n", pdf.GetPages().Select(p => p.Text));
            var compact = text.Replace(" ", "", StringComparison.Ordinal);
            Assert.Contains(quote.Number, compact, StringComparison.Ordinal);
            Assert.Contains("智能仓储一期方案", compact, StringComparison.Ordinal);
            Assert.Contains("自动导引车", compact, StringComparison.Ordinal);
            Assert.Contains(quote.CustomerName.Replace(" ", "", StringComparison.Ordinal), compact, StringComparison.Ordinal);
            Assert.Contains("付款方式：预付30%", compact, StringComparison.Ordinal);
            // 3 × ¥33.33 at 12.5 % = ¥87.49; 2 × ¥1,000.00 = ¥2,000.00; net ¥2,087.49; 13 % tax ¥271.37; total ¥2,358.86.
            Assert.Equal((2_087_49L + 271_37L, 271_37L), (quote.TotalMinor, quote.TaxMinor));
            foreach (var amount in new[] { "¥2,099.99", "¥12.50", "¥2,087.49", "¥271.37", "¥2,358.86" })
            {
                Assert.Contains(amount, compact, StringComparison.Ordinal);
            }
        }

        var dark = await DarkPixelShareOfFirstPageAsync(bytes);
        Assert.True(dark > 0.002, $"The rendered first page is (nearly) blank: {dark:P3} dark pixels.");
    }

    [Fact]
    public async Task QuoteXlsx_Quote_HasTheFactsAndTheLines()
    {
        var (rep, quote) = await QuoteAsync("表格导出方案");

        var response = await rep.GetAsync($"/api/v1/quotes/{quote.Id}/xlsx", Ct);

        await response.ExpectAsync(HttpStatusCode.OK);
        await using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
        var sheets = MiniExcel.GetSheetNames(stream);
        Assert.Equal(["Quote", "Lines"], sheets);
        var facts = MiniExcel.Query(stream, useHeaderRow: true, sheetName: "Quote").Cast<IDictionary<string, object?>>()
            .ToDictionary(r => r["Field"]?.ToString() ?? "", r => r["Value"]);
        Assert.Equal(quote.Number, facts["Quote no."]);
        Assert.Equal(2358.86m, Convert.ToDecimal(facts["Total"], System.Globalization.CultureInfo.InvariantCulture));
        var lines = MiniExcel.Query(stream, useHeaderRow: true, sheetName: "Lines").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(["自动导引车", "实施服务"], lines.Select(l => l["Description"]?.ToString()));
        Assert.Equal(87.49m, Convert.ToDecimal(lines[0]["Amount"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task QuotePdf_OtherTeamsRep_Returns404()
    {
        var (_, quote) = await QuoteAsync("不可见方案");
        using var south = await app.ClientForAsync(DemoUsers.SouthRep);

        await (await south.GetAsync($"/api/v1/quotes/{quote.Id}/pdf", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await south.GetAsync($"/api/v1/quotes/{quote.Id}/xlsx", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<(HttpClient Rep, QuoteDto Quote)> QuoteAsync(string title)
    {
        var opportunity = await QuoteTestData.AddOpportunityAsync(app, DemoUsers.Rep, $"{title}商机");
        var product = await QuoteTestData.AddProductAsync(app, $"AGV-{Guid.NewGuid():N}"[..20], 3333, name: "自动导引车");
        var rep = await app.ClientForAsync(DemoUsers.Rep);
        var quote = await (await rep.PostAsJsonAsync($"/api/v1/opportunities/{opportunity.Id}/quotes", new CreateQuoteRequest(title,
            [new QuoteLineRequest(product.Id, Quantity: 3, DiscountPercent: 12.5m), new QuoteLineRequest(Description: "实施服务", Quantity: 2, UnitPriceMinor: 100_000)],
            Terms: "付款方式：预付30%，验收后付清。\n交付：合同签订后 30 天内。"), Http.Json, Ct)).ExpectJsonAsync<QuoteDto>(HttpStatusCode.Created);
        return (rep, quote);
    }

    /// <summary>Renders page 1 with poppler's pdftoppm as a grey map (PGM) and counts the pixels darker than mid-grey.</summary>
    private static async Task<double> DarkPixelShareOfFirstPageAsync(byte[] pdf)
    {
        var directory = Directory.CreateTempSubdirectory("quote-pdf-");
        try
        {
            var input = Path.Combine(directory.FullName, "quote.pdf");
            await File.WriteAllBytesAsync(input, pdf, Ct);
            var output = Path.Combine(directory.FullName, "page");
            using var process = Process.Start(new ProcessStartInfo("pdftoppm", ["-gray", "-r", "50", "-f", "1", "-l", "1", "-singlefile", input, output])
            {
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("pdftoppm did not start (install poppler-utils).");
            var errors = await process.StandardError.ReadToEndAsync(Ct);
            await process.WaitForExitAsync(Ct);
            Assert.True(process.ExitCode == 0, $"pdftoppm failed: {errors}");
            var image = await File.ReadAllBytesAsync(output + ".pgm", Ct);
            // P5 header: "P5", width, height, max value, each followed by whitespace; then one byte per pixel.
            var fields = new List<string>();
            var position = 0;
            while (fields.Count < 4)
            {
                while (char.IsWhiteSpace((char)image[position]))
                {
                    position++;
                }

                var start = position;
                while (!char.IsWhiteSpace((char)image[position]))
                {
                    position++;
                }

                fields.Add(Encoding.ASCII.GetString(image, start, position - start));
            }

            position++;
            Assert.Equal("P5", fields[0]);
            var pixels = image.AsSpan(position);
            var dark = 0;
            foreach (var pixel in pixels)
            {
                dark += pixel < 128 ? 1 : 0;
            }

            return (double)dark / pixels.Length;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
