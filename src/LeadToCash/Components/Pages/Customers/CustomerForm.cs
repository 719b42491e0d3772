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

    public string? Size { get; set; }

    public CustomerGrade Grade { get; set; } = CustomerGrade.C;

    public LifecycleStage Stage { get; set; } = LifecycleStage.Prospect;

    /// <summary>The parent company as the picker shows it (id and name).</summary>
    public CustomerChoice? Parent { get; set; }

    public List<string> Tags { get; set; } = [];

    CustomerGrade? ICustomerFields.Grade => Grade;

    LifecycleStage? ICustomerFields.Stage => Stage;

    Guid? ICustomerFields.ParentId => Parent?.Id;

    IReadOnlyList<string>? ICustomerFields.Tags => Tags;

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
        Size = customer.Size,
        Grade = customer.Grade,
        Stage = customer.Stage,
        Parent = customer.ParentId is { } parent ? new CustomerChoice(parent, customer.ParentName) : null,
        Tags = [.. customer.Tags ?? []],
    };

    public CreateCustomerRequest ToCreateRequest() =>
        new(Name, Industry, Region, Phone, Website, Address, SourceChannel, Notes,
            Size: Size, Grade: Grade, Stage: Stage, ParentId: Parent?.Id, Tags: Tags);

    public UpdateCustomerRequest ToUpdateRequest(int version) =>
        new(Name, Industry, Region, Phone, Website, Address, SourceChannel, Notes, version, Size, Grade, Stage, Parent?.Id, Tags);

    /// <summary>The resource key of a field's label, by property name (also used for the history's field column).</summary>
    public static string LabelKey(string property) => property switch
    {
        nameof(SourceChannel) => "Customers.Source",
        nameof(Customer.OwnerId) => "Customers.Owner",
        nameof(Customer.PoolTeamId) => "Customers.PoolTeam",
        nameof(Customer.ParentId) => "Customers.Parent",
        _ => $"Customers.{property}",
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>A customer offered by a picker: its id and name (null when the caller cannot see it).</summary>
public sealed record CustomerChoice(Guid Id, string? Name);
