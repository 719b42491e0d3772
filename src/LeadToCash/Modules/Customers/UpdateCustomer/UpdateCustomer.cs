using FluentValidation;
using LeadToCash.Modules.Options;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Matching;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers.UpdateCustomer;

/// <summary>
/// The editable fields; owner and pool change only through the hand-over and claim commands. Grade and stage null
/// keep their values; tags null keep the free tags, a list replaces them.
/// </summary>
public sealed record UpdateCustomerRequest(
    string Name,
    string? Industry = null,
    string? Region = null,
    string? Phone = null,
    string? Website = null,
    string? Address = null,
    string? SourceChannel = null,
    string? Notes = null,
    int? Version = null,
    string? Size = null,
    CustomerGrade? Grade = null,
    LifecycleStage? Stage = null,
    Guid? ParentId = null,
    IReadOnlyList<string>? Tags = null) : ICustomerFields;

public sealed class UpdateCustomerHandler(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private static readonly CustomerFieldsValidator Validator = new();

    public async Task<CustomerDto> HandleAsync(CurrentUser user, Guid id, UpdateCustomerRequest request, int version,
        CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersEdit);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var customer = await CustomerAccess.LoadForChangeAsync(db, user, id, ct);
        Versioning.EnsureVersion(customer.Version, version);
        await OptionCodes.EnsureValidAsync(db, OptionLists.Industries, request.Industry, "industry", ct);
        await OptionCodes.EnsureValidAsync(db, OptionLists.SourceChannels, request.SourceChannel, "sourceChannel", ct);
        await OptionCodes.EnsureValidAsync(db, OptionLists.CompanySizes, request.Size, "size", ct);
        await CustomerParents.EnsureValidAsync(db, customer.Id, request.ParentId, ct);

        customer.Name = request.Name.Trim();
        customer.Industry = request.Industry;
        customer.Region = request.Region?.Trim();
        customer.Phone = request.Phone?.Trim();
        customer.NameKey = DuplicateKeys.Company(customer.Name);
        customer.PhoneKey = DuplicateKeys.Phone(customer.Phone);
        customer.Website = request.Website?.Trim();
        customer.Address = request.Address?.Trim();
        customer.SourceChannel = request.SourceChannel;
        customer.Notes = request.Notes;
        customer.Size = request.Size;
        customer.ParentId = request.ParentId;
        customer.Stage = request.Stage ?? customer.Stage;
        if (request.Grade is { } grade && grade != customer.Grade)
        {
            // The grade sets the follow-up cadence (A daily, B every 3 working days, C weekly).
            customer.Grade = grade;
            CustomerRules.RefreshCadence(customer, await CustomerRulebook.LoadAsync(db, ct));
        }

        await CustomerTags.WriteAsync(db, customer, request.Tags, clock.GetUtcNow().UtcDateTime, ct);
        await db.SaveChangesAsync(ct);
        return await CustomerAccess.ReadAsync(db, user, id, ct);
    }
}

public static class UpdateCustomerEndpoint
{
    public static void MapUpdateCustomer(this RouteGroupBuilder group) =>
        group.MapPut("/{id:guid}", async (Guid id, UpdateCustomerRequest request, CurrentUser user, UpdateCustomerHandler handler,
                HttpContext http, CancellationToken ct) =>
            {
                var version = VersionHeader.Required(request.Version, http.Request);
                var updated = await handler.HandleAsync(user, id, request, version, ct);
                http.Response.Headers.ETag = $"\"{updated.Version}\"";
                return TypedResults.Ok(updated);
            })
            .RequireAuthorization(Permissions.CustomersEdit)
            .WithName("UpdateCustomer")
            .WithSummary("Change a customer's fields; send the version you read (field or If-Match). A stale version answers 409.");
}
