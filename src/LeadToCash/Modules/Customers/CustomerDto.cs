using System.Linq.Expressions;

namespace LeadToCash.Modules.Customers;

public sealed record CustomerDto(
    Guid Id,
    string Name,
    string? Industry,
    string? Region,
    string? Phone,
    string? Website,
    string? Address,
    string? SourceChannel,
    string? Notes,
    Guid? OwnerId,
    string? OwnerName,
    Guid? PoolTeamId,
    int Version,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static readonly Expression<Func<Customer, CustomerDto>> Projection = c => new CustomerDto(
        c.Id, c.Name, c.Industry, c.Region, c.Phone, c.Website, c.Address, c.SourceChannel, c.Notes,
        c.OwnerId, c.Owner != null ? c.Owner.DisplayName : null, c.PoolTeamId, c.Version,
        DateTime.SpecifyKind(c.CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(c.UpdatedAt, DateTimeKind.Utc));
}

/// <summary>The editable fields of a customer, shared by create and update.</summary>
public interface ICustomerFields
{
    string Name { get; }
    string? Industry { get; }
    string? Region { get; }
    string? Phone { get; }
    string? Website { get; }
    string? Address { get; }
    string? SourceChannel { get; }
    string? Notes { get; }
}
