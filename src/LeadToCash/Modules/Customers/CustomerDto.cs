using System.Linq.Expressions;

namespace LeadToCash.Modules.Customers;

/// <summary>
/// A customer as the API and the pages show it. <see cref="CanChange"/> is answered by GET /customers/{id} only:
/// whether the caller may change (edit, delete) it; the permissions customers.edit/delete are checked apart.
/// <see cref="Tags"/> are the free tags people typed, <see cref="SystemTags"/> the ones derived from the facts
/// (see <see cref="CustomerTags"/>); <see cref="ParentName"/> is null when the parent company is not visible to the caller.
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
    bool? CanChange = null,
    string? Size = null,
    CustomerGrade Grade = CustomerGrade.C,
    LifecycleStage Stage = LifecycleStage.Prospect,
    Guid? ParentId = null,
    string? ParentName = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyList<string>? SystemTags = null,
    DateTime? OwnedSince = null,
    DateTime? LastFollowUpAt = null,
    DateTime? NextFollowUpAt = null,
    DateTime? FollowUpDueAt = null) : LeadToCash.Platform.Data.IScopedRecord
{
    /// <summary>The row's own columns; tags and the parent's name are added by <see cref="CustomerTags.CompleteAsync"/>.</summary>
    public static readonly Expression<Func<Customer, CustomerDto>> Projection = c => new CustomerDto(
        c.Id, c.Name, c.Industry, c.Region, c.Phone, c.Website, c.Address, c.SourceChannel, c.Notes,
        c.OwnerId, c.Owner != null ? c.Owner.DisplayName : null, c.PoolTeamId, c.Version,
        DateTime.SpecifyKind(c.CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(c.UpdatedAt, DateTimeKind.Utc), null,
        c.Size, c.Grade, c.Stage, c.ParentId, null, null, null,
        Utc(c.OwnedSince), Utc(c.LastFollowUpAt), Utc(c.NextFollowUpAt), Utc(c.FollowUpDueAt));

    private static DateTime? Utc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;
}

/// <summary>
/// The editable fields of a customer, shared by create and update. <see cref="Grade"/> and <see cref="Stage"/> null
/// keep the current value (C and Prospect for a new customer); <see cref="Tags"/> null keeps the free tags, a list
/// replaces them.
/// </summary>
public interface ICustomerFields
{
    string Name { get; }
    string? Industry { get; }
    string? Size { get; }
    string? Region { get; }
    string? Phone { get; }
    string? Website { get; }
    string? Address { get; }
    string? SourceChannel { get; }
    string? Notes { get; }
    CustomerGrade? Grade { get; }
    LifecycleStage? Stage { get; }
    Guid? ParentId { get; }
    IReadOnlyList<string>? Tags { get; }
}
