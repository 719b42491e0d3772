using System.Globalization;
using System.Runtime.InteropServices;
using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Contracts;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Export;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Receivables.Views;

/// <summary>
/// What is owed (minor units): in total, not yet due, overdue, and overdue by age — 0–30, 31–60, 61–90 and over 90 days
/// past the due date.
/// </summary>
public sealed record AgingFigures(long OutstandingMinor, long NotDueMinor, long OverdueMinor, long Days0To30Minor, long Days31To60Minor,
    long Days61To90Minor, long Over90DaysMinor, int Instalments, int OverdueInstalments)
{
    public static readonly AgingFigures Zero = new(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static AgingFigures operator +(AgingFigures a, AgingFigures b) => new(a.OutstandingMinor + b.OutstandingMinor, a.NotDueMinor + b.NotDueMinor,
        a.OverdueMinor + b.OverdueMinor, a.Days0To30Minor + b.Days0To30Minor, a.Days31To60Minor + b.Days31To60Minor,
        a.Days61To90Minor + b.Days61To90Minor, a.Over90DaysMinor + b.Over90DaysMinor, a.Instalments + b.Instalments,
        a.OverdueInstalments + b.OverdueInstalments);

    public static AgingFigures Add(AgingFigures a, AgingFigures b) => a + b;
}

public sealed record ReceivablesRow(Guid? Id, string? Name, AgingFigures Figures);

public sealed record TeamReceivablesRow(Guid TeamId, string Name, Guid? ParentId, int Depth, AgingFigures Figures);

/// <summary>
/// The collection of a period: what fell due in it (<see cref="DueMinor"/>), how much of that was received
/// (<see cref="CollectedMinor"/>), their ratio (<see cref="RatePercent"/>, one decimal; null when nothing fell due), and all
/// money received in the period (<see cref="ReceivedInPeriodMinor"/>).
/// </summary>
public sealed record CollectionFigures(DateOnly From, DateOnly To, long DueMinor, long CollectedMinor, decimal? RatePercent, long ReceivedInPeriodMinor);

/// <summary>
/// The receivables the caller may see (the contracts of their scope: reps their own, managers their teams', Finance and
/// Admin all), in one currency: totals and aging, by customer (the 100 owing most), by owner and by team, and the collection
/// of a period.
/// </summary>
public sealed record ReceivablesSummaryDto(string Currency, DateOnly Today, AgingFigures Totals, long UnallocatedMinor,
    IReadOnlyList<ReceivablesRow> ByCustomer, IReadOnlyList<ReceivablesRow> ByOwner, IReadOnlyList<TeamReceivablesRow> ByTeam,
    CollectionFigures Collection);

/// <summary>An instalment still owed, with its contract, customer and owner.</summary>
public sealed record OutstandingInstalmentDto(Guid InstalmentId, Guid ContractId, string ContractNumber, string ContractTitle, Guid CustomerId,
    string? CustomerName, Guid? OwnerId, string? OwnerName, int SeqNo, string Label, DateOnly DueDate, string Currency, long AmountMinor,
    long ReceivedMinor, long OutstandingMinor, int DaysOverdue, string Aging);

/// <param name="Currency">The currency looked at (default: the company's default currency).</param>
/// <param name="From">Start of the collection period (default: the first day of this month).</param>
/// <param name="To">End of the collection period, inclusive (default: the last day of this month).</param>
public sealed record ReceivablesQuery(string? Currency = null, Guid? TeamId = null, Guid? OwnerId = null, Guid? CustomerId = null,
    DateOnly? From = null, DateOnly? To = null, bool? OverdueOnly = null);

internal sealed class InstalmentRow
{
    public required PaymentInstalment Instalment { get; init; }
    public required Contract Contract { get; init; }
}

public sealed class ReceivablesViewHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, ExportService exports)
{
    public const int CustomerRows = 100;

    private static readonly IReadOnlyList<SortField<InstalmentRow>> SortFields =
        [Keyset.Field<InstalmentRow, DateOnly>("dueDate", r => r.Instalment.DueDate)];

