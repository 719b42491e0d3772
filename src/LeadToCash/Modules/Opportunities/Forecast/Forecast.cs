using System.Globalization;
using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Opportunities.ListOpportunities;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Opportunities.Forecast;

/// <summary>One month of a forecast row: how many open deals are expected to close then, their amount and weighted amount.</summary>
public sealed record ForecastCell(string Month, int Count, long AmountMinor, long WeightedAmountMinor);

/// <summary>A person's forecast (their open deals the caller may see).</summary>
public sealed record ForecastPerson(Guid? OwnerId, string? OwnerName, Guid? TeamId, IReadOnlyList<ForecastCell> Months, ForecastCell Total);

/// <summary>A team's forecast: its people and the teams below it, within the caller's view.</summary>
public sealed record ForecastTeam(Guid TeamId, string Name, Guid? ParentId, int Depth, IReadOnlyList<ForecastCell> Months, ForecastCell Total);

/// <summary>
/// The weighted pipeline (amount × probability / 100) of open deals by expected close month, in one currency, per person
/// and per team of the caller's subtree, with totals. Sums come from the database (grouped by owner and month).
/// </summary>
public sealed record ForecastDto(string Currency, IReadOnlyList<string> Months, IReadOnlyList<ForecastPerson> People,
    IReadOnlyList<ForecastTeam> Teams, IReadOnlyList<ForecastCell> Totals, ForecastCell Total);

/// <param name="From">First month, yyyy-MM (default: this month).</param>
/// <param name="Months">How many months (1–24, default 6).</param>
public sealed record ForecastQuery(string? From, int? Months, Guid? PipelineId, Guid? TeamId, Guid? OwnerId, string? Currency);

