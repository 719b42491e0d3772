using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Customers;

/// <summary>A person at a customer. Visible and changeable with its customer.</summary>
public sealed class Contact : BusinessRecord
{
    public const string RecordType = "contact";

    public Guid CustomerId { get; set; }
    public required string Name { get; set; }
    public string? Title { get; set; }
    public string? Mobile { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? WeChat { get; set; }

    /// <summary>The lead this contact came from, when it was created by a conversion.</summary>
    public Guid? SourceLeadId { get; set; }
}
