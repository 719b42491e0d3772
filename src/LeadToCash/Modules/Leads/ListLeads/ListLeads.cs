using System.Globalization;
using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Company;
using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;

namespace LeadToCash.Modules.Leads.ListLeads;

/// <summary>The first-touch states the list can filter by (see <see cref="LeadRules.Sla"/>).</summary>
public enum LeadSlaFilter
{
    DueSoon = 0,
    Overdue = 1,
    Met = 2,
    Missed = 3,
}

/// <summary>
/// Filters of the lead list; the export and the saved views take the same ones. Grade filters on the confirmed grade,
/// or the suggested one while a lead is unscreened. Team means the lead's team and its sub-teams; the created dates are
/// days in the company's time zone, both ends included.
/// </summary>
public sealed record LeadFilter(
    string? Q = null,
    IReadOnlyList<LeadStatus>? Statuses = null,
    IReadOnlyList<LeadGrade>? Grades = null,
    string? Source = null,
    Guid? OwnerId = null,
    Guid? TeamId = null,
    DateOnly? CreatedFrom = null,
    DateOnly? CreatedTo = null,
    LeadSlaFilter? Sla = null,
    bool AwaitingScreening = false,
    bool? InPool = null,
    bool Mine = false,
    bool Escalated = false)
{
    public static readonly LeadFilter None = new();

    public bool IsEmpty => string.IsNullOrWhiteSpace(Q) && Statuses is not { Count: > 0 } && Grades is not { Count: > 0 }
        && Source is null && OwnerId is null && TeamId is null && CreatedFrom is null && CreatedTo is null && Sla is null
        && !AwaitingScreening && InPool is null && !Mine && !Escalated;

    /// <summary>True when the whole filter is <see cref="ApplyIndexed"/>'s part (statuses, a met or missed first touch).</summary>
    public bool IsIndexedOnly => (this with { Statuses = null, Sla = null }).IsEmpty && Sla is null or LeadSlaFilter.Met or LeadSlaFilter.Missed;

    /// <summary>Narrows a scoped lead query. <paramref name="now"/> and the settings decide the SLA states.</summary>
    public IQueryable<Lead> Apply(IQueryable<Lead> query, LeadFilterContext context)
    {
        query = ApplyIndexed(query);
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim();
            query = query.Where(l => (l.CompanyName != null && l.CompanyName.Contains(q))
                || (l.ContactName != null && l.ContactName.Contains(q))
                || (l.Mobile != null && l.Mobile.Contains(q))
                || (l.Phone != null && l.Phone.Contains(q))
                || (l.Email != null && l.Email.Contains(q)));
        }

        if (Grades is { Count: > 0 })
        {
            var grades = Grades.Distinct().ToList();
            query = query.Where(l => l.Grade != null ? grades.Contains(l.Grade.Value) : grades.Contains(l.SuggestedGrade));
        }

        if (!string.IsNullOrWhiteSpace(Source))
        {
            var source = Source.Trim();
            query = query.Where(l => l.SourceChannel == source);
        }

        if (OwnerId is { } owner)
        {
            query = query.Where(l => l.OwnerId == owner);
        }

        if (Mine)
        {
            var me = context.UserId;
            query = query.Where(l => l.OwnerId == me);
        }

        if (TeamId is { } team)
        {
            var teams = context.Tree.SubtreeOf(team).ToList();
            query = query.Where(l => teams.Contains(l.TeamId));
        }

        if (CreatedFrom is { } from)
        {
            var fromUtc = context.StartOfDayUtc(from);
            query = query.Where(l => l.CreatedAt >= fromUtc);
        }

        if (CreatedTo is { } to)
        {
            var beforeUtc = context.StartOfDayUtc(to.AddDays(1));
            query = query.Where(l => l.CreatedAt < beforeUtc);
        }

        // Met and missed are wholly answered by ApplyIndexed; the open states also depend on the time.
        var now = context.Now;
        if (Sla is LeadSlaFilter.Overdue)
        {
            query = query.FirstTouchOverdue(now);
        }
        else if (Sla is LeadSlaFilter.DueSoon)
        {
            var soon = now.AddMinutes(context.Settings.DueSoonMinutes);
            query = query.OwnedOpen().Where(l => l.FirstTouchAt == null && l.FirstTouchDueAt != null
                && l.FirstTouchDueAt >= now && l.FirstTouchDueAt <= soon);
        }

        if (AwaitingScreening)
        {
            query = query.Open().Where(l => l.ScreenedAt == null);
        }

        if (InPool is { } inPool)
        {
            query = inPool ? query.Where(l => l.OwnerId == null) : query.Where(l => l.OwnerId != null);
        }

        if (Escalated)
        {
            query = query.Where(l => l.EscalatedAt != null && l.FirstTouchAt == null);
        }

        return query;
    }

    /// <summary>
    /// The part of the filter that the lead indexes by owner and by pool also hold (status, first-touch outcome): a
    /// superset of <see cref="Apply"/>'s rows (which starts from it), for <see cref="AppDbContext.NarrowToScope{T}"/> to
    /// read only those ids.
    /// </summary>
    public IQueryable<Lead> ApplyIndexed(IQueryable<Lead> query)
    {
        if (Statuses is { Count: > 0 })
        {
            var statuses = Statuses.Distinct().ToList();
            query = query.Where(l => statuses.Contains(l.Status));
        }

        return Sla switch
        {
            LeadSlaFilter.Overdue or LeadSlaFilter.DueSoon => query.Where(l =>
                (l.Status == LeadStatus.Assigned || l.Status == LeadStatus.Contacted) && l.FirstTouchSla == null),
            LeadSlaFilter.Met => query.Where(l => l.FirstTouchSla == SlaState.Met),
            LeadSlaFilter.Missed => query.Where(l => l.FirstTouchSla == SlaState.Missed),
            _ => query,
        };
    }

    /// <summary>The filter as the list's URL query string (without "?"), in a stable order; sort is added when given.</summary>
    public string ToQueryString(string? sort = null)
    {
        var parts = new List<KeyValuePair<string, string>>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add(new(key, value));
            }
        }

        Add("q", Q?.Trim());
        Add("status", Statuses is { Count: > 0 } ? string.Join(',', Statuses.Distinct().Select(LeadQuery.Name)) : null);
        Add("grade", Grades is { Count: > 0 } ? string.Join(',', Grades.Distinct().Order().Select(g => g.ToString())) : null);
        Add("source", Source);
        Add("ownerId", OwnerId?.ToString());
        Add("teamId", TeamId?.ToString());
        Add("createdFrom", CreatedFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("createdTo", CreatedTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("sla", Sla is { } sla ? LeadQuery.Name(sla) : null);
        Add("screening", AwaitingScreening ? "awaiting" : null);
        Add("inPool", InPool is { } inPool ? (inPool ? "true" : "false") : null);
        Add("mine", Mine ? "true" : null);
        Add("escalated", Escalated ? "true" : null);
        Add("sort", sort);
        return string.Join('&', parts.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
    }
}

/// <summary>What a lead filter needs besides itself: who asks, the time, the rules, the org tree and the time zone.</summary>
public sealed record LeadFilterContext(Guid UserId, DateTime Now, LeadSettings Settings, TeamTree Tree, TimeZoneInfo Zone)
{
    public DateTime StartOfDayUtc(DateOnly day) =>
        TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), Zone);

    public static async Task<LeadFilterContext> LoadAsync(AppDbContext db, CurrentUser user, DateTime now, CancellationToken ct)
    {
        var settings = await db.LeadSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new LeadSettings();
        var tree = new TeamTree(await db.Teams.AsNoTracking()
            .Select(t => new TeamNode(t.Id, t.Name, t.ParentId, t.HeadUserId, t.Kind)).ToListAsync(ct));
        var zoneId = await db.CompanySettings.AsNoTracking().Select(c => c.TimeZone).FirstOrDefaultAsync(ct) ?? new CompanySettings { Name = "" }.TimeZone;
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var found) ? found : TimeZoneInfo.Utc;
        return new LeadFilterContext(user.Id, now, settings, tree, zone);
    }
}

