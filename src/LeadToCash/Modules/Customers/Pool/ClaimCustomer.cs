using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Modules.Notifications;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers.Pool;

/// <summary>A manager gives a customer to someone of their teams ({ownerId}), or puts it into the team pool ({ownerId: null}).</summary>
public sealed record AssignCustomerRequest(Guid? OwnerId);

public sealed record BulkAssignCustomersRequest(IReadOnlyList<Guid>? Ids, Guid? OwnerId);

/// <summary>Why one customer of a bulk assignment was refused: error is notFound, forbidden, conflict or invalid.</summary>
public sealed record CustomerBulkFailure(Guid Id, string Error, string Message);

public sealed record CustomerBulkResult(int Succeeded, IReadOnlyList<CustomerBulkFailure> Failed);

/// <summary>
/// Claiming a customer from a team pool (公海) and releasing it back. Two reps claiming at once: the version check lets
/// exactly one save; the other hears who has it (409). The claim limit of the claimer's team counts the customers
/// they own.
/// </summary>
public sealed class ClaimCustomerHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public async Task<CustomerDto> ClaimAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersClaim);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw await LostClaimAsync(db, user, id, ct);
        if (customer.OwnerId is { } owner)
        {
            throw new ConflictException(await ClaimedByAsync(db, owner, user, ct));
        }

        if (customer.PoolTeamId is not { } pool || !(user.Scope.SeesAll || user.Scope.PoolTeamIds.Contains(pool)))
        {
            // Visible through a share, not through a pool the claimer may take from.
            throw new ForbiddenException("You can claim customers only from the pools of your own teams.");
        }

        var limit = (await PoolRulebook.LoadAsync(db, ct)).For(user.TeamId).ClaimLimit;
        if (limit > 0)
        {
            var owned = await db.Customers.CountAsync(c => c.OwnerId == user.Id, ct);
            if (owned >= limit)
            {
                throw new ConflictException($"You already own {owned} customers, the most your team allows ({limit}). Release some to the pool first.");
            }
        }

        var now = clock.GetUtcNow().UtcDateTime;
        CustomerPool.TakeOwnership(customer, user.Id, now, await CustomerRulebook.LoadAsync(db, ct));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw await LostClaimAsync(db, user, id, ct);
        }

        return await CustomerAccess.ReadAsync(db, user, id, ct);
    }

    /// <summary>The owner gives a customer back to the pool of their team.</summary>
    public async Task<CustomerDto> ReleaseAsync(CurrentUser user, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersClaim);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("The customer");
        if (customer.OwnerId != user.Id)
        {
            throw new ForbiddenException("Only the owner can release a customer to the pool.");
        }

        if (user.TeamId is not { } team)
        {
            throw new ConflictException("You belong to no team, so there is no pool to release the customer to.");
        }

        CustomerPool.ReturnToPool(customer, team, clock.GetUtcNow().UtcDateTime, await CustomerRulebook.LoadAsync(db, ct));
        await db.SaveChangesAsync(ct);
        return await CustomerAccess.ReadAsync(db, user, id, ct);
    }

    // A customer of a pool the rep can see that someone else has just taken is "already claimed by X" (409), not 404.
    private async Task<Exception> LostClaimAsync(AppDbContext db, CurrentUser user, Guid id, CancellationToken ct)
    {
        await using var system = await dbFactory.OpenAsSystemAsync(ct);
        var state = await system.Customers.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new { c.OwnerId, OwnerTeam = c.Owner != null ? c.Owner.TeamId : null })
            .FirstOrDefaultAsync(ct);
        // Only a customer that sat in a pool this user sees (the owner's team's pool) counts as "lost": anything else is not found.
        if (state is not { OwnerId: { } winner } || !(user.Scope.SeesAll || (state.OwnerTeam is { } team && user.Scope.PoolTeamIds.Contains(team))))
        {
            return new NotFoundException("The customer");
        }

        return new ConflictException(await ClaimedByAsync(db, winner, user, ct));
    }

    private static async Task<string> ClaimedByAsync(AppDbContext db, Guid owner, CurrentUser user, CancellationToken ct)
    {
        if (owner == user.Id)
        {
            return "You already own this customer.";
        }

        var name = await db.Users.Where(u => u.Id == owner).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
        return $"This customer has already been claimed by {name}.";
    }
}

