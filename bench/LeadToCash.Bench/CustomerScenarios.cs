using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using LeadToCash.Modules.Search;

namespace LeadToCash.Bench;

/// <summary>
/// The customer list (page 1 filtered and sorted; a keyset page about 50,000 rows deep), the global search, the customer
/// 360° page and the customer by id: the app's requests and their raw-SQL equivalents.
/// </summary>
internal static class CustomerScenarios
{
    // The columns of CustomerDto.Projection, with the owner's name.
    private const string CustomerColumns = """
        c."Id", c."Name", c."Industry", c."Region", c."Phone", c."Website", c."Address", c."SourceChannel", c."Notes",
        c."OwnerId", a."DisplayName", c."PoolTeamId", c."Version", c."CreatedAt", c."UpdatedAt", c."Size", c."Grade",
        c."Stage", c."ParentId", c."OwnedSince", c."LastFollowUpAt", c."NextFollowUpAt", c."FollowUpDueAt"
        """;

    private const int ParentColumn = 18;

    /// <summary>A customer list request: its query string, and the same filter and order in SQL.</summary>
    private sealed record ListCase(string Query, Func<RawDb, Sql, string> Filter, string OrderColumn, bool Descending);

    public static async Task<List<HttpScenario>> CreateAsync(BenchContext context)
    {
        var db = context.Db;
        var admin = context.Admin;
        var customers = await RawDb.ListAsync(context.Setup,
            new Sql("""SELECT "Id" FROM "Customers" WHERE NOT "IsDeleted" ORDER BY "Id" """), r => RawDb.ReadId(r, 0));
        var sample = context.Sample(customers, 200);

        // Page 1 as a manager (their teams, the pools they see, shares), with the filters and sorts people use; the
        // industry and region values are drawn from the data.
        var industries = await RawDb.ListAsync(context.Setup, new Sql("""SELECT DISTINCT "Industry" FROM "Customers" WHERE "Industry" IS NOT NULL ORDER BY 1"""), r => r.GetString(0));
        var regions = await RawDb.ListAsync(context.Setup, new Sql("""SELECT DISTINCT "Region" FROM "Customers" WHERE "Region" IS NOT NULL ORDER BY 1"""), r => r.GetString(0));
        var industry = context.Sample(industries, 1)[0];
        var region = context.Sample(regions, 1)[0];
        ListCase[] cases =
        [
            new("sort=name", (_, _) => "", "Name", false),
            new("grade=A&sort=-lastFollowUpAt", (d, s) => $"""AND c."Grade" = {s.Param(0)}""", "LastFollowUpSortKey", true),
            new($"industry={Uri.EscapeDataString(industry)}&sort=-updatedAt", (d, s) => $"""AND c."Industry" = {s.Param(industry)}""", "UpdatedAt", true),
            new("stage=Customer&sort=name", (d, s) => $"""AND c."Stage" = {s.Param(2)}""", "Name", false),
            new($"region={Uri.EscapeDataString(region)}&sort=-createdAt", (d, s) => $"""AND c."Region" = {s.Param(region)}""", "CreatedAt", true),
            new("inPool=true&sort=name", (_, _) => """AND c."OwnerId" IS NULL""", "Name", false),
        ];
        var manager = context.Manager;

        // Keyset cursors about 50,000 rows deep by name (half-way on a size with fewer customers): the (name, id) of
        // rows around that depth, in the app's cursor format.
        var depth = Math.Min(50_000, customers.Count / 2);
        var cursors = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var offset = Math.Max(0, depth - 1_000 + context.Random.Next(2_000));
            offset = Math.Min(offset, Math.Max(0, customers.Count - 60));
            var sql = new Sql("""SELECT "Name", "Id" FROM "Customers" WHERE NOT "IsDeleted" ORDER BY "Name", "Id" LIMIT 1 OFFSET """);
            sql.Append(sql.Param(offset));
            var row = (await RawDb.ListAsync(context.Setup, sql, r => (Name: r.GetString(0), Id: RawDb.ReadId(r, 1)))).Single();
            cursors.Add(Cursor(row.Name, row.Id));
        }

