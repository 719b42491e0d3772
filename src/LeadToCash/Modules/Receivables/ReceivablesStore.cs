using LeadToCash.Modules.Contracts;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Receivables;

/// <summary>
/// How receivables are reached: instalments, receipts and invoices are not scoped themselves; they are visible when their
/// contract is (the scope filter decides), and not visible answers 404.
/// </summary>
internal static class ReceivablesStore
{
    /// <summary>The statuses of a contract whose money is collected: signed and after (a terminated contract keeps its receipts).</summary>
    public static readonly ContractStatus[] Collecting = [ContractStatus.Signed, ContractStatus.Executing, ContractStatus.Completed];

    public static bool PlanOpen(ContractStatus status) => Collecting.Contains(status);

    public static bool TakesPayments(ContractStatus status) => Collecting.Contains(status) || status == ContractStatus.Terminated;

    public static async Task<Contract> VisibleContractAsync(AppDbContext db, Guid contractId, CancellationToken ct) =>
        await db.Contracts.FirstOrDefaultAsync(c => c.Id == contractId, ct) ?? throw new NotFoundException("The contract");

    public static async Task<bool> CanEditPlanAsync(AppDbContext db, CurrentUser user, Contract contract, CancellationToken ct) =>
        user.Has(Permissions.ContractsEdit) && await RecordAccess.CanChangeAsync(db, user, contract, ct);

    /// <summary>The company's date now (due dates and overdue days are company dates).</summary>
    public static async Task<DateOnly> CompanyTodayAsync(AppDbContext db, DateTime utcNow, CancellationToken ct)
    {
        var zoneId = await db.CompanySettings.AsNoTracking().Select(c => c.TimeZone).FirstOrDefaultAsync(ct) ?? "Asia/Shanghai";
        return CompanyDate(zoneId, utcNow);
    }

    public static DateOnly CompanyDate(string zoneId, DateTime utcNow)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var found) ? found : TimeZoneInfo.Utc;
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc), zone));
    }

    public static InstalmentState StateOf(long amountMinor, long receivedMinor, DateOnly dueDate, DateOnly today) =>
        receivedMinor >= amountMinor ? InstalmentState.Paid
        : dueDate < today ? InstalmentState.Overdue
        : receivedMinor > 0 ? InstalmentState.PartlyPaid
        : InstalmentState.Open;

    /// <summary>A contract's receivables as the panel and the API show them.</summary>
    public static async Task<ContractReceivablesDto> ReadAsync(AppDbContext db, CurrentUser user, Guid contractId, DateOnly today, CancellationToken ct)
    {
        var contract = await db.Contracts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == contractId, ct) ?? throw new NotFoundException("The contract");
        var instalments = await db.PaymentInstalments.AsNoTracking().Where(i => i.ContractId == contractId)
            .OrderBy(i => i.SeqNo).ToListAsync(ct);
        var receipts = await db.PaymentReceipts.AsNoTracking().Where(r => r.ContractId == contractId)
            .OrderBy(r => r.ReceivedOn).ThenBy(r => r.CreatedAt).ToListAsync(ct);
        var receiptIds = receipts.Select(r => r.Id).ToList();
        var allocations = await db.ReceiptAllocations.AsNoTracking().Where(a => receiptIds.Contains(a.ReceiptId)).ToListAsync(ct);
        var invoices = await db.Invoices.AsNoTracking().Where(i => i.ContractId == contractId).OrderBy(i => i.IssuedOn).ThenBy(i => i.Number)
            .ToListAsync(ct);
        var people = receipts.Select(r => r.CreatedBy).Concat(invoices.Select(i => i.CreatedBy)).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var byId = instalments.ToDictionary(i => i.Id);

        var instalmentDtos = instalments.Select(i =>
        {
            var state = StateOf(i.AmountMinor, i.ReceivedMinor, i.DueDate, today);
            return new InstalmentDto(i.Id, i.SeqNo, i.Label, i.DueDate, i.AmountMinor, i.Percent, i.ReceivedMinor, i.AmountMinor - i.ReceivedMinor, state,
                state == InstalmentState.Overdue ? today.DayNumber - i.DueDate.DayNumber : 0, Utc(i.SettledAt), i.Notes);
        }).ToList();
        var receiptDtos = receipts.Select(r => new ReceiptDto(r.Id, r.ReceivedOn, r.AmountMinor, r.Currency, r.Method, r.Reference, r.Notes,
            r.UnallocatedMinor, r.UnallocatedMinor > 0,
            [.. allocations.Where(a => a.ReceiptId == r.Id && byId.ContainsKey(a.InstalmentId)).OrderBy(a => byId[a.InstalmentId].SeqNo)
                .Select(a => new AllocationDto(a.InstalmentId, byId[a.InstalmentId].SeqNo, byId[a.InstalmentId].Label, a.AmountMinor))],
            r.CreatedBy is { } by ? names.GetValueOrDefault(by) : null, r.Version)).ToList();
        var invoiceDtos = invoices.Select(i => new InvoiceDto(i.Id, i.Number, i.IssuedOn, i.AmountMinor, i.Kind, i.Notes,
            i.CreatedBy is { } by ? names.GetValueOrDefault(by) : null, i.Version)).ToList();
        var canEdit = PlanOpen(contract.Status) && await CanEditPlanAsync(db, user, contract, ct);
        return new ContractReceivablesDto(contract.Id, contract.Number, contract.Title, contract.Status.ToString(), contract.Currency,
            contract.AmountMinor, instalments.Sum(i => i.AmountMinor), contract.ReceivedMinor, contract.AmountMinor - contract.ReceivedMinor,
            instalmentDtos.Where(i => i.State == InstalmentState.Overdue).Sum(i => i.OutstandingMinor), receipts.Sum(r => r.UnallocatedMinor),
            contract.InvoicedMinor, today, instalmentDtos, receiptDtos, invoiceDtos, PlanOpen(contract.Status), canEdit,
            user.Has(Permissions.PaymentsRecord) && TakesPayments(contract.Status), contract.Version);
    }

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;
}
