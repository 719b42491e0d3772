using LeadToCash.Modules.Contracts;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Receivables;

/// <summary>
/// One contract's money, loaded (tracked) for a command: its instalments, receipts and their allocations. A command
/// changes them, then <see cref="Recompute"/> derives every kept sum from the allocations (instalment received and
/// settled, receipt unallocated, contract received); the contract's version moves with every change, so two commands on
/// the same contract never both write (the second answers 409).
/// </summary>
internal sealed class ContractLedger
{
    private readonly AppDbContext _db;

    private ContractLedger(AppDbContext db, Contract contract, List<PaymentInstalment> instalments, List<PaymentReceipt> receipts,
        List<ReceiptAllocation> allocations)
    {
        _db = db;
        Contract = contract;
        Instalments = instalments;
        Receipts = receipts;
        Allocations = allocations;
    }

    public Contract Contract { get; }

    public List<PaymentInstalment> Instalments { get; }

    public List<PaymentReceipt> Receipts { get; }

    public List<ReceiptAllocation> Allocations { get; }

    public static async Task<ContractLedger> LoadAsync(AppDbContext db, Guid contractId, CancellationToken ct)
    {
        var contract = await ReceivablesStore.VisibleContractAsync(db, contractId, ct);
        var instalments = await db.PaymentInstalments.Where(i => i.ContractId == contractId).ToListAsync(ct);
        var receipts = await db.PaymentReceipts.Where(r => r.ContractId == contractId).ToListAsync(ct);
        var receiptIds = receipts.Select(r => r.Id).ToList();
        var allocations = await db.ReceiptAllocations.Where(a => receiptIds.Contains(a.ReceiptId)).ToListAsync(ct);
        return new ContractLedger(db, contract, instalments, receipts, allocations);
    }

    /// <summary>What each instalment still lacks under the current allocations.</summary>
    public IReadOnlyList<OpenInstalment> Open() =>
        [.. Instalments.Select(i => new OpenInstalment(i.Id, i.DueDate, i.SeqNo, i.AmountMinor - AllocatedTo(i.Id)))];

    public long AllocatedTo(Guid instalmentId) => Allocations.Where(a => a.InstalmentId == instalmentId).Sum(a => a.AmountMinor);

    public void Allocate(PaymentReceipt receipt, MatchResult match)
    {
        foreach (var allocation in match.Allocations)
        {
            var existing = Allocations.FirstOrDefault(a => a.ReceiptId == receipt.Id && a.InstalmentId == allocation.InstalmentId);
            if (existing is not null)
            {
                existing.AmountMinor += allocation.AmountMinor;
                continue;
            }

            var row = new ReceiptAllocation { ReceiptId = receipt.Id, InstalmentId = allocation.InstalmentId, AmountMinor = allocation.AmountMinor };
            Allocations.Add(row);
            _db.ReceiptAllocations.Add(row);
        }
    }

    public void Unallocate(PaymentReceipt receipt)
    {
        foreach (var allocation in Allocations.Where(a => a.ReceiptId == receipt.Id).ToList())
        {
            Allocations.Remove(allocation);
            _db.ReceiptAllocations.Remove(allocation);
        }
    }

    /// <summary>
    /// Money not matched to any instalment goes to what is still owed, the oldest receipt first and the oldest due
    /// instalment first (after a receipt is deleted or corrected, or the plan changes).
    /// </summary>
    public void Reflow()
    {
        foreach (var receipt in Receipts.OrderBy(r => r.ReceivedOn).ThenBy(r => r.CreatedAt).ThenBy(r => r.Id))
        {
            var unallocated = receipt.AmountMinor - Allocations.Where(a => a.ReceiptId == receipt.Id).Sum(a => a.AmountMinor);
            if (unallocated > 0)
            {
                Allocate(receipt, ReceiptMatching.Automatic(unallocated, Open()));
            }
        }
    }

    /// <summary>Derives the kept sums from the allocations; the contract is written (its version moves) in any case.</summary>
    public void Recompute(DateTime now)
    {
        foreach (var instalment in Instalments)
        {
            instalment.ReceivedMinor = AllocatedTo(instalment.Id);
            if (instalment.ReceivedMinor >= instalment.AmountMinor)
            {
                instalment.SettledAt ??= now;
            }
            else
            {
                instalment.SettledAt = null;
            }
        }

        foreach (var receipt in Receipts)
        {
            receipt.UnallocatedMinor = receipt.AmountMinor - Allocations.Where(a => a.ReceiptId == receipt.Id).Sum(a => a.AmountMinor);
        }

        Contract.ReceivedMinor = Allocations.Where(a => Receipts.Any(r => r.Id == a.ReceiptId)).Sum(a => a.AmountMinor);
        _db.Entry(Contract).Property(c => c.ReceivedMinor).IsModified = true;
    }
}
