using System.Data.Common;
using System.Globalization;

namespace LeadToCash.Bench;

/// <summary>
/// The lead list by first-touch (SLA) state, logging a follow-up (a write), one team's kanban board, the forecast and
/// the receivables aging summary: the app's requests and their raw-SQL equivalents.
/// </summary>
internal static class SalesScenarios
{
    private const string LeadColumns = """
        l."Id", l."CompanyName", l."ContactName", l."Mobile", l."Phone", l."Email", l."SourceChannel", l."Status", l."Grade",
        l."SuggestedGrade", l."Score", l."TeamId", l."OwnerId", a."DisplayName", l."ScreeningDueAt", l."ScreenedAt", l."AssignedAt",
        l."FirstTouchDueAt", l."FirstTouchAt", l."EscalatedAt", l."WeChat", l."DuplicateOfLeadId", l."DuplicateOfCustomerId",
        l."Version", l."CreatedAt", l."UpdatedAt"
        """;

    private static readonly DateTime NoDeadline = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    private sealed record SlaCase(string Query, string Sla, string OrderBy);

    public static async Task<List<HttpScenario>> CreateAsync(BenchContext context)
    {
        var db = context.Db;
        SlaCase[] slas =
        [
            new("sla=overdue&sort=firstTouchDueAt", "overdue", "due"),
            new("sla=dueSoon&sort=firstTouchDueAt", "dueSoon", "due"),
            new("sla=met", "met", "created"),
            new("sla=missed", "missed", "created"),
        ];
        var manager = context.Manager;
        var rep = context.Rep;
        var admin = context.Admin;
        var finance = context.Finance;

        // Follow-ups are logged by a rep on customers they own (the one who may log them); the request index picks the
        // customer, so concurrent callers mostly write to different customers.
        var ownedSql = new Sql("""SELECT "Id" FROM "Customers" WHERE NOT "IsDeleted" AND "OwnerId" = """);
        ownedSql.Append(ownedSql.Param(db.Id(rep.Scope.UserId))).Append(""" ORDER BY "Id" """);
        var owned = context.Sample(await RawDb.ListAsync(context.Setup, ownedSql, r => RawDb.ReadId(r, 0)), 500);

        string[] methods = ["Phone", "Visit", "WeChat", "Email", "Meeting", "OnlineDemo"];
        string[] points = ["确认了交付时间，客户希望下月上线", "客户反馈预算已批，等待采购流程", "演示了报表功能，对方关注数据导出", "约定下周到现场沟通实施方案"];

        // Boards of sales teams that have deals (one team's kanban, as its manager or a director opens it).
        var teams = context.Sample(await RawDb.ListAsync(context.Setup, new Sql("""
            SELECT DISTINCT u."TeamId" FROM "Opportunities" o JOIN "AspNetUsers" u ON u."Id" = o."OwnerId"
            WHERE u."TeamId" IS NOT NULL ORDER BY 1
            """), r => RawDb.ReadId(r, 0)), 20);

        var zoneId = await RawDb.ScalarAsync(context.Setup, new Sql("""SELECT "TimeZone" FROM "CompanySettings" WHERE NOT "IsDeleted" LIMIT 1""")) as string
            ?? "Asia/Shanghai";
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var found) ? found : TimeZoneInfo.Utc;

