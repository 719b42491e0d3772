using System.Text.RegularExpressions;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Architecture;

/// <summary>
/// Data scope is enforced in one place, the "Scope" query filter (docs/adr/0003-data-scope.md). These tests keep
/// every way around it visible: each use must be listed here with the reason it is safe.
/// </summary>
public sealed partial class ScopeBypassTests
{
    private const string LeadJobReason =
        "A background job of the lead process: it reads and marks leads of every team as the system (no one is signed " +
        "in; the history names no one) and tells each person only about leads of their own team or their reports.";

    /// <summary>Reviewed uses: (file under src/LeadToCash, what it uses, why that is safe). Counted per file and kind.</summary>
    private static readonly (string File, string Kind, int Count, string Reason)[] AllowList =
    [
        ("Platform/Auth/ApiTokens.cs", "ExecuteUpdate", 1,
            "Stamps ApiTokens.LastUsedAt of the token being authenticated; ApiToken is not a scoped record."),
        ("Modules/Audit/History.cs", "IgnoreQueryFilters", 4,
            "Ignores only the SoftDelete filter (history and recycle bin of deleted customers, and the name of a deleted parent " +
            "company in a customer's history); the Scope filter still applies."),
        ("Modules/Options/OptionsModule.cs", "IgnoreQueryFilters", 1,
            "Ignores only SoftDelete on OptionItems (not scoped) so that a deleted code is not reused."),
        ("Modules/Opportunities/DefaultPipeline.cs", "IgnoreQueryFilters", 1,
            "Pipelines are not scoped; the soft-delete filter is ignored so that a deleted default pipeline is not re-created."),
        ("Modules/Organization/FirstRun/Setup.cs", "IgnoreQueryFilters", 1,
            "Ignores only SoftDelete on OptionItems (not scoped) while adding the default lists."),
        ("Modules/Organization/FirstRun/Setup.cs", "OpenAsSystem", 2,
            "First-run setup of an empty installation: company settings, top team, reference data."),
        ("Modules/Company/CompanySettingsHandler.cs", "OpenAsSystem", 1,
            "The working calendar reads company settings and holidays, which are not scoped records."),
        ("Modules/Customers/Timeline/TimelineSources.cs", "IgnoreQueryFilters", 1,
            "Ignores only SoftDelete on Contacts (not scoped; reached through the customer, whose visibility the timeline handler " +
            "checked) so that removed contacts and their history stay on the customer's timeline."),
        ("Modules/FollowUps/Settings/CustomerSettingsHandler.cs", "DataScope.System", 1,
            "Saving the customer rules (settings.manage: the Admin) recomputes the follow-up due date of every owned customer, a " +
            "date derived from the new cadence; the command sees all customers for that and names the Admin in the history."),
        ("Modules/FollowUps/Settings/CustomerSettingsHandler.cs", "ExecuteUpdate", 1,
            "Writes only the derived FollowUpDueAt of owned customers, grouped by value, in the settings' transaction: no new " +
            "version or history row for a date nobody edited; nothing is read back to the caller."),
        ("Modules/FollowUps/Jobs/FollowUpMorningReminderJob.cs", "OpenAsSystem", 1,
            "The 08:30 reminder counts each owner's own customers due for a follow-up as the system (no one is signed in) and " +
            "tells each owner only their own counts."),
        ("Modules/Receivables/Jobs/OverdueReminderJob.cs", "OpenAsSystem", 1,
            "The overdue reminder runs with no one signed in: it reads the instalments still owed on every signed contract and " +
            "tells only each contract's owner and their manager, who can see that contract."),
        ("Modules/Leads/LeadDesk.cs", "OpenAsSystem", 3,
            "The duplicate check and the rep roster read across scopes (a duplicate or a rep's load counts whoever can see " +
            "it), and a rep who lost a claim hears who won; they return only ids, names and counts."),
        ("Modules/Leads/WebForms/WebFormIntake.cs", "OpenAsSystem", 1,
            "A website visitor has no account: the public intake captures the lead in the system's name into the form's team; " +
            "the answer carries no data."),
        ("Modules/Leads/WebForms/WebFormIntake.cs", "ExecuteUpdate", 1,
            "Counts submissions on the WebForm (not a scoped record) without bumping its version or writing a history row."),
        ("Modules/Leads/ImportLeads/LeadImporter.cs", "OpenAsSystem", 1,
            "The import's batched duplicate check reads leads and customers across scopes (a duplicate is one whoever can see " +
            "it; only names and ids leave it) and which rows of the file earlier runs created."),
        ("Modules/Leads/ImportLeads/LeadImporter.cs", "IgnoreQueryFilters", 2,
            "Ignores only SoftDelete when looking up import keys: a deleted lead keeps its unique key, so a re-run must skip it too."),
        ("Modules/Leads/Jobs/FirstTouchReminderJob.cs", "OpenAsSystem", 1, LeadJobReason),
        ("Modules/Leads/Jobs/EscalationJob.cs", "OpenAsSystem", 2, LeadJobReason),
        ("Modules/Leads/Jobs/ScreeningOverdueJob.cs", "OpenAsSystem", 1, LeadJobReason),
        ("Modules/Leads/Jobs/PoolReturnJob.cs", "OpenAsSystem", 2, LeadJobReason),
        ("Modules/Leads/Jobs/DailyDigestJob.cs", "OpenAsSystem", 1, LeadJobReason),
        ("Modules/Customers/Pool/CustomerPoolReturnJob.cs", "OpenAsSystem", 2,
            "The customer pool-return job: it reads every team's owned customers as the system (no one is signed in; the " +
            "history names no one), returns the due ones to their owner's team pool and tells only the former owner."),
        ("Modules/Contracts/Editing/ContractEditing.cs", "OpenAsSystem", 1,
            "Contract numbers count per company, not per scope: the new contract's number is taken after the largest existing one, " +
            "reading only the Number column of contracts with the same rendered prefix; nothing else is read or returned."),
        ("Modules/Contracts/Jobs/ContractArchiveReminderJob.cs", "OpenAsSystem", 1,
            "The archive reminder job: finds every won opportunity without a signed, archived contract after the company's deadline " +
            "as the system (no one is signed in) and tells only the opportunity's owner, once."),
        ("Modules/Customers/Pool/ClaimCustomer.cs", "OpenAsSystem", 1,
            "A rep who lost a claim race hears who won: reads only the new owner and their team, and answers 404 unless the " +
            "customer was in a pool the rep sees (as the lead claim does)."),
        ("Modules/Customers/Pool/PoolRules.cs", "IgnoreQueryFilters", 1,
            "Ignores only SoftDelete on CustomerPoolRules (not scoped): a removed team rule keeps its unique team key and is revived."),
        ("Modules/Customers/ImportCustomers/CustomerImporter.cs", "OpenAsSystem", 1,
            "The import's batched duplicate check reads customers across scopes (a duplicate is one whoever can see it; only " +
            "names leave it) and which rows of the file earlier runs created. Parents are linked only among visible customers."),
        ("Modules/Customers/ImportCustomers/CustomerImporter.cs", "IgnoreQueryFilters", 2,
            "Ignores only SoftDelete when looking up import keys: a deleted customer keeps its unique key, so a re-run skips it too."),
        ("Modules/Opportunities/ImportOpportunities/OpportunityImporter.cs", "OpenAsSystem", 1,
            "The import's re-run check reads which rows of the file earlier runs created, whoever owns those deals now (only " +
            "import keys and job ids leave it); customers, owners and the deals written are the importing user's own scope."),
        ("Modules/Opportunities/ImportOpportunities/OpportunityImporter.cs", "IgnoreQueryFilters", 1,
            "Ignores only SoftDelete when looking up import keys: a deleted deal keeps its unique key, so a re-run skips it too."),
        ("Modules/Notifications/Inbox/NotificationInbox.cs", "ExecuteUpdate", 1,
            "Marks the caller's own notifications read (filtered by UserId); Notification is not a scoped record."),
        ("Platform/Cli/CommandLine.cs", "OpenAsSystem", 1,
            "Adds the demo leads to the demo company just seeded into an empty database."),
        ("Platform/Cli/ScaleData.cs", "OpenAsSystem", 6,
            "The seed-scale command fills an EMPTY database (it refuses one with users) with generated benchmark data."),
        ("Platform/Cli/ScaleData.cs", "BulkInsert", 17,
            "The seed-scale command writes its generated new rows in bulk into an empty database."),
        ("Platform/Cli/ScaleData.cs", "ExecuteSql", 4,
            "ANALYZE after seed-scale, so the planner knows the table sizes; on SQLite the bulk load's connection settings " +
            "(no syncs, a larger page cache and memory map, fewer checkpoints) and the FTS5 search tables' merge settings during " +
            "the load, with one 'optimize' and FTS5's defaults at its end (table names from SearchIndex); they read and change " +
            "no record."),
        ("Platform/Cli/ScaleDeals.cs", "OpenAsSystem", 1,
            "seed-scale reads the default pipeline's stages and the quote settings of the empty database it fills."),
        ("Platform/Cli/ScaleDeals.cs", "BulkInsert", 7,
            "The seed-scale command writes its generated products, opportunities, stage entries, quotes and their history in bulk."),
        ("Platform/Cli/ScaleHistory.cs", "OpenAsSystem", 1,
            "seed-scale counts the history rows already written into the database it fills, to write the rest of its total."),
        ("Platform/Cli/ScaleHistory.cs", "BulkInsert", 1,
            "The seed-scale command writes its generated field-change history rows in bulk."),
        ("Platform/Cli/DemoData.cs", "OpenAsSystem", 1,
            "Seeds the demo company into an empty database from the command line."),
        ("Platform/Cli/DemoDeals.cs", "OpenAsSystem", 1,
            "The demo's deals, added once to the demo company just seeded: reads its people, pipeline and customers to cast the " +
            "story (the deals themselves go through the real commands as their demo users) and writes the story's times back."),
        ("Platform/Cli/DemoDealsPast.cs", "ExecuteUpdate", 9,
            "Writes the demo deals' times (created, stage entered, sent, signed, settled…) over the present the commands stamped, " +
            "one record by id at a time, on the demo company just seeded: the records did not change again, so no version or history."),
        ("Platform/Data/DbFactoryExtensions.cs", "OpenAsSystem", 1,
            "The definition of OpenAsSystemAsync itself."),
        ("Platform/Data/DataScope.cs", "DataScope.System", 1,
            "The definition of DataScope.System itself."),
        ("Platform/Data/DbFactoryExtensions.cs", "DataScope.System", 1,
            "OpenAsSystemAsync uses it; its callers are listed above."),
        ("Platform/Data/DatabaseSetup.cs", "RawCommand", 3,
            "SQLite connection pragmas (WAL, synchronous, foreign keys) and the start-up check that they hold; no records are read."),
        ("Platform/Cli/CommandLine.cs", "RawCommand", 1,
            "The restore command checks that a file is a LeadToCash database (sqlite_master) before replacing the live one."),
        ("Platform/Data/BulkInsert.cs", "RawCommand", 3,
            "Bulk insert of NEW rows (PostgreSQL binary COPY, one prepared SQLite INSERT) inside the caller's transaction: it " +
            "reads nothing and changes no existing row, and the scope governs reads; callers are listed under BulkInsert. " +
            "The third is SQLite's page cache size (PRAGMA cache_size), read and raised for the bulk insert: no data."),
        ("Modules/Customers/Merge/MergeCustomers.cs", "DataScope.System", 1,
            "After the caller was found allowed to change both customers, a context with the system's scope (in the same " +
            "transaction, the caller as actor) repoints other people's tasks, leads and subsidiary customers from the merged " +
            "duplicate to the survivor, so nothing is left pointing at a deleted customer; it reads nothing back to the caller."),
        ("Platform/Approvals/ApprovalsInbox.cs", "DataScope.System", 1,
            "An approver outside a record's data scope (a delegate while the approver is away, a holder of a step's role in another " +
            "team) decides on it: only for a request whose current step ApprovalService.MayDecideAsync finds theirs (or whose step " +
            "they decided), the inbox reads the record's essentials through its IApprovalSubject (title, customer, amount, lines; no " +
            "link, no detail) and writes the decision and its outcome on the record in the caller's name. The record itself stays " +
            "404 to them, and to anyone else the request does."),
        ("Modules/Search/SearchIndexOptimizeJob.cs", "ExecuteSql", 2,
            "The nightly FTS5 'optimize' command on each SQLite search table (table names from SearchIndex, no parameters) and " +
            "SQLite's 'PRAGMA optimize' (planner statistics): they merge index segments, refresh statistics and read or change no record."),
        ("Modules/Search/SearchIndex.cs", "SqlQuery", 2,
            "The global search's index lookups (SQLite FTS5, PostgreSQL pg_trgm) return ids only; visibility is applied by the " +
            "scoped query after: SearchHandler composes them into the ordinary scoped queries of customers, contacts and leads."),
        ("Platform/Search/SearchBackfill.cs", "OpenAsSystem", 1,
            "Start-up spelling of names written before the pinyin columns existed: every record, whoever owns it; nothing leaves it."),
        ("Platform/Search/SearchBackfill.cs", "IgnoreQueryFilters", 3,
            "Ignores only SoftDelete: a deleted customer, contact or lead is spelled too, so that it is found again once restored."),
        ("Platform/Search/SearchBackfill.cs", "ExecuteUpdate", 3,
            "Writes only the derived Pinyin/PinyinInitials columns of one record by id (no version bump, no history: nobody changed it)."),
        ("Modules/Leads/ImportLeads/LeadImporter.cs", "BulkInsert", 1,
            "The import writes the leads it creates (and their 'created' history rows) in bulk into the team chosen for the " +
            "run, which CompleteSettingsAsync limits to the importer's own teams; the duplicate check before it is listed above."),
    ];

