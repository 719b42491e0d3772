using FluentValidation;
using LeadToCash.Modules.Options;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Matching;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers.CreateCustomer;

public sealed record CreateCustomerRequest(
    string Name,
    string? Industry = null,
    string? Region = null,
    string? Phone = null,
    string? Website = null,
    string? Address = null,
    string? SourceChannel = null,
    string? Notes = null,
    Guid? OwnerId = null,
    Guid? PoolTeamId = null,
    string? Size = null,
    CustomerGrade? Grade = null,
    LifecycleStage? Stage = null,
    Guid? ParentId = null,
    IReadOnlyList<string>? Tags = null) : ICustomerFields;

public sealed class CreateCustomerHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private static readonly CustomerFieldsValidator Validator = new();

    public async Task<CustomerDto> HandleAsync(CurrentUser user, CreateCustomerRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersCreate);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        await OptionCodes.EnsureValidAsync(db, OptionLists.Industries, request.Industry, "industry", ct);
        await OptionCodes.EnsureValidAsync(db, OptionLists.SourceChannels, request.SourceChannel, "sourceChannel", ct);
        await OptionCodes.EnsureValidAsync(db, OptionLists.CompanySizes, request.Size, "size", ct);

        var ownerId = request.PoolTeamId is null ? request.OwnerId ?? user.Id : request.OwnerId;
        if (ownerId is { } owner && owner != user.Id)
        {
            var ownerTeam = await db.Users.Where(u => u.Id == owner && u.IsActive).Select(u => new { u.TeamId }).FirstOrDefaultAsync(ct)
                ?? throw new ValidationException([new FluentValidation.Results.ValidationFailure("ownerId", "The owner is not an active user.")]);
            var mayAssign = user.IsAdmin || ((user.Roles.Contains(Roles.Manager) || user.Roles.Contains(Roles.Director))
                && ownerTeam.TeamId is { } team && user.SubtreeTeamIds.Contains(team));
            if (!mayAssign)
            {
                throw new ForbiddenException("You may only create customers for people in your own teams.");
            }
        }

        if (ownerId is null && request.PoolTeamId is { } pool && !user.IsAdmin && !user.SubtreeTeamIds.Contains(pool)
            && !user.Scope.PoolTeamIds.Contains(pool))
        {
            throw new ForbiddenException("You may only put customers into the pools of your own teams.");
        }

        var customer = new Customer
        {
            Name = request.Name.Trim(),
            Industry = request.Industry,
            Region = request.Region?.Trim(),
            Phone = request.Phone?.Trim(),
            NameKey = DuplicateKeys.Company(request.Name),
            PhoneKey = DuplicateKeys.Phone(request.Phone),
            Website = request.Website?.Trim(),
            Address = request.Address?.Trim(),
            SourceChannel = request.SourceChannel,
            Notes = request.Notes,
            OwnerId = ownerId,
            PoolTeamId = ownerId is null ? request.PoolTeamId : null,
            Size = request.Size,
            Grade = request.Grade ?? CustomerGrade.C,
            Stage = request.Stage ?? LifecycleStage.Prospect,
            ParentId = request.ParentId,
        };
        await CustomerParents.EnsureValidAsync(db, customer.Id, customer.ParentId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (customer.OwnerId is not null)
        {
            // Ownership starts now: the cadence and the pool clocks count from here until the first follow-up.
            customer.OwnedSince = now;
            CustomerRules.RefreshCadence(customer, await CustomerRulebook.LoadAsync(db, ct));
        }

        db.Customers.Add(customer);
        await CustomerTags.WriteAsync(db, customer, request.Tags, now, ct);
        await db.SaveChangesAsync(ct);
        return await CustomerAccess.ReadAsync(db, user, customer.Id, ct);
    }
}

public static class CreateCustomerEndpoint
{
    public static void MapCreateCustomer(this RouteGroupBuilder group) =>
        group.MapPost("/", async (CreateCustomerRequest request, CurrentUser user, CreateCustomerHandler handler, CancellationToken ct) =>
            {
                var created = await handler.HandleAsync(user, request, ct);
                return TypedResults.Created($"/api/v1/customers/{created.Id}", created);
            })
            .RequireAuthorization(Permissions.CustomersCreate)
            .WithName("CreateCustomer")
            .WithSummary("Create a customer (owned by the caller unless an owner or pool is given).");
}
