using System.Globalization;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Notifications.Inbox;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Opportunities.Board;
using LeadToCash.Modules.Opportunities.Forecast;
using LeadToCash.Modules.Receivables;
using LeadToCash.Modules.Receivables.Views;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Approvals;
using LeadToCash.Platform.Cli;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Cli;

/// <summary>
/// The demo as someone trying the product sees it: started with the demo on an empty database, its deals fill the
/// pipeline, the approvals inbox, the contracts and the receivables — made through the real commands, so every kept sum
/// agrees with the records — and the same seed always gives the same deals.
/// </summary>
[DatabaseTest]
public sealed class DemoDealsTests(DemoAppFactory app) : IClassFixture<DemoAppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DemoStart_RepsBoard_HasDealsInSeveralStagesAndRecentlyWonAndLost()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var board = await rep.GetJsonAsync<BoardDto>("/api/v1/opportunities/board");

        var open = board.Columns.Where(c => c.Kind == StageKind.Open).ToList();
        Assert.True(open.Count(c => c.Count > 0) >= 3, string.Join(", ", open.Select(c => $"{c.Name}: {c.Count}")));
        Assert.True(board.Columns.Single(c => c.Kind == StageKind.Won).Count > 0);
        Assert.True(board.Columns.Single(c => c.Kind == StageKind.Lost).Count > 0);
        Assert.All(open.SelectMany(c => c.Cards), card => Assert.True(card.AmountMinor > 0));
    }

    [Fact]
    public async Task DemoStart_ManagersForecast_HasWeightedDealsThisQuarterAndNext()
    {
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        var forecast = await manager.GetJsonAsync<ForecastDto>("/api/v1/opportunities/forecast?months=6");

        Assert.True(forecast.Total.Count >= 5, $"{forecast.Total.Count} deals in the forecast");
        Assert.True(forecast.Total.WeightedAmountMinor > 0);
        Assert.True(forecast.Totals.Count(m => m.Count > 0) >= 2);
    }

    [Fact]
    public async Task DemoStart_ManagersInbox_HasTheDiscountedQuoteAndTheContractWaitingWithUnreadNotifications()
    {
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        var pending = await manager.GetJsonAsync<List<ApprovalDto>>("/api/v1/approvals?mine=pending");
        var unread = await manager.GetJsonAsync<ListPage<NotificationDto>>("/api/v1/notifications?unread=true");

        var quote = Assert.Single(pending, a => a.RecordType == "quote");
        var contract = Assert.Single(pending, a => a.RecordType == Contract.RecordType);
        Assert.StartsWith("Q-", quote.Subject!.Title, StringComparison.Ordinal);
        Assert.Contains("15", quote.Reason, StringComparison.Ordinal);
        Assert.StartsWith("HT-", contract.Subject!.Title, StringComparison.Ordinal);
        // Above ¥100,000: the manager, the director, then Finance (the demo's contract flows), waiting on the manager.
        Assert.Equal(["manager", "director", "Finance"], contract.Steps.Select(s => s.Role));
        Assert.Equal(1, contract.CurrentStep);
        Assert.All(new[] { quote, contract }, a => Assert.InRange(a.RequestedAt, app.Clock.GetUtcNow().UtcDateTime.AddDays(-2), app.Clock.GetUtcNow().UtcDateTime));
        Assert.Contains(unread.Items, n => n.Kind == ApprovalFlowEngine.RequestedKind && n.RecordId == quote.RecordId);
        Assert.Contains(unread.Items, n => n.Kind == ApprovalFlowEngine.RequestedKind && n.RecordId == contract.RecordId);
    }

    [Fact]
    public async Task DemoStart_FinanceReceivables_HasMoneyOverdueInThe0To30And31To60Buckets()
    {
        using var finance = await app.ClientForAsync(DemoUsers.Finance);

        var summary = await finance.GetJsonAsync<ReceivablesSummaryDto>("/api/v1/receivables/summary");

        Assert.Equal("CNY", summary.Currency);
        Assert.True(summary.Totals.Days0To30Minor > 0, $"0–30: {summary.Totals.Days0To30Minor}");
        Assert.True(summary.Totals.Days31To60Minor > 0, $"31–60: {summary.Totals.Days31To60Minor}");
        Assert.Equal(0, summary.Totals.Days61To90Minor + summary.Totals.Over90DaysMinor);
        Assert.True(summary.Totals.NotDueMinor > 0);
        Assert.Equal(summary.Totals.OutstandingMinor, summary.Totals.NotDueMinor + summary.Totals.OverdueMinor);
        Assert.Equal(0, summary.UnallocatedMinor);
        Assert.True(summary.ByOwner.Count >= 3);
    }

    [Fact]
    public async Task DemoStart_Contracts_KeepTheirSumsEqualToTheirReceiptsAndInvoices()
    {
        using var finance = await app.ClientForAsync(DemoUsers.Finance);

        var contracts = await finance.ListAllAsync<ContractListItem>("/api/v1/contracts");
        var collecting = contracts.Where(c => c.Status is ContractStatus.Signed or ContractStatus.Executing or ContractStatus.Completed).ToList();
        var ledgers = new List<ContractReceivablesDto>();
        foreach (var contract in collecting)
        {
            ledgers.Add(await finance.GetJsonAsync<ContractReceivablesDto>($"/api/v1/contracts/{contract.Id}/receivables"));
        }

        Assert.Equal([ContractStatus.Draft, ContractStatus.InApproval, ContractStatus.Signed, ContractStatus.Executing, ContractStatus.Executing,
            ContractStatus.Completed], contracts.Select(c => c.Status).Order());
        Assert.All(ledgers, ledger =>
        {
            var matched = ledger.Receipts.Sum(r => r.Allocations.Sum(a => a.AmountMinor));
            Assert.True(ledger.ReceivedMinor > 0, ledger.Number);
            Assert.Equal(ledger.Receipts.Sum(r => r.AmountMinor), matched);
            Assert.Equal(matched, ledger.ReceivedMinor);
            Assert.Equal(ledger.Instalments.Sum(i => i.ReceivedMinor), ledger.ReceivedMinor);
            Assert.Equal(ledger.AmountMinor, ledger.PlannedMinor);
            Assert.Equal(collecting.Single(c => c.Id == ledger.ContractId).ReceivedMinor, ledger.ReceivedMinor);
            Assert.Equal(ledger.Invoices.Sum(i => i.AmountMinor), ledger.InvoicedMinor);
        });
        Assert.Contains(ledgers, l => l.Status == nameof(ContractStatus.Completed) && l.OutstandingMinor == 0);
        Assert.Contains(ledgers, l => l.Instalments.Any(i => i.State == InstalmentState.Overdue && i.ReceivedMinor > 0 && i.DaysOverdue is >= 31 and <= 60));
        Assert.Contains(ledgers, l => l.Instalments.Any(i => i.State == InstalmentState.Overdue && i.ReceivedMinor == 0 && i.DaysOverdue is >= 1 and <= 30));
        Assert.Contains(ledgers, l => l.Invoices.Count >= 2);
    }

    [Fact]
    public async Task DemoStart_Story_HappenedInThePastInOrder()
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await using var db = await app.SystemDbAsync();
        var deals = await db.Opportunities.AsNoTracking().ToListAsync(Ct);
        var entries = await db.StageEntries.AsNoTracking().ToListAsync(Ct);
        var contracts = await db.Contracts.AsNoTracking().ToListAsync(Ct);
        var today = DateOnly.FromDateTime(now.AddHours(8));

        Assert.Equal(30, deals.Count);
        Assert.All(deals, d => Assert.True(d.CreatedAt < now && d.StageEnteredAt <= now && d.CreatedAt <= d.StageEnteredAt, d.Name));
        Assert.True(deals.Count(d => d.Status == OpportunityStatus.Open && d.StageEnteredAt < now.AddDays(-21)) >= 3, "stalled deals");
        Assert.Equal(6, deals.Count(d => d.Status == OpportunityStatus.Won));
        Assert.Equal(3, deals.Count(d => d.Status == OpportunityStatus.Lost && d.LostReason != null));
        Assert.All(deals.Where(d => d.Status == OpportunityStatus.Open), d => Assert.InRange(d.ExpectedCloseDate!.Value, today, today.AddMonths(7)));
        foreach (var deal in deals)
        {
            var stays = entries.Where(e => e.OpportunityId == deal.Id).OrderBy(e => e.EnteredAt).ToList();
            Assert.Equal(deal.StageId, stays[^1].StageId);
            Assert.Null(stays[^1].ExitedAt);
            Assert.Equal(deal.StageEnteredAt, stays[^1].EnteredAt);
            Assert.All(stays.Zip(stays.Skip(1)), pair => Assert.Equal(pair.Second.EnteredAt, pair.First.ExitedAt));
        }

        Assert.All(contracts.Where(c => c.SignedAt != null), c =>
        {
            Assert.True(c.SignedAt < now.AddDays(-7) && c.SigningDate <= today && c.CreatedAt < c.SignedAt, c.Number);
            Assert.Equal(c.SignedAt, c.ArchivedAt);
        });
        Assert.All(await db.PaymentReceipts.AsNoTracking().ToListAsync(Ct), r => Assert.True(r.ReceivedOn <= today));
        Assert.DoesNotContain(await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == nameof(Opportunity)).Select(a => a.ChangedAt).ToListAsync(Ct),
            at => at > now);
    }

    [Fact]
    public async Task SeedDemoDeals_Twice_AddsNothingTheSecondTime()
    {
        await using (var before = await app.SystemDbAsync())
        {
            Assert.Equal(30, await before.Opportunities.CountAsync(Ct));
        }

        await DemoDeals.SeedAsync(app.Services, DemoData.DefaultSeed, Ct);

        await using var db = await app.SystemDbAsync();
        Assert.Equal(30, await db.Opportunities.CountAsync(Ct));
        Assert.Equal(6, await db.Contracts.CountAsync(Ct));
    }

    [Fact]
    public async Task DemoStart_SameSeedOnAnotherDatabase_GivesTheSameDeals()
    {
        await using var other = new DemoAppFactory();
        await other.InitializeAsync();

        var first = await FingerprintAsync(app);
        var second = await FingerprintAsync(other);

        Assert.True(first.Count > 100, $"{first.Count} lines");
        Assert.Equal(first, second);
    }

    /// <summary>What the deals consist of, without the ids the commands drew: one line per record, in a stable order.</summary>
    private static async Task<List<string>> FingerprintAsync(AppFactory factory)
    {
        await using var db = await factory.SystemDbAsync();
        static string Line(params object?[] parts) => string.Join("|", parts.Select(p => p switch
        {
            DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => p?.ToString() ?? "-",
        }));

        var customers = await db.Customers.AsNoTracking().ToDictionaryAsync(c => c.Id, Ct);
        var stages = await db.PipelineStages.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, Ct);
        var deals = (await db.Opportunities.AsNoTracking().ToListAsync(Ct)).ToDictionary(o => o.Id, o => $"{customers[o.CustomerId].Name}/{o.Name}");
        var lines = new List<string>();
        foreach (var o in await db.Opportunities.AsNoTracking().ToListAsync(Ct))
        {
            var customer = customers[o.CustomerId];
            lines.Add(Line("deal", deals[o.Id], o.OwnerId, stages[o.StageId], o.Status, o.AmountMinor, o.Probability, o.ExpectedCloseDate, o.CreatedAt,
                o.StageEnteredAt, o.ClosedAt, o.LostReason, o.LostToCompetitor, customer.Stage, customer.LastWonAt));
        }

        lines.AddRange((await db.StageEntries.AsNoTracking().ToListAsync(Ct))
            .Select(e => Line("stay", deals[e.OpportunityId], stages[e.StageId], e.Kind, e.EnteredAt, e.ExitedAt, e.EnteredBy, e.OverrideReason)));
        lines.AddRange((await db.Quotes.AsNoTracking().ToListAsync(Ct))
            .Select(q => Line("quote", q.Number, q.VersionNo, deals[q.OpportunityId], q.Status, q.TotalMinor, q.MaxDiscountPercent, q.CreatedAt, q.SentAt,
                q.DecidedAt, q.ValidUntil)));
        var contracts = await db.Contracts.AsNoTracking().ToDictionaryAsync(c => c.Id, Ct);
        lines.AddRange(contracts.Values.Select(c => Line("contract", c.Number, deals[c.OpportunityId!.Value], c.Status, c.AmountMinor, c.ReceivedMinor,
            c.InvoicedMinor, c.CreatedAt, c.SigningDate, c.SignedAt, c.CompletedAt)));
        lines.AddRange((await db.PaymentInstalments.AsNoTracking().ToListAsync(Ct))
            .Select(i => Line("instalment", contracts[i.ContractId].Number, i.SeqNo, i.Label, i.DueDate, i.AmountMinor, i.ReceivedMinor, i.SettledAt)));
        lines.AddRange((await db.PaymentReceipts.AsNoTracking().ToListAsync(Ct))
            .Select(r => Line("receipt", contracts[r.ContractId].Number, r.ReceivedOn, r.AmountMinor, r.Method, r.Reference, r.UnallocatedMinor)));
        lines.AddRange((await db.Invoices.AsNoTracking().ToListAsync(Ct))
            .Select(i => Line("invoice", contracts[i.ContractId].Number, i.Number, i.IssuedOn, i.AmountMinor, i.Kind)));
        lines.AddRange((await db.ContractMilestones.AsNoTracking().ToListAsync(Ct))
            .Select(m => Line("milestone", contracts[m.ContractId].Number, m.Name, m.PlannedDate, m.ActualDate)));
        var requests = await db.ApprovalRequests.AsNoTracking().ToDictionaryAsync(r => r.Id, Ct);
        lines.AddRange(requests.Values.Select(r => Line("approval", r.RecordType, r.Round, r.Status, r.Reason, r.RequestedBy, r.RequestedAt, r.DecidedAt)));
        lines.AddRange((await db.ApprovalSteps.AsNoTracking().ToListAsync(Ct))
            .Select(s => Line("step", requests[s.RequestId].Reason, requests[s.RequestId].Round, s.StepNo, s.Role, s.ApproverId, s.Status, s.Comment,
                s.DecidedAt)));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