    private static readonly (string Kind, Regex Pattern)[] Bypasses =
    [
        ("IgnoreQueryFilters", IgnoreQueryFiltersPattern()),
        ("FromSql", new Regex(@"\bFromSql\w*\s*\(", RegexOptions.CultureInvariant)),
        ("SqlQuery", new Regex(@"\bSqlQuery\w*\s*[<(]", RegexOptions.CultureInvariant)),
        ("ExecuteSql", new Regex(@"\bExecuteSql\w*\s*\(", RegexOptions.CultureInvariant)),
        ("ExecuteUpdate", new Regex(@"\bExecuteUpdate\w*\s*\(", RegexOptions.CultureInvariant)),
        ("ExecuteDelete", new Regex(@"\bExecuteDelete\w*\s*\(", RegexOptions.CultureInvariant)),
        ("OpenAsSystem", new Regex(@"\bOpenAsSystemAsync\s*\(", RegexOptions.CultureInvariant)),
        ("DataScope.System", new Regex(@"\bDataScope\.System\b|\bpublic static readonly DataScope System\b", RegexOptions.CultureInvariant)),
        ("RawCommand", new Regex(@"\bCreateCommand\s*\(|\bBeginBinary(Import|Export)\w*\s*\(|\bBeginRaw\w*\s*\(", RegexOptions.CultureInvariant)),
        ("BulkInsert", new Regex(@"\bBulkInsert\.\w+\s*[<(]", RegexOptions.CultureInvariant)),
    ];

