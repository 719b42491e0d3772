namespace LeadToCash.Platform.Data;

/// <summary>Anything whose changes are written to the field-level change history.</summary>
public interface IAudited
{
    Guid Id { get; }
}

/// <summary>
/// The columns every business record carries: identity, who/when, an app-managed version for optimistic
/// concurrency and soft delete. The <see cref="AuditInterceptor"/> fills them; handlers never set them.
/// </summary>
public abstract class BusinessRecord : IAudited
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public DateTime CreatedAt { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
    public Guid? UpdatedBy { get; set; }
    public int Version { get; set; }
    public bool IsDeleted { get; set; }
    public DateTime? DeletedAt { get; set; }
    public Guid? DeletedBy { get; set; }
}

/// <summary>
/// A record that belongs to someone: an owner, or no owner and the pool (公海) of a team.
/// Every query on such a record passes through the "Scope" query filter of <see cref="AppDbContext"/>.
/// </summary>
public interface IScopedRecord
{
    Guid Id { get; }
    Guid? OwnerId { get; }
    Guid? PoolTeamId { get; }
}

public enum CollaboratorAccess
{
    Read = 0,
    Edit = 1,
}

/// <summary>A user a scoped record is shared with (read or edit), whoever owns it.</summary>
public sealed class Collaborator
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string RecordType { get; set; }
    public Guid RecordId { get; set; }
    public Guid UserId { get; set; }
    public CollaboratorAccess Access { get; set; }
    public DateTime AddedAt { get; set; }
}
