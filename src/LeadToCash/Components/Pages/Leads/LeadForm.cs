using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Leads.CreateLead;
using LeadToCash.Modules.Leads.UpdateLead;

namespace LeadToCash.Components.Pages.Leads;

/// <summary>
/// The lead entry/edit form's model. Blank inputs become null; the budget is typed in yuan (whole currency units) and
/// sent in minor units.
/// </summary>
public sealed class LeadForm : ILeadFields
{
    private string? _companyName;
    private string? _contactName;
    private string? _title;
    private string? _mobile;
    private string? _phone;
    private string? _email;
    private string? _weChat;
    private string? _region;
    private string? _need;
    private string? _notes;
    private string? _tags;

    public string? SourceChannel { get; set; }
    public string? CompanyName { get => _companyName; set => _companyName = Blank(value); }
    public string? ContactName { get => _contactName; set => _contactName = Blank(value); }
    public string? Title { get => _title; set => _title = Blank(value); }
    public string? Mobile { get => _mobile; set => _mobile = Blank(value); }
    public string? Phone { get => _phone; set => _phone = Blank(value); }
    public string? Email { get => _email; set => _email = Blank(value); }
    public string? WeChat { get => _weChat; set => _weChat = Blank(value); }
    public string? Industry { get; set; }
    public string? CompanySize { get; set; }
    public string? Region { get => _region; set => _region = Blank(value); }

    /// <summary>Budget in whole currency units (元), as people type it.</summary>
    public decimal? Budget { get; set; }
    public int? PurchaseWithinMonths { get; set; }
    public bool DecisionMakerIdentified { get; set; }
    public string? Need { get => _need; set => _need = Blank(value); }
    public string? Notes { get => _notes; set => _notes = Blank(value); }
    public string? Tags { get => _tags; set => _tags = Blank(value); }

    public long? BudgetMinor => Budget is { } yuan ? (long)Math.Round(yuan * 100m) : null;

    public static LeadForm From(LeadDto lead) => new()
    {
        SourceChannel = lead.SourceChannel,
        CompanyName = lead.CompanyName,
        ContactName = lead.ContactName,
        Title = lead.Title,
        Mobile = lead.Mobile,
        Phone = lead.Phone,
        Email = lead.Email,
        WeChat = lead.WeChat,
        Industry = lead.Industry,
        CompanySize = lead.CompanySize,
        Region = lead.Region,
        Budget = lead.BudgetMinor is { } minor ? minor / 100m : null,
        PurchaseWithinMonths = lead.PurchaseWithinMonths,
        DecisionMakerIdentified = lead.DecisionMakerIdentified,
        Need = lead.Need,
        Notes = lead.Notes,
        Tags = lead.Tags,
    };

    public CreateLeadRequest ToCreateRequest(bool toPool) => new(SourceChannel, CompanyName, ContactName, Title, Mobile, Phone, Email,
        WeChat, Industry, CompanySize, Region, BudgetMinor, PurchaseWithinMonths, DecisionMakerIdentified, Need, Notes, Tags,
        ToPool: toPool ? true : null);

    public UpdateLeadRequest ToUpdateRequest(int version) => new(SourceChannel, CompanyName, ContactName, Title, Mobile, Phone, Email,
        WeChat, Industry, CompanySize, Region, BudgetMinor, PurchaseWithinMonths, DecisionMakerIdentified, Need, Notes, Tags, version);

    /// <summary>The resource key of a field's label, by property name (also the history's field column).</summary>
    public static string LabelKey(string property) => property switch
    {
        nameof(BudgetMinor) => "Leads.Budget",
        nameof(Title) => "Leads.JobTitle",
        _ => $"Leads.{property}",
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
