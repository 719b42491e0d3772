using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Leads;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Files;
using LeadToCash.Platform.Matching;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace LeadToCash.Modules.Customers.Merge;

/// <summary>
/// Merge the customer <see cref="DuplicateId"/> into the customer of the route. <see cref="Version"/> is the
/// survivor's version (or If-Match), <see cref="DuplicateVersion"/> the duplicate's: both as last read.
/// </summary>
public sealed record MergeCustomersRequest(Guid DuplicateId, int? DuplicateVersion = null, int? Version = null);

/// <summary>How many records moved from the duplicate to the survivor.</summary>
public sealed record MergedCounts(int Contacts, int FollowUps, int NeedsAnalyses, int Tasks, int Leads, int Tags,
    int Collaborators, int Attachments, int Subsidiaries);

public sealed record MergeCustomersResult(CustomerDto Customer, MergedCounts Moved);

/// <summary>
/// Merges a duplicate customer into another (the survivor): the survivor keeps its fields and takes the duplicate's
/// where its own are blank; contacts, follow-ups, needs analyses, tags, collaborators, attachments, related tasks,
/// leads and subsidiaries move to it; the duplicate goes to the recycle bin. Both histories stay, and each says where
/// the other went. The caller must be able to change both customers.
/// </summary>
public sealed class MergeCustomersHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public const string MergedFromField = "MergedFrom";
    public const string MergedIntoField = "MergedInto";

    public async Task<MergeCustomersResult> HandleAsync(CurrentUser user, Guid id, MergeCustomersRequest request, int version,
        CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersMerge);
        if (request.DuplicateId == id)
        {
            throw new ValidationException([new ValidationFailure("duplicateId", "A customer cannot be merged into itself.")]);
        }

        if (request.DuplicateVersion is not { } duplicateVersion)
        {
            throw new ValidationException([new ValidationFailure("duplicateVersion",
                "The duplicate's version is required: send the version you last read as 'duplicateVersion'.")]);
        }

        await using var db = await dbFactory.OpenAsync(user, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var survivor = await CustomerAccess.LoadForChangeAsync(db, user, id, ct);
        var duplicate = await CustomerAccess.LoadForChangeAsync(db, user, request.DuplicateId, ct);
        Versioning.EnsureVersion(survivor.Version, version);
        Versioning.EnsureVersion(duplicate.Version, duplicateVersion);

        FillBlanks(survivor, duplicate);
        CustomerRules.RefreshCadence(survivor, await CustomerRulebook.LoadAsync(db, ct));

        var contacts = await MoveContactsAsync(db, survivor.Id, duplicate.Id, ct);
        var followUps = 0;
        foreach (var followUp in await db.FollowUps.Where(f => f.CustomerId == duplicate.Id).ToListAsync(ct))
        {
            followUp.CustomerId = survivor.Id;
            followUps++;
        }

        var needs = 0;
        foreach (var analysis in await db.NeedsAnalyses.Where(n => n.CustomerId == duplicate.Id).ToListAsync(ct))
        {
            analysis.CustomerId = survivor.Id;
            needs++;
        }

        var tags = await MoveTagsAsync(db, survivor.Id, duplicate.Id, ct);
        var collaborators = await MoveCollaboratorsAsync(db, survivor, duplicate.Id, ct);
        var attachments = 0;
        foreach (var attachment in await db.Attachments
                     .Where(a => a.RecordType == Customer.RecordType && a.RecordId == duplicate.Id).ToListAsync(ct))
        {
            attachment.RecordId = survivor.Id;
            attachments++;
        }

        var (tasks, leads, subsidiaries) = await MoveScopedAsync(db, transaction, user, survivor.Id, duplicate.Id, ct);

        db.Customers.Remove(duplicate); // soft delete: the recycle bin keeps it, with its history
        var now = clock.GetUtcNow().UtcDateTime;
        db.AuditEntries.Add(Note(survivor.Id, MergedFromField, $"{duplicate.Name} ({duplicate.Id})", now, user.Id));
        db.AuditEntries.Add(Note(duplicate.Id, MergedIntoField, $"{survivor.Name} ({survivor.Id})", now, user.Id));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        return new MergeCustomersResult(await CustomerAccess.ReadAsync(db, user, survivor.Id, ct),
            new MergedCounts(contacts, followUps, needs, tasks, leads, tags, collaborators, attachments, subsidiaries));
    }

    private static void FillBlanks(Customer survivor, Customer duplicate)
    {
        survivor.Industry ??= duplicate.Industry;
        survivor.Size ??= duplicate.Size;
        survivor.Region ??= duplicate.Region;
        if (survivor.Phone is null && duplicate.Phone is not null)
        {
            survivor.Phone = duplicate.Phone;
            survivor.PhoneKey = DuplicateKeys.Phone(duplicate.Phone);
        }

        survivor.Website ??= duplicate.Website;
        survivor.Address ??= duplicate.Address;
        survivor.SourceChannel ??= duplicate.SourceChannel;
        if (!string.IsNullOrWhiteSpace(duplicate.Notes) && duplicate.Notes != survivor.Notes)
        {
            var joined = string.IsNullOrWhiteSpace(survivor.Notes) ? duplicate.Notes : survivor.Notes + "\n" + duplicate.Notes;
            survivor.Notes = joined.Length <= 4000 ? joined : survivor.Notes ?? duplicate.Notes[..4000];
        }

        if (survivor.ParentId is null && duplicate.ParentId != survivor.Id)
        {
            survivor.ParentId = duplicate.ParentId;
        }

        // The clocks: the follow-ups move, so the last one and the won deals are the later of the two.
        survivor.LastFollowUpAt = Later(survivor.LastFollowUpAt, duplicate.LastFollowUpAt);
        survivor.LastWonAt = Later(survivor.LastWonAt, duplicate.LastWonAt);
        survivor.NextFollowUpAt = survivor.NextFollowUpAt is { } next && duplicate.NextFollowUpAt is { } other
            ? (next < other ? next : other)
            : survivor.NextFollowUpAt ?? duplicate.NextFollowUpAt;
    }

    private static async Task<int> MoveContactsAsync(AppDbContext db, Guid survivorId, Guid duplicateId, CancellationToken ct)
    {
        var survivorHasPrimary = await db.Contacts.AnyAsync(c => c.CustomerId == survivorId && c.IsPrimary, ct);
        var moved = await db.Contacts.Where(c => c.CustomerId == duplicateId).ToListAsync(ct);
        foreach (var contact in moved)
        {
            contact.CustomerId = survivorId;
            // One primary contact: the survivor's.
            contact.IsPrimary &= !survivorHasPrimary;
        }

        return moved.Count;
    }

    private static async Task<int> MoveTagsAsync(AppDbContext db, Guid survivorId, Guid duplicateId, CancellationToken ct)
    {
        var kept = (await db.CustomerTags.Where(t => t.CustomerId == survivorId).Select(t => t.Name).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var moved = 0;
        foreach (var tag in await db.CustomerTags.Where(t => t.CustomerId == duplicateId).ToListAsync(ct))
        {
            if (kept.Add(tag.Name))
            {
                tag.CustomerId = survivorId;
                moved++;
            }
            else
            {
                db.CustomerTags.Remove(tag);
            }
        }

        return moved;
    }

    /// <summary>Shares move too; someone sharing both keeps the stronger access. The survivor's owner needs no share.</summary>
    private static async Task<int> MoveCollaboratorsAsync(AppDbContext db, Customer survivor, Guid duplicateId, CancellationToken ct)
    {
        var existing = await db.Collaborators.Where(c => c.RecordId == survivor.Id).ToDictionaryAsync(c => c.UserId, ct);
        var moved = 0;
        foreach (var share in await db.Collaborators.Where(c => c.RecordId == duplicateId).ToListAsync(ct))
        {
            if (existing.TryGetValue(share.UserId, out var kept))
            {
                kept.Access = kept.Access == CollaboratorAccess.Edit || share.Access == CollaboratorAccess.Edit
                    ? CollaboratorAccess.Edit
                    : CollaboratorAccess.Read;
                db.Collaborators.Remove(share);
            }
            else if (share.UserId == survivor.OwnerId)
            {
                db.Collaborators.Remove(share);
            }
            else
            {
                share.RecordId = survivor.Id;
                moved++;
            }
        }

        return moved;
    }

    /// <summary>
    /// Tasks about the duplicate, leads converted into it or found to duplicate it, and its subsidiaries belong to
    /// other people too, whom the caller may not see; they move all the same, or they would point at a deleted
    /// customer. A context with the system's scope (in the same transaction, writing the caller as the actor) changes
    /// only their customer reference, after the caller was found allowed to change both customers.
    /// </summary>
    private async Task<(int Tasks, int Leads, int Subsidiaries)> MoveScopedAsync(AppDbContext db,
        IDbContextTransaction transaction, CurrentUser user, Guid survivorId, Guid duplicateId, CancellationToken ct)
    {
        await using var system = (await dbFactory.CreateDbContextAsync(ct)).WithScope(DataScope.System, user.Id);
        system.Database.SetDbConnection(db.Database.GetDbConnection(), contextOwnsConnection: false);
        await system.Database.UseTransactionAsync(transaction.GetDbTransaction(), ct);

        var tasks = await system.Tasks.Where(t => t.RelatedType == Customer.RecordType && t.RelatedId == duplicateId).ToListAsync(ct);
        foreach (var task in tasks)
        {
            task.RelatedId = survivorId;
        }

        var leads = await system.Leads.Where(l => l.ConvertedCustomerId == duplicateId || l.DuplicateOfCustomerId == duplicateId)
            .ToListAsync(ct);
        foreach (var lead in leads)
        {
            if (lead.ConvertedCustomerId == duplicateId)
            {
                lead.ConvertedCustomerId = survivorId;
            }

            if (lead.DuplicateOfCustomerId == duplicateId)
            {
                lead.DuplicateOfCustomerId = survivorId;
            }
        }

        var subsidiaries = await system.Customers.Where(c => c.ParentId == duplicateId && c.Id != survivorId).ToListAsync(ct);
        foreach (var subsidiary in subsidiaries)
        {
            subsidiary.ParentId = survivorId;
        }

        await system.SaveChangesAsync(ct);
        return (tasks.Count, leads.Count, subsidiaries.Count);
    }

    private static DateTime? Later(DateTime? a, DateTime? b) => a is { } x && b is { } y ? (x > y ? x : y) : a ?? b;

    private static AuditEntry Note(Guid customerId, string field, string value, DateTime now, Guid by) => new()
    {
        EntityType = nameof(Customer),
        EntityId = customerId,
        Action = AuditAction.Updated,
        Field = field,
        NewValue = value,
        ChangedAt = now,
        ChangedBy = by,
    };
}

public static class MergeCustomersEndpoint
{
    public static void MapMergeCustomers(this RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/merge", async (Guid id, MergeCustomersRequest request, CurrentUser user, MergeCustomersHandler handler,
                HttpContext http, CancellationToken ct) =>
            {
                var merged = await handler.HandleAsync(user, id, request, VersionHeader.Required(request.Version, http.Request), ct);
                http.Response.Headers.ETag = $"\"{merged.Customer.Version}\"";
                return TypedResults.Ok(merged);
            })
            .RequireAuthorization(Permissions.CustomersMerge)
            .WithName("MergeCustomers")
            .WithSummary("Merge the customer duplicateId into this one (both changeable by the caller; send both versions): " +
                "contacts, follow-ups, needs analyses, tasks, leads, tags and shares move; the duplicate goes to the recycle bin.");
}
