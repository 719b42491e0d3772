using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Options;

/// <summary>What other modules may ask of the option lists.</summary>
public static class OptionCodes
{
    /// <summary>Refuses a code that is not an active entry of the list, naming the field.</summary>
    public static async Task EnsureValidAsync(AppDbContext db, string listKey, string? code, string field, CancellationToken ct)
    {
        if (code is null)
        {
            return;
        }

        if (!await db.OptionItems.AnyAsync(o => o.ListKey == listKey && o.Code == code && o.IsActive, ct))
        {
            throw new ValidationException([new ValidationFailure(field, $"'{code}' is not an entry of the list '{listKey}'.")]);
        }
    }
}
