using System.Globalization;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Receivables;
using LeadToCash.Modules.Tasks;
using LeadToCash.Platform.Approvals;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Cli;

/// <summary>
/// When the demo's deals happened. The seed runs now, so every command it calls stamps the present; but the story took
/// months (a deal created in spring, won and signed in summer, paid since). <see cref="DemoDeals"/> notes here the time of
/// each step as it plays it, and afterwards <see cref="WriteAsync"/> writes those times over the present ones with
/// explicit updates that bypass the change tracking on purpose: the records did not change again, so their version and
/// history must not move. The history rows and notifications the commands wrote are moved to the time of the step that
/// wrote them (<see cref="At"/> marks where each step began on the real clock).
/// </summary>
internal sealed class DemoDealsPast(TimeProvider clock, TimeZoneInfo zone)
{
    private readonly DateTime _start = clock.GetUtcNow().UtcDateTime;
    private readonly List<(DateTime Real, DateTime Story)> _steps = [];
    private readonly List<Deal> _deals = [];
    private readonly Dictionary<Guid, QuoteTimes> _quotes = [];
    private readonly Dictionary<Guid, ApprovalTimes> _approvals = [];
    private readonly Dictionary<Guid, DateTime> _instalments = [];
    private readonly Dictionary<Guid, DateTime> _receipts = [];
    private readonly Dictionary<Guid, DateTime> _invoices = [];
    private readonly Dictionary<Guid, DateTime> _milestones = [];

    public Dictionary<Guid, ContractTimes> Contracts { get; } = [];

    /// <summary>The company's date now.</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(_start, zone));

    /// <summary>The company's day <paramref name="daysAgo"/> days back at <paramref name="hour"/> o'clock (10.5 is 10:30), in UTC.</summary>
    public DateTime Day(int daysAgo, double hour) => OnDay(Today.AddDays(-daysAgo), hour);