public sealed class ForecastHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public const int DefaultMonths = 6;

    public async Task<ForecastDto> HandleAsync(CurrentUser user, ForecastQuery query, CancellationToken ct = default)
    {
        user.Require(Permissions.OpportunitiesRead);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var first = new DateOnly(today.Year, today.Month, 1);
        if (query.From is { Length: > 0 } from)
        {
            first = DateOnly.TryParseExact(from + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? day
                : throw new ValidationException([new ValidationFailure("from", "from is a month, yyyy-MM.")]);
        }

        var count = query.Months ?? DefaultMonths;
        if (count is < 1 or > 24)
        {
            throw new ValidationException([new ValidationFailure("months", "months must be between 1 and 24.")]);
        }

        var end = first.AddMonths(count);
        var months = Enumerable.Range(0, count).Select(i => Month(first.AddMonths(i))).ToList();

        await using var db = await dbFactory.OpenAsync(user, ct);
        var currency = query.Currency ?? await db.OpportunitySettings.Select(s => s.DefaultCurrency).FirstOrDefaultAsync(ct) ?? "CNY";
        var deals = db.NarrowToScope(db.Opportunities.AsNoTracking()).Where(o => o.Status == OpportunityStatus.Open && o.Currency == currency
            && o.ExpectedCloseDate != null && o.ExpectedCloseDate >= first && o.ExpectedCloseDate < end);
        if (query.PipelineId is { } pipeline)
        {
            deals = deals.Where(o => o.PipelineId == pipeline);
        }

        if (query.OwnerId is { } owner)
        {
            deals = deals.Where(o => o.OwnerId == owner);
        }

        if (query.TeamId is { } team)
        {
            var owners = await OpportunityFilter.TeamOwnersAsync(db, team, ct);
            deals = deals.Where(o => o.OwnerId != null && owners.Contains(o.OwnerId.Value));
        }

        var rows = await deals
            .GroupBy(o => new { o.OwnerId, o.ExpectedCloseDate!.Value.Year, o.ExpectedCloseDate!.Value.Month })
            .Select(g => new { g.Key.OwnerId, g.Key.Year, g.Key.Month, Count = g.Count(), Amount = g.Sum(o => o.AmountMinor), Products = g.Sum(o => o.AmountMinor * o.Probability) })
            .ToListAsync(ct);

        var ownerIds = rows.Select(r => r.OwnerId).OfType<Guid>().Distinct().ToList();
        var people = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName, u.TeamId }).ToListAsync(ct);
        var tree = await CurrentUserResolver.LoadTreeAsync(db, ct);

        // (month → count, amount, products) per owner; the weighted amount is rounded once, from the summed products.
        var byOwner = rows.GroupBy(r => r.OwnerId).ToDictionary(g => g.Key ?? Guid.Empty,
            g => g.ToDictionary(r => Month(new DateOnly(r.Year, r.Month, 1)), r => (r.Count, r.Amount, r.Products)));
        ForecastCell Cell(string month, IEnumerable<(int Count, long Amount, long Products)> parts)
        {
            var list = parts.ToList();
            return new ForecastCell(month, list.Sum(p => p.Count), list.Sum(p => p.Amount), Weighted.FromProducts(list.Sum(p => p.Products)));
        }

        IReadOnlyList<ForecastCell> Cells(IEnumerable<Guid> owners)
        {
            var sets = owners.Select(o => byOwner.GetValueOrDefault(o)).OfType<Dictionary<string, (int, long, long)>>().ToList();
            return [.. months.Select(m => Cell(m, sets.Select(s => s.GetValueOrDefault(m))))];
        }

        var personRows = people.OrderBy(p => p.DisplayName, StringComparer.CurrentCulture)
            .Select(p =>
            {
                var cells = Cells([p.Id]);
                var total = TotalOf(byOwner.GetValueOrDefault(p.Id), months);
                return new ForecastPerson(p.Id, p.DisplayName, p.TeamId, cells, total);
            }).ToList();

        // Teams: the caller's subtree (every team for those who see all), each with the people in it and below it.
        var teamIds = user.Scope.SeesAll ? [.. tree.Teams.Select(t => t.Id)] : user.SubtreeTeamIds.ToList();
        var teamRows = new List<ForecastTeam>();
        foreach (var node in teamIds.Select(tree.Find).OfType<Organization.TeamNode>())
        {
            var below = tree.SubtreeOf(node.Id).ToHashSet();
            var members = people.Where(p => p.TeamId is { } t && below.Contains(t)).Select(p => p.Id).ToList();
            var merged = MergeOf(members.Select(m => byOwner.GetValueOrDefault(m)));
            teamRows.Add(new ForecastTeam(node.Id, node.Name, node.ParentId, tree.PathToRoot(node.Id).Count - 1, Cells(members), TotalOf(merged, months)));
        }

        var allOwners = byOwner.Keys.ToList();
        var totals = Cells(allOwners);
        var grand = TotalOf(MergeOf(allOwners.Select(o => byOwner.GetValueOrDefault(o))), months);
        return new ForecastDto(currency, months, personRows, [.. teamRows.OrderBy(t => t.Depth).ThenBy(t => t.Name, StringComparer.CurrentCulture)],
            totals, grand);
    }

    private static Dictionary<string, (int Count, long Amount, long Products)> MergeOf(IEnumerable<Dictionary<string, (int Count, long Amount, long Products)>?> sets)
    {
        var merged = new Dictionary<string, (int Count, long Amount, long Products)>(StringComparer.Ordinal);
        foreach (var set in sets.OfType<Dictionary<string, (int Count, long Amount, long Products)>>())
        {
            foreach (var (month, v) in set)
            {
                var m = merged.GetValueOrDefault(month);
                merged[month] = (m.Count + v.Count, m.Amount + v.Amount, m.Products + v.Products);
            }
        }

        return merged;
    }

    private static ForecastCell TotalOf(Dictionary<string, (int Count, long Amount, long Products)>? set, IReadOnlyList<string> months)
    {
        var values = months.Select(m => set?.GetValueOrDefault(m) ?? default).ToList();
        return new ForecastCell("total", values.Sum(v => v.Count), values.Sum(v => v.Amount), Weighted.FromProducts(values.Sum(v => v.Products)));
    }

    private static string Month(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}

public static class ForecastEndpoint
{
    public static void MapForecast(this RouteGroupBuilder group) =>
        group.MapGet("/forecast", async ([AsParameters] ForecastQuery query, CurrentUser user, ForecastHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(user, query, ct)))
            .RequireAuthorization(Permissions.OpportunitiesRead)
            .WithName("GetOpportunityForecast")
            .WithSummary("Weighted amount (amount × probability / 100) of the open opportunities the caller may see, by expected close " +
                "month (?from=yyyy-MM, default this month; &months=1..24, default 6), per person and per team of the caller's " +
                "subtree, with totals; one currency (&currency=, default the company's); &pipelineId=&teamId=&ownerId= narrow it.");
}