/// <summary>A lead as a row of the list and the export.</summary>
public sealed record LeadListItem(
    Guid Id,
    string? CompanyName,
    string? ContactName,
    string? Mobile,
    string? Phone,
    string? Email,
    string SourceChannel,
    LeadStatus Status,
    LeadGrade? Grade,
    LeadGrade SuggestedGrade,
    int Score,
    Guid TeamId,
    Guid? OwnerId,
    string? OwnerName,
    DateTime ScreeningDueAt,
    DateTime? ScreenedAt,
    DateTime? AssignedAt,
    DateTime? FirstTouchDueAt,
    DateTime? FirstTouchAt,
    DateTime? EscalatedAt,
    bool Incomplete,
    bool Duplicate,
    int Version,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public SlaState Sla { get; init; }

    public string? TeamName { get; init; }

    public string DisplayName => CompanyName ?? ContactName ?? "";

    public static readonly System.Linq.Expressions.Expression<Func<Lead, LeadListItem>> Projection = l => new LeadListItem(
        l.Id, l.CompanyName, l.ContactName, l.Mobile, l.Phone, l.Email, l.SourceChannel, l.Status, l.Grade, l.SuggestedGrade,
        l.Score, l.TeamId, l.OwnerId, l.Owner != null ? l.Owner.DisplayName : null,
        DateTime.SpecifyKind(l.ScreeningDueAt, DateTimeKind.Utc),
        l.ScreenedAt == null ? null : DateTime.SpecifyKind(l.ScreenedAt.Value, DateTimeKind.Utc),
        l.AssignedAt == null ? null : DateTime.SpecifyKind(l.AssignedAt.Value, DateTimeKind.Utc),
        l.FirstTouchDueAt == null ? null : DateTime.SpecifyKind(l.FirstTouchDueAt.Value, DateTimeKind.Utc),
        l.FirstTouchAt == null ? null : DateTime.SpecifyKind(l.FirstTouchAt.Value, DateTimeKind.Utc),
        l.EscalatedAt == null ? null : DateTime.SpecifyKind(l.EscalatedAt.Value, DateTimeKind.Utc),
        l.Mobile == null && l.Phone == null && l.Email == null && l.WeChat == null,
        l.DuplicateOfLeadId != null || l.DuplicateOfCustomerId != null,
        l.Version,
        DateTime.SpecifyKind(l.CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(l.UpdatedAt, DateTimeKind.Utc));

    /// <summary>The row's first-touch state; a closed lead that nobody had to call any more has none.</summary>
    public static SlaState SlaOf(LeadListItem item, DateTime now, LeadSettings settings)
    {
        var state = LeadRules.Sla(item.FirstTouchDueAt, item.FirstTouchAt, now, settings);
        return state is SlaState.OnTrack or SlaState.DueSoon or SlaState.Overdue && !LeadRules.IsOpen(item.Status)
            ? SlaState.None
            : state;
    }
}

public sealed class ListLeadsHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public const string DefaultSort = "-createdAt";

    // Leads without a first-touch deadline sort after every deadline (the same on both databases, unlike NULLs).
    private static readonly DateTime NoDeadline = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    public static readonly IReadOnlyList<SortField<Lead>> SortFields =
    [
        Keyset.Field<Lead, DateTime>("createdAt", l => l.CreatedAt),
        Keyset.Field<Lead, DateTime>("updatedAt", l => l.UpdatedAt),
        Keyset.Field<Lead, DateTime>("firstTouchDueAt", l => l.FirstTouchDueAt ?? NoDeadline),
        Keyset.Field<Lead, int>("score", l => l.Score),
        Keyset.Field<Lead, string>("company", l => l.CompanyName ?? l.ContactName ?? ""),
    ];

    public static readonly IReadOnlyList<string> SortNames = [.. SortFields.Select(f => f.Name)];

    public async Task<ListPage<LeadListItem>> HandleAsync(CurrentUser user, LeadFilter filter, ListRequest page,
        CancellationToken ct = default)
    {
        user.Require(Permissions.LeadsRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var context = await LeadFilterContext.LoadAsync(db, user, clock.GetUtcNow().UtcDateTime, ct);
        var query = filter.Apply(db.NarrowToScope(db.Leads.AsNoTracking(), filter.ApplyIndexed), context);
        var request = string.IsNullOrWhiteSpace(page.Sort) ? page with { Sort = DefaultSort } : page;
        var countIds = filter.IsIndexedOnly ? db.VisibleIdsWithin<Lead>(filter.ApplyIndexed) : null;
        var found = await Keyset.PageAsync(query, request, SortFields, l => l.Id, LeadListItem.Projection, ct, countIds);
        return found with { Items = Complete(found.Items, context) };
    }

    /// <summary>Adds what the SQL projection leaves out: the SLA state at this moment and the team's name.</summary>
    internal static List<LeadListItem> Complete(IEnumerable<LeadListItem> items, LeadFilterContext context) =>
        [.. items.Select(i => i with
        {
            Sla = LeadListItem.SlaOf(i, context.Now, context.Settings),
            TeamName = context.Tree.Find(i.TeamId)?.Name,
        })];

    /// <summary>Orders a lead query the way the list does for <paramref name="sort"/> (for the export).</summary>
    internal static IOrderedQueryable<Lead> Order(IQueryable<Lead> query, string? sort)
    {
        var text = string.IsNullOrWhiteSpace(sort) ? DefaultSort : sort.Trim();
        var descending = text.StartsWith('-');
        var name = text.TrimStart('-', '+');
        return name.ToLowerInvariant() switch
        {
            "createdat" => descending ? query.OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id) : query.OrderBy(l => l.CreatedAt).ThenBy(l => l.Id),
            "updatedat" => descending ? query.OrderByDescending(l => l.UpdatedAt).ThenByDescending(l => l.Id) : query.OrderBy(l => l.UpdatedAt).ThenBy(l => l.Id),
            "firsttouchdueat" => descending
                ? query.OrderByDescending(l => l.FirstTouchDueAt ?? NoDeadline).ThenByDescending(l => l.Id)
                : query.OrderBy(l => l.FirstTouchDueAt ?? NoDeadline).ThenBy(l => l.Id),
            "score" => descending ? query.OrderByDescending(l => l.Score).ThenByDescending(l => l.Id) : query.OrderBy(l => l.Score).ThenBy(l => l.Id),
            "company" => descending
                ? query.OrderByDescending(l => l.CompanyName ?? l.ContactName ?? "").ThenByDescending(l => l.Id)
                : query.OrderBy(l => l.CompanyName ?? l.ContactName ?? "").ThenBy(l => l.Id),
            _ => throw new ValidationException([new ValidationFailure("sort",
                $"sort must be one of: {string.Join(", ", SortNames)} (prefix - for descending).")]),
        };
    }
}

