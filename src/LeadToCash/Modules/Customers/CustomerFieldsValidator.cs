using FluentValidation;

namespace LeadToCash.Modules.Customers;

/// <summary>
/// The rules for a customer's fields, used by the API handlers and the UI form alike. Custom messages carry an error
/// code that the UI looks up as <c>Validation.{code}</c> in its resources.
/// </summary>
public sealed class CustomerFieldsValidator : AbstractValidator<ICustomerFields>
{
    public CustomerFieldsValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Industry).MaximumLength(50);
        RuleFor(x => x.Size).MaximumLength(50);
        RuleFor(x => x.Region).MaximumLength(100);
        RuleFor(x => x.Phone).MaximumLength(40).Matches(@"^[0-9+\-\s()]*$").When(x => x.Phone is not null)
            .WithMessage("'{PropertyName}' may contain only digits, spaces and + - ( ).").WithErrorCode("PhoneFormat");
        RuleFor(x => x.Website).MaximumLength(200)
            .Must(w => w is null || Uri.TryCreate(w.Contains("://", StringComparison.Ordinal) ? w : "http://" + w, UriKind.Absolute, out _))
            .WithMessage("'{PropertyName}' is not a web address.").WithErrorCode("WebAddress");
        RuleFor(x => x.Address).MaximumLength(300);
        RuleFor(x => x.SourceChannel).MaximumLength(50);
        RuleFor(x => x.Notes).MaximumLength(4000);
        RuleFor(x => x.Grade).IsInEnum();
        RuleFor(x => x.Stage).IsInEnum();
        RuleFor(x => x.Tags)
            .Must(t => t is null || t.Count <= CustomerTags.MaxFreeTags)
            .WithMessage($"A customer has at most {CustomerTags.MaxFreeTags} tags.").WithErrorCode("TagCount")
            .Must(t => t is null || t.All(tag => !string.IsNullOrWhiteSpace(tag) && tag.Trim().Length <= CustomerTags.MaxLength))
            .WithMessage($"Each tag has 1 to {CustomerTags.MaxLength} characters.").WithErrorCode("TagLength");
    }
}
