using FluentValidation;
using LeadToCash.Modules.Options;
using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Leads;

/// <summary>Validates captured fields (rules and option codes) and copies them onto a lead, trimmed.</summary>
public static class LeadFieldsWriter
{
    private static readonly LeadFieldsValidator Validator = new();

    public static async Task ValidateAsync(AppDbContext db, ILeadFields fields, CancellationToken ct)
    {
        await Validator.ValidateAndThrowAsync(fields, ct);
        await OptionCodes.EnsureValidAsync(db, OptionLists.SourceChannels, fields.SourceChannel, "sourceChannel", ct);
        await OptionCodes.EnsureValidAsync(db, OptionLists.Industries, fields.Industry, "industry", ct);
        await OptionCodes.EnsureValidAsync(db, OptionLists.CompanySizes, fields.CompanySize, "companySize", ct);
    }

    public static void Apply(Lead lead, ILeadFields fields)
    {
        lead.SourceChannel = fields.SourceChannel!.Trim();
        lead.CompanyName = Clean(fields.CompanyName);
        lead.ContactName = Clean(fields.ContactName);
        lead.Title = Clean(fields.Title);
        lead.Mobile = Clean(fields.Mobile);
        lead.Phone = Clean(fields.Phone);
        lead.Email = Clean(fields.Email);
        lead.WeChat = Clean(fields.WeChat);
        lead.Industry = Clean(fields.Industry);
        lead.CompanySize = Clean(fields.CompanySize);
        lead.Region = Clean(fields.Region);
        lead.BudgetMinor = fields.BudgetMinor;
        lead.PurchaseWithinMonths = fields.PurchaseWithinMonths;
        lead.DecisionMakerIdentified = fields.DecisionMakerIdentified;
        lead.Need = Clean(fields.Need);
        lead.Notes = Clean(fields.Notes);
        lead.Tags = Clean(fields.Tags);
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
