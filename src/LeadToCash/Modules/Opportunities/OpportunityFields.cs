using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Opportunities;

/// <summary>The plain fields of an opportunity, shared by create and update (stage, owner and status have their own commands).</summary>
public interface IOpportunityFields
{
    string Name { get; }
    long? AmountMinor { get; }
    string? Currency { get; }
    DateOnly? ExpectedCloseDate { get; }
    string? Competitors { get; }
    string? NextStep { get; }
    string? Description { get; }
    IReadOnlyList<Guid>? ContactIds { get; }
}

public sealed class OpportunityFieldsValidator : AbstractValidator<IOpportunityFields>
{
    public const int MaxContacts = 50;

    public OpportunityFieldsValidator()
    {
        RuleFor(x => x.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("An opportunity needs a name.")
            .MaximumLength(200);
        RuleFor(x => x.AmountMinor).GreaterThanOrEqualTo(0).WithMessage("The amount cannot be negative.");
        RuleFor(x => x.Currency).Must(c => c is null || Platform.Money.Money.KnownCurrencies.Contains(c))
            .WithMessage(x => $"'{x.Currency}' is not a currency this system knows ({string.Join(", ", Platform.Money.Money.KnownCurrencies)}).");
        RuleFor(x => x.Competitors).MaximumLength(500);
        RuleFor(x => x.NextStep).MaximumLength(500);
        RuleFor(x => x.Description).MaximumLength(4000);
        RuleFor(x => x.ContactIds).Must(ids => ids is null || ids.Count <= MaxContacts)
            .WithMessage($"An opportunity names at most {MaxContacts} contacts.");
    }
}

internal static class OpportunityContacts
{
    /// <summary>Refuses contacts that are not (live) contacts of the customer; answers the distinct ids.</summary>
    public static async Task<List<Guid>> CheckAsync(AppDbContext db, Guid customerId, IReadOnlyList<Guid>? contactIds, CancellationToken ct)
    {
        var ids = (contactIds ?? []).Where(i => i != Guid.Empty).Distinct().ToList();
        if (ids.Count == 0)
        {
            return ids;
        }

        var found = await db.Contacts.Where(c => ids.Contains(c.Id) && c.CustomerId == customerId).CountAsync(ct);
        if (found != ids.Count)
        {
            throw new ValidationException([new ValidationFailure("contactIds", "Every contact must be a contact of the opportunity's customer.")]);
        }

        return ids;
    }

    /// <summary>Makes the opportunity's contacts exactly <paramref name="ids"/>.</summary>
    public static async Task WriteAsync(AppDbContext db, Guid opportunityId, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        var existing = await db.OpportunityContacts.Where(oc => oc.OpportunityId == opportunityId).ToListAsync(ct);
        db.OpportunityContacts.RemoveRange(existing.Where(e => !ids.Contains(e.ContactId)));
        foreach (var id in ids.Where(id => existing.All(e => e.ContactId != id)))
        {
            db.OpportunityContacts.Add(new OpportunityContact { OpportunityId = opportunityId, ContactId = id });
        }
    }
}
