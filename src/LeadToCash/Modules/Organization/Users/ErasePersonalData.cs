using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Organization.Users;

/// <summary>
/// Erases a person's personal data on request (PIPL/GDPR): their personal fields are anonymised, the same values
/// in the change history too, they can no longer sign in, and the erasure itself is logged in the history.
/// </summary>
public sealed class ErasePersonalDataHandler(
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider clock)
{
    public const string ErasedValue = "[erased]";
    private static readonly string[] PersonalFields =
        [nameof(AppUser.DisplayName), nameof(AppUser.Email), nameof(AppUser.UserName), nameof(AppUser.PhoneNumber)];

    public async Task HandleAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.PersonalDataErase);
        if (id == user.Id)
        {
            throw new ConflictException("You cannot erase your own account; ask another Admin.");
        }

        await using var db = await dbFactory.OpenAsync(user, ct);
        var target = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct) ?? throw new NotFoundException("The user");
        if (target.ErasedAt is not null)
        {
            throw new ConflictException("This person's data has already been erased.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var anonymous = $"erased-{target.Id:N}@erased.invalid";
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        target.DisplayName = $"{ErasedValue} {target.Id.ToString()[..8]}";
        target.Email = anonymous;
        target.NormalizedEmail = anonymous.ToUpperInvariant();
        target.UserName = anonymous;
        target.NormalizedUserName = anonymous.ToUpperInvariant();
        target.PhoneNumber = null;
        target.PasswordHash = null;
        target.IsActive = false;
        target.DeactivatedAt ??= now;
        target.ErasedAt = now;
        target.SecurityStamp = Guid.NewGuid().ToString();
        db.AuditEntries.Add(new AuditEntry
        {
            EntityType = nameof(AppUser),
            EntityId = id,
            Action = AuditAction.Erased,
            ChangedAt = now,
            ChangedBy = user.Id,
        });
        foreach (var token in await db.ApiTokens.Where(t => t.UserId == id && t.RevokedAt == null).ToListAsync(ct))
        {
            token.RevokedAt = now;
        }

        await db.SaveChangesAsync(ct);

        // Every history row of a personal field loses its values, including the rows the update above just wrote
        // (their old values are the personal data being erased).
        var history = await db.AuditEntries
            .Where(a => a.EntityId == id && a.Field != null && PersonalFields.Contains(a.Field))
            .ToListAsync(ct);
        foreach (var row in history)
        {
            row.OldValue = row.OldValue is null ? null : ErasedValue;
            row.NewValue = row.NewValue is null ? null : ErasedValue;
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }
}
