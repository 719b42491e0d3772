using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Customers.Pool;
using LeadToCash.Modules.Options;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Import;
using LeadToCash.Platform.Localization;
using LeadToCash.Platform.Matching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Modules.Customers.ImportCustomers;

/// <summary>
/// Customers (and each row's first contact) through the spreadsheet import pipeline. A row is one customer: its facts,
/// grade, stage, tags, owner (by e-mail or name; none = the importer with "assign to me", else the chosen team's pool),
/// parent company (by name, among the visible customers and the rows of the same file, linked at the end of the run when
/// the parent's row comes later) and the contact columns (a contact when it has a name).
/// <para>
/// Option lists: an industry, size or source is matched by its code or its Chinese or English label; an industry that
/// matches none becomes "other" and the text is kept in the notes (so that the industry filter finds the customer and
/// nothing of the file is lost; a free text would fail the option check of every later edit). A size given as a head
/// count lands in its range. Other unreadable values are kept in the notes.
/// </para>
/// <para>
/// Duplicates: a row with the name or phone of an existing customer (whoever can see it) or of an earlier row is
/// rejected as a duplicate and listed in the rejected rows with the match; customers are never merged by an import.
/// </para>
/// <para>
/// Re-runs: each customer keeps its file row (<see cref="Customer.ImportKey"/>) and job (<see cref="Customer.ImportJobId"/>).
/// A row an earlier run created is skipped; when that run was the same job (restarted after an interruption) the row
/// counts as created again and a later row matching it is "a duplicate of row N", so the job reports what a run without
/// the interruption would have.
/// </para>
/// </summary>
public sealed partial class CustomerImporter(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> strings)
    : IRecordImporter
{
    public const string OtherIndustry = "other";
    public const int MaxTags = 20;

    private static readonly CustomerFieldsValidator Validator = new();

    private static readonly ImportField[] CustomerFields =
    [
        new("name", false, "客户名称", "客户", "公司名称", "公司", "企业名称", "企业", "单位名称", "单位", "机构", "Name", "Customer", "Customer Name",
            "Company", "Company Name", "Account", "Account Name", "Organization", "Organisation"),
        new("industry", false, "行业", "所属行业", "行业类别", "Industry", "Sector"),
        new("size", false, "规模", "公司规模", "企业规模", "人员规模", "员工人数", "员工数", "人数", "Size", "Company Size", "Employees", "Headcount",
            "Employee Count"),
        new("region", false, "地区", "区域", "所在地区", "城市", "省份", "所在地", "Region", "Area", "City", "Location", "Office Location", "Country", "Province"),
        new("address", false, "地址", "详细地址", "公司地址", "办公地址", "通讯地址", "Address", "Street", "Street Address"),
        new("website", false, "网站", "官网", "网址", "公司网站", "Website", "Web", "Web Site", "URL", "Homepage"),
        new("phone", false, "电话", "公司电话", "总机", "座机", "固定电话", "联系电话", "办公电话", "Phone", "Telephone", "Tel", "Phone Number", "Office Phone"),
        new("sourceChannel", false, "来源", "客户来源", "渠道", "来源渠道", "Source", "Channel", "Source Channel", "SourceChannel"),
        new("grade", false, "等级", "客户等级", "级别", "分级", "客户分级", "Grade", "Level", "Rating"),
        new("stage", false, "阶段", "客户阶段", "生命周期", "生命周期阶段", "客户状态", "Stage", "Lifecycle", "Lifecycle Stage"),
        new("tags", false, "标签", "客户标签", "Tags", "Tag", "Labels"),
        new("owner", false, "负责人", "负责人邮箱", "归属人", "客户经理", "销售", "所有者", "Owner", "Owner Email", "Owner E-mail", "Account Owner", "Sales Rep"),
        new("parent", false, "上级公司", "母公司", "所属集团", "集团", "总公司", "上级单位", "Parent", "Parent Company", "Parent Account", "Subsidiary Of",
            "Subsidiary_of"),
        new("notes", true, "备注", "说明", "Notes", "Note", "Remark", "Remarks", "Comment", "Comments"),
        new("contactName", false, "联系人", "联系人姓名", "姓名", "Contact", "Contact Name", "Contact Person"),
        new("contactTitle", false, "职位", "职务", "联系人职位", "头衔", "Title", "Job Title", "Position", "Contact Title"),
        new("contactMobile", false, "手机", "手机号", "手机号码", "联系人手机", "移动电话", "Mobile", "Mobile Phone", "Cell", "Cellphone", "Contact Mobile"),
        new("contactPhone", false, "联系人电话", "联系人座机", "Contact Phone"),
        new("contactEmail", false, "邮箱", "电子邮箱", "电子邮件", "邮件", "联系人邮箱", "Email", "E-mail", "Mail", "Email Address", "Contact Email"),
        new("contactWeChat", false, "微信", "微信号", "联系人微信", "WeChat", "Weixin", "WeChat ID", "Contact WeChat"),
    ];

    private static readonly string[] ContactFields = ["contactTitle", "contactMobile", "contactPhone", "contactEmail", "contactWeChat"];

    public string RecordType => Customer.RecordType;

    public string Permission => Permissions.CustomersImport;

    public IReadOnlyList<ImportField> Fields => CustomerFields;

    public void EnsureMappingUsable(IReadOnlyCollection<string> mappedFields)
    {
        if (!mappedFields.Contains("name"))
        {
            throw new ValidationException([new ValidationFailure("columns", "Map a column to the customer name: every customer needs one.")]);
        }
    }

    public async Task<ImportSettings> CompleteSettingsAsync(CurrentUser user, ImportSettings settings, CancellationToken ct)
    {
        user.Require(Permission);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await ImportTeam.CompleteAsync(db, user, settings, null,
            "Choose the team whose pool receives customers without an owner.", "You can import customers only into the pools of your own teams.", ct);
    }

    public async Task<IImportBatchWriter> OpenAsync(CurrentUser user, Guid jobId, string fileHash, ImportSettings settings, CancellationToken ct)
    {
        await using var db = await dbFactory.OpenAsync(user, ct);
        var rules = await CustomerRulebook.LoadAsync(db, ct);
        var options = await db.OptionItems.AsNoTracking()
            .Where(o => o.IsActive && (o.ListKey == OptionLists.Industries || o.ListKey == OptionLists.SourceChannels || o.ListKey == OptionLists.CompanySizes))
            .Select(o => new { o.ListKey, o.Code, o.LabelZh, o.LabelEn })
            .ToListAsync(ct);
        var people = await db.Users.AsNoTracking().Where(u => u.IsActive)
            .Select(u => new Person(u.Id, u.Email, u.DisplayName, u.TeamId))
            .ToListAsync(ct);
        OptionMatcher Matcher(string list) => new([.. options.Where(o => o.ListKey == list).Select(o => (o.Code, o.LabelZh, o.LabelEn))]);
        var hasOther = options.Any(o => o.ListKey == OptionLists.Industries && o.Code == OtherIndustry);
        return new CustomerBatchWriter(this, user, jobId, fileHash[..Math.Min(40, fileHash.Length)], settings, settings.TeamId ?? user.TeamId ?? Guid.Empty,
            rules, Matcher(OptionLists.Industries), Matcher(OptionLists.SourceChannels), Matcher(OptionLists.CompanySizes), hasOther, people);
    }

    private IDbContextFactory<AppDbContext> Databases => dbFactory;

    private TimeProvider Clock => clock;

    private IStringLocalizer<SharedResource> Strings => strings;

    private string FieldLabel(string key) => strings[$"CustomerImport.Field.{key}"];

    /// <summary>"2822", "约500人", "1,200 employees" → the head count, for sizes given as a number.</summary>
    internal static int? HeadCount(string text)
    {
        var match = Number().Match(text.Normalize(NormalizationForm.FormKC).Replace(",", "", StringComparison.Ordinal));
        return match.Success && int.TryParse(match.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    /// <summary>"A", "a级", "B类", "C 级客户" → the grade; null when it is none of them.</summary>
    internal static CustomerGrade? Grade(string text)
    {
        var t = text.Normalize(NormalizationForm.FormKC).Trim().ToUpperInvariant();
        foreach (var suffix in new[] { "级客户", "类客户", "级", "类" })
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                t = t[..^suffix.Length].Trim();
            }
        }

        return t switch
        {
            "A" => CustomerGrade.A,
            "B" => CustomerGrade.B,
            "C" => CustomerGrade.C,
            _ => null,
        };
    }

    /// <summary>The stage by its name in the API (Prospect, InOpportunity…) or in Chinese; null when unknown.</summary>
    internal static LifecycleStage? Stage(string text)
    {
        var t = ColumnMapping.Normalize(text);
        foreach (var stage in Enum.GetValues<LifecycleStage>())
        {
            if (ColumnMapping.Normalize(stage.ToString()) == t)
            {
                return stage;
            }
        }

        return t switch
        {
            "潜在客户" or "潜客" or "意向客户" or "prospective" => LifecycleStage.Prospect,
            "商机中" or "商机" or "跟进中" or "opportunity" => LifecycleStage.InOpportunity,
            "成交客户" or "已成交" or "客户" or "签约客户" or "customer" => LifecycleStage.Customer,
            "复购客户" or "复购" or "老客户" or "repeat" or "repeatcustomer" => LifecycleStage.RepeatCustomer,
            "休眠" or "休眠客户" or "沉睡客户" => LifecycleStage.Dormant,
            "流失" or "流失客户" or "丢失" or "已流失" => LifecycleStage.Lost,
            _ => null,
        };
    }

    internal static IReadOnlyList<string> Tags(string text) =>
        [.. text.Normalize(NormalizationForm.FormKC)
            .Split([',', ';', '、', '|', '\n', '，', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase)];

    [GeneratedRegex(@"\d+", RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    private sealed record Person(Guid Id, string? Email, string DisplayName, Guid? TeamId);

    /// <summary>
    /// A row read into a customer (not yet checked against the database). <see cref="Kept"/>: values the import could not
    /// place, kept in the customer's notes; <see cref="Remarks"/>: what the preview says about the row besides.
    /// </summary>
    private sealed record Draft(int Index, Customer Customer, Contact? Contact, IReadOnlyList<string> Tags, string? ParentName,
        string? ParentKey, string? OwnerText, List<string> Kept)
    {
        public List<string> Remarks { get; } = [];
    }

    /// <summary>One run: the option lists, the people and the choices, read once; the file's customers seen so far.</summary>
    private sealed class CustomerBatchWriter(CustomerImporter importer, CurrentUser user, Guid jobId, string keyPrefix, ImportSettings settings,
        Guid teamId, CustomerRulebook rules, OptionMatcher industries, OptionMatcher sources, OptionMatcher sizes, bool hasOtherIndustry,
        IReadOnlyList<Person> people) : IImportBatchWriter
    {
        // Customers this run created, by name key (parents of later rows), and the links waiting for a later row.
        private readonly Dictionary<string, (int Row, Guid Id)> _fileNames = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _filePhones = new(StringComparer.Ordinal);
        private readonly List<(Guid ChildId, string ParentKey)> _pendingParents = [];
        private bool? _resumed;

        private IStringLocalizer<SharedResource> L => importer.Strings;

        public async Task<IReadOnlyList<RowResult>> ProcessAsync(IReadOnlyList<MappedRow> rows, bool commit, CancellationToken ct)
        {
            var now = importer.Clock.GetUtcNow().UtcDateTime;
            var results = new RowResult?[rows.Count];
            var drafts = new List<Draft>(rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                var (draft, problem) = Read(i, rows[i]);
                if (problem is not null)
                {
                    results[i] = new RowResult(rows[i].Number, RowOutcome.Rejected, problem);
                    continue;
                }

                draft!.Customer.ImportKey = $"{keyPrefix}:{rows[i].Number.ToString(CultureInfo.InvariantCulture)}";
                draft.Customer.ImportJobId = jobId;
                drafts.Add(draft);
            }

            await using var system = await importer.Databases.OpenAsSystemAsync(ct);
            _resumed ??= await system.Customers.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter])
                .AnyAsync(c => c.ImportKey != null && c.ImportKey.StartsWith(keyPrefix + ":"), ct);
            var known = await KnownAsync(system, drafts, _resumed.Value, ct);
            await using var db = await importer.Databases.OpenAsync(user, ct);
            var parentKeys = drafts.Select(d => d.ParentKey).OfType<string>().Distinct().ToList();
            var visibleParents = parentKeys.Count == 0 ? [] : (await db.Customers.AsNoTracking()
                    .Where(c => c.NameKey != null && parentKeys.Contains(c.NameKey))
                    .OrderBy(c => c.CreatedAt)
                    .Select(c => new { c.Id, c.NameKey })
                    .ToListAsync(ct))
                .GroupBy(c => c.NameKey!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);

            // First the rows themselves (duplicates, owner), then the parents: a parent named by a row may come later in the batch.
            var accepted = new List<Draft>(drafts.Count);
            var batchNames = new Dictionary<string, (int Row, Guid Id)>(StringComparer.Ordinal);
            var batchPhones = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var draft in drafts)
            {
                var row = rows[draft.Index].Number;
                var customer = draft.Customer;
                if (known.Imported.TryGetValue(customer.ImportKey!, out var imported))
                {
                    results[draft.Index] = new RowResult(row, RowOutcome.AlreadyImported, L["CustomerImport.Reason.AlreadyImported"].Value,
                        ImportedByThisJob: imported.ImportJobId == jobId);
                    if (commit && draft.ParentKey is { } parentKey && imported.ParentId is null)
                    {
                        _pendingParents.Add((imported.Id, parentKey));
                    }

                    if (customer.NameKey is { } importedName)
                    {
                        _fileNames.TryAdd(importedName, (row, imported.Id));
                    }

                    continue;
                }

                if (Duplicate(customer, known, batchNames, batchPhones) is { } duplicate)
                {
                    results[draft.Index] = new RowResult(row, RowOutcome.Duplicate, L["CustomerImport.Reason.Duplicate", duplicate].Value, duplicate);
                    continue;
                }

                if (Owner(draft) is { } ownerProblem)
                {
                    results[draft.Index] = new RowResult(row, RowOutcome.Rejected, ownerProblem);
                    continue;
                }

                if (customer.NameKey is { } nameKey)
                {
                    batchNames.TryAdd(nameKey, (row, customer.Id));
                }

                if (customer.PhoneKey is { } phone)
                {
                    batchPhones.TryAdd(phone, row);
                }

                accepted.Add(draft);
            }

            foreach (var draft in accepted)
            {
                var customer = draft.Customer;
                if (draft.ParentKey is not { } parentKey)
                {
                    continue;
                }

                if (parentKey == customer.NameKey)
                {
                    draft.Remarks.Add(L["CustomerImport.Note.ParentSelf"].Value);
                }
                else if (batchNames.TryGetValue(parentKey, out var inBatch) || _fileNames.TryGetValue(parentKey, out inBatch))
                {
                    customer.ParentId = inBatch.Id;
                }
                else if (visibleParents.TryGetValue(parentKey, out var existing))
                {
                    customer.ParentId = existing;
                }
                else if (commit)
                {
                    _pendingParents.Add((customer.Id, parentKey));
                }
                else
                {
                    draft.Remarks.Add(L["CustomerImport.Note.ParentLater", draft.ParentName!].Value);
                }
            }

            foreach (var draft in accepted)
            {
                var customer = draft.Customer;
                var said = draft.Kept.Count > 0 ? L["CustomerImport.Noted", string.Join("; ", draft.Kept)].Value : null;
                var message = string.Join(" ", new[] { said }.Concat(draft.Remarks).OfType<string>());
                results[draft.Index] = new RowResult(rows[draft.Index].Number, commit ? RowOutcome.Created : RowOutcome.Ready,
                    message.Length == 0 ? null : message);
                if (customer.OwnerId is not null)
                {
                    customer.OwnedSince = now;
                }

                CustomerRules.RefreshCadence(customer, rules);
                customer.Notes = Join(customer.Notes, draft.Kept);
            }

            if (commit && accepted.Count > 0)
            {
                foreach (var draft in accepted)
                {
                    db.Customers.Add(draft.Customer);
                    if (draft.Contact is { } contact)
                    {
                        contact.CustomerId = draft.Customer.Id;
                        db.Contacts.Add(contact);
                    }

                    db.CustomerTags.AddRange(draft.Tags.Select(t => new CustomerTag { CustomerId = draft.Customer.Id, Name = t }));
                }

                await db.SaveChangesAsync(ct);
                foreach (var (key, value) in batchNames)
                {
                    _fileNames.TryAdd(key, value);
                }

                foreach (var (key, value) in batchPhones)
                {
                    _filePhones.TryAdd(key, value);
                }
            }

            return [.. results.Select(r => r!)];
        }

        /// <summary>Links the customers whose parent company came later in the file (or was created meanwhile and is visible).</summary>
        public async Task FinishAsync(CancellationToken ct)
        {
            if (_pendingParents.Count == 0)
            {
                return;
            }

            await using var db = await importer.Databases.OpenAsync(user, ct);
            var missing = _pendingParents.Select(p => p.ParentKey).Where(k => !_fileNames.ContainsKey(k)).Distinct().ToList();
            var visible = missing.Count == 0 ? [] : (await db.Customers.AsNoTracking()
                    .Where(c => c.NameKey != null && missing.Contains(c.NameKey))
                    .OrderBy(c => c.CreatedAt)
                    .Select(c => new { c.Id, c.NameKey })
                    .ToListAsync(ct))
                .GroupBy(c => c.NameKey!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
            foreach (var batch in _pendingParents.Chunk(500))
            {
                var ids = batch.Select(p => p.ChildId).ToList();
                var children = await db.Customers.Where(c => ids.Contains(c.Id) && c.ParentId == null).ToDictionaryAsync(c => c.Id, ct);
                foreach (var (childId, parentKey) in batch)
                {
                    Guid? parent = _fileNames.TryGetValue(parentKey, out var inFile) ? inFile.Id : visible.TryGetValue(parentKey, out var v) ? v : null;
                    if (parent is { } id && id != childId && children.TryGetValue(childId, out var child))
                    {
                        child.ParentId = id;
                    }
                }

                await db.SaveChangesAsync(ct);
            }

            _pendingParents.Clear();
        }

        /// <summary>The row's values as a customer, its contact and tags; or why the row cannot be imported.</summary>
        private (Draft? Draft, string? Problem) Read(int index, MappedRow row)
        {
            var kept = new List<string>();
            string? Text(string field)
            {
                var value = row[field]?.Trim();
                return string.IsNullOrEmpty(value) ? null : value;
            }

            // A value the import could not place is kept in the customer's notes and shown in the preview.
            void Keep(string field, string value) => kept.Add($"{importer.FieldLabel(field)}: {value}");

            var industryText = Text("industry");
            var industry = industryText is null ? null : industries.Find(industryText);
            if (industryText is not null && industry is null)
            {
                Keep("industry", industryText);
                industry = hasOtherIndustry ? OtherIndustry : null;
            }

            var sizeText = Text("size");
            var size = sizeText is null ? null : sizes.Find(sizeText) ?? sizes.Bucket(HeadCount(sizeText));
            if (sizeText is not null && size is null)
            {
                Keep("size", sizeText);
            }

            var source = settings.SourceChannel;
            if (Text("sourceChannel") is { } sourceText)
            {
                if (sources.Find(sourceText) is { } code)
                {
                    source = code;
                }
                else
                {
                    Keep("sourceChannel", sourceText);
                }
            }

            var grade = CustomerGrade.C;
            if (Text("grade") is { } gradeText)
            {
                if (Grade(gradeText) is { } g)
                {
                    grade = g;
                }
                else
                {
                    Keep("grade", gradeText);
                }
            }

            var stage = LifecycleStage.Prospect;
            if (Text("stage") is { } stageText)
            {
                if (Stage(stageText) is { } s)
                {
                    stage = s;
                }
                else
                {
                    Keep("stage", stageText);
                }
            }

            var tags = Text("tags") is { } tagText ? Tags(tagText) : [];
            var reasons = new List<string>();
            if (tags.Any(t => t.Length > 50) || tags.Count > MaxTags)
            {
                reasons.Add(L["CustomerImport.Reason.Tags", MaxTags].Value);
            }

            var fields = new ImportedFields(Text("name") ?? "", industry, Text("region"), Text("phone"), Text("website"), Text("address"), source,
                Text("notes"));
            foreach (var failure in Validator.Validate(fields).Errors)
            {
                var field = char.ToLowerInvariant(failure.PropertyName[0]) + failure.PropertyName[1..];
                var value = failure.AttemptedValue?.ToString() ?? "";
                reasons.Add(failure.ErrorCode switch
                {
                    "NotEmptyValidator" when field == "name" => L["CustomerImport.Reason.NeedsName"].Value,
                    "PhoneFormat" => L["CustomerImport.Reason.BadPhone", importer.FieldLabel(field), value].Value,
                    "WebAddress" => L["CustomerImport.Reason.BadWebsite", value].Value,
                    "MaximumLengthValidator" => L["CustomerImport.Reason.TooLong", importer.FieldLabel(field),
                        failure.FormattedMessagePlaceholderValues?.GetValueOrDefault("MaxLength") ?? ""].Value,
                    _ => $"{importer.FieldLabel(field)}: {failure.ErrorMessage}",
                });
            }

            if (fields.Phone is not null && DuplicateKeys.Phone(fields.Phone) is null && reasons.Count == 0)
            {
                reasons.Add(L["CustomerImport.Reason.BadPhone", importer.FieldLabel("phone"), fields.Phone].Value);
            }

            var contact = ReadContact(Text, Keep, reasons);
            if (reasons.Count > 0)
            {
                return (null, string.Join("; ", reasons.Distinct(StringComparer.Ordinal)));
            }

            var parentName = Text("parent");
            var customer = new Customer
            {
                Name = fields.Name,
                Industry = industry,
                Size = size,
                Region = fields.Region,
                Phone = fields.Phone,
                Website = fields.Website,
                Address = fields.Address,
                SourceChannel = source,
                Notes = fields.Notes,
                Grade = grade,
                Stage = stage,
                NameKey = DuplicateKeys.Company(fields.Name),
                PhoneKey = DuplicateKeys.Phone(fields.Phone),
            };
            return (new Draft(index, customer, contact, tags, parentName, DuplicateKeys.Company(parentName), Text("owner"), kept), null);
        }

        private Contact? ReadContact(Func<string, string?> text, Action<string, string> keep, List<string> reasons)
        {
            var name = text("contactName");
            if (name is null)
            {
                // Contact details without a name make no contact; they stay with the customer's notes.
                foreach (var field in ContactFields)
                {
                    if (text(field) is { } value)
                    {
                        keep(field, value);
                    }
                }

                return null;
            }

            var contact = new Contact
            {
                Name = name,
                Title = text("contactTitle"),
                Mobile = text("contactMobile"),
                Phone = text("contactPhone"),
                Email = text("contactEmail"),
                WeChat = text("contactWeChat"),
                IsPrimary = true,
            };
            foreach (var (field, value, max) in new[] { ("contactName", (string?)contact.Name, 100), ("contactTitle", contact.Title, 100),
                         ("contactMobile", contact.Mobile, 40), ("contactPhone", contact.Phone, 40), ("contactEmail", contact.Email, 200),
                         ("contactWeChat", contact.WeChat, 100) })
            {
                if (value is not null && value.Length > max)
                {
                    reasons.Add(L["CustomerImport.Reason.TooLong", importer.FieldLabel(field), max].Value);
                }
            }

            foreach (var (field, value) in new[] { ("contactMobile", contact.Mobile), ("contactPhone", contact.Phone) })
            {
                if (value is not null && DuplicateKeys.Phone(value) is null)
                {
                    reasons.Add(L["CustomerImport.Reason.BadPhone", importer.FieldLabel(field), value].Value);
                }
            }

            if (contact.Email is not null && DuplicateKeys.Email(contact.Email) is null)
            {
                reasons.Add(L["CustomerImport.Reason.BadEmail", contact.Email].Value);
            }

            contact.PhoneKey = DuplicateKeys.Phone(contact.Mobile) ?? DuplicateKeys.Phone(contact.Phone);
            contact.EmailKey = DuplicateKeys.Email(contact.Email);
            return contact;
        }

        /// <summary>The owner the row names (by e-mail, else by a name only one active person has), or the run's default.</summary>
        private string? Owner(Draft draft)
        {
            var customer = draft.Customer;
            if (draft.OwnerText is not { } text)
            {
                if (settings.AssignToMe)
                {
                    customer.OwnerId = user.Id;
                }
                else
                {
                    customer.PoolTeamId = teamId;
                }

                return null;
            }

            var matches = people.Where(p => string.Equals(p.Email, text, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 0)
            {
                matches = [.. people.Where(p => string.Equals(p.DisplayName, text, StringComparison.OrdinalIgnoreCase))];
            }

            if (matches.Count != 1)
            {
                return matches.Count == 0
                    ? L["CustomerImport.Reason.UnknownOwner", text].Value
                    : L["CustomerImport.Reason.AmbiguousOwner", text].Value;
            }

            var owner = matches[0];
            if (owner.Id != user.Id && !CustomerPool.Manages(user, owner.TeamId))
            {
                return L["CustomerImport.Reason.OwnerNotYours", owner.DisplayName].Value;
            }

            customer.OwnerId = owner.Id;
            return null;
        }

        private string? Duplicate(Customer customer, KnownRecords known, Dictionary<string, (int Row, Guid Id)> batchNames,
            Dictionary<string, int> batchPhones)
        {
            var nameLabel = importer.FieldLabel("name");
            var phoneLabel = importer.FieldLabel("phone");
            if (customer.NameKey is { } name)
            {
                if (known.ByName.TryGetValue(name, out var existing))
                {
                    return Match(existing, nameLabel);
                }

                if (batchNames.TryGetValue(name, out var earlier) || _fileNames.TryGetValue(name, out earlier))
                {
                    return L["CustomerImport.Duplicate.Row", earlier.Row, nameLabel].Value;
                }
            }

            if (customer.PhoneKey is { } phone)
            {
                if (known.ByPhone.TryGetValue(phone, out var existing))
                {
                    return Match(existing, phoneLabel);
                }

                if (batchPhones.TryGetValue(phone, out var row) || _filePhones.TryGetValue(phone, out row))
                {
                    return L["CustomerImport.Duplicate.Row", row, phoneLabel].Value;
                }
            }

            return null;
        }

        // A customer an earlier batch or run of this same job created is named by its row, as within one uninterrupted run.
        private string Match(KnownCustomer existing, string label) =>
            existing.ImportJobId == jobId && RowOf(existing.ImportKey) is { } row
                ? L["CustomerImport.Duplicate.Row", row, label].Value
                : L["CustomerImport.Duplicate.Customer", existing.Name, label].Value;

        private static int? RowOf(string? importKey) =>
            importKey is not null && int.TryParse(importKey[(importKey.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture, out var row) ? row : null;

        /// <summary>
        /// Existing customers with a batch's names or phones (whoever can see them: a duplicate is one regardless of scope;
        /// only names leave this method) and the rows earlier runs of this file created (deleted ones too).
        /// </summary>
        private static async Task<KnownRecords> KnownAsync(AppDbContext system, List<Draft> drafts, bool resumed, CancellationToken ct)
        {
            var names = drafts.Select(d => d.Customer.NameKey).OfType<string>().Distinct().ToList();
            var phones = drafts.Select(d => d.Customer.PhoneKey).OfType<string>().Distinct().ToList();
            var keys = resumed ? drafts.Select(d => d.Customer.ImportKey!).ToList() : [];
            var imported = keys.Count == 0 ? [] : await system.Customers.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).AsNoTracking()
                .Where(c => keys.Contains(c.ImportKey!))
                .Select(c => new { c.ImportKey, c.Id, c.ParentId, c.ImportJobId })
                .ToDictionaryAsync(c => c.ImportKey!, c => (c.Id, c.ParentId, c.ImportJobId), StringComparer.Ordinal, ct);
            var importedIds = imported.Values.Select(v => v.Id).ToHashSet();
            var customers = system.Customers.AsNoTracking();
            var byName = names.Count == 0 ? [] : (await customers.Where(c => names.Contains(c.NameKey!)).OrderBy(c => c.CreatedAt)
                    .Select(c => new { Key = c.NameKey!, Customer = new KnownCustomer(c.Id, c.Name, c.ImportJobId, c.ImportKey) }).ToListAsync(ct))
                .Where(c => !importedIds.Contains(c.Customer.Id))
                .GroupBy(c => c.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Customer, StringComparer.Ordinal);
            var byPhone = phones.Count == 0 ? [] : (await customers.Where(c => phones.Contains(c.PhoneKey!)).OrderBy(c => c.CreatedAt)
                    .Select(c => new { Key = c.PhoneKey!, Customer = new KnownCustomer(c.Id, c.Name, c.ImportJobId, c.ImportKey) }).ToListAsync(ct))
                .Where(c => !importedIds.Contains(c.Customer.Id))
                .GroupBy(c => c.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Customer, StringComparer.Ordinal);
            return new KnownRecords(byName, byPhone, imported);
        }

        private static string? Join(string? notes, IEnumerable<string> kept)
        {
            var all = string.Join("\n", new[] { notes }.Concat(kept).OfType<string>());
            return all.Length == 0 ? null : all.Length > 4000 ? all[..4000] : all;
        }
    }

    private sealed record KnownRecords(
        Dictionary<string, KnownCustomer> ByName,
        Dictionary<string, KnownCustomer> ByPhone,
        Dictionary<string, (Guid Id, Guid? ParentId, Guid? ImportJobId)> Imported);

    private sealed record KnownCustomer(Guid Id, string Name, Guid? ImportJobId, string? ImportKey);

    private sealed record ImportedFields(string Name, string? Industry, string? Region, string? Phone, string? Website, string? Address,
        string? SourceChannel, string? Notes) : ICustomerFields
    {
        // Size, grade, stage, parent and tags are read and checked by the importer itself (codes, names of this file).
        public string? Size => null;
        public CustomerGrade? Grade => null;
        public LifecycleStage? Stage => null;
        public Guid? ParentId => null;
        public IReadOnlyList<string>? Tags => null;
    }
}
