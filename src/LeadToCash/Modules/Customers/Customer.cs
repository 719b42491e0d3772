using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Data;

namespace LeadToCash.Modules.Customers;

/// <summary>A company we sell to. The first scoped record of the system; the customers issue extends it.</summary>
public sealed class Customer : BusinessRecord, IScopedRecord
{
    public const string RecordType = "customer";

    public required string Name { get; set; }
    public string? Industry { get; set; }
    public string? Region { get; set; }
    public string? Phone { get; set; }
    public string? Website { get; set; }
    public string? Address { get; set; }
    public string? SourceChannel { get; set; }
    public string? Notes { get; set; }
    public Guid? OwnerId { get; set; }
    public AppUser? Owner { get; set; }
    public Guid? PoolTeamId { get; set; }

    // Normalised name and phone the duplicate check compares (kept current by the customer commands).
    public string? NameKey { get; set; }
    public string? PhoneKey { get; set; }
}
