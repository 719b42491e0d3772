using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Notifications;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers.Collaborators;

/// <summary>A colleague a customer is shared with: Read sees it, Edit may also change it (not its sharing).</summary>
public sealed record CollaboratorDto(Guid UserId, string DisplayName, string? TeamName, bool IsActive, CollaboratorAccess Access, DateTime AddedAt);

/// <summary>Who a customer is shared with, and whether the caller may change that.</summary>
public sealed record CustomerSharingDto(Guid CustomerId, bool CanManage, IReadOnlyList<CollaboratorDto> Collaborators);

public sealed record ShareCustomerRequest(CollaboratorAccess Access);

/// <summary>
/// Sharing a customer with colleagues. Only the owner, the managers and directors above the owner's team and an Admin
/// may change it (for a pool customer: those who tend the pool); an Edit collaborator may change the customer but not
/// pass it on. Each change is written to the customer's history.
/// </summary>
public sealed class CustomerCollaboratorsHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public const string SharedNotification = "customer.shared";

    public async Task<CustomerSharingDto> ListAsync(CurrentUser user, Guid customerId, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, ct)
            ?? throw new NotFoundException("The customer");
        return new CustomerSharingDto(customerId, user.Has(Permissions.CustomersEdit) && await MayManageAsync(db, user, customer, ct),
            await ReadAsync(db, customerId, ct));
    }

    /// <summary>Shares the customer with <paramref name="userId"/>, or changes the access of an existing share.</summary>
    public async Task<CustomerSharingDto> ShareAsync(CurrentUser user, Guid customerId, Guid userId, ShareCustomerRequest request,
        CancellationToken ct = default)
    {
        if (!Enum.IsDefined(request.Access))
        {
            throw new ValidationException([new ValidationFailure("access", "access must be Read or Edit.")]);
        }

        await using var db = await dbFactory.OpenAsync(user, ct);
        var customer = await LoadForSharingAsync(db, user, customerId, ct);
        var colleague = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.IsActive)
            .Select(u => new { u.Id, u.DisplayName }).FirstOrDefaultAsync(ct)
            ?? throw new ValidationException([new ValidationFailure("userId", "The colleague is not an active user.")]);
        if (customer.OwnerId == colleague.Id)
        {
            throw new ValidationException([new ValidationFailure("userId", "The owner sees and changes the customer already.")]);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var share = await db.Collaborators.FirstOrDefaultAsync(c => c.RecordId == customerId && c.UserId == userId, ct);
        if (share is null)
        {
            db.Collaborators.Add(new Collaborator
            {
                RecordType = Customer.RecordType,
                RecordId = customerId,
                UserId = userId,
                Access = request.Access,
                AddedAt = now,
            });
            History(db, customer, null, $"{colleague.DisplayName} ({request.Access})", now);
            Notify.Add(db, userId, SharedNotification, $"/customers/{customerId}", Customer.RecordType, customerId, now,
                customer.Name, user.DisplayName);
        }
        else if (share.Access != request.Access)
        {
            History(db, customer, $"{colleague.DisplayName} ({share.Access})", $"{colleague.DisplayName} ({request.Access})", now);
            share.Access = request.Access;
        }

        await db.SaveChangesAsync(ct);
        return new CustomerSharingDto(customerId, true, await ReadAsync(db, customerId, ct));
    }

    public async Task<CustomerSharingDto> UnshareAsync(CurrentUser user, Guid customerId, Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.OpenAsync(user, ct);
        var customer = await LoadForSharingAsync(db, user, customerId, ct);
        var share = await db.Collaborators.FirstOrDefaultAsync(c => c.RecordId == customerId && c.UserId == userId, ct)
            ?? throw new NotFoundException("The share");
        var name = await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? userId.ToString();
        db.Collaborators.Remove(share);
        History(db, customer, $"{name} ({share.Access})", null, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return new CustomerSharingDto(customerId, true, await ReadAsync(db, customerId, ct));
    }

    private static async Task<Customer> LoadForSharingAsync(AppDbContext db, CurrentUser user, Guid customerId, CancellationToken ct)
    {
        user.Require(Permissions.CustomersEdit);
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, ct)
            ?? throw new NotFoundException("The customer");
        if (!await MayManageAsync(db, user, customer, ct))
        {
            throw new ForbiddenException("Only the owner, their managers and an administrator may change who this customer is shared with.");
        }

        return customer;
    }

    // The owner's side of RecordAccess: an Edit share of the caller does not count here.
    private static async Task<bool> MayManageAsync(AppDbContext db, CurrentUser user, Customer customer, CancellationToken ct)
    {
        var ownerTeam = customer.OwnerId is { } owner
            ? await db.Users.Where(u => u.Id == owner).Select(u => u.TeamId).FirstOrDefaultAsync(ct)
            : null;
        return RecordAccess.CanChange(user, customer, ownerTeam, share: null);
    }

    private static async Task<IReadOnlyList<CollaboratorDto>> ReadAsync(AppDbContext db, Guid customerId, CancellationToken ct) =>
        await (from c in db.Collaborators.AsNoTracking()
               where c.RecordId == customerId
               join u in db.Users on c.UserId equals u.Id
               join t in db.Teams on u.TeamId equals t.Id into teams
               from t in teams.DefaultIfEmpty()
               orderby u.DisplayName
               select new CollaboratorDto(u.Id, u.DisplayName, t != null ? t.Name : null, u.IsActive, c.Access,
                   DateTime.SpecifyKind(c.AddedAt, DateTimeKind.Utc)))
            .ToListAsync(ct);

    private static void History(AppDbContext db, Customer customer, string? oldValue, string? newValue, DateTime now) =>
        db.AuditEntries.Add(new AuditEntry
        {
            EntityType = nameof(Customer),
            EntityId = customer.Id,
            Action = AuditAction.Updated,
            Field = "Collaborators",
            OldValue = oldValue,
            NewValue = newValue,
            ChangedAt = now,
            ChangedBy = db.ActorId,
        });
}

public static class CustomerCollaboratorsEndpoints
{
    public static void MapCustomerCollaborators(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/collaborators", async (Guid id, CurrentUser user, CustomerCollaboratorsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, id, ct)))
            .RequireAuthorization(Permissions.CustomersRead)
            .WithName("ListCustomerCollaborators")
            .WithSummary("Who the customer is shared with (Read or Edit), and whether the caller may change that.");
        group.MapPut("/{id:guid}/collaborators/{userId:guid}", async (Guid id, Guid userId, ShareCustomerRequest request, CurrentUser user,
                CustomerCollaboratorsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ShareAsync(user, id, userId, request, ct)))
            .RequireAuthorization(Permissions.CustomersEdit)
            .WithName("ShareCustomer")
            .WithSummary("Share the customer with a colleague, or change their access (owner, their managers or an administrator only).");
        group.MapDelete("/{id:guid}/collaborators/{userId:guid}", async (Guid id, Guid userId, CurrentUser user,
                CustomerCollaboratorsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.UnshareAsync(user, id, userId, ct)))
            .RequireAuthorization(Permissions.CustomersEdit)
            .WithName("UnshareCustomer")
            .WithSummary("Stop sharing the customer with a colleague.");
    }
}