    public DateTime OnDay(DateOnly date, double hour)
    {
        var utc = TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(TimeOnly.MinValue).AddHours(hour), zone);
        return utc < _start ? utc : _start.AddMinutes(-5);
    }

    public int DaysAgo(DateTime utc) => Today.DayNumber - DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, zone)).DayNumber;

    /// <summary>The next command plays the story at <paramref name="story"/>; answers the real time it starts at.</summary>
    public DateTime At(DateTime story)
    {
        var real = clock.GetUtcNow().UtcDateTime;
        _steps.Add((real, story));
        return real;
    }

    public Deal AddDeal(Guid customerId, DateTime customerCreated, DateTime customerUpdated)
    {
        var deal = new Deal(customerId, customerCreated, customerUpdated);
        _deals.Add(deal);
        return deal;
    }

    public QuoteTimes AddQuote(Guid id, DateTime created) => _quotes[id] = new QuoteTimes { Created = created, Updated = created };

    public ApprovalTimes AddApproval(Guid id, DateTime requested) => _approvals[id] = new ApprovalTimes { Requested = requested };

    public ContractTimes AddContract(Guid id, DateTime created) => Contracts[id] = new ContractTimes { Created = created, Updated = created };

    public void AddInstalment(Guid id, DateTime planned) => _instalments[id] = planned;

    public void AddReceipt(Guid id, DateTime at) => _receipts[id] = at;

    public void AddInvoice(Guid id, DateTime at) => _invoices[id] = at;

    public void AddMilestone(Guid id, DateTime at) => _milestones[id] = at;

    public async Task WriteAsync(AppDbContext db, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var touched = new List<Guid>();
        touched.AddRange(await WriteDealsAsync(db, ct));
        touched.AddRange(await WriteQuotesAndApprovalsAsync(db, ct));
        touched.AddRange(await WriteContractsAsync(db, ct));
        touched.AddRange(await WriteReceivablesAsync(db, ct));
        await WriteHistoryAsync(db, touched, ct);
        await transaction.CommitAsync(ct);
    }

    private async Task<List<Guid>> WriteDealsAsync(AppDbContext db, CancellationToken ct)
    {
        foreach (var deal in _deals.Where(d => d.Stages.Count > 0))
        {
            await db.Opportunities.Where(o => o.Id == deal.Opportunity).ExecuteUpdateAsync(s => s
                .SetProperty(o => o.CreatedAt, deal.Created)
                .SetProperty(o => o.UpdatedAt, deal.Updated)
                .SetProperty(o => o.StageEnteredAt, deal.Stages[^1].At)
                .SetProperty(o => o.ClosedAt, deal.Closed), ct);
        }

        var byOpportunity = _deals.ToDictionary(d => d.Opportunity);
        var ids = byOpportunity.Keys.ToList();
        foreach (var entry in await db.StageEntries.Where(e => ids.Contains(e.OpportunityId)).ToListAsync(ct))
        {
            var stays = byOpportunity[entry.OpportunityId].Stages;
            var index = stays.FindIndex(s => s.Stage == entry.StageId);
            if (index < 0)
            {
                continue;
            }

            entry.EnteredAt = stays[index].At;
            entry.ExitedAt = entry.ExitedAt is null ? null : index + 1 < stays.Count ? stays[index + 1].At : entry.ExitedAt;
        }

        await db.SaveChangesAsync(ct);

        // A customer existed before its first deal; it last changed with its latest one and was last won when a deal was won.
        foreach (var customer in _deals.GroupBy(d => d.CustomerId))
        {
            var first = customer.Min(d => d.Created);
            var created = customer.First().CustomerCreated < first ? customer.First().CustomerCreated : first.AddDays(-1);
            var updated = customer.Max(d => d.Updated) is var last && last > customer.First().CustomerUpdated ? last : customer.First().CustomerUpdated;
            var won = customer.Where(d => d.Won).Select(d => d.Closed).Max();
            await db.Customers.Where(c => c.Id == customer.Key).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.CreatedAt, created)
                .SetProperty(c => c.UpdatedAt, updated)
                .SetProperty(c => c.LastWonAt, c => won ?? c.LastWonAt), ct);
            if (created != customer.First().CustomerCreated)
            {
                foreach (var row in await db.AuditEntries.Where(a => a.EntityId == customer.Key && a.Action == AuditAction.Created).ToListAsync(ct))
                {
                    row.ChangedAt = created;
                }
            }
        }

        await db.SaveChangesAsync(ct);
        return [.. ids, .. _deals.Select(d => d.CustomerId).Distinct()];
    }

    private async Task<List<Guid>> WriteQuotesAndApprovalsAsync(AppDbContext db, CancellationToken ct)
    {
        var quoteIds = _quotes.Keys.ToList();
        var validity = await db.Quotes.AsNoTracking().Where(q => quoteIds.Contains(q.Id)).ToDictionaryAsync(q => q.Id, q => q.ValidUntil, ct);
        foreach (var (id, times) in _quotes)
        {
            // Valid for as long from when it was made as the quote settings gave it from today.
            var validUntil = validity.GetValueOrDefault(id)?.AddDays(-DaysAgo(times.Created));
            if (times.Decided is { } decided && validUntil is { } until && until < Today.AddDays(-DaysAgo(decided)))
            {
                validUntil = Today.AddDays(-DaysAgo(decided));
            }

            await db.Quotes.Where(q => q.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(q => q.CreatedAt, times.Created)
                .SetProperty(q => q.UpdatedAt, times.Updated)
                .SetProperty(q => q.SentAt, times.Sent)
                .SetProperty(q => q.DecidedAt, times.Decided)
                .SetProperty(q => q.ValidUntil, validUntil), ct);
        }

        foreach (var (id, times) in _approvals)
        {
            var updated = times.Decided ?? (times.Steps.Count > 0 ? times.Steps.Values.Max() : times.Requested);
            await db.ApprovalRequests.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.CreatedAt, times.Requested)
                .SetProperty(r => r.UpdatedAt, updated)
                .SetProperty(r => r.RequestedAt, times.Requested)
                .SetProperty(r => r.DecidedAt, times.Decided), ct);
        }

        var approvalIds = _approvals.Keys.ToList();
        foreach (var step in await db.ApprovalSteps.Where(s => approvalIds.Contains(s.RequestId) && s.DecidedAt != null).ToListAsync(ct))
        {
            if (_approvals[step.RequestId].Steps.TryGetValue(step.StepNo, out var decided))
            {
                step.DecidedAt = decided;
            }
        }

        await db.SaveChangesAsync(ct);
        return [.. quoteIds, .. approvalIds];
    }

    private async Task<List<Guid>> WriteContractsAsync(AppDbContext db, CancellationToken ct)
    {
        var ids = Contracts.Keys.ToList();
        var numbers = await db.Contracts.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Number, ct);
        var touched = new List<Guid>(ids);
        foreach (var (id, times) in Contracts)
        {
            await db.Contracts.Where(c => c.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.CreatedAt, times.Created)
                .SetProperty(c => c.UpdatedAt, times.Updated)
                .SetProperty(c => c.SignedAt, times.Signed)
                .SetProperty(c => c.ArchivedAt, times.Signed)
                .SetProperty(c => c.CompletedAt, times.Completed), ct);
            if (times.Signed is not { } signed)
            {
                continue;
            }

            await db.Attachments.Where(a => a.RecordType == Contract.RecordType && a.RecordId == id).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.CreatedAt, signed)
                .SetProperty(a => a.UpdatedAt, signed), ct);
            touched.AddRange(await db.Attachments.AsNoTracking().Where(a => a.RecordType == Contract.RecordType && a.RecordId == id)
                .Select(a => a.Id).ToListAsync(ct));

            // The follow-up tasks of the signing fell due as long after it as they would have; those past were done then.
            var prefix = numbers[id] + " · ";
            var tasks = await db.Tasks.AsNoTracking().Where(t => t.RelatedType == Customer.RecordType && t.Content != null && t.Content.StartsWith(prefix))
                .Select(t => new { t.Id, t.DueAt }).ToListAsync(ct);
            foreach (var task in tasks)
            {
                var due = signed + TimeSpan.FromMinutes(Math.Round((task.DueAt - times.SignedReal).TotalMinutes));
                var done = due < _start;
                var completed = done ? due.AddHours(-3) : (DateTime?)null;
                await db.Tasks.Where(t => t.Id == task.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.CreatedAt, signed)
                    .SetProperty(t => t.UpdatedAt, completed ?? signed)
                    .SetProperty(t => t.DueAt, due)
                    .SetProperty(t => t.Status, done ? WorkTaskStatus.Done : WorkTaskStatus.Open)
                    .SetProperty(t => t.CompletedAt, completed)
                    .SetProperty(t => t.CompletionNote, done ? "已跟进，记录见客户跟进。" : null), ct);
                touched.Add(task.Id);
            }
        }

        return touched;
    }

    private async Task<List<Guid>> WriteReceivablesAsync(AppDbContext db, CancellationToken ct)
    {
        // An instalment was last changed, and settled, by the latest receipt matched to it.
        var instalmentIds = _instalments.Keys.ToList();
        var allocations = await db.ReceiptAllocations.AsNoTracking().Where(a => instalmentIds.Contains(a.InstalmentId)).ToListAsync(ct);
        var settled = await db.PaymentInstalments.AsNoTracking().Where(i => instalmentIds.Contains(i.Id))
            .ToDictionaryAsync(i => i.Id, i => i.SettledAt != null, ct);
        foreach (var (id, planned) in _instalments)
        {
            var paid = allocations.Where(a => a.InstalmentId == id && _receipts.ContainsKey(a.ReceiptId)).Select(a => _receipts[a.ReceiptId]).ToList();
            var updated = paid.Count > 0 && paid.Max() > planned ? paid.Max() : planned;
            DateTime? settledAt = settled.GetValueOrDefault(id) ? updated : null;
            await db.PaymentInstalments.Where(i => i.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.CreatedAt, planned)
                .SetProperty(i => i.UpdatedAt, updated)
                .SetProperty(i => i.SettledAt, settledAt), ct);
        }

        await StampAllAsync<PaymentReceipt>(db, _receipts, ct);
        await StampAllAsync<Invoice>(db, _invoices, ct);
        await StampAllAsync<ContractMilestone>(db, _milestones, ct);
        return [.. instalmentIds, .. _receipts.Keys, .. _invoices.Keys, .. _milestones.Keys];
    }

    private static async Task StampAllAsync<T>(AppDbContext db, Dictionary<Guid, DateTime> records, CancellationToken ct) where T : BusinessRecord
    {
        foreach (var (id, at) in records)
        {
            await db.Set<T>().Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.CreatedAt, at).SetProperty(r => r.UpdatedAt, at), ct);
        }
    }

    /// <summary>
    /// The history rows and notifications the commands wrote, moved to the time of the step that wrote them. A notification
    /// of the past was read then; one asking for a decision still pending stays unread.
    /// </summary>
    private async Task WriteHistoryAsync(AppDbContext db, List<Guid> touched, CancellationToken ct)
    {
        var ids = touched.Distinct().ToList();
        foreach (var row in await db.AuditEntries.Where(a => ids.Contains(a.EntityId) && a.ChangedAt >= _start).ToListAsync(ct))
        {
            row.ChangedAt = Story(row.ChangedAt);
            row.OldValue = StoryValue(row.OldValue);
            row.NewValue = StoryValue(row.NewValue);
        }

        var records = _quotes.Keys.Concat(Contracts.Keys).ToList();
        var pending = (await db.ApprovalRequests.AsNoTracking().Where(r => r.Status == ApprovalStatus.Pending && records.Contains(r.RecordId))
            .Select(r => r.RecordId).ToListAsync(ct)).ToHashSet();
        foreach (var notification in await db.Notifications.Where(n => n.RecordId != null && records.Contains(n.RecordId.Value) && n.CreatedAt >= _start)
                     .ToListAsync(ct))
        {
            notification.CreatedAt = Story(notification.CreatedAt);
            var waiting = notification.Kind == ApprovalFlowEngine.RequestedKind && pending.Contains(notification.RecordId!.Value);
            notification.ReadAt = waiting ? null : notification.CreatedAt.AddHours(1);
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>A time a command wrote as a field's value (e.g. when the deal entered its stage), as the story's time.</summary>
    private string? StoryValue(string? value) =>
        value is { Length: > 20 } && value[10] == 'T'
            && DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time) && time.ToUniversalTime() >= _start
            ? DateTime.SpecifyKind(Story(time.ToUniversalTime()), DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture)
            : value;

    /// <summary>The story's time of something written at <paramref name="real"/>: that of the step it was written in.</summary>
    private DateTime Story(DateTime real)
    {
        var story = _steps.Count > 0 ? _steps[0].Story : real;
        foreach (var step in _steps)
        {
            if (step.Real > real)
            {
                break;
            }

            story = step.Story;
        }

        return story;
    }

    /// <summary>One deal: the stages it entered and when, when it was made, last changed and closed.</summary>
    internal sealed class Deal(Guid customerId, DateTime customerCreated, DateTime customerUpdated)
    {
        public Guid CustomerId { get; } = customerId;
        public DateTime CustomerCreated { get; } = customerCreated;
        public DateTime CustomerUpdated { get; } = customerUpdated;
        public Guid Opportunity { get; set; }
        public DateTime Created { get; set; }
        public DateTime Updated { get; private set; }
        public DateTime? Closed { get; private set; }
        public bool Won { get; private set; }
        public List<(Guid Stage, DateTime At)> Stages { get; } = [];

        public void Enter(Guid stage, DateTime at)
        {
            Stages.Add((stage, at));
            Touch(at);
        }

        public void Close(Guid stage, DateTime at, bool won)
        {
            Enter(stage, at);
            Closed = at;
            Won = won;
        }

        public void Touch(DateTime at)
        {
            if (at > Updated)
            {
                Updated = at;
            }
        }
    }

    internal sealed class QuoteTimes
    {
        public DateTime Created { get; init; }
        public DateTime Updated { get; set; }
        public DateTime? Sent { get; set; }
        public DateTime? Decided { get; set; }
    }

    internal sealed class ApprovalTimes
    {
        public DateTime Requested { get; init; }
        public DateTime? Decided { get; set; }
        public Dictionary<int, DateTime> Steps { get; } = [];
    }

    internal sealed class ContractTimes
    {
        public DateTime Created { get; init; }
        public DateTime Updated { get; set; }
        public DateTime? Signed { get; set; }

        /// <summary>When the signing command ran on the real clock (its follow-up tasks are due from then).</summary>
        public DateTime SignedReal { get; set; }
        public DateTime? Completed { get; set; }
    }
}
