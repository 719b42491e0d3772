using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Import;
using LeadToCash.Platform.Localization;
using LeadToCash.Platform.Money;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Modules.Products.ImportProducts;

/// <summary>
/// Products through the spreadsheet import pipeline (the Admin's: products.manage). A row is one product: its code (or,
/// when the file has no code column, one made from the name: "GTX Plus Pro" → "GTX-Plus-Pro"), name, line/series, unit,
/// list and floor price in major units (元: "4,821", "¥1,096.50"), currency, active, description.
/// <para>
/// A row whose code is already in the price book, or repeats an earlier row's, is not imported and is listed in the
/// rejected rows with the match: an import adds products, it never changes prices behind anyone's back.
/// </para>
/// <para>
/// Re-runs: each product keeps its file row and job (<see cref="Product.ImportKey"/> = file hash : row : job). A row an
/// earlier run created is skipped; when that run was the same job (restarted after an interruption) it counts as created.
/// </para>
/// </summary>
public sealed partial class ProductImporter(IDbContextFactory<AppDbContext> dbFactory, IStringLocalizer<SharedResource> strings) : IRecordImporter
{
    private static readonly ProductValidator Validator = new();

    private static readonly ImportField[] ProductFields =
    [
        new("code", false, "编码", "产品编码", "物料编码", "货号", "型号", "SKU", "Code", "Product Code", "Item Code", "Part Number", "Model"),
        new("name", false, "名称", "产品名称", "产品", "品名", "商品名称", "Name", "Product", "Product Name", "Item", "Item Name"),
        new("line", false, "产品线", "系列", "产品系列", "分类", "类别", "Line", "Product Line", "Series", "Category", "Family"),
        new("unit", false, "单位", "计量单位", "Unit", "UOM", "Unit of Measure"),
        new("listPrice", false, "价格", "单价", "标准价", "目录价", "售价", "销售价", "List Price", "Price", "Sales Price", "Unit Price", "ListPrice"),
        new("floorPrice", false, "底价", "最低价", "最低售价", "Floor Price", "Minimum Price", "Min Price", "FloorPrice"),
        new("currency", false, "币种", "货币", "Currency"),
        new("active", false, "状态", "是否启用", "启用", "Active", "Status", "Enabled"),
        new("description", true, "描述", "说明", "备注", "Description", "Notes", "Remark", "Remarks"),
    ];

    public string RecordType => Product.RecordType;

    public string Permission => Permissions.ProductsManage;

    public IReadOnlyList<ImportField> Fields => ProductFields;

    public void EnsureMappingUsable(IReadOnlyCollection<string> mappedFields)
    {
        if (!mappedFields.Contains("name") && !mappedFields.Contains("code"))
        {
            throw new ValidationException([new ValidationFailure("columns", "Map a column to the product name or code: every product needs one.")]);
        }

        if (!mappedFields.Contains("listPrice"))
        {
            throw new ValidationException([new ValidationFailure("columns", "Map a column to the list price: every product needs one.")]);
        }
    }

    // Products belong to no team and no source: the run's choices need nothing beyond the permission.
    public Task<ImportSettings> CompleteSettingsAsync(CurrentUser user, ImportSettings settings, CancellationToken ct)
    {
        user.Require(Permission);
        return Task.FromResult(settings with { SourceChannel = null, TeamId = null, AssignToMe = false });
    }

    public async Task<IImportBatchWriter> OpenAsync(CurrentUser user, Guid jobId, string fileHash, ImportSettings settings, CancellationToken ct)
    {
        user.Require(Permission);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var currency = await db.CompanySettings.AsNoTracking().Select(c => c.Currency).FirstOrDefaultAsync(ct);
        return new ProductBatchWriter(this, user, jobId, fileHash[..Math.Min(40, fileHash.Length)],
            currency is not null && Money.KnownCurrencies.Contains(currency) ? currency : "CNY");
    }

    private IDbContextFactory<AppDbContext> Databases => dbFactory;

    private IStringLocalizer<SharedResource> Strings => strings;

    private string FieldLabel(string key) => strings[$"ProductImport.Field.{key}"];

    /// <summary>A code made from a product name: runs of anything but letters and digits become one hyphen.</summary>
    internal static string CodeFromName(string name)
    {
        var code = NotCodeCharacters().Replace(name.Normalize(NormalizationForm.FormKC).Trim(), "-").Trim('-');
        return code.Length > 50 ? code[..50].TrimEnd('-') : code;
    }

