namespace LeadToCash.Platform.Import;

public enum ImportStatus
{
    Pending = 0,
    Running = 1,
    Completed = 2,
    Failed = 3,
}

/// <summary>One run of a spreadsheet import: the uploaded file, the column mapping, progress and the summary.</summary>
public sealed class ImportJob
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>What the rows become, e.g. "lead".</summary>
    public required string RecordType { get; set; }
    public required string FileName { get; set; }

    /// <summary>SHA-256 of the file: with the row number, the key that makes a re-run skip created rows.</summary>
    public required string FileHash { get; set; }

    /// <summary>Where the upload is kept under the data directory while the import needs it.</summary>
    public required string StoredPath { get; set; }
    public string MappingJson { get; set; } = "{}";
    public ImportStatus Status { get; set; }
    public int TotalRows { get; set; }
    public int ProcessedRows { get; set; }
    public int CreatedRows { get; set; }
    public int DuplicateRows { get; set; }
    public int RejectedRows { get; set; }
    public string? RejectedFilePath { get; set; }
    public string? Error { get; set; }
    public Guid StartedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}