    [Fact]
    public void SourceFiles_ScopeBypasses_AreAllReviewed()
    {
        var found = RepositoryFiles.AppFiles()
            .SelectMany(f => Bypasses.Select(b => (f.Path, b.Kind, Count: b.Pattern.Count(StripComments(f.Text)))))
            .Where(x => x.Count > 0)
            .ToList();

        var unreviewed = found
            .Where(x => !AllowList.Any(a => a.File == x.Path && a.Kind == x.Kind && a.Count == x.Count))
            .Select(x => $"{x.Path}: {x.Count} x {x.Kind}")
            .ToList();
        var stale = AllowList
            .Where(a => !found.Any(x => x.Path == a.File && x.Kind == a.Kind))
            .Select(a => $"{a.File}: {a.Kind}")
            .ToList();

        Assert.True(unreviewed.Count == 0,
            "Uses of a way around the data scope that are not in the reviewed list (review them, then list them with a reason " +
            "and the exact count):\n" + string.Join("\n", unreviewed));
        Assert.True(stale.Count == 0, "Reviewed uses that are gone (remove them from the list):\n" + string.Join("\n", stale));
    }

    [Fact]
    public void SourceFiles_IgnoreQueryFiltersWithoutNames_AreNowhere()
    {
        var offenders = RepositoryFiles.AppFiles()
            .Where(f => BareIgnoreQueryFiltersPattern().IsMatch(StripComments(f.Text)))
            .Select(f => f.Path)
            .ToList();

        Assert.True(offenders.Count == 0,
            "IgnoreQueryFilters() without filter names drops the Scope filter too; name the filter to ignore " +
            "(e.g. [AppDbContext.SoftDeleteFilter]):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void SourceFiles_IgnoreQueryFiltersWithNames_NeverNameTheScopeFilter()
    {
        var offenders = RepositoryFiles.AppFiles()
            .Where(f => ScopeNamedPattern().IsMatch(StripComments(f.Text)))
            .Select(f => f.Path)
            .ToList();

        Assert.True(offenders.Count == 0, "IgnoreQueryFilters naming the Scope filter:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Model_EveryScopedRecord_HasTheScopeFilterAndEveryBusinessRecordTheSoftDeleteFilter()
    {
        using var db = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>().UseSqlite("Data Source=:memory:").Options);

        var problems = new List<string>();
        var scoped = 0;
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var filters = entity.GetDeclaredQueryFilters().Select(f => f.Key).ToHashSet();
            if (typeof(IScopedRecord).IsAssignableFrom(entity.ClrType))
            {
                scoped++;
                if (!filters.Contains(AppDbContext.ScopeFilter))
                {
                    problems.Add($"{entity.ClrType.Name} is an IScopedRecord without the '{AppDbContext.ScopeFilter}' filter");
                }
            }

            if (typeof(BusinessRecord).IsAssignableFrom(entity.ClrType) && !filters.Contains(AppDbContext.SoftDeleteFilter))
            {
                problems.Add($"{entity.ClrType.Name} is a BusinessRecord without the '{AppDbContext.SoftDeleteFilter}' filter");
            }

            if (entity.GetDeclaredQueryFilters().Any(f => f.IsAnonymous))
            {
                problems.Add($"{entity.ClrType.Name} has an unnamed query filter, which IgnoreQueryFilters([names]) cannot leave in place");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(scoped > 0, "The model has no scoped record at all: the check above would prove nothing.");
    }

    [Fact]
    public void Model_ScopedRecords_AreNotAlsoReachableAsOwnedOrKeylessTypes()
    {
        using var db = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>().UseSqlite("Data Source=:memory:").Options);

        var odd = db.Model.GetEntityTypes()
            .Where(e => typeof(IScopedRecord).IsAssignableFrom(e.ClrType) && (e.IsOwned() || e.FindPrimaryKey() is null || e.BaseType is not null))
            .Select(e => e.ClrType.Name)
            .ToList();

        Assert.Empty(odd);
    }

    private static string StripComments(string text) => CommentPattern().Replace(text, "");

    [GeneratedRegex(@"\bIgnoreQueryFilters\s*\(", RegexOptions.CultureInvariant)]
    private static partial Regex IgnoreQueryFiltersPattern();

    [GeneratedRegex(@"\bIgnoreQueryFilters\s*(<[^>]*>)?\s*\(\s*\)", RegexOptions.CultureInvariant)]
    private static partial Regex BareIgnoreQueryFiltersPattern();

    [GeneratedRegex(@"\bIgnoreQueryFilters\s*\([^)]*(ScopeFilter|""Scope"")", RegexOptions.CultureInvariant)]
    private static partial Regex ScopeNamedPattern();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex CommentPattern();
}
