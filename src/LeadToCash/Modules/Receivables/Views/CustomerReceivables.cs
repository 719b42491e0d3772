using LeadToCash.Modules.Contracts;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Receivables.Views;

/// <summary>A customer's receivables over the signed contracts the caller may see, per currency (the customer page's summary).</summary>
public sealed class CustomerReceivablesHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public async Task<CustomerReceivablesDto> HandleAsync(CurrentUser user, Guid customerId, CancellationToken ct = default)
    {
        user.Require(Permissions.ReceivablesRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, ct))
        {
            throw new NotFoundException("The customer");
        }

        var today = await ReceivablesStore.CompanyTodayAsync(db, clock.GetUtcNow().UtcDateTime, ct);
        var contracts = db.Contracts.AsNoTracking().Where(c => c.CustomerId == customerId && (c.Status == ContractStatus.Signed
            || c.Status == ContractStatus.Executing || c.Status == ContractStatus.Completed));
        var sums = await contracts.GroupBy(c => c.Currency).Select(g => new
        {
            Currency = g.Key,
            Count = g.Count(),
            Amount = g.Sum(c => c.AmountMinor),
            Received = g.Sum(c => c.ReceivedMinor),
            Invoiced = g.Sum(c => c.InvoicedMinor),
        }).ToListAsync(ct);
        var overdue = await (from i in db.PaymentInstalments.AsNoTracking()
                             where i.ReceivedMinor < i.AmountMinor && i.DueDate < today
                             join c in contracts on i.ContractId equals c.Id
                             group i by c.Currency into g
                             select new { Currency = g.Key, Overdue = g.Sum(i => i.AmountMinor - i.ReceivedMinor) }).ToListAsync(ct);
        return new CustomerReceivablesDto(customerId, [.. sums.OrderBy(s => s.Currency, StringComparer.Ordinal).Select(s => new CustomerReceivablesLine(
            s.Currency, s.Count, s.Amount, s.Received, s.Amount - s.Received, overdue.FirstOrDefault(o => o.Currency == s.Currency)?.Overdue ?? 0,
            s.Invoiced))]);
    }
}
