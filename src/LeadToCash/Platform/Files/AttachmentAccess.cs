using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;

namespace LeadToCash.Platform.Files;

/// <summary>
/// Answers, for one record type, whether a user may see a record's files. Each module that takes attachments
/// registers one (services.AddSingleton&lt;IAttachmentParent, ...&gt;), so a file is visible exactly when its record is.
/// </summary>
public interface IAttachmentParent
{
    string RecordType { get; }

    /// <summary>Whether the record is visible to the user the context is scoped to.</summary>
    Task<bool> IsVisibleAsync(AppDbContext db, CurrentUser user, Guid recordId, CancellationToken ct);
}

/// <summary>An attachment as the API and the pages list it.</summary>
public sealed record AttachmentDto(Guid Id, string FileName, string ContentType, long SizeBytes, DateTime CreatedAt, Guid? CreatedBy)
{
    public string Url => $"/api/v1/attachments/{Id}";

    public bool IsImage => FileTypes.IsImage(ContentType);

    public static AttachmentDto From(Attachment a) =>
        new(a.Id, a.FileName, a.ContentType, a.SizeBytes, DateTime.SpecifyKind(a.CreatedAt, DateTimeKind.Utc), a.CreatedBy);
}
