using System.Linq.Expressions;

namespace LeadToCash.Modules.Customers;

/// <summary>
/// A customer as the API and the pages show it. <see cref="CanChange"/> is answered by GET /customers/{id} only:
/// whether the caller may change (edit, delete) it; the permissions customers.edit/delete are checked apart.
/// </summary>
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
    DateTime UpdatedAt,
    bool? CanChange = null) : LeadToCash.Platform.Data.IScopedRecord
{
    public static readonly Expression<Func<Customer, CustomerDto>> Projection = c => new CustomerDto(
        c.Id, c.Name, c.Industry, c.Region, c.Phone, c.Website, c.Address, c.SourceChannel, c.Notes,
        c.OwnerId, c.Owner != null ? c.Owner.DisplayName : null, c.PoolTeamId, c.Version,
        DateTime.SpecifyKind(c.CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(c.UpdatedAt, DateTimeKind.Utc), null);
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