        return
        [
            new HttpScenario
            {
                Id = "lead-list-sla",
                Title = "Lead list by SLA state",
                Who = "manager (own teams, pools, shares)",
                App = i => manager.Client.GetAsync($"api/v1/leads?limit=50&{slas[i % slas.Length].Query}"),
                Raw = (connection, i) => LeadsRawAsync(context, connection, manager.Scope, slas[i % slas.Length]),
                RawStatements = "lead settings, teams, time zone; capped count; page of 51 with the owner's name",
                Notes = "overdue and due soon (most urgent first), met and missed (newest first), in turn",
                P95TargetMs = 50,
                ThroughputTarget = 300,
            },
            new HttpScenario
            {
                Id = "follow-up-log",
                Title = "Log a follow-up (write)",
                Who = "rep (own customers)",
                App = owned.Count == 0 ? Unavailable("rep1 owns no customer in this data set")
                    : i => rep.Client.PostAsync($"api/v1/customers/{owned[i % owned.Count]}/follow-ups", new
                    {
                        method = methods[i % methods.Length],
                        keyPoints = points[i % points.Length],
                        customerFeedback = "满意",
                    }),
                Raw = owned.Count == 0 ? null
                    : (connection, i) => LogFollowUpRawAsync(context, connection, rep.Scope, owned[i % owned.Count], methods.Length, i, points[i % points.Length]),
                RawStatements = "in one transaction: the customer, its owner's team and the share, customer settings, company settings, " +
                    "holidays, the open reminders; insert the history row, update the customer's clocks (version-checked), insert the follow-up",
                Notes = $"{owned.Count} customers of rep1 in turn",
            },
            new HttpScenario
            {
                Id = "kanban",
                Title = "Kanban board of one team",
                Who = "admin, ?teamId= (sees all)",
                App = teams.Count == 0 ? Unavailable("no team owns an opportunity in this data set")
                    : i => admin.Client.GetAsync($"api/v1/opportunities/board?teamId={teams[i % teams.Count]}"),
                Raw = teams.Count == 0 ? null : (connection, i) => BoardRawAsync(context, connection, admin.Scope, teams[i % teams.Count]),
                RawStatements = "default pipeline, its stages and requirements; teams, the team's people; per column count and totals; " +
                    "(id, stage, amount) of the columns' deals; the first 20 cards per column with customer and owner",
                Notes = $"{teams.Count} sales teams with deals, in turn",
                P95TargetMs = 200,
            },
            new HttpScenario
            {
                Id = "forecast",
                Title = "Forecast (6 months)",
                Who = "manager (own teams)",
                App = _ => manager.Client.GetAsync("api/v1/opportunities/forecast"),
                Raw = (connection, _) => ForecastRawAsync(context, connection, manager.Scope),
                RawStatements = "default currency; open deals grouped by owner and close month; the owners; teams",
            },
            new HttpScenario
            {
                Id = "receivables",
                Title = "Receivables aging summary",
                Who = "finance (whole company)",
                App = _ => finance.Client.GetAsync("api/v1/receivables/summary"),
                Raw = (connection, _) => ReceivablesRawAsync(context, connection, finance.Scope, zone),
                RawStatements = "time zone, currency; outstanding instalments grouped by owner and customer (aging buckets); owners; " +
                    "the 100 customers owing most; teams; the period's due and collected, received, unallocated",
                P95TargetMs = 300,
            },
        ];
    }

    /// <summary>A request that cannot be made on this data set: every call fails, so the scenario reports it.</summary>
    private static Func<int, Task> Unavailable(string why) => _ => Task.FromException(new InvalidOperationException(why));

    private static async Task LeadsRawAsync(BenchContext context, DbConnection connection, Scope scope, SlaCase sla)
    {
        var db = context.Db;
        await RawDb.DrainAsync(connection, new Sql("""SELECT "DueSoonMinutes", "FirstTouchHoursA", "FirstTouchHoursB" FROM "LeadSettings" WHERE NOT "IsDeleted" LIMIT 1"""));
        await Scope.TreeAsync(db, connection);
        await RawDb.ScalarAsync(connection, new Sql("""SELECT "TimeZone" FROM "CompanySettings" WHERE NOT "IsDeleted" LIMIT 1"""));
        var now = context.Clock.GetUtcNow().UtcDateTime;
        var soon = now.AddMinutes(new Modules.Leads.LeadSettings().DueSoonMinutes);

        string Where(Sql sql)
        {
            var condition = sla.Sla switch
            {
                "overdue" => $"""l."OwnerId" IS NOT NULL AND l."Status" IN (2, 3) AND l."FirstTouchAt" IS NULL AND l."FirstTouchDueAt" IS NOT NULL AND l."FirstTouchDueAt" < {sql.Param(db.Time(now))}""",
                "dueSoon" => $"""l."OwnerId" IS NOT NULL AND l."Status" IN (2, 3) AND l."FirstTouchAt" IS NULL AND l."FirstTouchDueAt" IS NOT NULL AND l."FirstTouchDueAt" >= {sql.Param(db.Time(now))} AND l."FirstTouchDueAt" <= {sql.Param(db.Time(soon))}""",
                "met" => """l."FirstTouchSla" = 4""",
                _ => """l."FirstTouchSla" = 5""",
            };
            // The part of the condition the owner and pool indexes hold, as the app narrows with it.
            var within = sla.Sla is "met" or "missed" ? condition.Replace("l.", "", StringComparison.Ordinal)
                : "\"Status\" IN (2, 3) AND \"FirstTouchSla\" IS NULL";
            return $"""WHERE NOT l."IsDeleted" AND {scope.VisibleIds(db, sql, "Leads", "l", within)} AND {condition}""";
        }

        var count = new Sql();
        count.Append($"""SELECT COUNT(*) FROM (SELECT 1 FROM "Leads" l {Where(count)} LIMIT 1001) x""");
        await RawDb.ScalarAsync(connection, count);

        var page = new Sql();
        var where = Where(page);
        var order = sla.OrderBy == "due"
            ? $"""COALESCE(l."FirstTouchDueAt", {page.Param(db.Time(NoDeadline))}), l."Id" """
            : """l."CreatedAt" DESC, l."Id" DESC""";
        page.Append($"""
            SELECT {LeadColumns}
            FROM "Leads" l LEFT JOIN "AspNetUsers" a ON a."Id" = l."OwnerId"
            {where}
            ORDER BY {order}
            LIMIT 51
            """);
        await RawDb.DrainAsync(connection, page);
    }

    private static async Task LogFollowUpRawAsync(BenchContext context, DbConnection connection, Scope scope, Guid customerId, int methodCount,
        int index, string keyPoints)
    {
        var db = context.Db;
        var now = context.Clock.GetUtcNow().UtcDateTime;
        await using var transaction = await connection.BeginTransactionAsync();

        var customer = new Sql();
        customer.Append($"""
            SELECT c."OwnerId", c."Version", c."Grade", c."OwnedSince", c."LastFollowUpAt", c."Name"
            FROM "Customers" c WHERE NOT c."IsDeleted" AND {scope.Visible(db, customer, "c")} AND c."Id" = {customer.Param(db.Id(customerId))} LIMIT 1
            """);
        var (owner, version) = (await ListAsync(connection, transaction, customer,
            r => (Owner: RawDb.ReadId(r, 0), Version: Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture)))).Single();
        var team = new Sql("""SELECT "TeamId" FROM "AspNetUsers" WHERE "Id" = """);
        team.Append(team.Param(db.Id(owner))).Append(" LIMIT 1");
        await RawDb.DrainAsync(connection, team, transaction);
        var share = new Sql("""SELECT "Access" FROM "Collaborators" WHERE "RecordId" = """);
        share.Append(share.Param(db.Id(customerId))).Append(""" AND "UserId" = """).Append(share.Param(db.Id(scope.UserId))).Append(" LIMIT 1");
        await RawDb.DrainAsync(connection, share, transaction);
        await RawDb.DrainAsync(connection, new Sql("""SELECT * FROM "CustomerSettings" WHERE NOT "IsDeleted" LIMIT 1"""), transaction);
        await RawDb.DrainAsync(connection, new Sql("""SELECT * FROM "CompanySettings" WHERE NOT "IsDeleted" LIMIT 1"""), transaction);
        await RawDb.DrainAsync(connection, new Sql("""SELECT * FROM "Holidays" WHERE NOT "IsDeleted" """), transaction);
        var reminders = new Sql();
        reminders.Append($"""
            SELECT t."Id", t."Version" FROM "Tasks" t
            WHERE NOT t."IsDeleted" AND t."Kind" = 1 AND t."OwnerId" = {reminders.Param(db.Id(scope.UserId))} AND t."RelatedId" = {reminders.Param(db.Id(customerId))}
              AND t."Status" = 0 AND t."CreatedAt" <= {reminders.Param(db.Time(now))}
            """);
        await RawDb.DrainAsync(connection, reminders, transaction);

        var followUpId = Guid.CreateVersion7();
        var audit = new Sql();
        audit.Append($"""
            INSERT INTO "AuditEntries" ("Id", "Action", "ChangedAt", "ChangedBy", "EntityId", "EntityType", "Field", "NewValue", "OldValue")
            VALUES ({audit.Param(db.Id(Guid.CreateVersion7()))}, 0, {audit.Param(db.Time(now))}, {audit.Param(db.Id(scope.UserId))},
                    {audit.Param(db.Id(followUpId))}, 'FollowUp', NULL, NULL, NULL)
            """);
        await RawDb.ExecuteAsync(connection, audit, transaction);

        // The cadence due date: 3 working days after this contact (grade B's default), at the start of that day.
        var update = new Sql();
        update.Append($"""
            UPDATE "Customers" SET "FollowUpDueAt" = {update.Param(db.Time(now.Date.AddDays(3)))}, "LastFollowUpAt" = {update.Param(db.Time(now))},
                "NextFollowUpAt" = NULL, "UpdatedAt" = {update.Param(db.Time(now))}, "UpdatedBy" = {update.Param(db.Id(scope.UserId))},
                "Version" = {update.Param(version + 1)}
            WHERE "Id" = {update.Param(db.Id(customerId))} AND "Version" = {update.Param(version)}
            """);
        if (await RawDb.ExecuteAsync(connection, update, transaction) != 1)
        {
            throw new InvalidOperationException("The customer changed meanwhile.");
        }

        var insert = new Sql();
        insert.Append($"""
            INSERT INTO "FollowUps" ("Id", "AuthorId", "CreatedAt", "CreatedBy", "CustomerFeedback", "CustomerId", "DeletedAt", "DeletedBy",
                "IsDeleted", "IsLate", "KeyPoints", "Method", "NextFollowUpAt", "NextStep", "OccurredAt", "RecordedAt", "ReminderTaskId",
                "UpdatedAt", "UpdatedBy", "Version")
            VALUES ({insert.Param(db.Id(followUpId))}, {insert.Param(db.Id(scope.UserId))}, {insert.Param(db.Time(now))}, {insert.Param(db.Id(scope.UserId))},
                '满意', {insert.Param(db.Id(customerId))}, NULL, NULL, {insert.Param(db.Bool(false))}, {insert.Param(db.Bool(false))},
                {insert.Param(keyPoints)}, {insert.Param(index % methodCount)}, NULL, NULL, {insert.Param(db.Time(now))}, {insert.Param(db.Time(now))}, NULL,
                {insert.Param(db.Time(now))}, {insert.Param(db.Id(scope.UserId))}, 1)
            """);
        await RawDb.ExecuteAsync(connection, insert, transaction);
        await transaction.CommitAsync();
    }

    private static async Task<List<T>> ListAsync<T>(DbConnection connection, DbTransaction transaction, Sql sql, Func<DbDataReader, T> read)
    {
        await using var command = sql.Command(connection);
        command.Transaction = transaction;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static async Task BoardRawAsync(BenchContext context, DbConnection connection, Scope scope, Guid teamId)
    {
        var db = context.Db;
        var pipeline = RawDb.ReadIdValue(await RawDb.ScalarAsync(connection, new Sql("""
            SELECT "Id" FROM "Pipelines" WHERE NOT "IsDeleted" AND "IsActive" ORDER BY "IsDefault" DESC, "SortOrder" LIMIT 1
            """)));
        var pipelineRow = new Sql();
        pipelineRow.Append($"""SELECT * FROM "Pipelines" WHERE NOT "IsDeleted" AND "Id" = {pipelineRow.Param(db.Id(pipeline))} LIMIT 1""");
        await RawDb.DrainAsync(connection, pipelineRow);
        var stagesSql = new Sql();
        stagesSql.Append($"""SELECT "Id", "IsActive" FROM "PipelineStages" WHERE NOT "IsDeleted" AND "PipelineId" = {stagesSql.Param(db.Id(pipeline))}""");
        var stages = await RawDb.ListAsync(connection, stagesSql, r => (Id: RawDb.ReadId(r, 0), Active: Convert.ToBoolean(r.GetValue(1), CultureInfo.InvariantCulture)));
        var requirements = new Sql("""SELECT * FROM "StageRequirements" WHERE NOT "IsDeleted" AND """);
        requirements.Append(db.InIds(requirements, "\"StageId\"", stages.Select(s => s.Id).ToList()));
        await RawDb.DrainAsync(connection, requirements);
        var active = stages.Where(s => s.Active).Select(s => s.Id).ToHashSet();

        var tree = await Scope.TreeAsync(db, connection);
        var ownersSql = new Sql("""SELECT "Id" FROM "AspNetUsers" WHERE """);
        ownersSql.Append(db.InIds(ownersSql, "\"TeamId\"", tree.SubtreeOf(teamId).ToList()));
        var owners = await RawDb.ListAsync(connection, ownersSql, r => RawDb.ReadId(r, 0));
        var since = context.Clock.GetUtcNow().UtcDateTime.AddDays(-30);

        string Deals(Sql sql, bool stageCondition) =>
            $"""
            NOT o."IsDeleted" AND {scope.VisibleIds(db, sql, "Opportunities", "o")} AND {db.InIds(sql, "o.\"OwnerId\"", owners)}
            {(stageCondition ? "AND " + db.InIds(sql, "o.\"StageId\"", active) : "")}
            AND (o."Status" = 0 OR (o."ClosedAt" IS NOT NULL AND o."ClosedAt" >= {sql.Param(db.Time(since))}))
            """;
        var sums = new Sql();
        sums.Append($"""
            SELECT o."StageId", o."Currency", COUNT(*), SUM(o."AmountMinor"), SUM(o."AmountMinor" * o."Probability")
            FROM "Opportunities" o WHERE {Deals(sums, false)}
            GROUP BY o."Currency", o."StageId"
            """);
        await RawDb.DrainAsync(connection, sums);
        var keys = new Sql();
        keys.Append($"""SELECT o."Id", o."StageId", o."AmountMinor" FROM "Opportunities" o WHERE {Deals(keys, true)}""");
        var rows = await RawDb.ListAsync(connection, keys, r => (Id: RawDb.ReadId(r, 0), Stage: RawDb.ReadId(r, 1), Amount: r.GetInt64(2)));
        var wanted = rows.GroupBy(r => r.Stage)
            .SelectMany(g => g.OrderByDescending(r => r.Amount).ThenByDescending(r => r.Id.ToString("D"), StringComparer.Ordinal).Take(20))
            .Select(r => r.Id).ToList();
        if (wanted.Count > 0)
        {
            var cards = new Sql();
            cards.Append($"""
                SELECT o."Id", o."Name", c."Name", o."AmountMinor", o."Currency", o."ExpectedCloseDate", o."Probability", o."OwnerId", a."DisplayName",
                       o."StageEnteredAt", o."Version"
                FROM "Opportunities" o
                LEFT JOIN "Customers" c ON c."Id" = o."CustomerId" AND NOT c."IsDeleted" AND {scope.Visible(db, cards, "c")}
                LEFT JOIN "AspNetUsers" a ON a."Id" = o."OwnerId"
                WHERE NOT o."IsDeleted" AND {db.InIds(cards, "o.\"Id\"", wanted)}
                """);
            await RawDb.DrainAsync(connection, cards);
        }
    }

    private static async Task ForecastRawAsync(BenchContext context, DbConnection connection, Scope scope)
    {
        var db = context.Db;
        var currency = await RawDb.ScalarAsync(connection, new Sql("""SELECT "DefaultCurrency" FROM "OpportunitySettings" WHERE NOT "IsDeleted" LIMIT 1""")) as string ?? "CNY";
        var today = DateOnly.FromDateTime(context.Clock.GetUtcNow().UtcDateTime);
        var first = new DateOnly(today.Year, today.Month, 1);
        var end = first.AddMonths(6);
        var sql = new Sql();
        var (year, month) = db.IsPostgres
            ? ("""CAST(date_part('year', o."ExpectedCloseDate") AS integer)""", """CAST(date_part('month', o."ExpectedCloseDate") AS integer)""")
            : ("""CAST(strftime('%Y', o."ExpectedCloseDate") AS INTEGER)""", """CAST(strftime('%m', o."ExpectedCloseDate") AS INTEGER)""");
        sql.Append($"""
            SELECT o."OwnerId", {year}, {month}, COUNT(*), SUM(o."AmountMinor"), SUM(o."AmountMinor" * o."Probability")
            FROM "Opportunities" o
            WHERE NOT o."IsDeleted" AND {scope.VisibleIds(db, sql, "Opportunities", "o")} AND o."Status" = 0 AND o."Currency" = {sql.Param(currency)}
              AND o."ExpectedCloseDate" IS NOT NULL AND o."ExpectedCloseDate" >= {sql.Param(db.Date(first))} AND o."ExpectedCloseDate" < {sql.Param(db.Date(end))}
            GROUP BY o."OwnerId", {year}, {month}
            """);
        var owners = (await RawDb.ListAsync(connection, sql, r => r.IsDBNull(0) ? Guid.Empty : RawDb.ReadId(r, 0))).Where(o => o != Guid.Empty).Distinct().ToList();
        var people = new Sql("""SELECT "Id", "DisplayName", "TeamId" FROM "AspNetUsers" WHERE """);
        people.Append(db.InIds(people, "\"Id\"", owners));
        await RawDb.DrainAsync(connection, people);
        await Scope.TreeAsync(db, connection);
    }

    private static async Task ReceivablesRawAsync(BenchContext context, DbConnection connection, Scope scope, TimeZoneInfo zone)
    {
        var db = context.Db;
        await RawDb.ScalarAsync(connection, new Sql("""SELECT "TimeZone" FROM "CompanySettings" WHERE NOT "IsDeleted" LIMIT 1"""));
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(context.Clock.GetUtcNow().UtcDateTime, zone));
        var currency = await RawDb.ScalarAsync(connection, new Sql("""SELECT "DefaultCurrency" FROM "OpportunitySettings" WHERE NOT "IsDeleted" LIMIT 1""")) as string ?? "CNY";
        var periodStart = new DateOnly(today.Year, today.Month, 1);
        var periodEnd = periodStart.AddMonths(1).AddDays(-1);

        string Contracts(Sql sql) =>
            $"""NOT c."IsDeleted" AND {scope.VisibleIds(db, sql, "Contracts", "c")} AND c."Status" IN (4, 5, 6) AND c."Currency" = {sql.Param(currency)}""";

        var pairs = new Sql();
        var owed = """p."AmountMinor" - p."ReceivedMinor" """;
        var t = pairs.Param(db.Date(today));
        var d30 = pairs.Param(db.Date(today.AddDays(-30)));
        var d60 = pairs.Param(db.Date(today.AddDays(-60)));
        var d90 = pairs.Param(db.Date(today.AddDays(-90)));
        pairs.Append($"""
            SELECT c."OwnerId", c."CustomerId", SUM({owed}),
                   SUM(CASE WHEN p."DueDate" >= {t} THEN {owed} ELSE 0 END),
                   SUM(CASE WHEN p."DueDate" < {t} AND p."DueDate" >= {d30} THEN {owed} ELSE 0 END),
                   SUM(CASE WHEN p."DueDate" < {d30} AND p."DueDate" >= {d60} THEN {owed} ELSE 0 END),
                   SUM(CASE WHEN p."DueDate" < {d60} AND p."DueDate" >= {d90} THEN {owed} ELSE 0 END),
                   SUM(CASE WHEN p."DueDate" < {d90} THEN {owed} ELSE 0 END),
                   COUNT(*), COUNT(CASE WHEN p."DueDate" < {t} THEN 1 END)
            FROM "PaymentInstalments" p JOIN "Contracts" c ON c."Id" = p."ContractId"
            WHERE NOT p."IsDeleted" AND p."ReceivedMinor" < p."AmountMinor" AND {Contracts(pairs)}
            GROUP BY c."OwnerId", c."CustomerId"
            """);
        var rows = await RawDb.ListAsync(connection, pairs,
            r => (Owner: r.IsDBNull(0) ? Guid.Empty : RawDb.ReadId(r, 0), Customer: RawDb.ReadId(r, 1), Owed: r.GetInt64(2)));
        var owners = rows.Select(r => r.Owner).Where(o => o != Guid.Empty).Distinct().ToList();
        var people = new Sql("""SELECT "Id", "DisplayName", "TeamId" FROM "AspNetUsers" WHERE """);
        people.Append(db.InIds(people, "\"Id\"", owners));
        await RawDb.DrainAsync(connection, people);
        var top = rows.GroupBy(r => r.Customer).Select(g => (Customer: g.Key, Owed: g.Sum(r => r.Owed)))
            .OrderByDescending(x => x.Owed).ThenBy(x => x.Customer).Take(100).Select(x => x.Customer).ToList();
        var names = new Sql();
        names.Append($"""SELECT c."Id", c."Name" FROM "Customers" c WHERE NOT c."IsDeleted" AND {scope.Visible(db, names, "c")} AND {db.InIds(names, "c.\"Id\"", top)}""");
        await RawDb.DrainAsync(connection, names);
        await Scope.TreeAsync(db, connection);

        var due = new Sql();
        due.Append($"""
            SELECT SUM(p."AmountMinor"), SUM(p."ReceivedMinor")
            FROM "PaymentInstalments" p JOIN "Contracts" c ON c."Id" = p."ContractId"
            WHERE NOT p."IsDeleted" AND p."DueDate" >= {due.Param(db.Date(periodStart))} AND p."DueDate" <= {due.Param(db.Date(periodEnd))} AND {Contracts(due)}
            """);
        await RawDb.DrainAsync(connection, due);
        var received = new Sql();
        received.Append($"""
            SELECT SUM(r."AmountMinor") FROM "PaymentReceipts" r JOIN "Contracts" c ON c."Id" = r."ContractId"
            WHERE NOT r."IsDeleted" AND r."ReceivedOn" >= {received.Param(db.Date(periodStart))} AND r."ReceivedOn" <= {received.Param(db.Date(periodEnd))} AND {Contracts(received)}
            """);
        await RawDb.DrainAsync(connection, received);
        var unallocated = new Sql();
        unallocated.Append($"""
            SELECT SUM(r."UnallocatedMinor") FROM "PaymentReceipts" r JOIN "Contracts" c ON c."Id" = r."ContractId"
            WHERE NOT r."IsDeleted" AND r."UnallocatedMinor" > 0 AND {Contracts(unallocated)}
            """);
        await RawDb.DrainAsync(connection, unallocated);
    }
}
