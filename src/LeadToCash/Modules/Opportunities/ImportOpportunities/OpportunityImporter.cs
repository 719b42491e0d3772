using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Company;
using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Import;
using LeadToCash.Platform.Localization;
using LeadToCash.Platform.Matching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Modules.Opportunities.ImportOpportunities;

/// <summary>
/// Historical and open deals from a spreadsheet (e.g. another CRM's export), into one pipeline chosen for the run.
/// <para>
/// The customer, owner, product and stage columns name records of the system: the user matches each distinct value of the
/// file to one (<see cref="IValueTargets"/>): the customer among the customers they can see (suggested by normalised name),
/// the owner among the people they may give deals to, the product in the catalogue, the stage among the pipeline's stages.
/// A value matched to nothing rejects its rows, with the reason.
/// </para>
/// <para>
/// A row becomes an opportunity in its stage, with one stage-history row of kind <see cref="StageEntryKind.Imported"/>: the
/// one documented way into a stage that is not checked against the gates. A won or lost stage closes the deal on the close
/// date (required then); an open deal keeps the close date as its expected close date. The created date (e.g. the date
/// the deal was engaged) becomes its creation time. Amounts are in currency units (minor units are derived, rounded half
/// away from zero); the source channel is the customer's. Without a name a deal is called "{customer} · {product}".
/// </para>
/// <para>
/// Re-runs: each deal keeps its file row (<see cref="Opportunity.ImportKey"/>) and job; a row an earlier run created is
/// skipped (and counts as created when the same job is started again after an interruption). A row repeating an earlier
/// row's external id is rejected as a duplicate.
/// </para>
/// </summary>
public sealed partial class OpportunityImporter(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> strings)
    : IRecordImporter
{
    public const string PipelineOption = "pipeline";

    private static readonly ImportField[] OpportunityFields =
    [
        new("externalId", false, "编号", "商机编号", "商机ID", "外部编号", "ID", "Opportunity ID", "Opportunity Id", "Deal ID", "External ID", "Record ID"),
        new("name", false, "商机名称", "商机", "名称", "项目名称", "Opportunity", "Opportunity Name", "Deal", "Deal Name", "Name"),
        new("customer", false, "客户", "客户名称", "公司", "公司名称", "企业名称", "Customer", "Customer Name", "Account", "Account Name", "Company",
            "Company Name"),
        new("owner", false, "负责人", "销售", "销售人员", "归属人", "商机负责人", "Owner", "Opportunity Owner", "Deal Owner", "Sales Agent", "Sales Rep",
            "Agent"),
        new("product", false, "产品", "产品名称", "主要产品", "Product", "Product Name"),
        new("stage", false, "阶段", "销售阶段", "商机阶段", "Stage", "Deal Stage", "Sales Stage", "Opportunity Stage"),
        new("createdDate", false, "创建日期", "创建时间", "开始日期", "立项日期", "Created", "Created Date", "Create Date", "Created On", "Engage Date",
            "Start Date"),
        new("closeDate", false, "成交日期", "结单日期", "关闭日期", "预计成交日期", "预计签单日期", "Close Date", "Closed Date", "Closing Date",
            "Expected Close Date"),
        new("amount", false, "金额", "商机金额", "成交金额", "预计金额", "Amount", "Value", "Deal Value", "Close Value", "Deal Amount"),
        new("currency", false, "币种", "货币", "Currency"),
        new("description", true, "备注", "说明", "描述", "Notes", "Note", "Description", "Remarks", "Comments"),
    ];

    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyyMMdd", "yyyy年M月d日", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy/M/d H:mm:ss",
        "yyyy/M/d H:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ",
    ];

    public string RecordType => Opportunity.RecordType;

    public string Permission => Permissions.OpportunitiesImport;

    public IReadOnlyList<ImportField> Fields => OpportunityFields;

    public void EnsureMappingUsable(IReadOnlyCollection<string> mappedFields)
    {
        if (!mappedFields.Contains("customer") || !mappedFields.Contains("stage"))
        {
            throw new ValidationException([new ValidationFailure("columns",
                "Map a column to the customer and one to the stage: every opportunity needs both.")]);
        }
    }

    /// <summary>The pipelines deals can be imported into (active ones, the default first), for the page's choice.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> PipelinesAsync(CurrentUser user, CancellationToken ct = default)
    {
        user.Require(Permission);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var pipelines = await db.Pipelines.AsNoTracking().Where(p => p.IsActive)
            .OrderByDescending(p => p.IsDefault).ThenBy(p => p.SortOrder).ThenBy(p => p.Name)
            .Select(p => new { p.Id, p.Name, p.NameEn })
            .ToListAsync(ct);
        return [.. pipelines.Select(p => (p.Id, Localized(p.Name, p.NameEn)))];
    }

    public async Task<ImportSettings> CompleteSettingsAsync(CurrentUser user, ImportSettings settings, CancellationToken ct)
    {
        user.Require(Permission);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var pipelines = db.Pipelines.AsNoTracking().Where(p => p.IsActive);
        Guid? pipeline;
        if (settings.Option(PipelineOption) is { } chosen)
        {
            pipeline = Guid.TryParse(chosen, out var id) && await pipelines.AnyAsync(p => p.Id == id, ct)
                ? id
                : throw new ValidationException([new ValidationFailure("options", "The pipeline does not exist or is not active.")]);
        }
        else
        {
            pipeline = await pipelines.OrderByDescending(p => p.IsDefault).ThenBy(p => p.SortOrder).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct)
                ?? throw new ValidationException([new ValidationFailure("options", "There is no active pipeline to import deals into.")]);
        }

        return settings with
        {
            SourceChannel = null,
            TeamId = null,
            AssignToMe = false,
            Options = new Dictionary<string, string>(StringComparer.Ordinal) { [PipelineOption] = pipeline.Value.ToString() },
        };
    }

    public async Task<IReadOnlyList<IValueTargets>> ValueTargetsAsync(CurrentUser user, ImportSettings settings, CancellationToken ct)
    {
        await using var db = await dbFactory.OpenAsync(user, ct);
        var pipelineId = PipelineOf(settings);
        var stages = await db.PipelineStages.AsNoTracking().Where(s => s.PipelineId == pipelineId && s.IsActive)
            .OrderBy(s => s.SortOrder)
            .Select(s => new { s.Id, s.Name, s.NameEn })
            .ToListAsync(ct);
        var products = await db.Products.AsNoTracking().Where(p => p.IsActive)
            .OrderBy(p => p.Name)
            .Select(p => new { p.Id, p.Code, p.Name })
            .ToListAsync(ct);
        var owners = await Owners(db, user).OrderBy(u => u.DisplayName)
            .Select(u => new { u.Id, u.DisplayName, u.Email })
            .ToListAsync(ct);
        return
        [
            new ListedValueTargets("stage", FieldLabel("stage"),
                [.. stages.Select(s => new ValueTarget(s.Id.ToString(), Localized(s.Name, s.NameEn), [s.Name, s.NameEn ?? s.Name]))]),
            new ListedValueTargets("product", FieldLabel("product"),
                [.. products.Select(p => new ValueTarget(p.Id.ToString(), NameAndCode(p.Name, p.Code), [p.Name, p.Code]))]),
            new ListedValueTargets("owner", FieldLabel("owner"),
                [.. owners.Select(u => new ValueTarget(u.Id.ToString(), $"{u.DisplayName} ({u.Email})", [u.DisplayName, u.Email ?? u.DisplayName]))]),
            new CustomerTargets(dbFactory, user, FieldLabel("customer")),
        ];
    }

    public async Task<IImportBatchWriter> OpenAsync(CurrentUser user, Guid jobId, string fileHash, ImportSettings settings, CancellationToken ct)
    {
        user.Require(Permission);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var pipelineId = PipelineOf(settings);
        var stages = await db.PipelineStages.AsNoTracking().Where(s => s.PipelineId == pipelineId)
            .ToDictionaryAsync(s => s.Id, s => new StageInfo(s.Id, s.Probability, s.Kind), ct);
        var products = await db.Products.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var company = await db.CompanySettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new CompanySettings { Name = "" };
        var currency = (await db.OpportunitySettings.AsNoTracking().FirstOrDefaultAsync(ct))?.DefaultCurrency ?? new OpportunitySettings().DefaultCurrency;
        return new OpportunityWriter(this, user, jobId, fileHash[..Math.Min(40, fileHash.Length)], pipelineId, stages, products,
            WorkingCalendar.From(company, []), currency);
    }

    private IDbContextFactory<AppDbContext> Databases => dbFactory;

    private TimeProvider Clock => clock;

    private IStringLocalizer<SharedResource> Strings => strings;

    private string FieldLabel(string key) => strings[$"OppImport.Field.{key}"];

    private static Guid PipelineOf(ImportSettings settings) =>
        Guid.TryParse(settings.Option(PipelineOption), out var id) ? id : throw new InvalidOperationException("The import has no pipeline.");

    /// <summary>Whom the user may give deals to: anyone for an Admin, else themselves and the people of the teams they lead.</summary>
    private static IQueryable<Organization.AppUser> Owners(AppDbContext db, CurrentUser user)
    {
        var teams = user.SubtreeTeamIds.ToList();
        return db.Users.AsNoTracking().Where(u => u.IsActive
            && (user.IsAdmin || u.Id == user.Id || (u.TeamId != null && teams.Contains(u.TeamId.Value))));
    }

    private static string Localized(string zh, string? en) =>
        CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(en) ? zh : en;

    private static string NameAndCode(string name, string code) =>
        ColumnMapping.Normalize(name) == ColumnMapping.Normalize(code) ? name : $"{name} ({code})";

    /// <summary>"2017-03-01", "2017/3/1", "2017年3月1日", "20170301" → the date; null when it is none of them.</summary>
    internal static DateOnly? Date(string text)
    {
        var t = text.Normalize(NormalizationForm.FormKC).Trim();
        return DateTime.TryParseExact(t, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var value)
            ? DateOnly.FromDateTime(value)
            : null;
    }

    /// <summary>"1054", "1,054.50", "¥1,054", "USD 1054", "12.5万" → minor units (rounded half away from zero); null when unreadable or negative.</summary>
    internal static long? MinorUnits(string text)
    {
        var t = text.Normalize(NormalizationForm.FormKC).Trim();
        var tenThousands = t.EndsWith('万');
        t = CurrencyAround().Replace(tenThousands ? t[..^1] : t, "").Replace(",", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (!decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }

        amount *= tenThousands ? 10_000m : 1m;
        return amount > 1_000_000_000_000m ? null : (long)Math.Round(amount * 100m, MidpointRounding.AwayFromZero);
    }

    [GeneratedRegex(@"^\s*(?:[A-Za-z]{3}|[¥$€£])\s*|\s*(?:元|[A-Za-z]{3})\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyAround();

    [GeneratedRegex("^[A-Za-z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyCode();

    private sealed record StageInfo(Guid Id, int Probability, StageKind Kind);

    /// <summary>A row read into a deal, not yet checked against the database.</summary>
    private sealed record Draft(int Index, int Row, Guid CustomerId, Guid StageId, Guid? OwnerId, Guid? ProductId, string? Name,
        DateOnly? Created, DateOnly? Close, long AmountMinor, string? Currency, string? ExternalId, string? Description);

    /// <summary>
    /// The customers the user can see, too many to list: a file's company name is matched by its normalised name
    /// (<see cref="DuplicateKeys.Company"/>: case, width, spacing, punctuation and legal forms ignored).
    /// </summary>
    private sealed class CustomerTargets(IDbContextFactory<AppDbContext> dbFactory, CurrentUser user, string label) : IValueTargets
    {
        public string Field => "customer";

        public string Label => label;

        public IReadOnlyList<ValueTarget>? Choices => null;

        public async Task<IReadOnlyDictionary<string, ValueTarget>> SuggestAsync(IReadOnlyCollection<string> values, CancellationToken ct)
        {
            var keys = values.Select(v => (Value: v, Key: DuplicateKeys.Company(v))).Where(v => v.Key is not null).ToList();
            var found = new Dictionary<string, ValueTarget>(StringComparer.Ordinal);
            await using var db = await dbFactory.OpenAsync(user, ct);
            var byKey = new Dictionary<string, ValueTarget>(StringComparer.Ordinal);
            foreach (var chunk in keys.Select(k => k.Key!).Distinct(StringComparer.Ordinal).Chunk(500))
            {
                var customers = await db.Customers.AsNoTracking().Where(c => c.NameKey != null && chunk.Contains(c.NameKey))
                    .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)
                    .Select(c => new { c.Id, c.Name, c.NameKey })
                    .ToListAsync(ct);
                foreach (var customer in customers)
                {
                    byKey.TryAdd(customer.NameKey!, new ValueTarget(customer.Id.ToString(), customer.Name, [customer.Name]));
                }
            }

            foreach (var (value, key) in keys)
            {
                if (byKey.TryGetValue(key!, out var target))
                {
                    found[value] = target;
                }
            }

            return found;
        }

        public async Task<IReadOnlyDictionary<string, ValueTarget>> FindAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
        {
            var ids = keys.Select(k => Guid.TryParse(k, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).Distinct().ToList();
            if (ids.Count == 0)
            {
                return new Dictionary<string, ValueTarget>();
            }

            await using var db = await dbFactory.OpenAsync(user, ct);
            var found = new Dictionary<string, ValueTarget>(StringComparer.Ordinal);
            foreach (var chunk in ids.Chunk(500))
            {
                foreach (var customer in await db.Customers.AsNoTracking().Where(c => chunk.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToListAsync(ct))
                {
                    found[customer.Id.ToString()] = new ValueTarget(customer.Id.ToString(), customer.Name, [customer.Name]);
                }
            }

            return keys.Where(found.ContainsKey).Distinct(StringComparer.Ordinal).ToDictionary(k => k, k => found[k], StringComparer.Ordinal);
        }
    }

    /// <summary>One run: the pipeline's stages, the catalogue and the calendar, read once; the external ids seen so far.</summary>
    private sealed class OpportunityWriter(OpportunityImporter importer, CurrentUser user, Guid jobId, string keyPrefix, Guid pipelineId,
        Dictionary<Guid, StageInfo> stages, Dictionary<Guid, string> products, WorkingCalendar calendar, string defaultCurrency) : IImportBatchWriter
    {
        private readonly Dictionary<string, int> _externalIds = new(StringComparer.Ordinal);
        private bool? _resumed;

        private IStringLocalizer<SharedResource> L => importer.Strings;

        public async Task<IReadOnlyList<RowResult>> ProcessAsync(IReadOnlyList<MappedRow> rows, bool commit, CancellationToken ct)
        {
            var results = new RowResult?[rows.Count];
            var drafts = new List<Draft>(rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                var (draft, problem) = Read(i, rows[i]);
                if (draft is null)
                {
                    results[i] = new RowResult(rows[i].Number, RowOutcome.Rejected, problem);
                }
                else
                {
                    drafts.Add(draft);
                }
            }

            // Rows earlier runs of this file created (deleted deals too: they keep their key), whoever owns them.
            Dictionary<string, Guid?> imported = [];
            await using (var system = await importer.Databases.OpenAsSystemAsync(ct))
            {
                var deals = system.Opportunities.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).AsNoTracking();
                _resumed ??= await deals.AnyAsync(o => o.ImportKey != null && o.ImportKey.StartsWith(keyPrefix + ":"), ct);
                if (_resumed.Value && drafts.Count > 0)
                {
                    var keys = drafts.Select(d => Key(d.Row)).ToList();
                    imported = await deals.Where(o => keys.Contains(o.ImportKey!))
                        .ToDictionaryAsync(o => o.ImportKey!, o => o.ImportJobId, StringComparer.Ordinal, ct);
                }
            }

            await using var db = await importer.Databases.OpenAsync(user, ct);
            var customerIds = drafts.Select(d => d.CustomerId).Distinct().ToList();
            var customers = new Dictionary<Guid, (string Name, string? Source)>();
            foreach (var chunk in customerIds.Chunk(500))
            {
                foreach (var c in await db.Customers.AsNoTracking().Where(c => chunk.Contains(c.Id)).Select(c => new { c.Id, c.Name, c.SourceChannel }).ToListAsync(ct))
                {
                    customers[c.Id] = (c.Name, c.SourceChannel);
                }
            }

            var now = importer.Clock.GetUtcNow().UtcDateTime;
            var created = new List<(Opportunity Deal, StageEntry Entry)>(drafts.Count);
            foreach (var draft in drafts)
            {
                if (imported.TryGetValue(Key(draft.Row), out var job))
                {
                    results[draft.Index] = new RowResult(draft.Row, RowOutcome.AlreadyImported, L["OppImport.Reason.AlreadyImported"].Value,
                        ImportedByThisJob: job == jobId);
                    Remember(draft);
                    continue;
                }

                if (draft.ExternalId is { } externalId && _externalIds.TryGetValue(externalId, out var earlier))
                {
                    var row = L["OppImport.Row", earlier].Value;
                    results[draft.Index] = new RowResult(draft.Row, RowOutcome.Duplicate, L["OppImport.Reason.DuplicateId", externalId, row].Value, row);
                    continue;
                }

                if (!customers.TryGetValue(draft.CustomerId, out var customer))
                {
                    results[draft.Index] = new RowResult(draft.Row, RowOutcome.Rejected, L["OppImport.Reason.CustomerGone"].Value);
                    continue;
                }

                created.Add(Build(draft, customer.Name, customer.Source, now));
                Remember(draft);
                results[draft.Index] = new RowResult(draft.Row, commit ? RowOutcome.Created : RowOutcome.Ready);
            }

            if (commit && created.Count > 0)
            {
                db.Opportunities.AddRange(created.Select(c => c.Deal));
                db.StageEntries.AddRange(created.Select(c => c.Entry));
                await db.SaveChangesAsync(ct);
            }

            return [.. results.Select(r => r!)];
        }

        private string Key(int row) => $"{keyPrefix}:{row.ToString(CultureInfo.InvariantCulture)}";

        private void Remember(Draft draft)
        {
            if (draft.ExternalId is { } id)
            {
                _externalIds.TryAdd(id, draft.Row);
            }
        }

        private (Opportunity, StageEntry) Build(Draft draft, string customerName, string? source, DateTime now)
        {
            var stage = stages[draft.StageId];
            DateTime? closedAt = stage.Kind == StageKind.Open ? null : calendar.StartOfDay(draft.Close!.Value);
            var createdAt = draft.Created is { } day ? calendar.StartOfDay(day) : closedAt ?? now;
            var entered = closedAt ?? createdAt;
            var product = draft.ProductId is { } productId ? products.GetValueOrDefault(productId) : null;
            var name = draft.Name ?? (product is null ? customerName : $"{customerName} · {product}");
            var deal = new Opportunity
            {
                CustomerId = draft.CustomerId,
                Name = name.Length > 200 ? name[..200] : name,
                AmountMinor = draft.AmountMinor,
                Currency = draft.Currency ?? defaultCurrency,
                ExpectedCloseDate = draft.Close,
                PipelineId = pipelineId,
                StageId = stage.Id,
                StageEnteredAt = entered,
                Probability = stage.Probability,
                Status = stage.Kind switch
                {
                    StageKind.Won => OpportunityStatus.Won,
                    StageKind.Lost => OpportunityStatus.Lost,
                    _ => OpportunityStatus.Open,
                },
                ClosedAt = closedAt,
                SourceChannel = source,
                OwnerId = draft.OwnerId ?? user.Id,
                ProductId = draft.ProductId,
                Description = draft.Description,
                ImportKey = Key(draft.Row),
                ImportJobId = jobId,
                CreatedAt = createdAt,
            };
            var entry = new StageEntry
            {
                OpportunityId = deal.Id,
                PipelineId = pipelineId,
                StageId = stage.Id,
                Kind = StageEntryKind.Imported,
                EnteredAt = entered,
                EnteredBy = user.Id,
            };
            return (deal, entry);
        }

        /// <summary>The row's values as a deal; or why the row cannot be imported (every reason at once).</summary>
        private (Draft? Draft, string? Problem) Read(int index, MappedRow row)
        {
            string? Text(string field) => row[field]?.Trim() is { Length: > 0 } value ? value : null;
            var reasons = new List<string>();

            Guid? Key(string field) => row.Target(field) is { } key && Guid.TryParse(key, out var id) ? id : null;
            var customerId = Key("customer");
            if (customerId is null)
            {
                reasons.Add(L["OppImport.Reason.NoCustomer"].Value);
            }

            var stageId = Key("stage");
            if (stageId is null || !stages.ContainsKey(stageId.Value))
            {
                reasons.Add(L["OppImport.Reason.NoStage"].Value);
            }

            DateOnly? ReadDate(string field)
            {
                if (Text(field) is not { } text)
                {
                    return null;
                }

                var date = Date(text);
                if (date is null)
                {
                    reasons.Add(L["OppImport.Reason.BadDate", importer.FieldLabel(field), text].Value);
                }

                return date;
            }

            var created = ReadDate("createdDate");
            var close = ReadDate("closeDate");
            long amount = 0;
            if (Text("amount") is { } amountText)
            {
                if (MinorUnits(amountText) is { } minor)
                {
                    amount = minor;
                }
                else
                {
                    reasons.Add(L["OppImport.Reason.BadAmount", amountText].Value);
                }
            }

            var currency = Text("currency");
            if (currency is not null && !CurrencyCode().IsMatch(currency))
            {
                reasons.Add(L["OppImport.Reason.BadCurrency", currency].Value);
            }

            var name = Text("name");
            var externalId = Text("externalId");
            var description = Text("description");
            foreach (var (field, value, max) in new[] { ("name", name, 200), ("externalId", externalId, 100), ("description", description, 3800) })
            {
                if (value is not null && value.Length > max)
                {
                    reasons.Add(L["OppImport.Reason.TooLong", importer.FieldLabel(field), max].Value);
                }
            }

            if (stageId is { } s && stages.TryGetValue(s, out var stage) && stage.Kind != StageKind.Open)
            {
                if (close is null && Text("closeDate") is null)
                {
                    reasons.Add(L["OppImport.Reason.NoCloseDate"].Value);
                }
                else if (close is { } c && created is { } d && c < d)
                {
                    reasons.Add(L["OppImport.Reason.ClosedBeforeCreated"].Value);
                }
            }

            if (reasons.Count > 0)
            {
                return (null, string.Join("; ", reasons));
            }

            if (externalId is not null)
            {
                var line = $"{importer.FieldLabel("externalId")}: {externalId}";
                description = description is null ? line : $"{line}\n{description}";
            }

            return (new Draft(index, row.Number, customerId!.Value, stageId!.Value, Key("owner"), Key("product"), name, created, close, amount,
                currency?.ToUpperInvariant(), externalId, description), null);
        }
    }
}
