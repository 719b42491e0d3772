using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers;

internal static class CustomerAccess
{
    /// <summary>Loads a visible customer for a change: 404 when not visible, 403 when visible but not changeable.</summary>
    public static async Task<Customer> LoadForChangeAsync(AppDbContext db, CurrentUser user, Guid id, CancellationToken ct)
    {
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == id, ct)
            ?? throw new NotFoundException("The customer");
        if (!await RecordAccess.CanChangeAsync(db, user, customer, ct))
        {
            throw new ForbiddenException("You can see this customer but may not change it.");
        }

        return customer;
    }

    /// <summary>One visible customer as a single-record answer shows it: with whether the caller may change it.</summary>
    public static async Task<CustomerDto> ReadAsync(AppDbContext db, CurrentUser user, Guid id, CancellationToken ct)
    {
        var customer = await db.Customers.AsNoTracking().Where(c => c.Id == id).Select(CustomerDto.Projection).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("The customer");
        var complete = (await CustomerTags.CompleteAsync(db, [customer], ct))[0];
        return complete with { CanChange = await RecordAccess.CanChangeAsync(db, user, customer, ct) };
    }
}
