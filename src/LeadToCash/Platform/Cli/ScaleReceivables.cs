using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Receivables;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Cli;

public sealed partial class ScaleData
{
    /// <summary>Signed contracts: one for every three opportunities (50,000 in the large set), each with three instalments.</summary>
    public static int ContractsOf(ScaleSize size) => size.Opportunities / 3;

    // Signed contracts of the customers' owners, signed up to 400 days ago, each with a 30/60/10 plan due at signing, 90
    // and 180 days later. Instalments already due were mostly paid (a receipt matched to each), some partly, some not:
    // the receivables views then have current, overdue and aged money to show.
    private async Task<int> SeedReceivablesAsync(ScaleSize size, Org org, List<SeededCustomer> customers, DateTime now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now);
        var count = ContractsOf(size);
        for (var start = 0; start < count; start += Batch / 4)
        {
            var contracts = new List<Contract>();
            var instalments = new List<PaymentInstalment>();
            var receipts = new List<PaymentReceipt>();
            var allocations = new List<ReceiptAllocation>();
            for (var i = start; i < Math.Min(count, start + Batch / 4); i++)
            {
                var customer = customers[_random.Next(customers.Count)];
                var owner = customer.OwnerId ?? org.RepsByTeam[customer.TeamId][_random.Next(org.RepsByTeam[customer.TeamId].Length)].Id;
                var signed = today.AddDays(-_random.Next(0, 400));
                var contract = new Contract
                {
                    Id = NextId(),
                    Number = $"HT-S-{i + 1:000000}",
                    Title = $"{customer.Name} 合同",
                    CustomerId = customer.Id,
                    AmountMinor = _random.Next(20, 2_000) * 100_000L + _random.Next(0, 100),
                    SigningDate = signed,
                    OwnerId = owner,
                    Status = _random.Next(10) < 7 ? ContractStatus.Executing : ContractStatus.Signed,
                    SignedAt = signed.ToDateTime(TimeOnly.MinValue),
                    SignedBy = owner,
                    CreatedAt = signed.ToDateTime(TimeOnly.MinValue),
                };
                var amounts = PaymentPlanMath.Amounts(contract.AmountMinor, PaymentPlanMath.Templates[0]);
                for (var k = 0; k < amounts.Count; k++)
                {
                    var instalment = new PaymentInstalment
                    {
                        Id = NextId(), ContractId = contract.Id, SeqNo = k + 1, Label = $"第{k + 1}期", DueDate = signed.AddDays(90 * k),
                        AmountMinor = amounts[k], Percent = PaymentPlanMath.Templates[0].Percents[k],
                    };
                    var roll = _random.Next(10);
                    var paid = instalment.DueDate > today ? 0 : roll < 7 ? instalment.AmountMinor : roll < 8 ? instalment.AmountMinor / 2 : 0;
                    if (paid > 0)
                    {
                        var receipt = new PaymentReceipt
                        {
                            Id = NextId(), ContractId = contract.Id, ReceivedOn = instalment.DueDate.AddDays(_random.Next(0, 20)), AmountMinor = paid,
                            Method = "bank-transfer",
                        };
                        receipts.Add(receipt);
                        allocations.Add(new ReceiptAllocation { Id = NextId(), ReceiptId = receipt.Id, InstalmentId = instalment.Id, AmountMinor = paid });
                        instalment.ReceivedMinor = paid;
                        instalment.SettledAt = paid == instalment.AmountMinor ? receipt.ReceivedOn.ToDateTime(TimeOnly.MinValue) : null;
                        contract.ReceivedMinor += paid;
                    }

                    instalments.Add(instalment);
                }

                contracts.Add(contract);
            }

            await WriteAsync(async db =>
            {
                await BulkInsert.AddCreatedAsync(db, contracts, now, ct);
                await BulkInsert.AddCreatedAsync(db, instalments, now, ct);
                await BulkInsert.AddCreatedAsync(db, receipts, now, ct);
                await BulkInsert.InsertAsync(db, allocations, ct);
            }, ct);
        }

        return count;
    }
}
