using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Quotes;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Cli;

/// <summary>
/// The scale data's field changes: the history rows the commands would have written (as <see cref="AuditInterceptor"/>
/// words them) for the records as they were seeded, by the people who plausibly made them, at the times the records
/// carry. They fill <see cref="ScaleSize.AuditRows"/> after the "Created" rows: leads and deals 30 % of them each,
/// quotes 20 %, customers the rest.
/// </summary>
public sealed partial class ScaleData
{
    private readonly record struct FieldChange(string Field, object? Old, object? New, DateTime At, Guid? By);

    /// <returns>The history rows there were before (the "Created" ones, with the reference data's) and the field changes added.</returns>
    private async Task<(int Before, int Changes)> SeedHistoryAsync(ScaleSize size, Org org, List<SeededCustomer> customers, List<SeededLead> leads, SeededDeals deals,
        DateTime now, CancellationToken ct)
    {
        int before;
        await using (var db = await dbFactory.OpenAsSystemAsync(ct))
        {
            // The reference data's own history (options, pipeline, holidays) counts too.
            before = await db.AuditEntries.CountAsync(ct);
        }

        var budget = size.AuditRows - before;
        if (size.AuditRows == 0 || budget <= 0)
        {
            return (before, 0);
        }

        var buffer = new List<AuditEntry>(Batch);
        var written = 0;
        var chain = new List<FieldChange>();

        async Task FlushAsync()
        {
            var rows = buffer.ToList();
            buffer.Clear();
            await WriteAsync(db => BulkInsert.InsertAsync(db, rows, ct), ct);
            written += rows.Count;
        }

        // Chooses records at random (each with the chance of the share still left over the changes still available), or
        // every record not taken yet, and writes their changes, the newest when a chain must be cut to fit; what a share
        // leaves goes to the next.
        async Task<int> ShareAsync<T>(IReadOnlyList<T> records, string entityType, Func<T, Guid> id, Func<T, int> length, Action<T, List<FieldChange>> build,
            int quota, bool[]? taken, bool every = false)
        {
            long available = records.Where((r, i) => taken is null || !taken[i]).Sum(r => (long)length(r));
            for (var i = 0; i < records.Count && quota > 0; i++)
            {
                var n = length(records[i]);
                if (n == 0 || (taken is not null && taken[i]))
                {
                    continue;
                }

                if (every || _random.NextDouble() * available < quota)
                {
                    chain.Clear();
                    build(records[i], chain);
                    var take = Math.Min(chain.Count, quota);
                    foreach (var change in chain.Skip(chain.Count - take))
                    {
                        buffer.Add(new AuditEntry
                        {
                            Id = NextId(),
                            EntityType = entityType,
                            EntityId = id(records[i]),
                            Action = AuditAction.Updated,
                            Field = change.Field,
                            OldValue = AuditInterceptor.Format(change.Old),
                            NewValue = AuditInterceptor.Format(change.New),
                            ChangedAt = change.At,
                            ChangedBy = change.By,
                        });
                    }

                    quota -= take;
                    if (taken is not null)
                    {
                        taken[i] = true;
                    }

                    if (buffer.Count >= Batch)
                    {
                        await FlushAsync();
                    }
                }

                available -= n;
            }

            return quota;
        }

        var left = budget - (int)(budget * 0.3) - (int)(budget * 0.3) - (int)(budget * 0.2);
        left += await ShareAsync(leads, nameof(Lead), l => l.Id, LeadChangeCount, (l, into) => LeadChanges(l, org, into), (int)(budget * 0.3), null);
        left += await ShareAsync(deals.Opportunities, nameof(Opportunity), d => d.Id, DealChangeCount, DealChanges, (int)(budget * 0.3), null);
        left += await ShareAsync(deals.Quotes, nameof(Quote), q => q.Id, q => q.Statuses.Length - 1, QuoteChanges, (int)(budget * 0.2), null);
        // Customers make up the rest exactly: a second pass takes the ones the first left out, until it is filled.
        var taken = new bool[customers.Count];
        void Build(SeededCustomer c, List<FieldChange> into) => CustomerChanges(c, org, now, into);
        left = await ShareAsync(customers, nameof(Customer), c => c.Id, CustomerChangeCount, Build, left, taken);
        await ShareAsync(customers, nameof(Customer), c => c.Id, CustomerChangeCount, Build, left, taken, every: true);
        if (buffer.Count > 0)
        {
            await FlushAsync();
        }

        return (before, written);
    }

    // Screening (status and grade), assignment (status, owner, out of the pool), the first contact (status); or screened out.
    private static int LeadChangeCount(SeededLead lead) => lead.Status switch
    {
        LeadStatus.Pool or LeadStatus.Disqualified => 2,
        LeadStatus.Assigned => 5,
        LeadStatus.Contacted => 6,
        _ => 0,
    };

    private static void LeadChanges(SeededLead lead, Org org, List<FieldChange> into)
    {
        if (lead.ScreenedAt is not { } screened)
        {
            return;
        }

        var assistant = org.AssistantOf[lead.TeamId];
        var screenedTo = lead.Status == LeadStatus.Disqualified ? LeadStatus.Disqualified : LeadStatus.Pool;
        into.Add(new(nameof(Lead.Status), LeadStatus.New, screenedTo, screened, assistant));
        into.Add(new(nameof(Lead.Grade), null, lead.Grade, screened, assistant));
        if (lead.AssignedAt is { } assigned && lead.OwnerId is { } owner)
        {
            var manager = org.ManagerOf[lead.TeamId];
            into.Add(new(nameof(Lead.Status), LeadStatus.Pool, LeadStatus.Assigned, assigned, manager));
            into.Add(new(nameof(Lead.OwnerId), null, owner, assigned, manager));
            into.Add(new(nameof(Lead.PoolTeamId), lead.TeamId, null, assigned, manager));
            if (lead.FirstTouchAt is { } touched)
            {
                into.Add(new(nameof(Lead.Status), LeadStatus.Assigned, LeadStatus.Contacted, touched > assigned ? touched : assigned.AddMinutes(5), owner));
            }
        }
    }

