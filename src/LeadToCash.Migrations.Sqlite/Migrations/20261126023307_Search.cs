using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadToCash.Migrations.Sqlite.Migrations
{
    /// <summary>
    /// The global search index: one FTS5 trigram table per searched table (customers, contacts, leads), kept current by
    /// triggers, so that '%term%' lookups of names, phones, e-mails and pinyin are indexed. Raw SQL only: the EF model
    /// does not change. Each field of a record's search text starts with two U+0001 marks, so that a word-start lookup
    /// of one or two characters is still a trigram ("\u0001\u0001h", "\u0001hw"). The index holds no content
    /// (contentless); SearchKeys gives each record a stable FTS row id (AUTOINCREMENT: never reused).
    /// </summary>
    public partial class Search : Migration
    {
        private const string Mark = "char(1, 1)";

        private static readonly (string Table, string Index, string[] Columns, string Body)[] Sources =
        [
            ("Customers", "CustomerSearch", ["Name", "PhoneKey", "Pinyin", "PinyinInitials", "IsDeleted"],
                Fields("{0}.\"Name\"", "{0}.\"PhoneKey\"", Variants("{0}.\"Pinyin\""), Variants("{0}.\"PinyinInitials\""))),
            ("Contacts", "ContactSearch", ["Name", "PhoneKey", "Phone", "EmailKey", "Pinyin", "PinyinInitials", "IsDeleted"],
                Fields("{0}.\"Name\"", "{0}.\"PhoneKey\"", Digits("{0}.\"Phone\""), "{0}.\"EmailKey\"", Variants("{0}.\"Pinyin\""),
                    Variants("{0}.\"PinyinInitials\""))),
            ("Leads", "LeadSearch", ["CompanyName", "ContactName", "PhoneKey", "Phone", "EmailKey", "Pinyin", "PinyinInitials", "IsDeleted"],
                Fields("{0}.\"CompanyName\"", "{0}.\"ContactName\"", "{0}.\"PhoneKey\"", Digits("{0}.\"Phone\""), "{0}.\"EmailKey\"",
                    Variants("{0}.\"Pinyin\""), Variants("{0}.\"PinyinInitials\""))),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "SearchKeys" (
                    "Id" INTEGER NOT NULL CONSTRAINT "PK_SearchKeys" PRIMARY KEY AUTOINCREMENT,
                    "RecordId" TEXT NOT NULL);
                """);
            migrationBuilder.Sql("""CREATE UNIQUE INDEX "IX_SearchKeys_RecordId" ON "SearchKeys" ("RecordId");""");
            foreach (var (table, index, columns, body) in Sources)
            {
                var of = columns.Select(c => $"\"{c}\"");
                migrationBuilder.Sql($"""
                    CREATE VIRTUAL TABLE "{index}" USING fts5("Body", content = '', contentless_delete = 1, tokenize = 'trigram');
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "{table}_Search_Insert" AFTER INSERT ON "{table}" WHEN new."IsDeleted" = 0 BEGIN
                        INSERT INTO "SearchKeys" ("RecordId") VALUES (new."Id");
                        INSERT INTO "{index}" (rowid, "Body") SELECT k."Id", {string.Format(body, "new")} FROM "SearchKeys" k WHERE k."RecordId" = new."Id";
                    END;
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "{table}_Search_Update" AFTER UPDATE OF {string.Join(", ", of)} ON "{table}" BEGIN
                        DELETE FROM "{index}" WHERE rowid = (SELECT "Id" FROM "SearchKeys" WHERE "RecordId" = old."Id");
                        DELETE FROM "SearchKeys" WHERE "RecordId" = old."Id";
                        INSERT INTO "SearchKeys" ("RecordId") SELECT new."Id" WHERE new."IsDeleted" = 0;
                        INSERT INTO "{index}" (rowid, "Body") SELECT k."Id", {string.Format(body, "new")} FROM "SearchKeys" k WHERE k."RecordId" = new."Id";
                    END;
                    """);
                migrationBuilder.Sql($"""
                    CREATE TRIGGER "{table}_Search_Delete" AFTER DELETE ON "{table}" BEGIN
                        DELETE FROM "{index}" WHERE rowid = (SELECT "Id" FROM "SearchKeys" WHERE "RecordId" = old."Id");
                        DELETE FROM "SearchKeys" WHERE "RecordId" = old."Id";
                    END;
                    """);
                // The records already there (their pinyin is spelled at the next start-up, which updates the index).
                migrationBuilder.Sql($"""
                    INSERT INTO "SearchKeys" ("RecordId") SELECT "Id" FROM "{table}" WHERE "IsDeleted" = 0;
                    """);
                migrationBuilder.Sql($"""
                    INSERT INTO "{index}" (rowid, "Body") SELECT k."Id", {string.Format(body, "r")} FROM "{table}" r JOIN "SearchKeys" k ON k."RecordId" = r."Id";
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, index, _, _) in Sources)
            {
                migrationBuilder.Sql($"""DROP TRIGGER "{table}_Search_Insert";""");
                migrationBuilder.Sql($"""DROP TRIGGER "{table}_Search_Update";""");
                migrationBuilder.Sql($"""DROP TRIGGER "{table}_Search_Delete";""");
                migrationBuilder.Sql($"""DROP TABLE "{index}";""");
            }

            migrationBuilder.Sql("""DROP TABLE "SearchKeys";""");
        }

        /// <summary>The search text: each field (a column expression over the row {0}) after two marks.</summary>
        private static string Fields(params string[] fields) =>
            string.Join(" || ", fields.Select(f => $"{Mark} || coalesce({f}, '')"));

        /// <summary>Space-separated spellings, each its own field.</summary>
        private static string Variants(string column) => $"replace({column}, ' ', {Mark})";

        /// <summary>A phone number as typed, without the usual separators.</summary>
        private static string Digits(string column) =>
            $"replace(replace(replace(replace(replace({column}, ' ', ''), '-', ''), '(', ''), ')', ''), '+', '')";
    }
}
