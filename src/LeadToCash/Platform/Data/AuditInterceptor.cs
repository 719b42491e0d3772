using System.Globalization;
using LeadToCash.Modules.Organization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LeadToCash.Platform.Data;

/// <summary>
/// Stamps created/updated/deleted columns, bumps the version, turns deletes into soft deletes and writes one
/// history row per changed field, in the same SaveChanges (and so the same transaction) as the change itself.
/// </summary>
public sealed class AuditInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    private static readonly HashSet<string> NotAudited =
    [
        nameof(BusinessRecord.Version), nameof(BusinessRecord.UpdatedAt), nameof(BusinessRecord.UpdatedBy),
        nameof(BusinessRecord.CreatedAt), nameof(BusinessRecord.CreatedBy), nameof(BusinessRecord.DeletedAt),
        nameof(BusinessRecord.DeletedBy), nameof(AppUser.PasswordHash), nameof(AppUser.SecurityStamp),
        nameof(AppUser.ConcurrencyStamp), nameof(AppUser.NormalizedEmail), nameof(AppUser.NormalizedUserName),
        nameof(AppUser.AccessFailedCount), nameof(AppUser.LockoutEnd),
        // Duplicate-check keys derived from fields that are audited themselves.
        "NameKey", "PhoneKey", "EmailKey", "CompanyKey", "Pinyin", "PinyinInitials",
        // The follow-up clocks move with every follow-up, which has its own record (and history).
        "FollowUpDueAt", "LastFollowUpAt", "NextFollowUpAt",
    ];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is AppDbContext db)
        {
            Stamp(db);
        }

        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AppDbContext db)
        {
            Stamp(db);
        }

        return ValueTask.FromResult(result);
    }

    private void Stamp(AppDbContext db)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var actor = db.ActorId;
        var history = new List<AuditEntry>();

        foreach (var entry in db.ChangeTracker.Entries<IAudited>().ToList())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            var entityType = entry.Metadata.ClrType.Name;
            if (entry.Entity is BusinessRecord record)
            {
                StampRecord(entry, record, now, actor);
            }

            switch (entry.State)
            {
                case EntityState.Added:
                    var createdAt = entry.Entity is BusinessRecord created ? created.CreatedAt : now;
                    history.Add(Row(entityType, entry.Entity.Id, AuditAction.Created, null, null, null, createdAt, actor));
                    break;
                case EntityState.Modified:
                    foreach (var property in entry.Properties)
                    {
                        if (!property.IsModified || NotAudited.Contains(property.Metadata.Name))
                        {
                            continue;
                        }

                        var oldValue = Format(property.OriginalValue);
                        var newValue = Format(property.CurrentValue);
                        if (oldValue == newValue)
                        {
                            continue;
                        }

                        var action = property.Metadata.Name == nameof(BusinessRecord.IsDeleted)
                            ? (Equals(property.CurrentValue, true) ? AuditAction.Deleted : AuditAction.Restored)
                            : AuditAction.Updated;
                        history.Add(Row(entityType, entry.Entity.Id, action,
                            action == AuditAction.Updated ? property.Metadata.Name : null,
                            action == AuditAction.Updated ? oldValue : null,
                            action == AuditAction.Updated ? newValue : null, now, actor));
                    }

                    break;
            }
        }

        db.AuditEntries.AddRange(history);
    }

    private static void StampRecord(EntityEntry<IAudited> entry, BusinessRecord record, DateTime now, Guid? actor)
    {
        switch (entry.State)
        {
            case EntityState.Added:
                // A creation time set by the system itself (demo data, a later import of history) is kept;
                // handlers never set it from input.
                if (record.CreatedAt == default)
                {
                    record.CreatedAt = now;
                }

                if (record.UpdatedAt == default)
                {
                    record.UpdatedAt = record.CreatedAt;
                }

                record.CreatedBy = actor;
                record.UpdatedBy = actor;
                record.Version = 1;
                break;
            case EntityState.Deleted:
                // Soft delete: the row stays for the recycle bin and the history.
                entry.State = EntityState.Modified;
                foreach (var property in entry.Properties)
                {
                    property.IsModified = false;
                }

                record.IsDeleted = true;
                record.DeletedAt = now;
                record.DeletedBy = actor;
                entry.Property(nameof(BusinessRecord.IsDeleted)).IsModified = true;
                entry.Property(nameof(BusinessRecord.DeletedAt)).IsModified = true;
                entry.Property(nameof(BusinessRecord.DeletedBy)).IsModified = true;
                Touch(entry, record, now, actor);
                break;
            case EntityState.Modified:
                Touch(entry, record, now, actor);
                break;
        }
    }

    private static void Touch(EntityEntry<IAudited> entry, BusinessRecord record, DateTime now, Guid? actor)
    {
        record.UpdatedAt = now;
        record.UpdatedBy = actor;
        record.Version = (int)entry.Property(nameof(BusinessRecord.Version)).OriginalValue! + 1;
        entry.Property(nameof(BusinessRecord.UpdatedAt)).IsModified = true;
        entry.Property(nameof(BusinessRecord.UpdatedBy)).IsModified = true;
        entry.Property(nameof(BusinessRecord.Version)).IsModified = true;
    }

    private static AuditEntry Row(string type, Guid id, AuditAction action, string? field, string? oldValue,
        string? newValue, DateTime at, Guid? by) => new()
        {
            EntityType = type,
            EntityId = id,
            Action = action,
            Field = field,
            OldValue = oldValue,
            NewValue = newValue,
            ChangedAt = at,
            ChangedBy = by,
        };

    internal static string? Format(object? value) => value switch
    {
        null => null,
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
