using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Opportunities.ListOpportunities;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Opportunities.Board;

/// <summary>A card of the board: enough to recognise the deal and move it (its version).</summary>
public sealed record BoardCard(Guid Id, string Name, string? CustomerName, long AmountMinor, string Currency, DateOnly? ExpectedCloseDate,
    int Probability, Guid? OwnerId, string? OwnerName, DateTime StageEnteredAt, int Version);

/// <summary>The sum of a column's amounts in one currency, and the sum weighted by each deal's probability.</summary>
public sealed record BoardTotal(string Currency, long AmountMinor, long WeightedAmountMinor);

/// <summary>
/// A stage column: how many deals and how much (counted in the database over every deal of the column the caller may
/// see), and the first cards, biggest first, with the cursor for more. Won and lost columns hold the deals closed in the
/// last <see cref="BoardHandler.ClosedDays"/> days.
/// </summary>
public sealed record BoardColumn(Guid StageId, string Name, StageKind Kind, int Probability, int Count, IReadOnlyList<BoardTotal> Totals,
    IReadOnlyList<BoardCard> Cards, string? NextCursor);

public sealed record BoardDto(Guid PipelineId, string PipelineName, IReadOnlyList<BoardColumn> Columns);

public sealed record BoardQuery(Guid? PipelineId, Guid? OwnerId, Guid? TeamId, int? Limit);

public sealed record BoardColumnQuery(Guid? PipelineId, Guid StageId, Guid? OwnerId, Guid? TeamId, int? Limit, string? Cursor);