    // Each move: the stage and its probability; closing: the status too; an accepted quote: the amount.
    private static int DealChangeCount(SeededDeal deal) =>
        (2 * (deal.Path.Length - 1)) + (deal.Path[^1].Kind == StageKind.Open ? 0 : 1) + (deal.AcceptedMinor is { } a && a != deal.EstimateMinor ? 1 : 0);

    private static void DealChanges(SeededDeal deal, List<FieldChange> into)
    {
        for (var k = 1; k < deal.Path.Length; k++)
        {
            var (from, to, at) = (deal.Path[k - 1], deal.Path[k], deal.Entered[k]);
            into.Add(new(nameof(Opportunity.StageId), from.Id, to.Id, at, deal.OwnerId));
            into.Add(new(nameof(Opportunity.Probability), from.Probability, to.Probability, at, deal.OwnerId));
            if (to.Kind != StageKind.Open)
            {
                into.Add(new(nameof(Opportunity.Status), OpportunityStatus.Open,
                    to.Kind == StageKind.Won ? OpportunityStatus.Won : OpportunityStatus.Lost, at, deal.OwnerId));
            }
        }

        if (deal.AcceptedMinor is { } accepted && accepted != deal.EstimateMinor && deal.AcceptedAt is { } acceptedAt)
        {
            var before = into.FindIndex(c => c.At > acceptedAt);
            into.Insert(before < 0 ? into.Count : before,
                new(nameof(Opportunity.AmountMinor), deal.EstimateMinor, accepted, acceptedAt, deal.OwnerId));
        }
    }

    private static void QuoteChanges(SeededQuote quote, List<FieldChange> into)
    {
        for (var k = 1; k < quote.Statuses.Length; k++)
        {
            into.Add(new(nameof(Quote.Status), quote.Statuses[k - 1].Status, quote.Statuses[k].Status, quote.Statuses[k].At, quote.OwnerId));
        }
    }

    // Ownership (claimed or assigned out of the pool; or returned to it), grade upgrades from C, lifecycle stages from Prospect.
    private static int CustomerChangeCount(SeededCustomer customer) =>
        (customer.OwnerId is null || customer.OwnedSince > customer.CreatedAt.AddHours(1) ? 2 : 0)
        + (customer.Grade switch { CustomerGrade.A => 2, CustomerGrade.B => 1, _ => 0 })
        + Math.Min((int)customer.Stage, (int)LifecycleStage.RepeatCustomer);

    private void CustomerChanges(SeededCustomer customer, Org org, DateTime now, List<FieldChange> into)
    {
        var manager = org.ManagerOf[customer.TeamId];
        var span = Math.Max(2, (int)(now - customer.CreatedAt).TotalMinutes);
        if (customer.OwnerId is { } owner)
        {
            if (customer.OwnedSince is { } since && since > customer.CreatedAt.AddHours(1))
            {
                // Claimed from the team's pool by the rep, or assigned by the manager.
                var by = _random.Next(2) == 0 ? owner : manager;
                into.Add(new(nameof(Customer.OwnerId), null, owner, since, by));
                into.Add(new(nameof(Customer.PoolTeamId), customer.TeamId, null, since, by));
            }
        }
        else
        {
            // Returned to the pool by the nightly job (no one signed in) after its rep let it lapse.
            var at = customer.CreatedAt.AddMinutes(_random.Next(1, span));
            into.Add(new(nameof(Customer.OwnerId), org.RandomRep(customer.TeamId, _random), null, at, null));
            into.Add(new(nameof(Customer.PoolTeamId), null, customer.TeamId, at, null));
        }

        var editor = customer.OwnerId ?? manager;
        var grades = customer.Grade switch
        {
            CustomerGrade.A => new[] { CustomerGrade.C, CustomerGrade.B, CustomerGrade.A },
            CustomerGrade.B => [CustomerGrade.C, CustomerGrade.B],
            _ => [],
        };
        var times = Times(customer.CreatedAt, span, grades.Length - 1);
        for (var k = 1; k < grades.Length; k++)
        {
            into.Add(new(nameof(Customer.Grade), grades[k - 1], grades[k], times[k - 1], editor));
        }

        var stages = Math.Min((int)customer.Stage, (int)LifecycleStage.RepeatCustomer);
        times = Times(customer.CreatedAt, span, stages);
        for (var k = 1; k <= stages; k++)
        {
            into.Add(new(nameof(Customer.Stage), (LifecycleStage)(k - 1), (LifecycleStage)k, times[k - 1], editor));
        }

        into.Sort((a, b) => a.At.CompareTo(b.At));
    }

    private DateTime[] Times(DateTime start, int spanMinutes, int count)
    {
        var times = new DateTime[Math.Max(0, count)];
        for (var k = 0; k < times.Length; k++)
        {
            times[k] = start.AddMinutes(_random.Next(1, spanMinutes));
        }

        Array.Sort(times);
        return times;
    }
}