    public async Task<ReceivablesSummaryDto> SummaryAsync(CurrentUser user, ReceivablesQuery query, CancellationToken ct = default)
    {
        user.Require(Permissions.ReceivablesRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var today = await ReceivablesStore.CompanyTodayAsync(db, clock.GetUtcNow().UtcDateTime, ct);
        var currency = await CurrencyAsync(db, query, ct);
        var (periodStart, periodEnd) = Period(query, today);
        var contracts = await ContractsAsync(db, query, currency, ct);
        var open = Outstanding(db, contracts);
        var d30 = today.AddDays(-30);
        var d60 = today.AddDays(-60);
        var d90 = today.AddDays(-90);

        // By owner and customer together, in one pass over the outstanding instalments (their partial index): the rows
        // are streamed and summed here, and the owner and customer groups summed from those pairs. Grouping in the
        // database cost more on both: SQLite sorted every row into a temporary B-tree first (about 200 ms for 75,000
        // instalments) and PostgreSQL's eight conditional sums took ~100 ms before sending ~37,000 pairs back.
        var pairs = await SumInMemoryAsync(open, today, d30, d60, d90, ct);
        var byOwner = Pair.Totals(pairs, p => p.OwnerId ?? Guid.Empty);
        var byCustomer = Pair.Totals(pairs, p => p.CustomerId)
            .OrderByDescending(x => x.Outstanding).ThenBy(x => x.CustomerId).Take(CustomerRows).ToList();

        static AgingFigures Figures(long outstanding, long notDue, long b1, long b2, long b3, long b4, int count, int overdue) =>
            new(outstanding, notDue, b1 + b2 + b3 + b4, b1, b2, b3, b4, count, overdue);

        var owners = byOwner.Select(o => o.OwnerId).OfType<Guid>().ToList();
        var people = await db.Users.AsNoTracking().Where(u => owners.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName, u.TeamId })
            .ToDictionaryAsync(u => u.Id, ct);
        var ownerRows = byOwner.Select(o => new ReceivablesRow(o.OwnerId, o.OwnerId is { } id ? people.GetValueOrDefault(id)?.DisplayName : null,
                Figures(o.Outstanding, o.NotDue, o.B1, o.B2, o.B3, o.B4, o.Count, o.Overdue)))
            .OrderByDescending(r => r.Figures.OverdueMinor).ThenByDescending(r => r.Figures.OutstandingMinor).ThenBy(r => r.Name, StringComparer.CurrentCulture)
            .ToList();
        var customerIds = byCustomer.Select(c => c.CustomerId).ToList();
        var customerNames = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var customerRows = byCustomer.Select(c => new ReceivablesRow(c.CustomerId, customerNames.GetValueOrDefault(c.CustomerId),
            Figures(c.Outstanding, c.NotDue, c.B1, c.B2, c.B3, c.B4, c.Count, c.Overdue))).ToList();

        // Teams: the caller's subtree (every team for those who see all), each with its people and the teams below it.
        var tree = await CurrentUserResolver.LoadTreeAsync(db, ct);
        var teamIds = user.Scope.SeesAll ? [.. tree.Teams.Select(t => t.Id)] : user.SubtreeTeamIds.ToList();
        var teamRows = new List<TeamReceivablesRow>();
        foreach (var node in teamIds.Select(tree.Find).OfType<Organization.TeamNode>())
        {
            var below = tree.SubtreeOf(node.Id).ToHashSet();
            var members = people.Values.Where(p => p.TeamId is { } t && below.Contains(t)).Select(p => (Guid?)p.Id).ToHashSet();
            var figures = ownerRows.Where(r => members.Contains(r.Id)).Select(r => r.Figures).Aggregate(AgingFigures.Zero, AgingFigures.Add);
            if (figures.Instalments > 0)
            {
                teamRows.Add(new TeamReceivablesRow(node.Id, node.Name, node.ParentId, tree.PathToRoot(node.Id).Count - 1, figures));
            }
        }

        var totals = ownerRows.Select(r => r.Figures).Aggregate(AgingFigures.Zero, AgingFigures.Add);
        var due = await (from i in db.PaymentInstalments.AsNoTracking()
                         join c in contracts on i.ContractId equals c.Id
                         where i.DueDate >= periodStart && i.DueDate <= periodEnd
                         group i by 1 into g
                         select new { Due = g.Sum(i => i.AmountMinor), Collected = g.Sum(i => i.ReceivedMinor) }).FirstOrDefaultAsync(ct);
        var received = await (from r in db.PaymentReceipts.AsNoTracking()
                              join c in contracts on r.ContractId equals c.Id
                              where r.ReceivedOn >= periodStart && r.ReceivedOn <= periodEnd
                              select r.AmountMinor).SumAsync(ct);
        var unallocated = await (from r in db.PaymentReceipts.AsNoTracking()
                                 join c in contracts on r.ContractId equals c.Id
                                 where r.UnallocatedMinor > 0
                                 select r.UnallocatedMinor).SumAsync(ct);
        var collection = new CollectionFigures(periodStart, periodEnd, due?.Due ?? 0, due?.Collected ?? 0, PaymentPlanMath.Rate(due?.Collected ?? 0, due?.Due ?? 0),
            received);
        return new ReceivablesSummaryDto(currency, today, totals, unallocated, customerRows, ownerRows,
            [.. teamRows.OrderBy(t => t.Depth).ThenBy(t => t.Name, StringComparer.CurrentCulture)], collection);
    }