        var deepKeys = cursors.Select(DecodeCursor).ToList();

        var terms = await SearchTermsAsync(context);
        var rep = context.Rep;

        return
        [
            new HttpScenario
            {
                Id = "customer-list",
                Title = "Customer list page 1, filtered and sorted",
                Who = "manager (own teams, pools, shares)",
                App = i => manager.Client.GetAsync($"api/v1/customers?limit=50&{cases[i % cases.Length].Query}"),
                Raw = (connection, i) => ListRawAsync(db, connection, manager.Scope, cases[i % cases.Length], null),
                RawStatements = "capped count (1,001), page of 51 with the owner's name, tags of the page",
                Notes = "6 filter/sort combinations in turn: " + string.Join("; ", cases.Select(c => Uri.UnescapeDataString(c.Query))),
                P95TargetMs = 50,
                ThroughputTarget = 300,
            },
            new HttpScenario
            {
                Id = "customer-list-name",
                Title = "Customer list page 1 by name",
                Who = "admin (sees all)",
                App = _ => admin.Client.GetAsync("api/v1/customers?limit=50&sort=name"),
                Raw = (connection, _) => ListRawAsync(db, connection, admin.Scope, cases[0], null),
                RawStatements = "capped count, page of 51 with the owner's name, tags of the page",
                Notes = "the first page of the deep page's order",
                P95TargetMs = 50,
                ThroughputTarget = 300,
            },
            new HttpScenario
            {
                Id = "customer-deep",
                Title = $"Customer list {depth:N0} rows deep (keyset)",
                Who = "admin (sees all)",
                App = i => admin.Client.GetAsync($"api/v1/customers?limit=50&sort=name&cursor={Uri.EscapeDataString(cursors[i % cursors.Count])}"),
                Raw = (connection, i) => ListRawAsync(db, connection, admin.Scope, cases[0], deepKeys[i % deepKeys.Count]),
                RawStatements = "capped count of the list, page of 51 after the cursor (name >= k AND (name > k OR id > i)), tags",
                Notes = $"{cursors.Count} cursors {depth - 1_000:N0}–{depth + 1_000:N0} rows into the name order",
                P95TargetMs = 50,
                ThroughputTarget = 300,
                WithinTwentyPercentOf = "customer-list-name",
            },
            new HttpScenario
            {
                Id = "search",
                Title = "Global search",
                Who = "rep (own, pools, shares)",
                App = i => rep.Client.GetAsync($"api/v1/search?q={Uri.EscapeDataString(terms[i % terms.Count])}&limit=20"),
                Raw = (connection, i) => SearchRawAsync(db, connection, rep.Scope, terms[i % terms.Count]),
                RawStatements = "per kind (customers, contacts, leads): the index lookups (FTS5 trigram / pg_trgm), then the visible candidates (100) with the owner",
                Notes = $"{terms.Count} terms cut from real names (3 characters, 2-character prefixes), pinyin initials and phone numbers",
                P95TargetMs = 100,
            },
            new HttpScenario
            {
                Id = "customer-360",
                Title = "Customer 360° (5 calls)",
                Who = "admin (sees all)",
                App = async i =>
                {
                    var id = sample[i % sample.Count];
                    await admin.Client.GetAsync($"api/v1/customers/{id}");
                    await admin.Client.GetAsync($"api/v1/customers/{id}/contacts");
                    await admin.Client.GetAsync($"api/v1/customers/{id}/needs-analyses");
                    await admin.Client.GetAsync($"api/v1/customers/{id}/follow-ups?limit=20");
                    await admin.Client.GetAsync($"api/v1/customers/{id}/timeline?limit=50");
                },
                Raw = (connection, i) => Customer360RawAsync(db, connection, admin.Scope, sample[i % sample.Count]),
                RawStatements = "customer + tags + access; contacts; needs analyses; follow-ups count, page, participants; " +
                    "timeline: follow-ups, converted leads, audit of customer and contacts, tasks, opportunities + stage entries, minutes, quotes, contracts",
                Notes = $"{sample.Count} customers drawn at random; the page's 5 API calls in turn",
                P95TargetMs = 100,
            },
            new HttpScenario
            {
                Id = "customer-by-id",
                Title = "Customer by id",
                Who = "admin (sees all)",
                App = i => admin.Client.GetAsync($"api/v1/customers/{sample[i % sample.Count]}"),
                Raw = (connection, i) => CustomerRawAsync(db, connection, admin.Scope, sample[i % sample.Count]),
                RawStatements = "customer with the owner's name, tags, the owner's team and the caller's share (for canChange)",
                Notes = $"{sample.Count} customers drawn at random",
                ThroughputTarget = 1_000,
            },
        ];
    }

    /// <summary>The app's keyset cursor: base64url of the JSON array [key, id] (see Platform/Api/Paging.cs).</summary>
    public static string Cursor(string key, Guid id) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new[] { key, id.ToString() }))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (string Key, Guid Id) DecodeCursor(string cursor)
    {
        var text = cursor.Replace('-', '+').Replace('_', '/');
        text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        var parts = JsonSerializer.Deserialize<string[]>(Convert.FromBase64String(text))!;
        return (parts[0], Guid.Parse(parts[1]));
    }

    /// <summary>
    /// Search terms from the data, as people type them: three characters from the middle of a customer's name, the
    /// two-character city at its start, its pinyin initials after the city, the last 8 digits of its phone, and contacts'
    /// mobile numbers.
    /// </summary>
    private static async Task<List<string>> SearchTermsAsync(BenchContext context)
    {
        var rows = await RawDb.ListAsync(context.Setup,
            new Sql("""SELECT "Name", "Phone", "PinyinInitials" FROM "Customers" WHERE NOT "IsDeleted" ORDER BY "Id" """),
            r => (Name: r.GetString(0), Phone: r.IsDBNull(1) ? null : r.GetString(1), Initials: r.IsDBNull(2) ? null : r.GetString(2)));
        var terms = new List<string>();
        foreach (var (name, phone, initials) in context.Sample(rows, 40))
        {
            if (name.Length >= 6)
            {
                terms.Add(name[2..5]);
            }

            terms.Add(name[..2]);
            if (initials?.Split(' ')[0] is { Length: >= 6 } first)
            {
                terms.Add(first[2..6]);
            }

            if (phone is { Length: >= 8 })
            {
                terms.Add(phone[^8..]);
            }
        }

        var mobiles = await RawDb.ListAsync(context.Setup,
            new Sql("""SELECT "Mobile" FROM "Contacts" WHERE "Mobile" IS NOT NULL AND NOT "IsDeleted" ORDER BY "Id" LIMIT 2000"""), r => r.GetString(0));
        terms.AddRange(context.Sample(mobiles, 20));
        return context.Sample(terms, terms.Count);
    }

    private static async Task ListRawAsync(RawDb db, DbConnection connection, Scope scope, ListCase list, (string Key, Guid Id)? after)
    {
        // The count is the list's (capped), whatever the page: the cursor narrows the page only.
        string Where(Sql sql, bool withCursor = true)
        {
            // The filter narrows the visible ids too, from the owner and pool indexes, as the app's narrowing does.
            var filter = list.Filter(db, sql);
            var within = filter.Length == 0 ? null : filter.Replace("AND ", "", StringComparison.Ordinal).Replace("c.", "", StringComparison.Ordinal);
            var where = $"""WHERE NOT c."IsDeleted" AND {scope.VisibleIds(db, sql, "Customers", "c", within)} {filter}""";
            if (withCursor && after is { } cursor)
            {
                var op = list.Descending ? "<" : ">";
                var key = sql.Param(cursor.Key);
                where += $""" AND c."{list.OrderColumn}" {op}= {key} AND (c."{list.OrderColumn}" {op} {key} OR c."Id" {op} {sql.Param(db.Id(cursor.Id))})""";
            }

            return where;
        }

        var count = new Sql();
        count.Append($"""SELECT COUNT(*) FROM (SELECT 1 FROM "Customers" c {Where(count, withCursor: false)} LIMIT 1001) x""");
        await RawDb.ScalarAsync(connection, count);

        var page = new Sql();
        var direction = list.Descending ? "DESC" : "";
        page.Append($"""
            SELECT {CustomerColumns}
            FROM "Customers" c LEFT JOIN "AspNetUsers" a ON a."Id" = c."OwnerId"
            {Where(page)}
            ORDER BY c."{list.OrderColumn}" {direction}, c."Id" {direction}
            LIMIT 51
            """);
        var rows = await RawDb.ListAsync(connection, page, r => (Id: RawDb.ReadId(r, 0), Parent: r.IsDBNull(ParentColumn) ? (Guid?)null : RawDb.ReadId(r, ParentColumn)));
        await TagsAndParentsAsync(db, connection, scope, rows.Take(50).ToList());
    }

    private static async Task TagsAndParentsAsync(RawDb db, DbConnection connection, Scope scope, List<(Guid Id, Guid? Parent)> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var tags = new Sql("""SELECT "CustomerId", "Name", "IsSystem" FROM "CustomerTags" WHERE """);
        tags.Append(db.InIds(tags, "\"CustomerId\"", rows.Select(r => r.Id).ToList()));
        await RawDb.DrainAsync(connection, tags);
        var parents = rows.Select(r => r.Parent).OfType<Guid>().Distinct().ToList();
        if (parents.Count > 0)
        {
            var sql = new Sql("""SELECT c."Id", c."Name" FROM "Customers" c WHERE NOT c."IsDeleted" AND """);
            sql.Append(scope.Visible(db, sql, "c")).Append(" AND ").Append(db.InIds(sql, "c.\"Id\"", parents));
            await RawDb.DrainAsync(connection, sql);
        }
    }

    private static async Task CustomerRawAsync(RawDb db, DbConnection connection, Scope scope, Guid id)
    {
        var sql = new Sql();
        sql.Append($"""
            SELECT {CustomerColumns}
            FROM "Customers" c LEFT JOIN "AspNetUsers" a ON a."Id" = c."OwnerId"
            WHERE NOT c."IsDeleted" AND {scope.Visible(db, sql, "c")} AND c."Id" = {sql.Param(db.Id(id))}
            LIMIT 1
            """);
        var row = (await RawDb.ListAsync(connection, sql, r => (Owner: r.IsDBNull(9) ? (Guid?)null : RawDb.ReadId(r, 9),
            Parent: r.IsDBNull(ParentColumn) ? (Guid?)null : RawDb.ReadId(r, ParentColumn)))).SingleOrDefault();
        await TagsAndParentsAsync(db, connection, scope, [(id, row.Parent)]);
        if (row.Owner is { } owner)
        {
            var team = new Sql("""SELECT "TeamId" FROM "AspNetUsers" WHERE "Id" = """);
            team.Append(team.Param(db.Id(owner))).Append(" LIMIT 1");
            await RawDb.ScalarAsync(connection, team);
        }

        var share = new Sql("""SELECT "Access" FROM "Collaborators" WHERE "RecordId" = """);
        share.Append(share.Param(db.Id(id))).Append(""" AND "UserId" = """).Append(share.Param(db.Id(scope.UserId))).Append(" LIMIT 1");
        await RawDb.ScalarAsync(connection, share);
    }

    private static async Task<bool> VisibleAsync(RawDb db, DbConnection connection, Scope scope, Guid id)
    {
        var sql = new Sql();
        sql.Append($"""SELECT COUNT(*) FROM "Customers" c WHERE NOT c."IsDeleted" AND {scope.Visible(db, sql, "c")} AND c."Id" = {sql.Param(db.Id(id))}""");
        return Convert.ToInt64(await RawDb.ScalarAsync(connection, sql), CultureInfo.InvariantCulture) > 0;
    }

    private static async Task Customer360RawAsync(RawDb db, DbConnection connection, Scope scope, Guid id)
    {
        // 1. The customer.
        await CustomerRawAsync(db, connection, scope, id);

        // 2. Contacts, primary first.
        await VisibleAsync(db, connection, scope, id);
        var contacts = new Sql();
        contacts.Append($"""
            SELECT "Id", "CustomerId", "Name", "Title", "Mobile", "Phone", "Email", "WeChat", "Role", "Stance", "ReportsToId",
                   "IsPrimary", "Notes", "Version", "CreatedAt", "UpdatedAt"
            FROM "Contacts" WHERE NOT "IsDeleted" AND "CustomerId" = {contacts.Param(db.Id(id))}
            ORDER BY "IsPrimary" DESC, "Name", "Id"
            """);
        await RawDb.DrainAsync(connection, contacts);

        // 3. Needs analyses, newest meeting first.
        await VisibleAsync(db, connection, scope, id);
        var needs = new Sql();
        needs.Append($"""
            SELECT n."Id", n."CustomerId", n."OpportunityId", n."Title", n."MeetingAt", n."Background", n."CurrentSituation", n."PainPoints",
                   n."CustomerWords", n."Goals", n."BudgetMinor", n."Timeline", n."NeedPriorities", n."DecisionProcess", n."ConfirmDueAt",
                   n."SentAt", n."ConfirmedAt", n."ConfirmedHow", n."Version", n."CreatedAt", n."UpdatedAt"
            FROM "NeedsAnalyses" n WHERE NOT n."IsDeleted" AND n."CustomerId" = {needs.Param(db.Id(id))}
            ORDER BY n."MeetingAt" DESC, n."Id" DESC
            """);
        await RawDb.DrainAsync(connection, needs);

        // 4. Follow-ups, a page of 20 with the count, participants and authors.
        await VisibleAsync(db, connection, scope, id);
        var count = new Sql();
        count.Append($"""SELECT COUNT(*) FROM (SELECT 1 FROM "FollowUps" WHERE NOT "IsDeleted" AND "CustomerId" = {count.Param(db.Id(id))} LIMIT 1001) x""");
        await RawDb.ScalarAsync(connection, count);
        var followUps = new Sql();
        followUps.Append($"""
            SELECT f."Id", f."CustomerId", f."OccurredAt", f."Method", f."KeyPoints", f."CustomerFeedback", f."NextStep", f."NextFollowUpAt",
                   f."ReminderTaskId", f."AuthorId", a."DisplayName", f."RecordedAt", f."IsLate", f."Version"
            FROM "FollowUps" f LEFT JOIN "AspNetUsers" a ON a."Id" = f."AuthorId"
            WHERE NOT f."IsDeleted" AND f."CustomerId" = {followUps.Param(db.Id(id))}
            ORDER BY f."OccurredAt" DESC, f."Id" DESC
            LIMIT 21
            """);
        var ids = await RawDb.ListAsync(connection, followUps, r => RawDb.ReadId(r, 0));
        if (ids.Count > 0)
        {
            var participants = new Sql("""SELECT "Id", "ContactId", "FollowUpId", "UserId" FROM "FollowUpParticipants" WHERE """);
            participants.Append(db.InIds(participants, "\"FollowUpId\"", ids));
            await RawDb.DrainAsync(connection, participants);
        }

        // 5. The timeline's newest 50 entries from each source.
        await VisibleAsync(db, connection, scope, id);
        await TimelineRawAsync(db, connection, scope, id);
    }

    private static async Task TimelineRawAsync(RawDb db, DbConnection connection, Scope scope, Guid id)
    {
        var followUps = new Sql();
        followUps.Append($"""
            SELECT f."Id", f."OccurredAt", f."Method", f."KeyPoints", f."CustomerFeedback", f."AuthorId", a."DisplayName"
            FROM "FollowUps" f LEFT JOIN "AspNetUsers" a ON a."Id" = f."AuthorId"
            WHERE NOT f."IsDeleted" AND f."CustomerId" = {followUps.Param(db.Id(id))}
            ORDER BY f."OccurredAt" DESC LIMIT 50
            """);
        await RawDb.DrainAsync(connection, followUps);

        var leads = new Sql();
        leads.Append($"""
            SELECT l."Id", l."CompanyName", l."ContactName", l."SourceChannel", l."CreatedAt", l."CreatedBy", l."ConvertedAt"
            FROM "Leads" l
            WHERE NOT l."IsDeleted" AND {scope.Visible(db, leads, "l")} AND (l."ConvertedCustomerId" = {leads.Param(db.Id(id))}
               OR l."Id" IN (SELECT "SourceLeadId" FROM "Contacts" WHERE "CustomerId" = {leads.Param(db.Id(id))} AND "SourceLeadId" IS NOT NULL))
            """);
        await RawDb.DrainAsync(connection, leads);

        var contactIds = new Sql();
        contactIds.Append($"""SELECT "Id" FROM "Contacts" WHERE "CustomerId" = {contactIds.Param(db.Id(id))}""");
        List<Guid> entities = [id, .. await RawDb.ListAsync(connection, contactIds, r => RawDb.ReadId(r, 0))];
        var audit = new Sql();
        audit.Append($"""
            SELECT "Id", "Action", "ChangedAt", "ChangedBy", "EntityId", "EntityType", "Field", "NewValue", "OldValue"
            FROM "AuditEntries"
            WHERE {db.InIds(audit, "\"EntityId\"", entities)} AND ("Field" IS NULL OR "Field" NOT IN
                ('LastFollowUpAt', 'NextFollowUpAt', 'FollowUpDueAt', 'OwnedSince', 'ReturnedToPoolAt', 'LastWonAt', 'ImportKey', 'CustomerId'))
            ORDER BY "ChangedAt" DESC LIMIT 50
            """);
        await RawDb.DrainAsync(connection, audit);

        var tasks = new Sql();
        tasks.Append($"""
            SELECT t."Id", t."Title", t."Content", t."CreatedAt", t."CreatedBy", t."OwnerId", t."CompletedAt", t."CompletionNote",
                   t."VerifiedAt", t."VerifiedBy", t."Status"
            FROM "Tasks" t
            WHERE NOT t."IsDeleted" AND {scope.Visible(db, tasks, "t")} AND t."RelatedType" = 'customer' AND t."RelatedId" = {tasks.Param(db.Id(id))}
            """);
        await RawDb.DrainAsync(connection, tasks);

        var opportunities = new Sql();
        opportunities.Append($"""
            SELECT o."Id", o."Name", o."LostToCompetitor", o."CreatedAt", o."CreatedBy", o."StageId"
            FROM "Opportunities" o
            WHERE NOT o."IsDeleted" AND {scope.Visible(db, opportunities, "o")} AND o."CustomerId" = {opportunities.Param(db.Id(id))}
            """);
        var deals = await RawDb.ListAsync(connection, opportunities, r => RawDb.ReadId(r, 0));
        if (deals.Count > 0)
        {
            var entries = new Sql("""
                SELECT s."Id", s."EnteredAt", s."EnteredBy", s."ExitedAt", s."FromStageId", s."Kind", s."OpportunityId", s."StageId", p."Name"
                FROM "StageEntries" s LEFT JOIN "PipelineStages" p ON p."Id" = s."StageId" WHERE
                """);
            entries.Append(" ").Append(db.InIds(entries, "s.\"OpportunityId\"", deals));
            await RawDb.DrainAsync(connection, entries);
        }

        var minutes = new Sql();
        minutes.Append($"""
            SELECT n."Id", o."Id", o."Name", o."Currency", n."MeetingAt", n."Attendees", n."AgreedPriceMinor", n."PaymentTerms",
                   n."Delivery", n."Liability", n."CreatedBy", a."DisplayName"
            FROM "NegotiationMinutes" n
            JOIN "Opportunities" o ON o."Id" = n."OpportunityId"
            LEFT JOIN "AspNetUsers" a ON a."Id" = n."CreatedBy"
            WHERE NOT n."IsDeleted" AND NOT o."IsDeleted" AND {scope.Visible(db, minutes, "o")} AND o."CustomerId" = {minutes.Param(db.Id(id))}
            ORDER BY n."MeetingAt" DESC LIMIT 50
            """);
        await RawDb.DrainAsync(connection, minutes);

        var quotes = new Sql();
        quotes.Append($"""
            SELECT q."Id", q."Number", q."VersionNo", q."Title", q."Currency", q."TotalMinor", q."CreatedAt", q."CreatedBy", q."SentAt",
                   q."DecidedAt", q."Status", q."CustomerResponse"
            FROM "Quotes" q JOIN "Opportunities" o ON o."Id" = q."OpportunityId"
            WHERE NOT q."IsDeleted" AND NOT o."IsDeleted" AND {scope.Visible(db, quotes, "o")} AND o."CustomerId" = {quotes.Param(db.Id(id))}
            """);
        await RawDb.DrainAsync(connection, quotes);

        var contracts = new Sql();
        contracts.Append($"""
            SELECT c."Id", c."Number", c."Title", c."AmountMinor", c."Currency", c."CreatedAt", c."CreatedBy", c."SignedAt", c."SignedBy",
                   c."CompletedAt", c."TerminatedAt", c."TerminationReason"
            FROM "Contracts" c
            WHERE NOT c."IsDeleted" AND {scope.Visible(db, contracts, "c")} AND c."CustomerId" = {contracts.Param(db.Id(id))}
            """);
        await RawDb.DrainAsync(connection, contracts);
    }

    // ---- search ----

    // PostgreSQL: exactly the expressions of the trigram indexes (see Modules/Search/SearchIndex.cs), or no index is used.
    private const string CustomersText =
        """(' ' || coalesce("Name", '') || ' ' || coalesce("PhoneKey", '') || ' ' || coalesce("Pinyin", '') || ' ' || coalesce("PinyinInitials", ''))""";

    private const string ContactsText =
        """(' ' || coalesce("Name", '') || ' ' || coalesce("PhoneKey", '') || ' ' || translate(coalesce("Phone", ''), ' -()+', '') || ' ' || coalesce("EmailKey", '') || ' ' || coalesce("Pinyin", '') || ' ' || coalesce("PinyinInitials", ''))""";

    private const string LeadsText =
        """(' ' || coalesce("CompanyName", '') || ' ' || coalesce("ContactName", '') || ' ' || coalesce("PhoneKey", '') || ' ' || translate(coalesce("Phone", ''), ' -()+', '') || ' ' || coalesce("EmailKey", '') || ' ' || coalesce("Pinyin", '') || ' ' || coalesce("PinyinInitials", ''))""";

    private static async Task SearchRawAsync(RawDb db, DbConnection connection, Scope scope, string query)
    {
        // The app's own parser turns the text into index terms (pinyin of a short Chinese query included), so both sides
        // look up the same terms.
        if (SearchTerms.Parse(query) is not { } terms)
        {
            return;
        }

        foreach (var source in new[] { SearchSource.Customers, SearchSource.Contacts, SearchSource.Leads })
        {
            foreach (var ids in await CandidatesAsync(db, connection, source, terms))
            {
                if (ids.Count == 0)
                {
                    continue;
                }

                var sql = new Sql();
                var name = terms.NameContains is { } n ? sql.Param(n) : null;
                string Contains(string column) => db.IsPostgres ? $"strpos({column}, {name}) > 0" : $"instr({column}, {name}) > 0";
                switch (source)
                {
                    case SearchSource.Customers:
                        sql.Append($"""
                            SELECT c."Id", c."Name", c."PhoneKey", c."Phone", c."Pinyin", c."PinyinInitials", c."Region", a."DisplayName"
                            FROM "Customers" c LEFT JOIN "AspNetUsers" a ON a."Id" = c."OwnerId"
                            WHERE NOT c."IsDeleted" AND {scope.Visible(db, sql, "c")} AND {db.InIds(sql, "c.\"Id\"", ids)}
                            {(name is null ? "" : "AND " + Contains("c.\"Name\""))}
                            LIMIT 100
                            """);
                        break;
                    case SearchSource.Contacts:
                        sql.Append($"""
                            SELECT ct."Id", ct."Name", ct."PhoneKey", ct."Phone", ct."EmailKey", ct."Pinyin", ct."PinyinInitials", ct."Title", c."Id", c."Name"
                            FROM "Contacts" ct JOIN "Customers" c ON c."Id" = ct."CustomerId"
                            WHERE NOT ct."IsDeleted" AND NOT c."IsDeleted" AND {scope.Visible(db, sql, "c")} AND {db.InIds(sql, "ct.\"Id\"", ids)}
                            {(name is null ? "" : "AND " + Contains("ct.\"Name\""))}
                            LIMIT 100
                            """);
                        break;
                    default:
                        sql.Append($"""
                            SELECT l."Id", l."CompanyName", l."ContactName", l."PhoneKey", l."Phone", l."EmailKey", l."Pinyin", l."PinyinInitials",
                                   a."DisplayName", l."Status"
                            FROM "Leads" l LEFT JOIN "AspNetUsers" a ON a."Id" = l."OwnerId"
                            WHERE NOT l."IsDeleted" AND {scope.Visible(db, sql, "l")} AND {db.InIds(sql, "l.\"Id\"", ids)}
                            {(name is null ? "" : $"AND ((l.\"CompanyName\" IS NOT NULL AND {Contains("l.\"CompanyName\"")}) OR (l.\"ContactName\" IS NOT NULL AND {Contains("l.\"ContactName\"")}))")}
                            LIMIT 100
                            """);
                        break;
                }

                await RawDb.DrainAsync(connection, sql);
            }
        }
    }

    /// <summary>The index lookups of one kind of record: word starts, then substrings (as the app decides between them).</summary>
    private static async Task<List<List<Guid>>> CandidatesAsync(RawDb db, DbConnection connection, SearchSource source, SearchTerms terms)
    {
        var limit = terms.Compact.Length < SearchTerms.TrigramLength ? 200 : 1000;
        var sets = new List<List<Guid>>();
        var contains = terms.Contains.Count > 0 ? await LookupAsync(db, connection, source, terms.Contains, false, limit) : null;
        var covered = contains is not null && contains.Count < limit
            && terms.Starts.All(s => terms.Contains.Contains(s, StringComparer.Ordinal));
        if (!covered && terms.Starts.Count > 0)
        {
            sets.Add(await LookupAsync(db, connection, source, terms.Starts, true, limit));
        }

        if (contains is not null)
        {
            sets.Add(contains);
        }

        return sets;
    }

    private static Task<List<Guid>> LookupAsync(RawDb db, DbConnection connection, SearchSource source, IReadOnlyList<string> terms,
        bool wordStart, int limit)
    {
        var sql = new Sql();
        if (db.IsPostgres)
        {
            var (table, text) = source switch
            {
                SearchSource.Customers => ("Customers", CustomersText),
                SearchSource.Contacts => ("Contacts", ContactsText),
                _ => ("Leads", LeadsText),
            };
            var conditions = string.Join(" OR ", terms.Select(term =>
            {
                var escaped = term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
                    .Replace("_", "\\_", StringComparison.Ordinal);
                return $"{text} ILIKE {sql.Param((wordStart ? "% " : "%") + escaped + "%")}";
            }));
            sql.Append($"""SELECT "Id" FROM "{table}" WHERE {conditions} LIMIT {sql.Param(limit)}""");
        }
        else
        {
            var table = source switch
            {
                SearchSource.Customers => "CustomerSearch",
                SearchSource.Contacts => "ContactSearch",
                _ => "LeadSearch",
            };
            const string mark = "\u0001";
            var phrases = new List<string>();
            foreach (var term in terms)
            {
                if (!wordStart)
                {
                    phrases.Add(term);
                    continue;
                }

                phrases.Add((term.Length >= 2 ? mark : mark + mark) + term);
                if (term.Length >= 2)
                {
                    phrases.Add(" " + term);
                }
            }

            var match = string.Join(" OR ", phrases.Select(p => "\"" + p.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
            sql.Append($"""SELECT k."RecordId" FROM "{table}" JOIN "SearchKeys" k ON k."Id" = "{table}".rowid WHERE "{table}" MATCH {sql.Param(match)} LIMIT {sql.Param(limit)}""");
        }

        return RawDb.ListAsync(connection, sql, r => RawDb.ReadId(r, 0));
    }
}
