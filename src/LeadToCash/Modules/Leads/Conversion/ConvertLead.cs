using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Leads.Conversion;

/// <summary>Convert into a customer: a new one, or the given/matching existing one (linked, not duplicated).</summary>
public sealed record ConvertLeadRequest(Guid? CustomerId = null);

public sealed record ConvertLeadResult(Guid LeadId, Guid CustomerId, Guid? ContactId, bool LinkedExisting);

public sealed class ConvertLeadHandler(IDbContextFactory<AppDbContext> dbFactory, LeadDesk desk)
{
    public async Task<ConvertLeadResult> HandleAsync(CurrentUser user, Guid id, ConvertLeadRequest request, CancellationToken ct = default)
    {
        user.Require(Permissions.LeadsConvert);
        await using var db = await dbFactory.OpenAsync(user, ct);
        var lead = await LeadAccess.LoadForChangeAsync(db, user, id, ct);
        LeadAccess.EnsureOpen(lead);
        var now = desk.Now;

        var customer = request.CustomerId is { } chosen
            ? await db.Customers.FirstOrDefaultAsync(c => c.Id == chosen, ct) ?? throw new NotFoundException("The customer")
            : await MatchingCustomerAsync(db, lead, ct);
        var linked = customer is not null;
        if (customer is null)
        {
            customer = new Customer
            {
                Name = lead.CompanyName ?? lead.ContactName!,
                Industry = lead.Industry,
                Region = lead.Region,
                Phone = lead.Phone ?? lead.Mobile,
                SourceChannel = lead.SourceChannel,
                Notes = lead.Need,
                OwnerId = lead.OwnerId ?? user.Id,
                NameKey = lead.CompanyKey ?? Platform.Matching.DuplicateKeys.Company(lead.ContactName),
                PhoneKey = lead.PhoneKey,
                // The lead's grade is the customer's first grade; the owner keeps it current from here.
                Grade = (CustomerGrade)(lead.Grade ?? lead.SuggestedGrade),
                OwnedSince = now,
            };
            CustomerRules.RefreshCadence(customer, await CustomerRulebook.LoadAsync(db, ct));
            db.Customers.Add(customer);
            await CustomerTags.WriteAsync(db, customer, null, now, ct);
        }

        Contact? contact = null;
        if (lead.ContactName is { } name && !await HasContactAsync(db, customer.Id, lead, ct))
        {
            contact = new Contact
            {
                CustomerId = customer.Id,
                Name = name,
                Title = lead.Title,
                Mobile = lead.Mobile,
                Phone = lead.Phone,
                Email = lead.Email,
                WeChat = lead.WeChat,
                SourceLeadId = lead.Id,
            };
            db.Contacts.Add(contact);
        }

        lead.Status = LeadStatus.Converted;
        lead.ConvertedCustomerId = customer.Id;
        lead.ConvertedAt = now;
        await db.SaveChangesAsync(ct);
        return new ConvertLeadResult(lead.Id, customer.Id, contact?.Id, linked);
    }

    // The duplicate check against customers: a visible match is linked; an invisible one is named so that its owner
    // can be asked, rather than silently creating a second customer.
    private async Task<Customer?> MatchingCustomerAsync(AppDbContext db, Lead lead, CancellationToken ct)
    {
        var match = await desk.FindDuplicateAsync(lead.PhoneKey, null, lead.CompanyKey, lead.Id, ct, customersOnly: true);
        if (match is null)
        {
            return null;
        }

        return await db.Customers.FirstOrDefaultAsync(c => c.Id == match.Id, ct)
            ?? throw new ConflictException($"This lead matches the customer \"{match.Name}\" (same {match.Field})"
                + (match.OwnerName is null ? "" : $", owned by {match.OwnerName}") + ", which you cannot see. Ask its owner to share it, then convert.");
    }

    private static Task<bool> HasContactAsync(AppDbContext db, Guid customerId, Lead lead, CancellationToken ct) =>
        db.Contacts.AnyAsync(c => c.CustomerId == customerId
            && ((lead.Mobile != null && c.Mobile == lead.Mobile) || (lead.Email != null && c.Email == lead.Email)
                || c.Name == lead.ContactName), ct);
}

public static class ConvertLeadEndpoint
{
    public static void MapConvertLead(this RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/convert", async (Guid id, ConvertLeadRequest request, CurrentUser user, ConvertLeadHandler handler,
                CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(user, id, request, ct)))
            .RequireAuthorization(Permissions.LeadsConvert)
            .WithName("ConvertLead")
            .WithSummary("Convert a lead into a customer with its contact; an existing matching customer is linked instead of duplicated.");
}
