using LeadToCash.Platform.Data;

namespace LeadToCash.Platform.Files;

/// <summary>
/// A file attached to a record (a follow-up's photo, a task's evidence, later a signed contract). The bytes live
/// outside the database in the file store, under <see cref="StorageKey"/>; this row says what and whose they are.
/// </summary>
public sealed class Attachment : BusinessRecord
{
    public required string RecordType { get; set; }
    public Guid RecordId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long SizeBytes { get; set; }

    /// <summary>The file's path inside the store, e.g. 2026/11/0193….jpg; never derived from the user's file name.</summary>
    public required string StorageKey { get; set; }

    /// <summary>SHA-256 of the content, hex.</summary>
    public required string Sha256 { get; set; }
}
