using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Matching;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Customers.Contacts;

public sealed record ContactDto(
    Guid Id,
    Guid CustomerId,
    string Name,
    string? Title,
    string? Mobile,
    string? Phone,
    string? Email,
    string? WeChat,
    PurchaseRole? Role,
    ContactStance? Stance,
    Guid? ReportsToId,
    bool IsPrimary,
    string? Notes,
    int Version,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>A contact's fields, for create and update. IsPrimary true makes this the customer's one primary contact.</summary>
public sealed record ContactRequest(
    string Name,
    string? Title = null,
    string? Mobile = null,
    string? Phone = null,
    string? Email = null,
    string? WeChat = null,
    PurchaseRole? Role = null,
    ContactStance? Stance = null,
    Guid? ReportsToId = null,
    bool IsPrimary = false,
    string? Notes = null,
    int? Version = null);

/// <summary>The rules for a contact's fields, used by the API handlers and the UI form alike.</summary>
public sealed class ContactValidator : AbstractValidator<ContactRequest>
{
    public ContactValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(100);
        RuleFor(x => x.Title).MaximumLength(100);
        RuleFor(x => x.Mobile).MaximumLength(40).Matches(@"^[0-9+\-\s()]*$").When(x => x.Mobile is not null)
            .WithMessage("'{PropertyName}' may contain only digits, spaces and + - ( ).").WithErrorCode("PhoneFormat");
        RuleFor(x => x.Phone).MaximumLength(40).Matches(@"^[0-9+\-\s()]*$").When(x => x.Phone is not null)
            .WithMessage("'{PropertyName}' may contain only digits, spaces and + - ( ).").WithErrorCode("PhoneFormat");
        RuleFor(x => x.Email).MaximumLength(200).EmailAddress().When(x => x.Email is not null)
            .WithMessage("'{PropertyName}' is not an e-mail address.").WithErrorCode("EmailFormat");
        RuleFor(x => x.WeChat).MaximumLength(100);
        RuleFor(x => x.Role).IsInEnum();
        RuleFor(x => x.Stance).IsInEnum();
        RuleFor(x => x.Notes).MaximumLength(2000);
    }
}

/// <summary>
/// The contacts of a customer. A contact is visible when its customer is, and changes with it: a change needs the
/// right to change the customer (owner, managers above, Edit collaborator, Admin).
/// </summary>
public sealed class ContactsHandler(IDbContextFactory<AppDbContext> dbFactory)
{
    private static readonly ContactValidator Validator = new();

    public async Task<IReadOnlyList<ContactDto>> ListAsync(CurrentUser user, Guid customerId, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        await EnsureVisibleAsync(db, customerId, ct);
        return await db.Contacts.AsNoTracking().Where(c => c.CustomerId == customerId)
            .OrderByDescending(c => c.IsPrimary).ThenBy(c => c.Name).ThenBy(c => c.Id)
            .Select(Projection)
            .ToListAsync(ct);
    }

