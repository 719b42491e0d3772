using System.Globalization;
using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Search;

/// <summary>Why a record was found, best first: the rank order of the results.</summary>
public enum SearchMatch
{
    /// <summary>The name, phone number or e-mail address is exactly the query.</summary>
    Exact = 0,
    NamePrefix = 1,
    Name = 2,
    Initials = 3,
    Pinyin = 4,
    Phone = 5,
    Email = 6,

    /// <summary>A pinyin or initials spelling contains the query (not at its start).</summary>
    Spelling = 7,
}

/// <summary>
/// One result. Customers: <see cref="Detail"/> is the region. Contacts: the title, with their customer.
/// Leads: the contact name when the company is the name; <see cref="Status"/> is the lead status.
/// </summary>
public sealed record SearchHit(
    Guid Id,
    string Name,
    string? Detail,
    Guid? CustomerId,
    string? CustomerName,
    string? OwnerName,
    string? Status,
    SearchMatch Match);

/// <summary>Results by kind, each ranked; a kind the caller may not read is empty.</summary>
public sealed record SearchResults(string Query, IReadOnlyList<SearchHit> Customers, IReadOnlyList<SearchHit> Contacts,
    IReadOnlyList<SearchHit> Leads)
{
    public int Total => Customers.Count + Contacts.Count + Leads.Count;
}