public static class ListLeadsEndpoint
{
    public static void MapListLeads(this RouteGroupBuilder group) =>
        group.MapGet("/", async ([AsParameters] LeadQuery query, CurrentUser user, ListLeadsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(user, query.ToFilter(), query.Page, ct)))
            .RequireAuthorization(Permissions.LeadsRead)
            .WithName("ListLeads")
            .WithSummary("Leads the caller may see: ?q=&status=new,pool&grade=A,B&source=&ownerId=&teamId=&createdFrom=&createdTo=" +
                "(yyyy-MM-dd, company time zone)&sla=dueSoon|overdue|met|missed&screening=awaiting&inPool=&mine=&escalated=" +
                "&limit=&cursor=&sort=(createdAt|updatedAt|firstTouchDueAt|score|company, - for descending; default -createdAt).");
}

/// <summary>
/// The lead list's query string as the API and the page read it. Several statuses or grades are given comma-separated
/// or as repeated parameters; enum names are case-insensitive.
/// </summary>
public sealed record LeadQuery(
    string? Q = null,
    string[]? Status = null,
    string[]? Grade = null,
    string? Source = null,
    Guid? OwnerId = null,
    Guid? TeamId = null,
    DateOnly? CreatedFrom = null,
    DateOnly? CreatedTo = null,
    string? Sla = null,
    string? Screening = null,
    bool? InPool = null,
    bool? Mine = null,
    bool? Escalated = null,
    int? Limit = null,
    string? Cursor = null,
    string? Sort = null)
{
    public ListRequest Page => new(Limit, Cursor, Sort);

    /// <summary>The filter, or a 400 naming the parameter that cannot be read.</summary>
    public LeadFilter ToFilter()
    {
        var failures = new List<ValidationFailure>();
        var statuses = ParseList<LeadStatus>("status", Status, failures);
        var grades = ParseList<LeadGrade>("grade", Grade, failures);
        LeadSlaFilter? sla = null;
        if (!string.IsNullOrWhiteSpace(Sla))
        {
            if (TryParse<LeadSlaFilter>(Sla, out var parsed))
            {
                sla = parsed;
            }
            else
            {
                failures.Add(new ValidationFailure("sla", "sla must be one of: dueSoon, overdue, met, missed."));
            }
        }

        var awaiting = false;
        if (!string.IsNullOrWhiteSpace(Screening))
        {
            if (string.Equals(Screening.Trim(), "awaiting", StringComparison.OrdinalIgnoreCase))
            {
                awaiting = true;
            }
            else
            {
                failures.Add(new ValidationFailure("screening", "screening must be 'awaiting'."));
            }
        }

        if (CreatedFrom is { } from && CreatedTo is { } to && to < from)
        {
            failures.Add(new ValidationFailure("createdTo", "createdTo must not be before createdFrom."));
        }

        if (Q is { Length: > 200 })
        {
            failures.Add(new ValidationFailure("q", "q must be at most 200 characters."));
        }

        if (failures.Count > 0)
        {
            throw new ValidationException(failures);
        }

        return new LeadFilter(string.IsNullOrWhiteSpace(Q) ? null : Q.Trim(), statuses, grades,
            string.IsNullOrWhiteSpace(Source) ? null : Source.Trim(), OwnerId, TeamId, CreatedFrom, CreatedTo, sla, awaiting,
            InPool, Mine == true, Escalated == true);
    }

    /// <summary>Reads a URL's query string (as the page and a saved view carry it); unreadable values are left out.</summary>
    public static LeadQuery FromQueryString(string? queryString)
    {
        var values = QueryHelpers.ParseQuery(queryString);
        string? One(string key) => values.TryGetValue(key, out var v) && !StringValues.IsNullOrEmpty(v) ? v.ToString() : null;
        string[]? Many(string key) => values.TryGetValue(key, out var v) && !StringValues.IsNullOrEmpty(v) ? [.. v.Select(x => x ?? "")] : null;
        Guid? Id(string key) => Guid.TryParse(One(key), out var id) ? id : null;
        DateOnly? Day(string key) => DateOnly.TryParseExact(One(key), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        bool? Flag(string key) => bool.TryParse(One(key), out var b) ? b : null;
        return new LeadQuery(One("q"), Many("status"), Many("grade"), One("source"), Id("ownerId"), Id("teamId"),
            Day("createdFrom"), Day("createdTo"), One("sla"), One("screening"), Flag("inPool"), Flag("mine"), Flag("escalated"),
            Sort: One("sort"));
    }

    /// <summary>Like <see cref="ToFilter"/>, but drops what cannot be read instead of refusing (for links and saved views).</summary>
    public LeadFilter ToFilterLenient()
    {
        try
        {
            return ToFilter();
        }
        catch (ValidationException e)
        {
            var bad = e.Errors.Select(f => f.PropertyName).ToHashSet(StringComparer.Ordinal);
            return (this with
            {
                Status = bad.Contains("status") ? null : Status,
                Grade = bad.Contains("grade") ? null : Grade,
                Sla = bad.Contains("sla") ? null : Sla,
                Screening = bad.Contains("screening") ? null : Screening,
                CreatedTo = bad.Contains("createdTo") ? null : CreatedTo,
                Q = bad.Contains("q") ? Q![..200] : Q,
            }).ToFilter();
        }
    }

    internal static string Name<T>(T value) where T : struct, Enum
    {
        var text = value.ToString();
        return typeof(T) == typeof(LeadGrade) ? text : char.ToLowerInvariant(text[0]) + text[1..];
    }

    private static List<T>? ParseList<T>(string field, string[]? raw, List<ValidationFailure> failures) where T : struct, Enum
    {
        var parts = (raw ?? []).SelectMany(r => (r ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (parts.Count == 0)
        {
            return null;
        }

        var result = new List<T>();
        foreach (var part in parts)
        {
            if (TryParse<T>(part, out var value))
            {
                result.Add(value);
            }
            else
            {
                failures.Add(new ValidationFailure(field,
                    $"'{part}' is not a {field}; use one of: {string.Join(", ", Enum.GetValues<T>().Select(Name))}."));
            }
        }

        return result;
    }

    private static bool TryParse<T>(string text, out T value) where T : struct, Enum =>
        Enum.TryParse(text.Trim(), ignoreCase: true, out value) && Enum.IsDefined(value) && !char.IsAsciiDigit(text.Trim()[0]);
}
