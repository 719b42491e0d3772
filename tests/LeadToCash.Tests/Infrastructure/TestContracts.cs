using LeadToCash.Modules.Contracts;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>Contracts written straight to the database for the receivables tests (the contract commands are not needed).</summary>
public static class TestContracts
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A contract of <paramref name="ownerEmail"/> (signed unless told otherwise) for a new customer of theirs, or for
    /// <paramref name="customerId"/> (tests that count the demo customers must not add one).
    /// </summary>
    public static async Task<Contract> AddSignedAsync(AppFactory app, string ownerEmail, long amountMinor, string currency = "CNY",
        Guid? customerId = null, ContractStatus status = ContractStatus.Signed, string? title = null)
    {
        var number = "HT-T-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var customer = customerId ?? (await TestCustomers.AddOwnedCustomerAsync(app, ownerEmail, $"{number} 客户")).Id;
        await using var db = await app.SystemDbAsync();
        var owner = await db.Users.SingleAsync(u => u.Email == ownerEmail, Ct);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var contract = new Contract
        {
            Number = number,
            Title = title ?? $"合同 {number}",
            CustomerId = customer,
            AmountMinor = amountMinor,
            Currency = currency,
            OwnerId = owner.Id,
            Status = status,
            SigningDate = DateOnly.FromDateTime(now),
            SignedAt = status == ContractStatus.Signed ? now : null,
            SignedBy = status == ContractStatus.Signed ? owner.Id : null,
        };
        db.Contracts.Add(contract);
        await db.SaveChangesAsync(Ct);
        return contract;
    }

    public static async Task<Contract> ReloadAsync(AppFactory app, Guid id)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Contracts.AsNoTracking().SingleAsync(c => c.Id == id, Ct);
    }
}