    /// <summary>"4,821", "¥1,096.50", "550 元", "USD 12.5" → the amount; null when it is no number.</summary>
    internal static decimal? Amount(string text)
    {
        var cleaned = AmountNoise().Replace(text.Normalize(NormalizationForm.FormKC), "");
        return decimal.TryParse(cleaned, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value : null;
    }

    internal static bool? Active(string text) => ColumnMapping.Normalize(text) switch
    {
        "1" or "y" or "yes" or "true" or "active" or "enabled" or "on" or "是" or "启用" or "有效" or "在售" => true,
        "0" or "n" or "no" or "false" or "inactive" or "disabled" or "off" or "否" or "停用" or "无效" or "停售" or "下架" => false,
        _ => null,
    };

    [GeneratedRegex(@"[^\p{L}\p{N}\-_./]+", RegexOptions.CultureInvariant)]
    private static partial Regex NotCodeCharacters();

    [GeneratedRegex(@"[\s,¥$€£元円]|CNY|RMB|USD|EUR|HKD|GBP|SGD|JPY", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AmountNoise();

    private sealed class ProductBatchWriter(ProductImporter importer, CurrentUser user, Guid jobId, string keyPrefix, string defaultCurrency)
        : IImportBatchWriter
    {
        // Codes this run created (by key), and the products earlier runs made from this file (by row).
        private readonly Dictionary<string, int> _fileCodes = new(StringComparer.Ordinal);
        private Dictionary<int, (Guid Id, string JobKey)>? _imported;

        private IStringLocalizer L => importer.Strings;

        public async Task<IReadOnlyList<RowResult>> ProcessAsync(IReadOnlyList<MappedRow> rows, bool commit, CancellationToken ct)
        {
            await using var db = await importer.Databases.OpenAsync(user, ct);
            _imported ??= await ImportedAsync(db, ct);
            var results = new RowResult[rows.Count];
            var drafts = new List<(int Index, Product Product)>();
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                if (_imported.TryGetValue(row.Number, out var earlier))
                {
                    results[i] = new RowResult(row.Number, RowOutcome.AlreadyImported, L["ProductImport.Reason.AlreadyImported"].Value,
                        ImportedByThisJob: earlier.JobKey == jobId.ToString("N"));
                    continue;
                }

                var (product, problem) = Read(row);
                if (problem is not null)
                {
                    results[i] = new RowResult(row.Number, RowOutcome.Rejected, problem);
                    continue;
                }

                product!.ImportKey = $"{keyPrefix}:{row.Number.ToString(CultureInfo.InvariantCulture)}:{jobId:N}";
                drafts.Add((i, product));
            }

            var keys = drafts.Select(d => d.Product.CodeKey).Distinct().ToList();
            var existing = keys.Count == 0 ? [] : await db.Products.AsNoTracking().Where(p => keys.Contains(p.CodeKey))
                .Select(p => new { p.CodeKey, p.Name, p.ImportKey })
                .ToListAsync(ct);
            var batchCodes = new Dictionary<string, int>(StringComparer.Ordinal);
            var accepted = new List<Product>();
            foreach (var (index, product) in drafts)
            {
                var number = rows[index].Number;
                if (existing.FirstOrDefault(e => e.CodeKey == product.CodeKey) is { } match)
                {
                    var byThisJob = match.ImportKey is { } key && key.StartsWith(keyPrefix + ":", StringComparison.Ordinal)
                        && key.EndsWith(":" + jobId.ToString("N"), StringComparison.Ordinal) && RowOf(key) is not null;
                    var message = byThisJob
                        ? L["ProductImport.Duplicate.Row", RowOf(match.ImportKey!)!.Value, product.Code].Value
                        : L["ProductImport.Duplicate.Product", product.Code, match.Name].Value;
                    results[index] = new RowResult(number, RowOutcome.Duplicate, message, match.Name);
                    continue;
                }

                if (batchCodes.TryGetValue(product.CodeKey, out var earlierRow) || _fileCodes.TryGetValue(product.CodeKey, out earlierRow))
                {
                    results[index] = new RowResult(number, RowOutcome.Duplicate, L["ProductImport.Duplicate.Row", earlierRow, product.Code].Value,
                        L["ProductImport.RowNumber", earlierRow].Value);
                    continue;
                }

                batchCodes[product.CodeKey] = number;
                accepted.Add(product);
                results[index] = new RowResult(number, commit ? RowOutcome.Created : RowOutcome.Ready);
            }

            if (commit && accepted.Count > 0)
            {
                db.Products.AddRange(accepted);
                await db.SaveChangesAsync(ct);
                foreach (var (key, row) in batchCodes)
                {
                    _fileCodes.TryAdd(key, row);
                }
            }

            return results;
        }

        private async Task<Dictionary<int, (Guid Id, string JobKey)>> ImportedAsync(AppDbContext db, CancellationToken ct)
        {
            var prefix = keyPrefix + ":";
            var keys = await db.Products.AsNoTracking().Where(p => p.ImportKey != null && p.ImportKey.StartsWith(prefix))
                .Select(p => new { p.Id, p.ImportKey }).ToListAsync(ct);
            var result = new Dictionary<int, (Guid, string)>();
            foreach (var key in keys)
            {
                var parts = key.ImportKey!.Split(':');
                if (parts.Length == 3 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var row))
                {
                    result.TryAdd(row, (key.Id, parts[2]));
                }
            }

            return result;
        }

        private static int? RowOf(string importKey)
        {
            var parts = importKey.Split(':');
            return parts.Length == 3 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var row) ? row : null;
        }

        /// <summary>The row's values as a product, or why the row cannot be imported.</summary>
        private (Product? Product, string? Problem) Read(MappedRow row)
        {
            string? Text(string field)
            {
                var value = row[field]?.Trim();
                return string.IsNullOrEmpty(value) ? null : value;
            }

            var reasons = new List<string>();
            var name = Text("name");
            var code = Text("code") ?? (name is null ? null : CodeFromName(name));
            name ??= code;
            if (name is null || string.IsNullOrEmpty(code))
            {
                return (null, L["ProductImport.Reason.NeedsName"].Value);
            }

            var currency = Text("currency")?.ToUpperInvariant() ?? defaultCurrency;
            if (!Money.KnownCurrencies.Contains(currency))
            {
                reasons.Add(L["ProductImport.Reason.Currency", currency].Value);
                currency = defaultCurrency;
            }

            long? Price(string field, bool required)
            {
                if (Text(field) is not { } text)
                {
                    if (required)
                    {
                        reasons.Add(L["ProductImport.Reason.NeedsPrice"].Value);
                    }

                    return null;
                }

                if (Amount(text) is not { } amount || amount < 0 || amount > 1_000_000_000_000m)
                {
                    reasons.Add(L["ProductImport.Reason.BadPrice", importer.FieldLabel(field), text].Value);
                    return null;
                }

                return Money.FromDecimal(amount, currency).Minor;
            }

            var list = Price("listPrice", required: true);
            var floor = Price("floorPrice", required: false);
            var active = true;
            if (Text("active") is { } activeText)
            {
                if (Active(activeText) is { } known)
                {
                    active = known;
                }
                else
                {
                    reasons.Add(L["ProductImport.Reason.BadActive", activeText].Value);
                }
            }

            if (reasons.Count > 0)
            {
                return (null, string.Join("; ", reasons.Distinct(StringComparer.Ordinal)));
            }

            var request = new ProductRequest(code, name, list!.Value, Text("line"), Text("unit"), currency, floor, Text("description"), active);
            foreach (var failure in Validator.Validate(request).Errors)
            {
                var field = char.ToLowerInvariant(failure.PropertyName[0]) + failure.PropertyName[1..];
                reasons.Add(failure.ErrorCode switch
                {
                    "ProductCode" => L["ProductImport.Reason.BadCode", code].Value,
                    "FloorPrice" => L["ProductImport.Reason.FloorAboveList"].Value,
                    "MaximumLengthValidator" => L["ProductImport.Reason.TooLong", importer.FieldLabel(field == "listPriceMinor" ? "listPrice" : field),
                        failure.FormattedMessagePlaceholderValues?.GetValueOrDefault("MaxLength") ?? ""].Value,
                    _ => $"{importer.FieldLabel(field)}: {failure.ErrorMessage}",
                });
            }

            if (reasons.Count > 0)
            {
                return (null, string.Join("; ", reasons.Distinct(StringComparer.Ordinal)));
            }

            var product = new Product
            {
                Code = request.Code.Trim(),
                CodeKey = ProductValidator.Key(request.Code),
                Name = request.Name.Trim(),
                Line = request.Line,
                Unit = request.Unit ?? "套",
                ListPriceMinor = request.ListPriceMinor,
                Currency = currency,
                FloorPriceMinor = floor,
                IsActive = active,
                Description = request.Description is { Length: > 2000 } d ? d[..2000] : request.Description,
            };
            return (product, null);
        }
    }
}