/// <summary>
/// The global search over customers, contacts and leads: by name, phone, e-mail, pinyin and pinyin initials. The
/// index (<see cref="SearchIndex"/>) proposes candidate ids; the ordinary scoped queries load them, so only what the
/// user may see is ever returned; the ranking happens here: exact, name prefix, name, initials, pinyin, phone, e-mail.
/// </summary>
public sealed class SearchHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 50;

    public async Task<SearchResults> HandleAsync(CurrentUser user, string? query, int? limit = null, CancellationToken ct = default)
    {
        user.Require(Permissions.SearchUse);
        var perGroup = limit ?? DefaultLimit;
        if (perGroup is < 1 or > MaxLimit)
        {
            throw new ValidationException([new ValidationFailure("limit",
                string.Create(CultureInfo.InvariantCulture, $"The limit must be between 1 and {MaxLimit}."))]);
        }

        if (SearchTerms.Parse(query) is not { } terms)
        {
            return new SearchResults("", [], [], []);
        }

        // Enough candidates to rank: the index answers in no useful order.
        var take = Math.Max(100, perGroup * 5);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var customers = user.Has(Permissions.CustomersRead) ? await CustomersAsync(db, terms, take, ct) : [];
        var contacts = user.Has(Permissions.CustomersRead) ? await ContactsAsync(db, terms, take, ct) : [];
        var leads = user.Has(Permissions.LeadsRead) ? await LeadsAsync(db, terms, take, ct) : [];
        return new SearchResults(terms.Text, Rank(customers, terms, perGroup), Rank(contacts, terms, perGroup), Rank(leads, terms, perGroup));
    }

    private static async Task<List<Candidate>> CustomersAsync(AppDbContext db, SearchTerms terms, int take, CancellationToken ct)
    {
        var found = new List<Candidate>();
        foreach (var ids in await CandidatesAsync(db, SearchSource.Customers, terms, ct))
        {
            if (ids.Count == 0)
            {
                continue;
            }

            var query = db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id));
            if (terms.NameContains is { } name)
            {
                query = query.Where(c => c.Name.Contains(name));
            }

            found.AddRange(await query.Take(take)
                .Select(c => new Candidate(c.Id, c.Name, null, c.PhoneKey, c.Phone, null, c.Pinyin, c.PinyinInitials, c.Region,
                    null, null, c.Owner != null ? c.Owner.DisplayName : null, null))
                .ToListAsync(ct));
        }

        return found;
    }

    private static async Task<List<Candidate>> ContactsAsync(AppDbContext db, SearchTerms terms, int take, CancellationToken ct)
    {
        var found = new List<Candidate>();
        foreach (var ids in await CandidatesAsync(db, SearchSource.Contacts, terms, ct))
        {
            if (ids.Count == 0)
            {
                continue;
            }

            var query = db.Contacts.AsNoTracking().Where(c => ids.Contains(c.Id));
            if (terms.NameContains is { } name)
            {
                query = query.Where(c => c.Name.Contains(name));
            }

            // Contacts have no scope of their own: the join with the (scoped) customers decides.
            found.AddRange(await query
                .Join(db.Customers, c => c.CustomerId, customer => customer.Id, (c, customer) => new Candidate(c.Id, c.Name, null,
                    c.PhoneKey, c.Phone, c.EmailKey, c.Pinyin, c.PinyinInitials, c.Title, customer.Id, customer.Name, null, null))
                .Take(take)
                .ToListAsync(ct));
        }

        return found;
    }

    private static async Task<List<Candidate>> LeadsAsync(AppDbContext db, SearchTerms terms, int take, CancellationToken ct)
    {
        var found = new List<Candidate>();
        foreach (var ids in await CandidatesAsync(db, SearchSource.Leads, terms, ct))
        {
            if (ids.Count == 0)
            {
                continue;
            }

            var query = db.Leads.AsNoTracking().Where(l => ids.Contains(l.Id));
            if (terms.NameContains is { } name)
            {
                query = query.Where(l => (l.CompanyName != null && l.CompanyName.Contains(name))
                    || (l.ContactName != null && l.ContactName.Contains(name)));
            }

            found.AddRange(await query.Take(take)
                .Select(l => new Candidate(l.Id, l.CompanyName ?? l.ContactName ?? "", l.CompanyName != null ? l.ContactName : null,
                    l.PhoneKey, l.Phone, l.EmailKey, l.Pinyin, l.PinyinInitials, l.CompanyName != null ? l.ContactName : null,
                    null, null, l.Owner != null ? l.Owner.DisplayName : null, l.Status.ToString()))
                .ToListAsync(ct));
        }

        return found;
    }

    /// <summary>
    /// Candidate ids from the index, in sets to load apart: word starts first (they hold the exact and prefix matches,
    /// which must not be crowded out by the many records that merely contain a common term), then substrings. When the
    /// substring lookup found everything (under its limit) and covers the word starts, it is the only set.
    /// </summary>
    private static async Task<List<List<Guid>>> CandidatesAsync(AppDbContext db, SearchSource source, SearchTerms terms,
        CancellationToken ct)
    {
        var sets = new List<List<Guid>>();
        var limit = SearchIndex.LimitFor(terms);
        var contains = SearchIndex.Containing(db, source, terms.Contains, limit) is { } lookup ? await lookup.ToListAsync(ct) : null;
        var covered = contains is not null && contains.Count < limit
            && terms.Starts.All(s => terms.Contains.Contains(s, StringComparer.Ordinal));
        if (!covered && SearchIndex.StartingWith(db, source, terms.Starts, limit) is { } starts)
        {
            sets.Add(await starts.ToListAsync(ct));
        }

        if (contains is not null)
        {
            sets.Add(contains);
        }

        return sets;
    }

    internal static IReadOnlyList<SearchHit> Rank(IEnumerable<Candidate> candidates, SearchTerms terms, int limit) =>
        candidates
            .DistinctBy(c => c.Id)
            .Select(c => (Candidate: c, Match: MatchOf(c, terms)))
            .Where(x => x.Match is not null)
            .OrderBy(x => x.Match)
            .ThenBy(x => x.Candidate.Name.Length)
            .ThenBy(x => x.Candidate.Name, StringComparer.Ordinal)
            .Take(limit)
            .Select(x => new SearchHit(x.Candidate.Id, x.Candidate.Name, x.Candidate.Detail, x.Candidate.CustomerId,
                x.Candidate.CustomerName, x.Candidate.OwnerName, x.Candidate.Status, x.Match!.Value))
            .ToList();

    /// <summary>How a candidate matches the query, or null when it does not (an index hit across two fields).</summary>
    internal static SearchMatch? MatchOf(Candidate candidate, SearchTerms terms)
    {
        var names = new[] { candidate.Name, candidate.OtherName }.OfType<string>().Select(n => n.ToLowerInvariant()).ToList();
        var phones = new[] { candidate.PhoneKey, Digits(candidate.Phone) }.OfType<string>().Where(p => p.Length > 0).ToList();
        var email = candidate.EmailKey;
        var pinyin = Variants(candidate.Pinyin);
        var initials = Variants(candidate.Initials);
        var text = terms.Text;
        var compact = terms.Compact;
        var phone = terms.Phone;

        if (names.Any(n => n == text || n == compact) || (phone is not null && phones.Contains(phone)) || email == text)
        {
            return SearchMatch.Exact;
        }

        if (names.Any(n => n.StartsWith(text, StringComparison.Ordinal) || n.StartsWith(compact, StringComparison.Ordinal)))
        {
            return SearchMatch.NamePrefix;
        }

        if (names.Any(n => n.Contains(text, StringComparison.Ordinal) || n.Contains(compact, StringComparison.Ordinal)))
        {
            return SearchMatch.Name;
        }

        if (terms.NameContains is not null)
        {
            // A short Chinese query found by its pinyin must be in the name itself; anything else is a homophone.
            return null;
        }

        if (initials.Any(i => i.StartsWith(compact, StringComparison.Ordinal)))
        {
            return SearchMatch.Initials;
        }

        if (pinyin.Any(p => p.StartsWith(compact, StringComparison.Ordinal)))
        {
            return SearchMatch.Pinyin;
        }

        if (phone is not null && phones.Any(p => p.Contains(phone, StringComparison.Ordinal)))
        {
            return SearchMatch.Phone;
        }

        if (email is not null && email.Contains(text, StringComparison.Ordinal))
        {
            return SearchMatch.Email;
        }

        return compact.Length >= SearchTerms.TrigramLength
            && initials.Concat(pinyin).Any(s => s.Contains(compact, StringComparison.Ordinal))
            ? SearchMatch.Spelling
            : null;
    }

    private static string[] Variants(string? spellings) =>
        string.IsNullOrEmpty(spellings) ? [] : spellings.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string? Digits(string? phone) => phone is null ? null : new string(phone.Where(char.IsAsciiDigit).ToArray());

    /// <summary>What ranking needs of a record, and what a result shows.</summary>
    internal sealed record Candidate(Guid Id, string Name, string? OtherName, string? PhoneKey, string? Phone, string? EmailKey,
        string? Pinyin, string? Initials, string? Detail, Guid? CustomerId, string? CustomerName, string? OwnerName, string? Status);
}

public static class SearchEndpoint
{
    public static void MapGlobalSearch(this RouteGroupBuilder api) =>
        api.MapGet("/search", async (string? q, int? limit, CurrentUser user, SearchHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(user, q, limit, ct)))
            .RequireAuthorization(Permissions.SearchUse)
            .WithTags("Search")
            .WithName("Search")
            .WithSummary("Customers, contacts and leads the caller may see whose name, phone, e-mail, pinyin or pinyin initials " +
                "match ?q= (\"hwkj\" finds 华为科技), ranked, at most ?limit= (1–50, default 20) of each kind.");
}