    /// <summary>The instalments still owed (or only the overdue ones), the oldest due first, a page at a time.</summary>
    public async Task<ListPage<OutstandingInstalmentDto>> InstalmentsAsync(CurrentUser user, ReceivablesQuery query, ListRequest page,
        CancellationToken ct = default)
    {
        user.Require(Permissions.ReceivablesRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var today = await ReceivablesStore.CompanyTodayAsync(db, clock.GetUtcNow().UtcDateTime, ct);
        var rows = await RowsAsync(db, query, today, ct);
        var result = await Keyset.PageAsync(rows, page, SortFields, r => r.Instalment.Id, r => new { r.Instalment, r.Contract }, ct);
        var named = await NameAsync(db, result.Items.Select(r => (r.Instalment, r.Contract)).ToList(), today, ct);
        return new ListPage<OutstandingInstalmentDto>(named, result.NextCursor, result.Count, result.CountCapped);
    }

    /// <summary>The instalments still owed, as .xlsx or .csv.</summary>
    public async Task ExportAsync(CurrentUser user, ReceivablesQuery query, ExportFormat format, Stream output, CancellationToken ct = default)
    {
        user.Require(Permissions.ReceivablesRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var today = await ReceivablesStore.CompanyTodayAsync(db, clock.GetUtcNow().UtcDateTime, ct);
        var rows = await (await RowsAsync(db, query, today, ct)).OrderBy(r => r.Instalment.DueDate).ThenBy(r => r.Instalment.Id)
            .Select(r => new { r.Instalment, r.Contract }).ToListAsync(ct);
        var all = await NameAsync(db, [.. rows.Select(r => (r.Instalment, r.Contract))], today, ct);
        await exports.WriteAsync(output, all.ToAsyncEnumerable(), Columns, format, ct);
    }

    private static readonly IReadOnlyList<ExportColumn<OutstandingInstalmentDto>> Columns =
    [
        new("Contract", r => r.ContractNumber),
        new("Title", r => r.ContractTitle),
        new("Customer", r => r.CustomerName),
        new("Owner", r => r.OwnerName),
        new("Instalment", r => r.SeqNo),
        new("Label", r => r.Label),
        new("DueDate", r => r.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        new("Currency", r => r.Currency),
        new("Amount", r => Money(r.AmountMinor, r.Currency)),
        new("Received", r => Money(r.ReceivedMinor, r.Currency)),
        new("Outstanding", r => Money(r.OutstandingMinor, r.Currency)),
        new("DaysOverdue", r => r.DaysOverdue),
        new("Aging", r => r.Aging),
    ];

    private static decimal Money(long minor, string currency) => new Platform.Money.Money(minor, currency).ToDecimal();

    private static string Aging(int daysOverdue) => daysOverdue switch
    {
        <= 0 => "not-due",
        <= 30 => "0-30",
        <= 60 => "31-60",
        <= 90 => "61-90",
        _ => "90+",
    };

    private static async Task<IQueryable<InstalmentRow>> RowsAsync(AppDbContext db, ReceivablesQuery query, DateOnly today, CancellationToken ct)
    {
        var currency = query.Currency is { Length: > 0 } ? query.Currency : null;
        var contracts = await ContractsAsync(db, query, currency, ct);
        var rows = from i in db.PaymentInstalments.AsNoTracking()
                   where i.ReceivedMinor < i.AmountMinor
                   join c in contracts on i.ContractId equals c.Id
                   select new InstalmentRow { Instalment = i, Contract = c };
        return query.OverdueOnly == true ? rows.Where(r => r.Instalment.DueDate < today) : rows;
    }

    private static async Task<List<OutstandingInstalmentDto>> NameAsync(AppDbContext db, List<(PaymentInstalment Instalment, Contract Contract)> rows,
        DateOnly today, CancellationToken ct)
    {
        var customerIds = rows.Select(r => r.Contract.CustomerId).Distinct().ToList();
        var ownerIds = rows.Select(r => r.Contract.OwnerId).OfType<Guid>().Distinct().ToList();
        var customers = customerIds.Count == 0 ? [] : await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var owners = ownerIds.Count == 0 ? [] : await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return [.. rows.Select(r =>
        {
            var i = r.Instalment;
            var days = i.DueDate < today ? today.DayNumber - i.DueDate.DayNumber : 0;
            return new OutstandingInstalmentDto(i.Id, r.Contract.Id, r.Contract.Number, r.Contract.Title, r.Contract.CustomerId,
                customers.GetValueOrDefault(r.Contract.CustomerId), r.Contract.OwnerId, r.Contract.OwnerId is { } o ? owners.GetValueOrDefault(o) : null,
                i.SeqNo, i.Label, i.DueDate, r.Contract.Currency, i.AmountMinor, i.ReceivedMinor, i.AmountMinor - i.ReceivedMinor, days, Aging(days));
        })];
    }

    /// <summary>The same sums as the database's grouping in <see cref="SummaryAsync"/>, over the rows streamed from it.</summary>
    private static async Task<List<Pair>> SumInMemoryAsync(IQueryable<OpenRow> open, DateOnly today, DateOnly d30, DateOnly d60, DateOnly d90,
        CancellationToken ct)
    {
        // Summed in place (no allocation per row): a company-wide view streams some 75,000 rows.
        var sums = new Dictionary<(Guid?, Guid), PairSum>();
        await foreach (var x in open.AsAsyncEnumerable().WithCancellation(ct))
        {
            ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(sums, (x.OwnerId, x.CustomerId), out _);
            sum.Outstanding += x.Owed;
            sum.Count++;
            if (x.DueDate >= today)
            {
                sum.NotDue += x.Owed;
                continue;
            }

            sum.Overdue++;
            if (x.DueDate >= d30)
            {
                sum.B1 += x.Owed;
            }
            else if (x.DueDate >= d60)
            {
                sum.B2 += x.Owed;
            }
            else if (x.DueDate >= d90)
            {
                sum.B3 += x.Owed;
            }
            else
            {
                sum.B4 += x.Owed;
            }
        }

        return [.. sums.Select(s => new Pair(s.Key.Item1, s.Key.Item2, s.Value.Outstanding, s.Value.NotDue, s.Value.B1, s.Value.B2, s.Value.B3,
            s.Value.B4, s.Value.Count, s.Value.Overdue))];
    }

    private struct PairSum
    {
        public long Outstanding, NotDue, B1, B2, B3, B4;
        public int Count, Overdue;
    }

    /// <summary>The outstanding money of one owner's contracts with one customer (or a sum of such pairs).</summary>
    private sealed record Pair(Guid? OwnerId, Guid CustomerId, long Outstanding, long NotDue, long B1, long B2, long B3, long B4, int Count, int Overdue)
    {
        /// <summary>The pairs summed by a key (an owner, a customer); each total keeps the first pair's owner and customer.</summary>
        public static Dictionary<Guid, Pair>.ValueCollection Totals(IEnumerable<Pair> pairs, Func<Pair, Guid> key)
        {
            var totals = new Dictionary<Guid, Pair>();
            foreach (var pair in pairs)
            {
                totals[key(pair)] = totals.TryGetValue(key(pair), out var total) ? total.Plus(pair) : pair;
            }

            return totals.Values;
        }

        private Pair Plus(Pair other) => this with
        {
            Outstanding = Outstanding + other.Outstanding, NotDue = NotDue + other.NotDue, B1 = B1 + other.B1, B2 = B2 + other.B2,
            B3 = B3 + other.B3, B4 = B4 + other.B4, Count = Count + other.Count, Overdue = Overdue + other.Overdue,
        };
    }

    private static IQueryable<OpenRow> Outstanding(AppDbContext db, IQueryable<Contract> contracts) =>
        from i in db.PaymentInstalments.AsNoTracking()
        where i.ReceivedMinor < i.AmountMinor
        join c in contracts on i.ContractId equals c.Id
        select new OpenRow { OwnerId = c.OwnerId, CustomerId = c.CustomerId, DueDate = i.DueDate, Owed = i.AmountMinor - i.ReceivedMinor };

    /// <summary>The visible contracts whose money is collected, narrowed by the query.</summary>
    private static async Task<IQueryable<Contract>> ContractsAsync(AppDbContext db, ReceivablesQuery query, string? currency, CancellationToken ct)
    {
        // The scope narrowed first (owner index) so that a manager's view reads only the team's contracts.
        var contracts = db.NarrowToScope(db.Contracts.AsNoTracking()).Where(c => c.Status == ContractStatus.Signed
            || c.Status == ContractStatus.Executing || c.Status == ContractStatus.Completed);
        if (currency is not null)
        {
            contracts = contracts.Where(c => c.Currency == currency);
        }

        if (query.OwnerId is { } owner)
        {
            contracts = contracts.Where(c => c.OwnerId == owner);
        }

        if (query.CustomerId is { } customer)
        {
            contracts = contracts.Where(c => c.CustomerId == customer);
        }

        if (query.TeamId is { } team)
        {
            var tree = await CurrentUserResolver.LoadTreeAsync(db, ct);
            var teams = tree.SubtreeOf(team).ToList();
            var members = await db.Users.Where(u => u.TeamId != null && teams.Contains(u.TeamId.Value)).Select(u => u.Id).ToListAsync(ct);
            contracts = contracts.Where(c => c.OwnerId != null && members.Contains(c.OwnerId.Value));
        }

        return contracts;
    }

    private static async Task<string> CurrencyAsync(AppDbContext db, ReceivablesQuery query, CancellationToken ct) =>
        query.Currency is { Length: > 0 } currency ? currency
            : await db.OpportunitySettings.AsNoTracking().Select(s => s.DefaultCurrency).FirstOrDefaultAsync(ct) ?? "CNY";

    private static (DateOnly From, DateOnly To) Period(ReceivablesQuery query, DateOnly today)
    {
        var from = query.From ?? new DateOnly(today.Year, today.Month, 1);
        var to = query.To ?? new DateOnly(today.Year, today.Month, 1).AddMonths(1).AddDays(-1);
        return to < from
            ? throw new ValidationException([new ValidationFailure("to", "The period ends before it starts.")])
            : (from, to);
    }
}

internal sealed class OpenRow
{
    public Guid? OwnerId { get; init; }
    public Guid CustomerId { get; init; }
    public DateOnly DueDate { get; init; }
    public long Owed { get; init; }
}

public static class ReceivablesViewEndpoints
{
    public static void MapReceivablesViews(this RouteGroupBuilder receivables)
    {
        receivables.MapGet("/summary", async ([AsParameters] ReceivablesQuery query, CurrentUser user, ReceivablesViewHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.SummaryAsync(user, query, ct)))
            .RequireAuthorization(Permissions.ReceivablesRead)
            .WithName("GetReceivablesSummary")
            .WithSummary("Receivables of the contracts the caller may see (reps their own, managers their teams', Finance all), in one currency " +
                "(?currency=, default the company's): outstanding, not yet due and overdue with aging buckets 0–30, 31–60, 61–90, 90+ days " +
                "past due, by customer (the 100 owing most), owner and team; the collection rate of a period (?from=&to=, company dates, " +
                "default this month): collected ÷ due; &teamId=&ownerId=&customerId= narrow it. Minor units.");

        receivables.MapGet("/instalments", async ([AsParameters] ReceivablesQuery query, int? limit, string? cursor, CurrentUser user,
                ReceivablesViewHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.InstalmentsAsync(user, query, new ListRequest(limit, cursor, null), ct)))
            .RequireAuthorization(Permissions.ReceivablesRead)
            .WithName("ListOutstandingInstalments")
            .WithSummary("The instalments still owed on the contracts the caller may see, the oldest due first (?overdueOnly=true for the " +
                "overdue ones; &currency=&teamId=&ownerId=&customerId=; keyset paging with &limit=&cursor=), with days overdue and aging bucket.");

        receivables.MapGet("/export", async (string? format, [AsParameters] ReceivablesQuery query, CurrentUser user, ReceivablesViewHandler handler,
                TimeProvider clock, HttpContext http, CancellationToken ct) =>
            {
                var kind = (format ?? "xlsx").ToLowerInvariant() switch
                {
                    "xlsx" => ExportFormat.Xlsx,
                    "csv" => ExportFormat.Csv,
                    _ => throw new ValidationException([new ValidationFailure("format", "format must be xlsx or csv.")]),
                };
                user.Require(Permissions.ReceivablesRead);
                http.Response.ContentType = ExportService.ContentType(kind);
                http.Response.Headers.ContentDisposition =
                    $"attachment; filename=\"{ExportService.FileName("receivables", kind, clock.GetUtcNow().UtcDateTime)}\"";
                await handler.ExportAsync(user, query, kind, http.Response.Body, ct);
                return Results.Empty;
            })
            .RequireAuthorization(Permissions.ReceivablesRead)
            .WithName("ExportReceivables")
            .WithSummary("The instalments still owed on the contracts the caller may see, as .xlsx or .csv (?format=xlsx|csv plus the filters " +
                "of the instalments list), with days overdue and aging bucket.");
    }
}
