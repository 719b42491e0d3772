using System.Globalization;
using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Notifications;
using LeadToCash.Modules.Options;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Import;
using LeadToCash.Platform.Localization;
using LeadToCash.Platform.Matching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Modules.Leads.ImportLeads;

/// <summary>
/// Leads through the spreadsheet import pipeline: the fields and their Chinese and English headers, how a row becomes a
/// lead (option labels to codes, budgets to minor units, unknown values kept in the notes), and batches that are
/// checked for duplicates with one query per key kind and saved in one transaction each (leads and their history rows
/// in bulk, see <see cref="BulkInsert"/>).
/// </summary>
public sealed partial class LeadImporter(IDbContextFactory<AppDbContext> dbFactory, LeadDesk desk, TimeProvider clock,
    IStringLocalizer<SharedResource> strings, ILogger<LeadImporter> log) : IRecordImporter
{
    public const string DefaultSource = "other";

    private static readonly LeadFieldsValidator Validator = new();

    private static readonly ImportField[] LeadFields =
    [
        new("companyName", false, "公司名称", "公司", "企业名称", "企业", "单位名称", "单位", "客户名称", "客户", "机构", "Company", "Company Name", "Account", "Account Name", "Organization", "Organisation"),
        new("contactName", false, "联系人", "姓名", "联系人姓名", "名字", "Contact", "Contact Name", "Contact Person", "Name", "Full Name"),
        new("title", false, "职位", "职务", "头衔", "岗位", "Title", "Job Title", "Position"),
        new("mobile", false, "手机", "手机号", "手机号码", "移动电话", "联系人手机", "Mobile", "Mobile Phone", "Cell", "Cellphone", "Cell Phone"),
        new("phone", false, "电话", "座机", "固定电话", "联系电话", "联系人电话", "办公电话", "电话号码", "Phone", "Telephone", "Tel", "Phone Number", "Office Phone"),
        new("email", false, "邮箱", "电子邮箱", "电子邮件", "邮件", "邮箱地址", "Email", "E-mail", "Mail", "Email Address"),
        new("weChat", false, "微信", "微信号", "WeChat", "Weixin", "WeChat ID"),
        new("industry", false, "行业", "所属行业", "行业类别", "Industry", "Sector"),
        new("companySize", false, "规模", "公司规模", "企业规模", "人员规模", "员工人数", "员工数", "人数", "Company Size", "Size", "Employees", "Headcount", "Employee Count"),
        new("region", false, "地区", "区域", "所在地区", "城市", "省份", "所在地", "Region", "Area", "City", "Location", "Office Location", "Country", "Province"),
        new("budget", false, "预算", "预算金额", "采购预算", "Budget"),
        new("purchaseTimeframe", false, "采购时间", "预计采购时间", "采购周期", "购买时间", "Timeframe", "Purchase Timeframe", "Purchase Time"),
        new("decisionMaker", false, "决策人", "是否决策人", "关键决策人", "Decision Maker"),
        new("need", false, "需求", "需求描述", "客户需求", "Need", "Needs", "Requirement", "Requirements"),
        new("notes", true, "备注", "说明", "Notes", "Note", "Remark", "Remarks", "Comment", "Comments"),
        new("sourceChannel", false, "来源", "线索来源", "渠道", "来源渠道", "Source", "Channel", "Lead Source"),
        new("tags", false, "标签", "Tags", "Tag", "Labels"),
    ];

    public string RecordType => Lead.RecordType;

    public string Permission => Permissions.LeadsImport;

    public IReadOnlyList<ImportField> Fields => LeadFields;

    public void EnsureMappingUsable(IReadOnlyCollection<string> mappedFields)
    {
        if (!mappedFields.Contains("companyName") && !mappedFields.Contains("contactName"))
        {
            throw new ValidationException([new ValidationFailure("columns",
                "Map a column to the company or the contact name: a lead needs one of them.")]);
        }
    }

    public async Task<ImportSettings> CompleteSettingsAsync(CurrentUser user, ImportSettings settings, CancellationToken ct)
    {
        user.Require(Permission);
        await using var db = await dbFactory.OpenAsync(user, ct);
        return await ImportTeam.CompleteAsync(db, user, settings, DefaultSource,
            "Choose the team whose pool receives the leads.", "You can import leads only into your own teams.", ct);
    }

    public async Task<IImportBatchWriter> OpenAsync(CurrentUser user, Guid jobId, string fileHash, ImportSettings settings, CancellationToken ct)
    {
        await using var db = await dbFactory.OpenAsync(user, ct);
        var rules = await LeadDesk.RulebookAsync(db, ct);
        var options = await db.OptionItems.AsNoTracking()
            .Where(o => o.IsActive && (o.ListKey == OptionLists.Industries || o.ListKey == OptionLists.SourceChannels || o.ListKey == OptionLists.CompanySizes))
            .Select(o => new { o.ListKey, o.Code, o.LabelZh, o.LabelEn })
            .ToListAsync(ct);
        var teamId = settings.TeamId ?? user.TeamId ?? Guid.Empty;
        var autoConfirm = await db.Teams.AsNoTracking().Where(t => t.Id == teamId).Select(t => t.AutoConfirmLeadGrades).FirstOrDefaultAsync(ct);
        OptionMatcher Matcher(string list) => new([.. options.Where(o => o.ListKey == list).Select(o => (o.Code, o.LabelZh, o.LabelEn))]);
        return new LeadBatchWriter(this, user, jobId, fileHash[..Math.Min(40, fileHash.Length)], settings, teamId, autoConfirm, rules,
            Matcher(OptionLists.Industries), Matcher(OptionLists.SourceChannels), Matcher(OptionLists.CompanySizes));
    }

    private IDbContextFactory<AppDbContext> Databases => dbFactory;

    private LeadDesk Desk => desk;

    private TimeProvider Clock => clock;

    private IStringLocalizer<SharedResource> Strings => strings;

    private ILogger<LeadImporter> Log => log;

    private string FieldLabel(string key) => strings[$"LeadImport.Field.{key}"];

    /// <summary>One run's state: the rulebook, option lists and choices, read once; the keys seen in the current batch.</summary>
    private sealed class LeadBatchWriter(LeadImporter importer, CurrentUser user, Guid jobId, string keyPrefix, ImportSettings settings,
        Guid teamId, bool autoConfirm, LeadRulebook rules, OptionMatcher industries, OptionMatcher sources, OptionMatcher sizes)
        : IImportBatchWriter
    {
        private long _assignments;
        private bool? _resumed;

        private IStringLocalizer<SharedResource> L => importer.Strings;

        public async Task<IReadOnlyList<RowResult>> ProcessAsync(IReadOnlyList<MappedRow> rows, bool commit, CancellationToken ct)
        {
            var clock = importer.Clock;
            var started = clock.GetTimestamp();
            var now = clock.GetUtcNow().UtcDateTime;
            var screeningDue = LeadRules.ScreeningDeadline(now, rules.Settings, rules.Calendar);
            var results = new RowResult?[rows.Count];
            var drafts = new List<(int Index, Lead Lead, bool Incomplete, string? Note)>(rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                var (lead, problem, note) = Read(rows[i], now);
                if (problem is not null)
                {
                    results[i] = new RowResult(rows[i].Number, RowOutcome.Rejected, problem);
                    continue;
                }

                lead!.ImportKey = $"{keyPrefix}:{rows[i].Number.ToString(CultureInfo.InvariantCulture)}";
                LeadDesk.Derive(lead, rules);
                drafts.Add((i, lead, lead.IsIncomplete, note));
            }

            var read = clock.GetTimestamp();
            await using var system = await importer.Databases.OpenAsSystemAsync(ct);
            // Rows of this file are looked up only when an earlier run created some (a resumed or repeated import).
            _resumed ??= await system.Leads.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter])
                .AnyAsync(l => l.ImportKey != null && l.ImportKey.StartsWith(keyPrefix + ":"), ct);
            var known = await KnownAsync(system, drafts.Select(d => d.Lead).ToList(), _resumed.Value, ct);
            var roster = autoConfirm && !settings.AssignToMe && commit ? [.. await importer.Desk.RosterAsync(teamId, ct)] : new List<RosterRep>();
            var looked = clock.GetTimestamp();
            var seen = new Dictionary<string, (int Row, Guid Id)>(StringComparer.Ordinal);
            var created = new List<Lead>(drafts.Count);
            foreach (var (index, lead, incomplete, note) in drafts)
            {
                var row = rows[index].Number;
                if (known.Imported.TryGetValue(lead.ImportKey!, out var importedBy))
                {
                    results[index] = new RowResult(row, RowOutcome.AlreadyImported, L["LeadImport.Reason.AlreadyImported"].Value, ImportedByThisJob: importedBy == jobId);
                    continue;
                }

                var match = Match(lead, known, seen);
                foreach (var key in Keys(lead))
                {
                    seen.TryAdd(key, (row, lead.Id));
                }

                if (match is not null && rules.Settings.DuplicateMode == DuplicateMode.Block)
                {
                    results[index] = new RowResult(row, RowOutcome.Duplicate, L["LeadImport.Reason.Duplicate", match.Value.Text].Value, match.Value.Text, incomplete);
                    continue;
                }

                if (match is { } m)
                {
                    lead.DuplicateOfLeadId = m.LeadId;
                    lead.DuplicateOfCustomerId = m.CustomerId;
                    lead.DuplicateField = m.Field;
                }

                Place(lead, now, screeningDue, roster);
                created.Add(lead);
                results[index] = new RowResult(row, commit ? RowOutcome.Created : RowOutcome.Ready, note, match?.Text, incomplete);
            }

            var placed = clock.GetTimestamp();
            if (commit && created.Count > 0)
            {
                // The leads and their "created" history rows in bulk (COPY / one prepared INSERT), then the notifications
                // of leads the assignment rules gave to someone else through EF, all in one transaction per batch.
                await using var db = await importer.Databases.OpenAsync(user, ct);
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await BulkInsert.AddCreatedAsync(db, created, clock.GetUtcNow().UtcDateTime, ct);
                var notified = false;
                foreach (var lead in created.Where(l => l.OwnerId is { } owner && owner != user.Id))
                {
                    Notify.Add(db, lead.OwnerId!.Value, "lead.assigned", LeadDesk.LeadLink(lead.Id), Lead.RecordType, lead.Id, now,
                        lead.CompanyName ?? lead.ContactName ?? "");
                    notified = true;
                }

                if (notified)
                {
                    await db.SaveChangesAsync(ct);
                }

                await transaction.CommitAsync(ct);
            }

            if (commit && importer.Log.IsEnabled(LogLevel.Debug))
            {
                double readMs = clock.GetElapsedTime(started, read).TotalMilliseconds, lookupMs = clock.GetElapsedTime(read, looked).TotalMilliseconds,
                    placeMs = clock.GetElapsedTime(looked, placed).TotalMilliseconds, saveMs = clock.GetElapsedTime(placed).TotalMilliseconds;
                BatchTimed(importer.Log, jobId, rows.Count, created.Count, readMs, lookupMs, placeMs, saveMs);
            }

            return [.. results.Select(r => r!)];
        }

        /// <summary>Unowned leads wait in the team's pool for screening; "assign to me" and auto-confirming teams as on capture.</summary>
        private void Place(Lead lead, DateTime now, DateTime screeningDue, List<RosterRep> roster)
        {
            lead.ScreeningDueAt = screeningDue;
            lead.Status = LeadStatus.New;
            lead.PoolTeamId = lead.TeamId;
            if (settings.AssignToMe)
            {
                LeadDesk.StartOwnership(lead, user.Id, user.Id, now, rules);
            }

            if (!autoConfirm)
            {
                return;
            }

            lead.Grade = lead.SuggestedGrade;
            lead.ScreenedAt = now;
            if (lead.OwnerId is not null)
            {
                lead.FirstTouchDueAt = LeadRules.FirstTouchDeadline(lead.AssignedAt!.Value, lead.Grade.Value, rules.Settings, rules.Calendar);
                return;
            }

            var rep = lead.Grade == LeadGrade.C && rules.Settings.SendCToPool ? null : LeadDesk.PickRep(roster, lead.Grade.Value, rules.Settings, now);
            if (rep is null)
            {
                LeadDesk.ReturnToPool(lead);
                return;
            }

            LeadDesk.StartOwnership(lead, rep.Value, null, now, rules);
            // The next pick of this batch sees the assignment, as the next capture would.
            var at = roster.FindIndex(r => r.UserId == rep.Value);
            roster[at] = roster[at] with { LastAssignedAt = now.AddTicks(++_assignments), OpenLeads = roster[at].OpenLeads + 1 };
        }

        /// <summary>A row as a lead (not yet derived), or why it cannot be one; and what was kept in the notes.</summary>
        private (Lead? Lead, string? Problem, string? Note) Read(MappedRow row, DateTime now)
        {
            var notes = new List<string>();
            string? Text(string field)
            {
                var value = row[field]?.Trim();
                return string.IsNullOrEmpty(value) ? null : value;
            }

            string? Option(OptionMatcher matcher, string field)
            {
                var value = Text(field);
                if (value is null)
                {
                    return null;
                }

                var code = matcher.Find(value);
                if (code is null)
                {
                    notes.Add($"{importer.FieldLabel(field)}: {value}");
                }

                return code;
            }

            var industry = Option(industries, "industry");
            var sizeText = Text("companySize");
            var size = sizeText is null ? null : sizes.Find(sizeText) ?? sizes.Bucket(LeadValues.HeadCount(sizeText));
            if (sizeText is not null && size is null)
            {
                notes.Add($"{importer.FieldLabel("companySize")}: {sizeText}");
            }

            var source = settings.SourceChannel ?? DefaultSource;
            if (Text("sourceChannel") is { } sourceText)
            {
                if (sources.Find(sourceText) is { } code)
                {
                    source = code;
                }
                else
                {
                    notes.Add($"{importer.FieldLabel("sourceChannel")}: {sourceText}");
                }
            }

            long? budget = null;
            if (Text("budget") is { } budgetText && (budget = LeadValues.BudgetMinor(budgetText)) is null)
            {
                notes.Add($"{importer.FieldLabel("budget")}: {budgetText}");
            }

            int? months = null;
            if (Text("purchaseTimeframe") is { } timeText && (months = LeadValues.PurchaseWithinMonths(timeText, now)) is null)
            {
                notes.Add($"{importer.FieldLabel("purchaseTimeframe")}: {timeText}");
            }

            var decisionMaker = false;
            if (Text("decisionMaker") is { } dmText)
            {
                if (LeadValues.YesNo(dmText) is { } yes)
                {
                    decisionMaker = yes;
                }
                else
                {
                    notes.Add($"{importer.FieldLabel("decisionMaker")}: {dmText}");
                }
            }

            var givenNotes = Text("notes");
            var allNotes = string.Join("\n", new[] { givenNotes }.Concat(notes).OfType<string>());
            var fields = new LeadRowFields(
                SourceChannel: source,
                CompanyName: Text("companyName"),
                ContactName: Text("contactName"),
                Title: Text("title"),
                Mobile: Text("mobile"),
                Phone: Text("phone"),
                Email: Text("email"),
                WeChat: Text("weChat"),
                Industry: industry,
                CompanySize: size,
                Region: Text("region"),
                BudgetMinor: budget,
                PurchaseWithinMonths: months,
                DecisionMakerIdentified: decisionMaker,
                Need: Text("need"),
                Notes: allNotes.Length == 0 ? null : allNotes.Length > 4000 ? allNotes[..4000] : allNotes,
                Tags: LeadValues.Tags(Text("tags")));

            if (Problem(fields) is { } problem)
            {
                return (null, problem, null);
            }

            var lead = new Lead
            {
                SourceChannel = source,
                CapturedAt = now,
                CompanyName = fields.CompanyName,
                ContactName = fields.ContactName,
                Title = fields.Title,
                Mobile = fields.Mobile,
                Phone = fields.Phone,
                Email = fields.Email,
                WeChat = fields.WeChat,
                Industry = fields.Industry,
                CompanySize = fields.CompanySize,
                Region = fields.Region,
                BudgetMinor = fields.BudgetMinor,
                PurchaseWithinMonths = fields.PurchaseWithinMonths,
                DecisionMakerIdentified = fields.DecisionMakerIdentified,
                Need = fields.Need,
                Notes = fields.Notes,
                Tags = fields.Tags,
                TeamId = teamId,
                ImportJobId = jobId,
            };
            return (lead, null, notes.Count > 0 ? L["LeadImport.Noted", string.Join("; ", notes)].Value : null);
        }

        /// <summary>The shared lead rules, plus: a phone must have enough digits to dial. Reasons in the run's language.</summary>
        private string? Problem(LeadRowFields fields)
        {
            var reasons = new List<string>();
            foreach (var failure in Validator.Validate(fields).Errors)
            {
                var field = char.ToLowerInvariant(failure.PropertyName[0]) + failure.PropertyName[1..];
                var value = failure.AttemptedValue?.ToString() ?? "";
                reasons.Add(failure.ErrorCode switch
                {
                    "LeadNeedsName" => L["LeadImport.Reason.NeedsName"].Value,
                    "PhoneFormat" => L["LeadImport.Reason.BadPhone", importer.FieldLabel(field), value].Value,
                    "EmailValidator" => L["LeadImport.Reason.BadEmail", value].Value,
                    "MaximumLengthValidator" => L["LeadImport.Reason.TooLong", importer.FieldLabel(field),
                        failure.FormattedMessagePlaceholderValues?.GetValueOrDefault("MaxLength") ?? ""].Value,
                    _ => $"{importer.FieldLabel(field)}: {failure.ErrorMessage}",
                });
            }

            foreach (var (field, value) in new[] { ("mobile", fields.Mobile), ("phone", fields.Phone) })
            {
                if (value is not null && DuplicateKeys.Phone(value) is null && reasons.Count == 0)
                {
                    reasons.Add(L["LeadImport.Reason.BadPhone", importer.FieldLabel(field), value].Value);
                }
            }

            return reasons.Count == 0 ? null : string.Join("; ", reasons.Distinct(StringComparer.Ordinal));
        }

        private (string Text, string Field, Guid? LeadId, Guid? CustomerId)? Match(Lead lead, KnownRecords known,
            Dictionary<string, (int Row, Guid Id)> seen)
        {
            foreach (var (field, key, leads, customers) in new[]
                {
                    ("phone", lead.PhoneKey, known.LeadsByPhone, known.CustomersByPhone),
                    ("email", lead.EmailKey, known.LeadsByEmail, null),
                    ("company", lead.CompanyKey, known.LeadsByCompany, known.CustomersByName),
                })
            {
                if (key is null)
                {
                    continue;
                }

                var label = FieldName(field);
                if (leads.TryGetValue(key, out var existing))
                {
                    var text = existing.ImportJobId == jobId && RowOf(existing.ImportKey) is { } earlierRow
                        ? L["LeadImport.Duplicate.Row", earlierRow, label].Value
                        : L["LeadImport.Duplicate.Lead", existing.Name, label].Value;
                    return (text, field, existing.Id, null);
                }

                if (seen.TryGetValue($"{field}:{key}", out var sameFile))
                {
                    return (L["LeadImport.Duplicate.Row", sameFile.Row, label].Value, field, sameFile.Id, null);
                }

                if (customers is not null && customers.TryGetValue(key, out var customer))
                {
                    return (L["LeadImport.Duplicate.Customer", customer.Name, label].Value, field, null, customer.Id);
                }
            }

            return null;
        }

        private string FieldName(string field) => field switch
        {
            "phone" => importer.FieldLabel("phone"),
            "email" => importer.FieldLabel("email"),
            _ => importer.FieldLabel("companyName"),
        };

        private static int? RowOf(string? importKey) =>
            importKey is not null && int.TryParse(importKey[(importKey.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture, out var row) ? row : null;

        private static IEnumerable<string> Keys(Lead lead)
        {
            if (lead.PhoneKey is { } phone)
            {
                yield return "phone:" + phone;
            }

            if (lead.EmailKey is { } email)
            {
                yield return "email:" + email;
            }

            if (lead.CompanyKey is { } company)
            {
                yield return "company:" + company;
            }
        }

        /// <summary>
        /// What a batch's keys match, in one query per kind of key: existing leads and customers (whoever can see them:
        /// a duplicate is one regardless of scope; only names leave this method) and rows imported by earlier runs.
        /// </summary>
        private static async Task<KnownRecords> KnownAsync(AppDbContext system, List<Lead> leads, bool resumed, CancellationToken ct)
        {
            var phones = leads.Select(l => l.PhoneKey).OfType<string>().Distinct().ToList();
            var emails = leads.Select(l => l.EmailKey).OfType<string>().Distinct().ToList();
            var companies = leads.Select(l => l.CompanyKey).OfType<string>().Distinct().ToList();
            var importKeys = resumed ? leads.Select(l => l.ImportKey!).ToList() : [];

            var active = system.Leads.AsNoTracking().Where(l => l.Status != LeadStatus.Merged);
            async Task<Dictionary<string, KnownLead>> LeadsAsync(IQueryable<Lead> query, Func<KnownLead, string> key) =>
                (await query.OrderBy(l => l.CreatedAt)
                    .Select(l => new KnownLead(l.Id, l.CompanyName ?? l.ContactName ?? "", l.PhoneKey, l.EmailKey, l.CompanyKey, l.ImportJobId, l.ImportKey))
                    .ToListAsync(ct))
                .GroupBy(key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

            var byPhone = phones.Count == 0 ? [] : await LeadsAsync(active.Where(l => phones.Contains(l.PhoneKey!)), l => l.PhoneKey!);
            var byEmail = emails.Count == 0 ? [] : await LeadsAsync(active.Where(l => emails.Contains(l.EmailKey!)), l => l.EmailKey!);
            var byCompany = companies.Count == 0 ? [] : await LeadsAsync(active.Where(l => companies.Contains(l.CompanyKey!)), l => l.CompanyKey!);

            var customers = system.Customers.AsNoTracking();
            var customersByPhone = phones.Count == 0 ? [] : (await customers.Where(c => phones.Contains(c.PhoneKey!)).OrderBy(c => c.CreatedAt)
                    .Select(c => new KnownCustomer(c.Id, c.Name, c.PhoneKey!)).ToListAsync(ct))
                .GroupBy(c => c.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var customersByName = companies.Count == 0 ? [] : (await customers.Where(c => companies.Contains(c.NameKey!)).OrderBy(c => c.CreatedAt)
                    .Select(c => new KnownCustomer(c.Id, c.Name, c.NameKey!)).ToListAsync(ct))
                .GroupBy(c => c.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

            // Deleted leads keep their import key (it is unique): a re-run must not create them again either.
            var imported = importKeys.Count == 0 ? [] : await system.Leads.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).AsNoTracking()
                .Where(l => importKeys.Contains(l.ImportKey!))
                .Select(l => new { l.ImportKey, l.ImportJobId })
                .ToDictionaryAsync(l => l.ImportKey!, l => l.ImportJobId, StringComparer.Ordinal, ct);

            return new KnownRecords(byPhone, byEmail, byCompany, customersByPhone, customersByName, imported);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Import {JobId}: {Rows} rows, {Created} created; read and derive {ReadMs:0.0} ms, " +
        "duplicate lookup {LookupMs:0.0} ms, match and place {PlaceMs:0.0} ms, save {SaveMs:0.0} ms")]
    private static partial void BatchTimed(ILogger logger, Guid jobId, int rows, int created, double readMs, double lookupMs, double placeMs, double saveMs);

    private sealed record KnownLead(Guid Id, string Name, string? PhoneKey, string? EmailKey, string? CompanyKey, Guid? ImportJobId, string? ImportKey);

    private sealed record KnownCustomer(Guid Id, string Name, string Key);

    private sealed record KnownRecords(
        Dictionary<string, KnownLead> LeadsByPhone,
        Dictionary<string, KnownLead> LeadsByEmail,
        Dictionary<string, KnownLead> LeadsByCompany,
        Dictionary<string, KnownCustomer> CustomersByPhone,
        Dictionary<string, KnownCustomer> CustomersByName,
        Dictionary<string, Guid?> Imported);

    private sealed record LeadRowFields(
        string? SourceChannel, string? CompanyName, string? ContactName, string? Title, string? Mobile, string? Phone, string? Email,
        string? WeChat, string? Industry, string? CompanySize, string? Region, long? BudgetMinor, int? PurchaseWithinMonths,
        bool DecisionMakerIdentified, string? Need, string? Notes, string? Tags) : ILeadFields;
}