/// <summary>A manager assigns customers to people of the teams they lead, one or many at a time.</summary>
public sealed class AssignCustomerHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxIds = 500;

    public async Task<CustomerDto> HandleAsync(CurrentUser user, Guid id, AssignCustomerRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersAssign);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("The customer");
        var currentTeam = customer.OwnerId is { } current
            ? await db.Users.Where(u => u.Id == current).Select(u => u.TeamId).FirstOrDefaultAsync(ct)
            : customer.PoolTeamId;
        if (!CustomerPool.Manages(user, currentTeam))
        {
            throw new ForbiddenException("You may only assign customers of the teams you manage.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var rules = await CustomerRulebook.LoadAsync(db, ct);
        var former = customer.OwnerId;
        if (request.OwnerId is not { } owner)
        {
            if (former is not null)
            {
                CustomerPool.ReturnToPool(customer, currentTeam ?? user.TeamId
                    ?? throw new ConflictException("The owner belongs to no team, so there is no pool to put the customer in."), now, rules);
            }
        }
        else if (owner != former)
        {
            var target = await db.Users.Where(u => u.Id == owner && u.IsActive).Select(u => new { u.TeamId }).FirstOrDefaultAsync(ct)
                ?? throw new ValidationException([new ValidationFailure("ownerId", "The owner is not an active user.")]);
            if (!CustomerPool.Manages(user, target.TeamId))
            {
                throw new ForbiddenException("You may only assign customers to people in the teams you manage.");
            }

            CustomerPool.TakeOwnership(customer, owner, now, rules);
            if (owner != user.Id)
            {
                Notify.Add(db, owner, CustomerPoolNotifications.Assigned, CustomerPool.Link(customer.Id), Customer.RecordType, customer.Id, now, customer.Name);
            }
        }

        if (former is { } previous && previous != customer.OwnerId && previous != user.Id)
        {
            Notify.Add(db, previous, CustomerPoolNotifications.Reassigned, CustomerPool.Link(customer.Id), Customer.RecordType, customer.Id, now, customer.Name);
        }

        await db.SaveChangesAsync(ct);
        return await CustomerAccess.ReadAsync(db, user, id, ct);
    }

    /// <summary>Each customer through the single assignment, in its own transaction: one refused customer leaves the others done.</summary>
    public async Task<CustomerBulkResult> BulkAsync(CurrentUser user, BulkAssignCustomersRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersAssign);
        var ids = (request.Ids ?? []).Where(id => id != Guid.Empty).Distinct().ToList();
        if (ids.Count == 0 || ids.Count > MaxIds)
        {
            throw new ValidationException([new ValidationFailure("ids", ids.Count == 0
                ? "Select at least one customer."
                : $"A bulk assignment takes at most {MaxIds} customers at a time; you sent {ids.Count}.")]);
        }

        var succeeded = 0;
        var failed = new List<CustomerBulkFailure>();
        foreach (var id in ids)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                await HandleAsync(user, id, new AssignCustomerRequest(request.OwnerId), ct);
                succeeded++;
            }
            catch (NotFoundException e)
            {
                failed.Add(new CustomerBulkFailure(id, "notFound", e.Message));
            }
            catch (ForbiddenException e)
            {
                failed.Add(new CustomerBulkFailure(id, "forbidden", e.Message));
            }
            catch (Exception e) when (e is ConflictException or DbUpdateConcurrencyException)
            {
                failed.Add(new CustomerBulkFailure(id, "conflict", e.Message));
            }
            catch (ValidationException e)
            {
                failed.Add(new CustomerBulkFailure(id, "invalid", string.Join(" ", e.Errors.Select(f => f.ErrorMessage))));
            }
        }

        return new CustomerBulkResult(succeeded, failed);
    }
}

public static class ClaimCustomerEndpoints
{
    public static void MapClaimCustomer(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/claim", async (Guid id, CurrentUser user, ClaimCustomerHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ClaimAsync(user, id, ct)))
            .RequireAuthorization(Permissions.CustomersClaim)
            .WithName("ClaimCustomer")
            .WithSummary("Claim a customer from a team pool (公海); 409 \"already claimed by X\" when someone was faster, or over the team's claim limit.");
        group.MapPost("/{id:guid}/release", async (Guid id, CurrentUser user, ClaimCustomerHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ReleaseAsync(user, id, ct)))
            .RequireAuthorization(Permissions.CustomersClaim)
            .WithName("ReleaseCustomer")
            .WithSummary("Give an owned customer back to the pool of the owner's team.");
        group.MapPost("/{id:guid}/assign", async (Guid id, AssignCustomerRequest request, CurrentUser user, AssignCustomerHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(user, id, request, ct)))
            .RequireAuthorization(Permissions.CustomersAssign)
            .WithName("AssignCustomer")
            .WithSummary("Assign a customer to someone of the caller's teams ({ownerId}), or put it into the team pool ({ownerId: null}).");
        group.MapPost("/bulk/assign", async (BulkAssignCustomersRequest request, CurrentUser user, AssignCustomerHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.BulkAsync(user, request, ct)))
            .RequireAuthorization(Permissions.CustomersAssign)
            .WithName("BulkAssignCustomers")
            .WithSummary($"Assign up to {AssignCustomerHandler.MaxIds} customers ({{ids, ownerId}}; ownerId null = the team pool). " +
                "Each customer is its own change: {succeeded, failed: [{id, error, message}]}.");
    }
}
