using FluentValidation;

namespace LeadToCash.Modules.Leads;

/// <summary>The fields a person (or a form, or a file row) gives when capturing or editing a lead.</summary>
public interface ILeadFields : ILeadQualification
{
    string? SourceChannel { get; }
    string? CompanyName { get; }
    string? ContactName { get; }
    string? Title { get; }
    string? Mobile { get; }
    string? Phone { get; }
    string? Email { get; }
    string? WeChat { get; }
    string? CompanySize { get; }
    string? Region { get; }
    string? Need { get; }
    string? Notes { get; }
    string? Tags { get; }
}

/// <summary>
/// The rules for a lead's fields, shared by the API, the UI form, the website form and the import. A lead needs a
/// company or a contact name; missing contact details make it incomplete, not invalid.
/// </summary>
public sealed class LeadFieldsValidator : AbstractValidator<ILeadFields>
{
    public LeadFieldsValidator()
    {
        RuleFor(x => x.CompanyName).NotEmpty().When(x => string.IsNullOrWhiteSpace(x.ContactName))
            .WithMessage("A lead needs a company or a contact name.").WithErrorCode("LeadNeedsName");
        RuleFor(x => x.SourceChannel).NotEmpty().MaximumLength(50);
        RuleFor(x => x.CompanyName).MaximumLength(200);
        RuleFor(x => x.ContactName).MaximumLength(100);
        RuleFor(x => x.Title).MaximumLength(100);
        RuleFor(x => x.Mobile).MaximumLength(40).Matches(PhonePattern).When(x => x.Mobile is not null)
            .WithMessage("'{PropertyName}' may contain only digits, spaces and + - ( ).").WithErrorCode("PhoneFormat");
        RuleFor(x => x.Phone).MaximumLength(40).Matches(PhonePattern).When(x => x.Phone is not null)
            .WithMessage("'{PropertyName}' may contain only digits, spaces and + - ( ).").WithErrorCode("PhoneFormat");
        RuleFor(x => x.Email).MaximumLength(200).EmailAddress().When(x => !string.IsNullOrEmpty(x.Email));
        RuleFor(x => x.WeChat).MaximumLength(100);
        RuleFor(x => x.Industry).MaximumLength(50);
        RuleFor(x => x.CompanySize).MaximumLength(50);
        RuleFor(x => x.Region).MaximumLength(100);
        RuleFor(x => x.BudgetMinor).GreaterThanOrEqualTo(0).LessThan(1_000_000_000_000_00);
        RuleFor(x => x.PurchaseWithinMonths).InclusiveBetween(0, 120);
        RuleFor(x => x.Need).MaximumLength(4000);
        RuleFor(x => x.Notes).MaximumLength(4000);
        RuleFor(x => x.Tags).MaximumLength(500);
    }

    private const string PhonePattern = @"^[0-9+\-\s()]*$";
}
