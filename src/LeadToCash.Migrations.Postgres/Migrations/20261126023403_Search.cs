using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadToCash.Migrations.Postgres.Migrations
{
    /// <summary>
    /// The global search index: pg_trgm GIN indexes, one per searched table (customers, contacts, leads), over one
    /// space-separated expression of names, phones, e-mails and pinyin, so that ILIKE '%term%' and word-start lookups
    /// ('% te%') are indexed. Raw SQL only: the EF model does not change. The expressions must stay exactly those the
    /// search queries use (Modules/Search/SearchIndex.cs). pg_trgm ships with PostgreSQL and is a trusted extension:
    /// a database owner may create it.
    /// </summary>
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.Sql("""
                CREATE INDEX "IX_Customers_Search" ON "Customers" USING gin ((' ' || coalesce("Name", '') || ' ' || coalesce("PhoneKey", '') || ' ' || coalesce("Pinyin", '') || ' ' || coalesce("PinyinInitials", '')) gin_trgm_ops);
                """);
            migrationBuilder.Sql("""
                CREATE INDEX "IX_Contacts_Search" ON "Contacts" USING gin ((' ' || coalesce("Name", '') || ' ' || coalesce("PhoneKey", '') || ' ' || translate(coalesce("Phone", ''), ' -()+', '') || ' ' || coalesce("EmailKey", '') || ' ' || coalesce("Pinyin", '') || ' ' || coalesce("PinyinInitials", '')) gin_trgm_ops);
                """);
            migrationBuilder.Sql("""
                CREATE INDEX "IX_Leads_Search" ON "Leads" USING gin ((' ' || coalesce("CompanyName", '') || ' ' || coalesce("ContactName", '') || ' ' || coalesce("PhoneKey", '') || ' ' || translate(coalesce("Phone", ''), ' -()+', '') || ' ' || coalesce("EmailKey", '') || ' ' || coalesce("Pinyin", '') || ' ' || coalesce("PinyinInitials", '')) gin_trgm_ops);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_Leads_Search";""");
            migrationBuilder.Sql("""DROP INDEX "IX_Contacts_Search";""");
            migrationBuilder.Sql("""DROP INDEX "IX_Customers_Search";""");
        }
    }
}