    public async Task<ContactDto> GetAsync(CurrentUser user, Guid customerId, Guid id, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersRead);
        await using var db = await dbFactory.OpenAsync(user, ct);
        await EnsureVisibleAsync(db, customerId, ct);
        return await ReadAsync(db, customerId, id, ct);
    }

    public async Task<ContactDto> CreateAsync(CurrentUser user, Guid customerId, ContactRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersEdit);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        await CustomerAccess.LoadForChangeAsync(db, user, customerId, ct);
        var contact = new Contact { CustomerId = customerId, Name = request.Name.Trim() };
        await EnsureReportsToAsync(db, contact, request.ReportsToId, ct);
        Apply(contact, request);
        db.Contacts.Add(contact);
        await KeepOnePrimaryAsync(db, contact, ct);
        await db.SaveChangesAsync(ct);
        return await ReadAsync(db, customerId, contact.Id, ct);
    }

    public async Task<ContactDto> UpdateAsync(CurrentUser user, Guid customerId, Guid id, ContactRequest request, int version,
        CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersEdit);
        await Validator.ValidateAndThrowAsync(request, ct);
        await using var db = await dbFactory.OpenAsync(user, ct);
        await CustomerAccess.LoadForChangeAsync(db, user, customerId, ct);
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == id && c.CustomerId == customerId, ct)
            ?? throw new NotFoundException("The contact");
        Versioning.EnsureVersion(contact.Version, version);
        await EnsureReportsToAsync(db, contact, request.ReportsToId, ct);
        Apply(contact, request);
        await KeepOnePrimaryAsync(db, contact, ct);
        await db.SaveChangesAsync(ct);
        return await ReadAsync(db, customerId, id, ct);
    }

    /// <summary>Moves the contact to the recycle bin; those who reported to it now report to its own manager.</summary>
    public async Task DeleteAsync(CurrentUser user, Guid customerId, Guid id, int version, CancellationToken ct = default)
    {
        user.Require(Permissions.CustomersEdit);
        await using var db = await dbFactory.OpenAsync(user, ct);
        await CustomerAccess.LoadForChangeAsync(db, user, customerId, ct);
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == id && c.CustomerId == customerId, ct)
            ?? throw new NotFoundException("The contact");
        Versioning.EnsureVersion(contact.Version, version);
        foreach (var report in await db.Contacts.Where(c => c.CustomerId == customerId && c.ReportsToId == id).ToListAsync(ct))
        {
            report.ReportsToId = contact.ReportsToId;
        }

        db.Contacts.Remove(contact);
        await db.SaveChangesAsync(ct);
    }

    private static readonly System.Linq.Expressions.Expression<Func<Contact, ContactDto>> Projection = c => new ContactDto(
        c.Id, c.CustomerId, c.Name, c.Title, c.Mobile, c.Phone, c.Email, c.WeChat, c.Role, c.Stance, c.ReportsToId, c.IsPrimary,
        c.Notes, c.Version, DateTime.SpecifyKind(c.CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(c.UpdatedAt, DateTimeKind.Utc));

    private static async Task EnsureVisibleAsync(AppDbContext db, Guid customerId, CancellationToken ct)
    {
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, ct))
        {
            throw new NotFoundException("The customer");
        }
    }

    private static async Task<ContactDto> ReadAsync(AppDbContext db, Guid customerId, Guid id, CancellationToken ct) =>
        await db.Contacts.AsNoTracking().Where(c => c.Id == id && c.CustomerId == customerId).Select(Projection).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("The contact");

    private static void Apply(Contact contact, ContactRequest request)
    {
        contact.Name = request.Name.Trim();
        contact.Title = Trim(request.Title);
        contact.Mobile = Trim(request.Mobile);
        contact.Phone = Trim(request.Phone);
        contact.Email = Trim(request.Email);
        contact.WeChat = Trim(request.WeChat);
        contact.Role = request.Role;
        contact.Stance = request.Stance;
        contact.ReportsToId = request.ReportsToId;
        contact.IsPrimary = request.IsPrimary;
        contact.Notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes;
        contact.PhoneKey = DuplicateKeys.Phone(contact.Mobile) ?? DuplicateKeys.Phone(contact.Phone);
        contact.EmailKey = DuplicateKeys.Email(contact.Email);
    }

    // The manager must be another contact of the same customer, and not one who (however indirectly) reports to this one.
    private static async Task EnsureReportsToAsync(AppDbContext db, Contact contact, Guid? reportsToId, CancellationToken ct)
    {
        if (reportsToId is not { } manager)
        {
            return;
        }

        if (manager == contact.Id)
        {
            throw Invalid("reportsToId", "A contact cannot report to themselves.");
        }

        var chain = await db.Contacts.AsNoTracking().Where(c => c.CustomerId == contact.CustomerId)
            .ToDictionaryAsync(c => c.Id, c => c.ReportsToId, ct);
        if (!chain.ContainsKey(manager))
        {
            throw Invalid("reportsToId", "The manager must be another contact of the same customer.");
        }

        var seen = new HashSet<Guid>();
        for (Guid? current = manager; current is { } id && seen.Add(id); current = chain.GetValueOrDefault(id))
        {
            if (id == contact.Id)
            {
                throw Invalid("reportsToId", "The manager reports to this contact (directly or further down), which would make a loop.");
            }
        }
    }

    private static async Task KeepOnePrimaryAsync(AppDbContext db, Contact contact, CancellationToken ct)
    {
        if (!contact.IsPrimary)
        {
            return;
        }

        foreach (var other in await db.Contacts.Where(c => c.CustomerId == contact.CustomerId && c.Id != contact.Id && c.IsPrimary).ToListAsync(ct))
        {
            other.IsPrimary = false;
        }
    }

    private static string? Trim(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static ValidationException Invalid(string field, string message) => new([new ValidationFailure(field, message)]);
}

public static class ContactsEndpoints
{
    public static void MapContacts(this RouteGroupBuilder group)
    {
        group.MapGet("/{customerId:guid}/contacts", async (Guid customerId, CurrentUser user, ContactsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, customerId, ct)))
            .RequireAuthorization(Permissions.CustomersRead)
            .WithName("ListContacts")
            .WithSummary("The contacts of a customer the caller can see, the primary contact first.");
        group.MapGet("/{customerId:guid}/contacts/{id:guid}", async (Guid customerId, Guid id, CurrentUser user, ContactsHandler handler,
                HttpContext http, CancellationToken ct) =>
            {
                var contact = await handler.GetAsync(user, customerId, id, ct);
                http.Response.Headers.ETag = $"\"{contact.Version}\"";
                return TypedResults.Ok(contact);
            })
            .RequireAuthorization(Permissions.CustomersRead)
            .WithName("GetContact")
            .WithSummary("One contact, with its version (also sent as ETag).");
        group.MapPost("/{customerId:guid}/contacts", async (Guid customerId, ContactRequest request, CurrentUser user, ContactsHandler handler,
                CancellationToken ct) =>
            {
                var created = await handler.CreateAsync(user, customerId, request, ct);
                return TypedResults.Created($"/api/v1/customers/{customerId}/contacts/{created.Id}", created);
            })
            .RequireAuthorization(Permissions.CustomersEdit)
            .WithName("CreateContact")
            .WithSummary("Add a contact to a customer the caller may change; isPrimary true makes it the one primary contact.");
        group.MapPut("/{customerId:guid}/contacts/{id:guid}", async (Guid customerId, Guid id, ContactRequest request, CurrentUser user,
                ContactsHandler handler, HttpContext http, CancellationToken ct) =>
            {
                var updated = await handler.UpdateAsync(user, customerId, id, request, VersionHeader.Required(request.Version, http.Request), ct);
                http.Response.Headers.ETag = $"\"{updated.Version}\"";
                return TypedResults.Ok(updated);
            })
            .RequireAuthorization(Permissions.CustomersEdit)
            .WithName("UpdateContact")
            .WithSummary("Change a contact; send the version you read (field or If-Match). A stale version answers 409.");
        group.MapDelete("/{customerId:guid}/contacts/{id:guid}", async (Guid customerId, Guid id, int? version, CurrentUser user,
                ContactsHandler handler, HttpContext http, CancellationToken ct) =>
            {
                await handler.DeleteAsync(user, customerId, id, VersionHeader.Required(version, http.Request), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Permissions.CustomersEdit)
            .WithName("DeleteContact")
            .WithSummary("Move a contact to the recycle bin; send its version (?version= or If-Match).");
    }
}
