using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.CreateCustomer;
using LeadToCash.Modules.Customers.UpdateCustomer;

namespace LeadToCash.Components.Pages.Customers;

/// <summary>
/// The create/edit form's model. Blank inputs become null, as the API expects for "not given" (the website rule
/// would otherwise read an empty box as a broken address).
/// </summary>
public sealed class CustomerForm : ICustomerFields
{
    private string? _region;
    private string? _phone;
    private string? _website;
    private string? _address;
    private string? _notes;

    public string Name { get; set; } = "";

    public string? Industry { get; set; }

    public string? Region { get => _region; set => _region = Blank(value); }

    public string? Phone { get => _phone; set => _phone = Blank(value); }

    public string? Website { get => _website; set => _website = Blank(value); }

    public string? Address { get => _address; set => _address = Blank(value); }

    public string? SourceChannel { get; set; }

    public string? Notes { get => _notes; set => _notes = Blank(value); }

    public static CustomerForm From(CustomerDto customer) => new()
    {
        Name = customer.Name,
        Industry = customer.Industry,
        Region = customer.Region,
        Phone = customer.Phone,
        Website = customer.Website,
        Address = customer.Address,
        SourceChannel = customer.SourceChannel,
        Notes = customer.Notes,
    };

    public CreateCustomerRequest ToCreateRequest() =>
        new(Name, Industry, Region, Phone, Website, Address, SourceChannel, Notes);

    public UpdateCustomerRequest ToUpdateRequest(int version) =>
        new(Name, Industry, Region, Phone, Website, Address, SourceChannel, Notes, version);

    /// <summary>The resource key of a field's label, by property name (also used for the history's field column).</summary>
    public static string LabelKey(string property) => property switch
    {
        nameof(SourceChannel) => "Customers.Source",
        nameof(Customer.OwnerId) => "Customers.Owner",
        nameof(Customer.PoolTeamId) => "Customers.PoolTeam",
        _ => $"Customers.{property}",
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
