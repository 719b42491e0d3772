using System.Globalization;
using LeadToCash.Modules.Company;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Export;
using LeadToCash.Platform.Localization;
using LeadToCash.Platform.Money;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace LeadToCash.Modules.Quotes.Documents;

/// <summary>A quote version as a file for the customer: PDF (company header, customer, lines, totals, terms) or .xlsx.</summary>
public sealed class QuoteDocumentsHandler(IDbContextFactory<AppDbContext> dbFactory, IStringLocalizer<SharedResource> strings,
    Microsoft.Extensions.Configuration.IConfiguration configuration)
{
    private const double Margin = 40;
    private const double PageWidth = 595; // A4 in points
    private const double PageHeight = 842;

    public async Task<(byte[] Content, string FileName)> PdfAsync(CurrentUser user, Guid quoteId, CancellationToken ct = default)
    {
        var (quote, company, date) = await ReadAsync(user, quoteId, ct);
        QuoteFontResolver.EnsureInstalled(configuration["Pdf:FontFile"]);
        using var document = new PdfDocument();
        document.Info.Title = $"{quote.Number} v{quote.VersionNo} {quote.Title}";
        document.Info.Author = company.Name;
        new PdfWriter(document, strings, quote, company, date).Write();
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return (output.ToArray(), $"{quote.Number}-v{quote.VersionNo}.pdf");
    }

    public async Task<(byte[] Content, string FileName)> XlsxAsync(CurrentUser user, Guid quoteId, CancellationToken ct = default)
    {
        var (quote, company, date) = await ReadAsync(user, quoteId, ct);
        decimal Major(long minor) => new Money(minor, quote.Currency).ToDecimal();
        var facts = new List<Dictionary<string, object?>>();
        void Fact(string key, object? value) => facts.Add(new() { [strings["Quotes.Doc.Field"]] = strings[key].Value, [strings["Quotes.Doc.Value"]] = ExportService.Cell(value) });
        Fact("Quotes.Doc.Company", company.Name);
        Fact("Quotes.Doc.Customer", quote.CustomerName);
        Fact("Quotes.Doc.Opportunity", quote.OpportunityName);
        Fact("Quotes.Doc.Number", quote.Number);
        Fact("Quotes.Doc.VersionLabel", quote.VersionNo);
        Fact("Quotes.Doc.TitleLabel", quote.Title);
        Fact("Quotes.Doc.Status", strings[$"Quotes.Status.{quote.Status}"].Value);
        Fact("Quotes.Doc.Date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Fact("Quotes.Doc.ValidUntil", quote.ValidUntil?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Fact("Quotes.Doc.Currency", quote.Currency);
        Fact("Quotes.Doc.Subtotal", Major(quote.SubtotalMinor));
        Fact("Quotes.Doc.Discount", Major(quote.DiscountMinor));
        Fact("Quotes.Doc.Net", Major(quote.NetMinor));
        Fact("Quotes.Doc.TaxRate", quote.TaxRatePercent);
        Fact("Quotes.Doc.Tax", Major(quote.TaxMinor));
        Fact("Quotes.Doc.Total", Major(quote.TotalMinor));
        Fact("Quotes.Doc.Terms", quote.Terms);
        Fact("Quotes.Doc.Notes", quote.Notes);
        var lines = quote.Lines.Select((l, i) => new Dictionary<string, object?>
        {
            ["#"] = i + 1,
            [strings["Quotes.Doc.Code"]] = ExportService.Cell(l.ProductCode),
            [strings["Quotes.Doc.Description"]] = ExportService.Cell(l.Description),
            [strings["Quotes.Doc.Unit"]] = ExportService.Cell(l.Unit),
            [strings["Quotes.Doc.Quantity"]] = l.Quantity,
            [strings["Quotes.Doc.UnitPrice"]] = Major(l.UnitPriceMinor),
            [strings["Quotes.Doc.DiscountPercent"]] = l.DiscountPercent,
            [strings["Quotes.Doc.LineTotal"]] = Major(l.LineTotalMinor),
        }).ToList();
        var sheets = new Dictionary<string, object> { [strings["Quotes.Doc.SheetQuote"]] = facts, [strings["Quotes.Doc.SheetLines"]] = lines };
        using var output = new MemoryStream();
        await output.SaveAsAsync(sheets, cancellationToken: ct);
        return (output.ToArray(), $"{quote.Number}-v{quote.VersionNo}.xlsx");
    }

    private async Task<(QuoteDto Quote, CompanySettings Company, DateOnly Date)> ReadAsync(CurrentUser user, Guid quoteId, CancellationToken ct)
    {
        user.Require(Permissions.QuotesRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var quote = await QuoteStore.ReadAsync(db, user, quoteId, ct);
        var company = await db.CompanySettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new CompanySettings { Name = "" };
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(company.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(quote.SentAt ?? quote.CreatedAt, zone));
        return (quote, company, date);
    }

    /// <summary>Lays the quote out on A4 pages, with the lines' header repeated on every page.</summary>
    private sealed class PdfWriter(PdfDocument document, IStringLocalizer strings, QuoteDto quote, CompanySettings company, DateOnly date)
    {
        private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
        private static readonly XColor Accent = XColor.FromArgb(21, 101, 192);
        private static readonly double[] Columns = [24, 70, 171, 36, 50, 72, 40, 52]; // #, code, description, unit, qty, price, disc, total

        private readonly XFont _title = new(QuoteFontResolver.Family, 18, XFontStyleEx.Bold, Unicode);
        private readonly XFont _heading = new(QuoteFontResolver.Family, 11, XFontStyleEx.Bold, Unicode);
        private readonly XFont _text = new(QuoteFontResolver.Family, 9, XFontStyleEx.Regular, Unicode);
        private readonly XFont _small = new(QuoteFontResolver.Family, 8, XFontStyleEx.Regular, Unicode);
        private readonly XFont _bold = new(QuoteFontResolver.Family, 9, XFontStyleEx.Bold, Unicode);
        private XGraphics? _gfx;
        private double _y;
        private int _pages;

        private XGraphics Gfx => _gfx ?? throw new InvalidOperationException("No page yet.");

        public void Write()
        {
            NewPage();
            Header();
            LinesTable();
            Totals();
            Terms();
            _gfx?.Dispose();
        }

        private string Money(long minor) => new Money(minor, quote.Currency).Format(CultureInfo.CurrentCulture);

        private void NewPage()
        {
            _gfx?.Dispose();
            var page = document.AddPage();
            page.Width = XUnit.FromPoint(PageWidth);
            page.Height = XUnit.FromPoint(PageHeight);
            _gfx = XGraphics.FromPdfPage(page);
            _pages++;
            _y = Margin;
            Gfx.DrawString($"{quote.Number} v{quote.VersionNo} · {strings["Quotes.Doc.Page", _pages]}", _small, XBrushes.Gray,
                new XRect(Margin, PageHeight - Margin + 12, PageWidth - (2 * Margin), 12), XStringFormats.TopRight);
        }

        private void EnsureRoom(double height, bool repeatTableHeader = false)
        {
            if (_y + height > PageHeight - Margin)
            {
                NewPage();
                if (repeatTableHeader)
                {
                    TableHeader();
                }
            }
        }

        private void Header()
        {
            Gfx.DrawString(string.IsNullOrWhiteSpace(company.Name) ? "LeadToCash" : company.Name, _title, new XSolidBrush(Accent),
                new XRect(Margin, _y, PageWidth - (2 * Margin), 24), XStringFormats.TopLeft);
            Gfx.DrawString(strings["Quotes.Doc.Heading"], _heading, XBrushes.Black, new XRect(Margin, _y + 4, PageWidth - (2 * Margin), 20),
                XStringFormats.TopRight);
            _y += 30;
            Gfx.DrawLine(new XPen(Accent, 1.2), Margin, _y, PageWidth - Margin, _y);
            _y += 10;
            var left = new[]
            {
                (strings["Quotes.Doc.Customer"].Value, quote.CustomerName),
                (strings["Quotes.Doc.Opportunity"].Value, quote.OpportunityName),
                (strings["Quotes.Doc.TitleLabel"].Value, quote.Title),
            };
            var right = new[]
            {
                (strings["Quotes.Doc.Number"].Value, quote.Number),
                (strings["Quotes.Doc.VersionLabel"].Value, $"v{quote.VersionNo}"),
                (strings["Quotes.Doc.Date"].Value, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                (strings["Quotes.Doc.ValidUntil"].Value, quote.ValidUntil?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—"),
            };
            var top = _y;
            foreach (var (label, value) in left)
            {
                Gfx.DrawString(label, _small, XBrushes.Gray, Margin, _y + 8);
                foreach (var line in Wrap(value, _text, 300))
                {
                    Gfx.DrawString(line, _text, XBrushes.Black, Margin + 70, _y + 8);
                    _y += 13;
                }
            }

            var rightY = top;
            foreach (var (label, value) in right)
            {
                Gfx.DrawString(label, _small, XBrushes.Gray, 400, rightY + 8);
                Gfx.DrawString(value, _text, XBrushes.Black, 460, rightY + 8);
                rightY += 13;
            }

            _y = Math.Max(_y, rightY) + 14;
        }

        private void TableHeader()
        {
            var labels = new[] { "#", strings["Quotes.Doc.Code"], strings["Quotes.Doc.Description"], strings["Quotes.Doc.Unit"],
                strings["Quotes.Doc.Quantity"], strings["Quotes.Doc.UnitPrice"], strings["Quotes.Doc.DiscountPercent"], strings["Quotes.Doc.LineTotal"] };
            Gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(232, 240, 254)), Margin, _y, PageWidth - (2 * Margin), 16);
            var x = Margin;
            for (var i = 0; i < labels.Length; i++)
            {
                Cell(labels[i], _bold, x, _y + 3, Columns[i], i >= 4);
                x += Columns[i];
            }

            _y += 20;
        }

        private void LinesTable()
        {
            EnsureRoom(40);
            TableHeader();
            for (var index = 0; index < quote.Lines.Count; index++)
            {
                var line = quote.Lines[index];
                var description = Wrap(line.Description, _text, Columns[2] - 4);
                var height = Math.Max(1, description.Count) * 12;
                EnsureRoom(height + 4, repeatTableHeader: true);
                var cells = new[]
                {
                    (index + 1).ToString(CultureInfo.InvariantCulture), line.ProductCode ?? "", "", line.Unit ?? "",
                    line.Quantity.ToString("0.####", CultureInfo.CurrentCulture), Money(line.UnitPriceMinor),
                    line.DiscountPercent == 0 ? "" : line.DiscountPercent.ToString("0.##", CultureInfo.CurrentCulture) + "%", Money(line.LineTotalMinor),
                };
                var x = Margin;
                for (var i = 0; i < cells.Length; i++)
                {
                    if (i == 2)
                    {
                        for (var l = 0; l < description.Count; l++)
                        {
                            Cell(description[l], _text, x, _y + (l * 12), Columns[i], false);
                        }
                    }
                    else
                    {
                        Cell(cells[i], _text, x, _y, Columns[i], i >= 4);
                    }

                    x += Columns[i];
                }

                _y += height + 2;
                Gfx.DrawLine(new XPen(XColors.LightGray, 0.5), Margin, _y, PageWidth - Margin, _y);
                _y += 3;
            }

            if (quote.Lines.Count == 0)
            {
                Gfx.DrawString(strings["Quotes.Doc.NoLines"], _text, XBrushes.Gray, Margin, _y + 9);
                _y += 16;
            }
        }

        private void Totals()
        {
            EnsureRoom(90);
            _y += 6;
            var rows = new List<(string Label, string Value, bool Strong)>
            {
                (strings["Quotes.Doc.Subtotal"], Money(quote.SubtotalMinor), false),
                (strings["Quotes.Doc.Discount"], "-" + Money(quote.DiscountMinor), false),
                (strings["Quotes.Doc.Net"], Money(quote.NetMinor), false),
                (strings["Quotes.Doc.TaxAt", quote.TaxRatePercent.ToString("0.##", CultureInfo.CurrentCulture)], Money(quote.TaxMinor), false),
                (strings["Quotes.Doc.Total"], Money(quote.TotalMinor), true),
            };
            foreach (var (label, value, strong) in rows)
            {
                var font = strong ? _heading : _text;
                Gfx.DrawString(label, font, XBrushes.Black, new XRect(PageWidth - Margin - 260, _y, 150, 14), XStringFormats.TopRight);
                Gfx.DrawString(value, font, XBrushes.Black, new XRect(PageWidth - Margin - 110, _y, 110, 14), XStringFormats.TopRight);
                _y += strong ? 18 : 14;
            }

            _y += 10;
        }

        private void Terms()
        {
            foreach (var (label, text) in new[] { (strings["Quotes.Doc.Terms"].Value, quote.Terms), (strings["Quotes.Doc.Notes"].Value, quote.Notes) })
            {
                if (string.IsNullOrWhiteSpace(text))
                {
                    continue;
                }

                EnsureRoom(30);
                Gfx.DrawString(label, _heading, XBrushes.Black, Margin, _y + 10);
                _y += 16;
                foreach (var line in text.Replace("\r", "", StringComparison.Ordinal).Split('\n').SelectMany(p => Wrap(p, _text, PageWidth - (2 * Margin))))
                {
                    EnsureRoom(12);
                    Gfx.DrawString(line, _text, XBrushes.Black, Margin, _y + 9);
                    _y += 12;
                }

                _y += 8;
            }
        }

        private void Cell(string text, XFont font, double x, double y, double width, bool right)
        {
            var fitted = text;
            while (fitted.Length > 1 && Gfx.MeasureString(fitted, font).Width > width - 4)
            {
                fitted = fitted[..^1];
            }

            Gfx.DrawString(fitted, font, XBrushes.Black, new XRect(x + 2, y, width - 4, 12), right ? XStringFormats.TopRight : XStringFormats.TopLeft);
        }

        // Breaks at spaces where the text has them (Latin), anywhere otherwise (Chinese has no spaces between words).
        private List<string> Wrap(string text, XFont font, double width)
        {
            var lines = new List<string>();
            var current = "";
            foreach (var ch in text)
            {
                var next = current + ch;
                if (current.Length > 0 && Gfx.MeasureString(next, font).Width > width)
                {
                    var space = current.LastIndexOf(' ');
                    if (ch != ' ' && space > 0)
                    {
                        lines.Add(current[..space]);
                        current = current[(space + 1)..] + ch;
                    }
                    else
                    {
                        lines.Add(current);
                        current = ch == ' ' ? "" : ch.ToString();
                    }
                }
                else
                {
                    current = next;
                }
            }

            if (current.Length > 0 || lines.Count == 0)
            {
                lines.Add(current);
            }

            return lines;
        }
    }
}

public static class QuoteDocumentsEndpoints
{
    public static void MapQuoteDocuments(this RouteGroupBuilder quotes)
    {
        quotes.MapGet("/{id:guid}/pdf", async (Guid id, CurrentUser user, QuoteDocumentsHandler handler, CancellationToken ct) =>
            {
                var (content, fileName) = await handler.PdfAsync(user, id, ct);
                return TypedResults.File(content, "application/pdf", fileName);
            })
            .RequireAuthorization(Permissions.QuotesRead)
            .WithName("GetQuotePdf")
            .WithSummary("The quote version as a PDF for the customer: company header, customer, number and version, date, lines, totals, tax and terms.");

        quotes.MapGet("/{id:guid}/xlsx", async (Guid id, CurrentUser user, QuoteDocumentsHandler handler, CancellationToken ct) =>
            {
                var (content, fileName) = await handler.XlsxAsync(user, id, ct);
                return TypedResults.File(content, ExportService.ContentType(ExportFormat.Xlsx), fileName);
            })
            .RequireAuthorization(Permissions.QuotesRead)
            .WithName("GetQuoteXlsx")
            .WithSummary("The quote version as .xlsx: a sheet of its facts and totals, a sheet of its lines (amounts in major units).");
    }
}
