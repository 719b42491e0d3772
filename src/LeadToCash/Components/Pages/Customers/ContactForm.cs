using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.Contacts;

namespace LeadToCash.Components.Pages.Customers;

/// <summary>The contact dialog's model; blank inputs become null, as the API expects for "not given".</summary>
public sealed class ContactForm
{
    private string? _title;
    private string? _mobile;
    private string? _phone;
    private string? _email;
    private string? _weChat;
    private string? _notes;

    public string Name { get; set; } = "";

    public string? Title { get => _title; set => _title = Blank(value); }

    public string? Mobile { get => _mobile; set => _mobile = Blank(value); }

    public string? Phone { get => _phone; set => _phone = Blank(value); }

    public string? Email { get => _email; set => _email = Blank(value); }

    public string? WeChat { get => _weChat; set => _weChat = Blank(value); }

    public PurchaseRole? Role { get; set; }

    public ContactStance? Stance { get; set; }

    public Guid? ReportsToId { get; set; }

    public bool IsPrimary { get; set; }

    public string? Notes { get => _notes; set => _notes = Blank(value); }

    public static ContactForm From(ContactDto contact) => new()
    {
        Name = contact.Name,
        Title = contact.Title,
        Mobile = contact.Mobile,
        Phone = contact.Phone,
        Email = contact.Email,
        WeChat = contact.WeChat,
        Role = contact.Role,
        Stance = contact.Stance,
        ReportsToId = contact.ReportsToId,
        IsPrimary = contact.IsPrimary,
        Notes = contact.Notes,
    };

    public ContactRequest ToRequest(int? version = null) =>
        new(Name, Title, Mobile, Phone, Email, WeChat, Role, Stance, ReportsToId, IsPrimary, Notes, version);

    /// <summary>The resource key of a field's label, by property name.</summary>
    public static string LabelKey(string property) => $"Contacts.{property}";

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
