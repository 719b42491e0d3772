using System.Globalization;
using System.Linq.Expressions;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;

namespace LeadToCash.Modules.Opportunities.ListOpportunities;

/// <summary>Filters of the opportunity list (also what a saved view and the page's URL carry).</summary>
public sealed record OpportunityFilter(
    string? Q = null,
    Guid? PipelineId = null,
    Guid? StageId = null,
    Guid? OwnerId = null,
    Guid? TeamId = null,
    OpportunityStatus? Status = null,
    Guid? CustomerId = null,
    DateOnly? CloseFrom = null,
    DateOnly? CloseTo = null)
{
    public static readonly OpportunityFilter None = new();

    public bool IsEmpty => this == None;

    /// <param name="query">Opportunities of <paramref name="db"/>, already scoped to the caller.</param>
    public async Task<IQueryable<Opportunity>> ApplyAsync(IQueryable<Opportunity> query, AppDbContext db, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim();
            // The customer's name counts only when the caller can see the customer (the subquery is scoped too).
            query = query.Where(o => o.Name.Contains(q) || db.Customers.Any(c => c.Id == o.CustomerId && c.Name.Contains(q)));
        }

        if (PipelineId is { } pipeline)
        {
            query = query.Where(o => o.PipelineId == pipeline);
        }

        if (StageId is { } stage)
        {
            query = query.Where(o => o.StageId == stage);
        }

        if (OwnerId is { } owner)
        {
            query = query.Where(o => o.OwnerId == owner);
        }

        if (TeamId is { } team)
        {
            var owners = await TeamOwnersAsync(db, team, ct);
            query = query.Where(o => o.OwnerId != null && owners.Contains(o.OwnerId.Value));
        }

        if (Status is { } status)
        {
            query = query.Where(o => o.Status == status);
        }

        if (CustomerId is { } customer)
        {
            query = query.Where(o => o.CustomerId == customer);
        }

        if (CloseFrom is { } from)
        {
            query = query.Where(o => o.ExpectedCloseDate != null && o.ExpectedCloseDate >= from);
        }

        if (CloseTo is { } to)
        {
            query = query.Where(o => o.ExpectedCloseDate != null && o.ExpectedCloseDate <= to);
        }

        return query;
    }

    /// <summary>The people of <paramref name="teamId"/> and the teams below it.</summary>
    public static async Task<List<Guid>> TeamOwnersAsync(AppDbContext db, Guid teamId, CancellationToken ct)
    {
        var tree = await CurrentUserResolver.LoadTreeAsync(db, ct);
        var teams = tree.SubtreeOf(teamId).ToList();
        return await db.Users.Where(u => u.TeamId != null && teams.Contains(u.TeamId.Value)).Select(u => u.Id).ToListAsync(ct);
    }

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
        Add("pipelineId", PipelineId?.ToString());
        Add("stageId", StageId?.ToString());
        Add("ownerId", OwnerId?.ToString());
        Add("teamId", TeamId?.ToString());
        Add("status", Status?.ToString());
        Add("customerId", CustomerId?.ToString());
        Add("closeFrom", CloseFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("closeTo", CloseTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("sort", sort);
        return string.Join('&', parts.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
    }

    /// <summary>Reads a page URL or saved view; values that cannot be read are dropped.</summary>
    public static (OpportunityFilter Filter, string? Sort) FromQueryString(string? queryString)
    {
        var values = QueryHelpers.ParseQuery(queryString);
        string? One(string key) => values.TryGetValue(key, out var v) && !StringValues.IsNullOrEmpty(v) ? v.ToString() : null;
        Guid? Id(string key) => Guid.TryParse(One(key), out var id) ? id : null;
        DateOnly? Day(string key) => DateOnly.TryParseExact(One(key), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        OpportunityStatus? status = Enum.TryParse<OpportunityStatus>(One("status"), true, out var s) && Enum.IsDefined(s) ? s : null;
        return (new OpportunityFilter(One("q"), Id("pipelineId"), Id("stageId"), Id("ownerId"), Id("teamId"), status, Id("customerId"),
            Day("closeFrom"), Day("closeTo")), One("sort"));
    }
}

public sealed class ListOpportunitiesHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    public const string DefaultSort = "-updatedAt";

    // Deals without an expected close date sort after every dated one (the same on both databases).
    private static readonly DateOnly Undated = new(9999, 12, 31);

    public static readonly IReadOnlyList<SortField<Opportunity>> SortFields =
    [
        Keyset.Field<Opportunity, DateTime>("updatedAt", o => o.UpdatedAt),
        Keyset.Field<Opportunity, string>("name", o => o.Name),
        Keyset.Field<Opportunity, long>("amount", o => o.AmountMinor),
        Keyset.Field<Opportunity, DateOnly>("expectedCloseDate", o => o.ExpectedCloseDate ?? Undated),
        Keyset.Field<Opportunity, DateTime>("createdAt", o => o.CreatedAt),
    ];

    public async Task<ListPage<OpportunityListItem>> HandleAsync(CurrentUser user, OpportunityFilter filter, ListRequest page,
        CancellationToken ct = default)
    {
        user.Require(Permissions.OpportunitiesRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var query = await filter.ApplyAsync(db.NarrowToScope(db.Opportunities.AsNoTracking()), db, ct);
        var result = await Keyset.PageAsync(query, page with { Sort = string.IsNullOrWhiteSpace(page.Sort) ? DefaultSort : page.Sort },
            SortFields, o => o.Id, Projection(db), ct);
        return result with { Items = await CompleteAsync(db, result.Items, ct) };
    }

    /// <summary>The row's columns; the customer's name only when the caller can see the customer.</summary>
    internal static Expression<Func<Opportunity, OpportunityListItem>> Projection(AppDbContext db) => o => new OpportunityListItem(
        o.Id, o.Name, o.CustomerId, db.Customers.Where(c => c.Id == o.CustomerId).Select(c => c.Name).FirstOrDefault(),
        o.AmountMinor, o.Currency, o.ExpectedCloseDate, o.PipelineId, o.StageId, null, o.Probability, 0, o.Status,
        o.OwnerId, o.Owner != null ? o.Owner.DisplayName : null, DateTime.SpecifyKind(o.UpdatedAt, DateTimeKind.Utc), o.Version);

    /// <summary>Adds the stage names (in the reader's language) and the weighted amounts.</summary>
    internal static async Task<IReadOnlyList<OpportunityListItem>> CompleteAsync(AppDbContext db, IReadOnlyList<OpportunityListItem> items,
        CancellationToken ct)
    {
        if (items.Count == 0)
        {
            return items;
        }

        var stageIds = items.Select(i => i.StageId).Distinct().ToList();
        var stages = await db.PipelineStages.AsNoTracking().Where(s => stageIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        return [.. items.Select(i => i with
        {
            StageName = stages.TryGetValue(i.StageId, out var stage) ? PipelineText.Name(stage) : null,
            WeightedAmountMinor = Weighted.Of(i.AmountMinor, i.Probability),
        })];
    }
}

public static class ListOpportunitiesEndpoint
{
    public static void MapListOpportunities(this RouteGroupBuilder group) =>
        group.MapGet("/", async ([AsParameters] OpportunityQuery query, CurrentUser user, ListOpportunitiesHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(user, query.Filter, query.Page, ct)))
            .RequireAuthorization(Permissions.OpportunitiesRead)
            .WithName("ListOpportunities")
            .WithSummary("Opportunities the caller may see: ?q=&pipelineId=&stageId=&ownerId=&teamId=&status=(Open|Won|Lost)&customerId=" +
                "&closeFrom=&closeTo= (expected close date, yyyy-MM-dd) &limit=&cursor=&sort=(updatedAt|name|amount|expectedCloseDate|createdAt, " +
                "- for descending; default -updatedAt).");
}

public sealed record OpportunityQuery(string? Q, Guid? PipelineId, Guid? StageId, Guid? OwnerId, Guid? TeamId, OpportunityStatus? Status,
    Guid? CustomerId, DateOnly? CloseFrom, DateOnly? CloseTo, int? Limit, string? Cursor, string? Sort)
{
    public OpportunityFilter Filter => new(Q, PipelineId, StageId, OwnerId, TeamId, Status, CustomerId, CloseFrom, CloseTo);

    public ListRequest Page => new(Limit, Cursor, Sort);
}
