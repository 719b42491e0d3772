using System.Globalization;
using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Files;
using LeadToCash.Platform.Money;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Contracts;

/// <summary>A contract's files (the signed scan) are visible exactly when the contract is.</summary>
internal sealed class ContractAttachmentParent : IAttachmentParent
{
    public string RecordType => Contract.RecordType;

    public async Task<bool> IsVisibleAsync(AppDbContext db, CurrentUser user, Guid recordId, CancellationToken ct) =>
        user.Has(Permissions.ContractsRead) && await db.Contracts.AnyAsync(c => c.Id == recordId, ct);
}

/// <summary>
/// The customer's contracts on its timeline: created (with the amount), signed, completed, terminated. Only contracts the
/// caller can see; a customer has few, so they are read whole and filtered to the window.
/// </summary>
internal sealed class ContractTimelineSource : ICustomerTimelineSource
{
    public async Task<TimelineSlice> ReadAsync(AppDbContext db, Guid customerId, TimelineWindow window, CancellationToken ct)
    {
        var contracts = await db.Contracts.AsNoTracking().Where(c => c.CustomerId == customerId)
            .Select(c => new { c.Id, c.Number, c.Title, c.AmountMinor, c.Currency, c.CreatedAt, c.CreatedBy, c.SignedAt, c.SignedBy, c.CompletedAt,
                c.TerminatedAt, c.TerminationReason })
            .ToListAsync(ct);
        if (contracts.Count == 0)
        {
            return TimelineSlice.Empty;
        }

        var people = contracts.SelectMany(c => new[] { c.CreatedBy, c.SignedBy }).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var entries = new List<TimelineEntry>();
        foreach (var c in contracts)
        {
            var summary = $"{c.Number} · {c.Title}";
            var amount = new Money(c.AmountMinor, c.Currency).Format(CultureInfo.CurrentCulture);
            var link = $"/contracts/{c.Id}";
            entries.Add(new TimelineEntry(Utc(c.CreatedAt), "ContractCreated", summary, amount, link, c.CreatedBy,
                c.CreatedBy is { } by ? names.GetValueOrDefault(by) : null, c.Id));
            if (c.SignedAt is { } signed)
            {
                entries.Add(new TimelineEntry(Utc(signed), "ContractSigned", summary, amount, link, c.SignedBy,
                    c.SignedBy is { } signer ? names.GetValueOrDefault(signer) : null, c.Id));
            }

            if (c.CompletedAt is { } completed)
            {
                entries.Add(new TimelineEntry(Utc(completed), "ContractCompleted", summary, amount, link, RecordId: c.Id));
            }

            if (c.TerminatedAt is { } terminated)
            {
                entries.Add(new TimelineEntry(Utc(terminated), "ContractTerminated", summary, c.TerminationReason, link, RecordId: c.Id));
            }
        }

        return new TimelineSlice([.. entries.Where(e => window.Contains(e.At))]);
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