/// <summary>
/// The kanban board of a pipeline: one column per active stage with its count and totals aggregated in SQL and its first
/// cards. Only the deals the caller may see (the scope filter), narrowed to an owner or a team.
/// </summary>
public sealed class BoardHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public const int DefaultCards = 20;
    public const int ClosedDays = 30;

    public async Task<BoardDto> HandleAsync(CurrentUser user, BoardQuery query, CancellationToken ct = default)
    {
        user.Require(Permissions.OpportunitiesRead);
        var limit = Limit(query.Limit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var map = await PipelineAsync(db, query.PipelineId, ct);
        var stages = map.Stages.Where(s => s.IsActive).ToList();
        var stageIds = stages.Select(s => s.Id).ToList();
        var mineAnywhere = await DealsAsync(db, null, query.OwnerId, query.TeamId, ct);
        var closedSince = clock.GetUtcNow().UtcDateTime.AddDays(-ClosedDays);

        // Open columns count every open deal of their stage; won and lost columns the recently closed ones. Grouped over
        // the caller's deals of every pipeline and then narrowed to this board's stages: without a stage condition the
        // database reads the deals through the owner index that the scope (or the owner and team filters) names, rather
        // than every deal of the pipeline (SQLite prefers the stage index as soon as the stages are named).
        var sums = (await InColumns(mineAnywhere, closedSince)
            .GroupBy(o => new { o.Currency, o.StageId })
            .Select(g => new { g.Key.StageId, g.Key.Currency, Count = g.Count(), Amount = g.Sum(o => o.AmountMinor), Products = g.Sum(o => o.AmountMinor * o.Probability) })
            .ToListAsync(ct)).Where(s => stageIds.Contains(s.StageId)).ToList();
        var deals = mineAnywhere.Where(o => stageIds.Contains(o.StageId));
        var inColumns = InColumns(deals, closedSince);

        // The first cards of every column from one narrow pass over the deals (id, stage, amount), biggest first with the
        // id as tie-breaker as the column query orders them, then their details by primary key: two passes over the
        // visible deals whatever the number of columns.
        var keys = await inColumns.Select(o => new CardKey(o.Id, o.StageId, o.AmountMinor)).ToListAsync(ct);
        var firstByStage = keys.GroupBy(k => k.StageId).ToDictionary(g => g.Key,
            g => g.OrderByDescending(k => k.AmountMinor).ThenByDescending(k => k.Id.ToString("D"), StringComparer.Ordinal).Take(limit + 1).ToList());
        var wanted = firstByStage.Values.SelectMany(list => list.Take(limit)).Select(k => k.Id).ToList();
        var cards = (await deals.Where(o => wanted.Contains(o.Id)).Select(CardProjection(db)).ToListAsync(ct)).ToDictionary(c => c.Id);

        var columns = new List<BoardColumn>();
        foreach (var stage in stages)
        {
            var mine = sums.Where(s => s.StageId == stage.Id).ToList();
            var first = firstByStage.GetValueOrDefault(stage.Id) ?? [];
            var shown = first.Take(limit).Where(k => cards.ContainsKey(k.Id)).Select(k => cards[k.Id]).ToList();
            var next = first.Count > limit ? Keyset.EncodeCursor(first[limit - 1].AmountMinor, first[limit - 1].Id) : null;
            columns.Add(new BoardColumn(stage.Id, PipelineText.Name(stage), stage.Kind, stage.Probability, mine.Sum(s => s.Count),
                [.. mine.OrderBy(s => s.Currency, StringComparer.Ordinal).Select(s => new BoardTotal(s.Currency, s.Amount, Weighted.FromProducts(s.Products)))],
                shown, next));
        }

        return new BoardDto(map.Pipeline.Id, PipelineText.Name(map.Pipeline), columns);
    }

    /// <summary>More cards of one column ("load more").</summary>
    public async Task<ListPage<BoardCard>> ColumnAsync(CurrentUser user, BoardColumnQuery query, CancellationToken ct = default)
    {
        user.Require(Permissions.OpportunitiesRead);
        var limit = Limit(query.Limit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var map = await PipelineAsync(db, query.PipelineId, ct);
        if (map.Find(query.StageId) is null)
        {
            throw new ValidationException([new ValidationFailure("stageId", "The stage is not one of the pipeline's.")]);
        }

        var deals = await DealsAsync(db, [query.StageId], query.OwnerId, query.TeamId, ct);
        var closedSince = clock.GetUtcNow().UtcDateTime.AddDays(-ClosedDays);
        return await CardsAsync(db, InColumns(deals, closedSince).Where(o => o.StageId == query.StageId), limit, query.Cursor, ct);
    }

    private static IQueryable<Opportunity> InColumns(IQueryable<Opportunity> deals, DateTime closedSince) =>
        deals.Where(o => o.Status == OpportunityStatus.Open || (o.ClosedAt != null && o.ClosedAt >= closedSince));

    private static Task<ListPage<BoardCard>> CardsAsync(AppDbContext db, IQueryable<Opportunity> column, int limit, string? cursor,
        CancellationToken ct) =>
        Keyset.PageAsync(column, new ListRequest(limit, cursor, "-amount"), ListOpportunitiesHandler.SortFields, o => o.Id, CardProjection(db), ct);

    private static System.Linq.Expressions.Expression<Func<Opportunity, BoardCard>> CardProjection(AppDbContext db) =>
        o => new BoardCard(o.Id, o.Name, db.Customers.Where(c => c.Id == o.CustomerId).Select(c => c.Name).FirstOrDefault(),
            o.AmountMinor, o.Currency, o.ExpectedCloseDate, o.Probability, o.OwnerId, o.Owner != null ? o.Owner.DisplayName : null,
            DateTime.SpecifyKind(o.StageEnteredAt, DateTimeKind.Utc), o.Version);

    private sealed record CardKey(Guid Id, Guid StageId, long AmountMinor);

    /// <summary>
    /// The deals of the board's stages (so of its pipeline). By stage ids rather than the pipeline id: a caller's deals are
    /// then read through the owner index (the scope names the owners), not through every deal of the pipeline.
    /// </summary>
    private static async Task<IQueryable<Opportunity>> DealsAsync(AppDbContext db, List<Guid>? stageIds, Guid? ownerId, Guid? teamId, CancellationToken ct)
    {
        var deals = db.NarrowToScope(db.Opportunities.AsNoTracking());
        if (stageIds is not null)
        {
            deals = deals.Where(o => stageIds.Contains(o.StageId));
        }

        if (ownerId is { } owner)
        {
            deals = deals.Where(o => o.OwnerId == owner);
        }

        if (teamId is { } team)
        {
            var owners = await OpportunityFilter.TeamOwnersAsync(db, team, ct);
            deals = deals.Where(o => o.OwnerId != null && owners.Contains(o.OwnerId.Value));
        }

        return deals;
    }

    /// <summary>The pipeline asked for, else the default one.</summary>
    internal static async Task<PipelineMap> PipelineAsync(AppDbContext db, Guid? pipelineId, CancellationToken ct)
    {
        var id = pipelineId
            ?? await db.Pipelines.Where(p => p.IsActive).OrderByDescending(p => p.IsDefault).ThenBy(p => p.SortOrder).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);
        return id is { } found
            ? await PipelineMap.LoadAsync(db, found, ct)
            : throw new ValidationException([new ValidationFailure("pipelineId", "There is no active pipeline.")]);
    }

    private static int Limit(int? limit) => limit switch
    {
        null => DefaultCards,
        < 1 or > 100 => throw new ValidationException([new ValidationFailure("limit", "limit must be between 1 and 100.")]),
        _ => limit.Value,
    };
}

public static class BoardEndpoints
{
    public static void MapBoard(this RouteGroupBuilder group)
    {
        group.MapGet("/board", async ([AsParameters] BoardQuery query, CurrentUser user, BoardHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(user, query, ct)))
            .RequireAuthorization(Permissions.OpportunitiesRead)
            .WithName("GetOpportunityBoard")
            .WithSummary("The kanban board of a pipeline (?pipelineId=, default the default pipeline; &ownerId=&teamId= narrow it; " +
                $"&limit= cards per column, default {BoardHandler.DefaultCards}): per active stage the count and the amount totals per " +
                $"currency (weighted too) of the deals the caller may see, and the first cards, biggest first. Won and lost columns " +
                $"hold the deals closed in the last {BoardHandler.ClosedDays} days.");
        group.MapGet("/board/column", async ([AsParameters] BoardColumnQuery query, CurrentUser user, BoardHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ColumnAsync(user, query, ct)))
            .RequireAuthorization(Permissions.OpportunitiesRead)
            .WithName("GetOpportunityBoardColumn")
            .WithSummary("More cards of one board column (?pipelineId=&stageId=&ownerId=&teamId=&limit=&cursor= from the column's nextCursor).");
    }
}
