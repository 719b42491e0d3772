using System.Globalization;
using System.Text;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Search;

public enum SearchSource
{
    Customers = 0,
    Contacts = 1,
    Leads = 2,
}

/// <summary>
/// The index lookups of the global search, in each database's own terms (the migration named "Search" builds the
/// indexes): SQLite FTS5 trigram tables kept by triggers, PostgreSQL pg_trgm GIN indexes. A lookup answers candidate
/// record ids only; the caller loads them through its scoped EF queries, which decide what the user may see.
/// </summary>
internal static class SearchIndex
{
    /// <summary>At most this many candidates per lookup; the scoped query then keeps the visible ones.</summary>
    public const int CandidateLimit = 1000;

    /// <summary>
    /// For a query shorter than a trigram ("成都", "li"), which starts thousands of names: the ranking keeps only the best
    /// few, and reading and loading 1,000 candidates per lookup made these the slowest searches (PostgreSQL p95 above 100 ms
    /// at 100,000 customers).
    /// </summary>
    public const int ShortQueryCandidateLimit = 200;

    /// <summary>The candidates per lookup for <paramref name="terms"/>.</summary>
    public static int LimitFor(SearchTerms terms) =>
        terms.Compact.Length < SearchTerms.TrigramLength ? ShortQueryCandidateLimit : CandidateLimit;

    // SQLite: each field of the search text starts with two U+0001 marks (see the SQLite migration "Search").
    private const string Mark = "\u0001";

    // PostgreSQL: exactly the expressions of the GIN indexes of the PostgreSQL migration "Search", or the planner cannot
    // use them.
    private const string CustomersText =
        """(' ' || coalesce("Name", '') || ' ' || coalesce("PhoneKey", '') || ' ' || coalesce("Pinyin", '') || ' ' || coalesce("PinyinInitials", ''))""";

    private const string ContactsText =
        """(' ' || coalesce("Name", '') || ' ' || coalesce("PhoneKey", '') || ' ' || translate(coalesce("Phone", ''), ' -()+', '') || ' ' || coalesce("EmailKey", '') || ' ' || coalesce("Pinyin", '') || ' ' || coalesce("PinyinInitials", ''))""";

    private const string LeadsText =
        """(' ' || coalesce("CompanyName", '') || ' ' || coalesce("ContactName", '') || ' ' || coalesce("PhoneKey", '') || ' ' || translate(coalesce("Phone", ''), ' -()+', '') || ' ' || coalesce("EmailKey", '') || ' ' || coalesce("Pinyin", '') || ' ' || coalesce("PinyinInitials", ''))""";

    /// <summary>Records with one of <paramref name="terms"/> (three characters or more each) anywhere in their search text.</summary>
    public static IQueryable<Guid>? Containing(AppDbContext db, SearchSource source, IReadOnlyList<string> terms, int limit = CandidateLimit) =>
        terms.Count == 0 ? null : Lookup(db, source, terms, wordStart: false, limit);

    /// <summary>Records with a word (a name, phone, e-mail, spelling) that starts with one of <paramref name="prefixes"/>.</summary>
    public static IQueryable<Guid>? StartingWith(AppDbContext db, SearchSource source, IReadOnlyList<string> prefixes, int limit = CandidateLimit) =>
        prefixes.Count == 0 ? null : Lookup(db, source, prefixes, wordStart: true, limit);

    private static IQueryable<Guid> Lookup(AppDbContext db, SearchSource source, IReadOnlyList<string> terms, bool wordStart, int limit) =>
        db.Database.IsNpgsql() ? Postgres(db, source, terms, wordStart, limit) : Sqlite(db, source, terms, wordStart, limit);

    /// <summary>The SQLite FTS5 table of a source (the SQLite migration "Search" creates them).</summary>
    public static string SqliteTable(SearchSource source) => source switch
    {
        SearchSource.Customers => "CustomerSearch",
        SearchSource.Contacts => "ContactSearch",
        _ => "LeadSearch",
    };

    private static IQueryable<Guid> Sqlite(AppDbContext db, SearchSource source, IReadOnlyList<string> terms, bool wordStart, int limit)
    {
        var table = SqliteTable(source);
        // An FTS5 query of quoted phrases; with the trigram tokenizer a phrase matches as a substring.
        var phrases = new List<string>();
        foreach (var term in terms)
        {
            if (!wordStart)
            {
                phrases.Add(term);
                continue;
            }

            // A field start: marks make the phrase three characters long. A later word of a name: after a space.
            phrases.Add((term.Length >= 2 ? Mark : Mark + Mark) + term);
            if (term.Length >= 2)
            {
                phrases.Add(" " + term);
            }
        }

        var match = string.Join(" OR ", phrases.Select(p => "\"" + p.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
        // Only names of this file are interpolated; the user's terms travel as parameters.
#pragma warning disable EF1002
        return db.Database.SqlQueryRaw<Guid>(
            $$"""SELECT k."RecordId" AS "Value" FROM "{{table}}" JOIN "SearchKeys" k ON k."Id" = "{{table}}".rowid WHERE "{{table}}" MATCH {0} LIMIT {1}""",
            match, limit);
#pragma warning restore EF1002
    }

    private static IQueryable<Guid> Postgres(AppDbContext db, SearchSource source, IReadOnlyList<string> terms, bool wordStart, int limit)
    {
        var (table, text) = source switch
        {
            SearchSource.Customers => ("Customers", CustomersText),
            SearchSource.Contacts => ("Contacts", ContactsText),
            _ => ("Leads", LeadsText),
        };
        var parameters = new List<object>();
        var conditions = new StringBuilder();
        foreach (var term in terms)
        {
            var escaped = term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
                .Replace("_", "\\_", StringComparison.Ordinal);
            conditions.Append(conditions.Length == 0 ? "" : " OR ")
                .Append(text).Append(" ILIKE {").Append(parameters.Count.ToString(CultureInfo.InvariantCulture)).Append('}');
            // Every field and word follows a space in the indexed text, so a word start is "% term%".
            parameters.Add((wordStart ? "% " : "%") + escaped + "%");
        }

        parameters.Add(limit);
        var limitIndex = (parameters.Count - 1).ToString(CultureInfo.InvariantCulture);
        // Only names and expressions of this file are interpolated; the user's terms travel as parameters.
#pragma warning disable EF1002
        return db.Database.SqlQueryRaw<Guid>(
            $$"""SELECT "Id" AS "Value" FROM "{{table}}" WHERE {{conditions}} LIMIT {{{limitIndex}}}""", [.. parameters]);
#pragma warning restore EF1002
    }
}
