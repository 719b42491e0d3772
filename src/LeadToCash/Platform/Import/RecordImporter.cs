using LeadToCash.Platform.Auth;

namespace LeadToCash.Platform.Import;

/// <summary>What became of one row.</summary>
public enum RowOutcome
{
    /// <summary>Valid; in a preview, it would be created.</summary>
    Ready = 0,
    Created = 1,

    /// <summary>Matches an existing record or an earlier row and was not created (the company blocks duplicates).</summary>
    Duplicate = 2,
    Rejected = 3,

    /// <summary>Created from this file and row by an earlier run: skipped.</summary>
    AlreadyImported = 4,
    Blank = 5,
}

/// <summary>
/// A row's result. <paramref name="DuplicateOf"/> names the matching record or row (created rows are still marked);
/// <paramref name="Message"/> says why a row was rejected, or what was noted about it (values kept in the notes).
/// </summary>
public sealed record RowResult(int Row, RowOutcome Outcome, string? Message = null, string? DuplicateOf = null,
    bool Incomplete = false, bool ImportedByThisJob = false);

/// <summary>A row with its mapped values: field key → text (repeatable fields already joined).</summary>
public sealed record MappedRow(int Number, IReadOnlyDictionary<string, string> Values)
{
    private static readonly Dictionary<string, string> NoTargets = new(StringComparer.Ordinal);

    public string? this[string field] => Values.TryGetValue(field, out var value) ? value : null;

    /// <summary>The target keys the row's value-mapped fields resolved to (field → key), see <see cref="IValueTargets"/>.</summary>
    public IReadOnlyDictionary<string, string> Targets { get; init; } = NoTargets;

    /// <summary>The key of the record a value-mapped field's value stands for; null when the row leaves the field empty.</summary>
    public string? Target(string field) => Targets.TryGetValue(field, out var key) ? key : null;
}

/// <summary>The choices of an import run, kept with the job (ImportJob.MappingJson).</summary>
public sealed record ImportSettings
{
    public SpreadsheetFormat Format { get; init; }
    public string? Encoding { get; init; }

    /// <summary>The row that holds the column headers (1-based); data starts below it.</summary>
    public int HeaderRow { get; init; } = 1;

    /// <summary>One field key per column, null where the column is ignored.</summary>
    public IReadOnlyList<string?> Columns { get; init; } = [];
    public string? SourceChannel { get; init; }
    public Guid? TeamId { get; init; }
    public bool AssignToMe { get; init; }

    /// <summary>The language the messages of the run (rejection reasons, notes) are written in.</summary>
    public string Culture { get; init; } = "zh-CN";

    /// <summary>Choices of the record kind's own (e.g. "pipeline" → its id), checked by the importer.</summary>
    public IReadOnlyDictionary<string, string>? Options { get; init; }

    /// <summary>
    /// The user's value choices that differ from the suggestions: field → file value → target key (null: its rows are
    /// rejected). Every other value of a value-mapped field takes its suggestion (see <see cref="ValueMaps"/>).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>? Values { get; init; }

    public string? Option(string key) => Options is not null && Options.TryGetValue(key, out var value) ? value : null;
}

/// <summary>
/// What a kind of record contributes to the spreadsheet import pipeline (<see cref="SpreadsheetImports"/>): its fields,
/// the checks of a run's choices, and the writer that validates, de-duplicates and saves rows in batches.
/// Leads are the first; customers and contacts plug in the same way.
/// </summary>
public interface IRecordImporter
{
    string RecordType { get; }

    /// <summary>The permission a user needs to import this kind of record.</summary>
    string Permission { get; }
    IReadOnlyList<ImportField> Fields { get; }

    /// <summary>Checks the mapping has what a record needs; refuses with a validation error naming "columns".</summary>
    void EnsureMappingUsable(IReadOnlyCollection<string> mappedFields);

    /// <summary>Checks and completes the run's choices for this user (defaults, allowed teams); throws ValidationException.</summary>
    Task<ImportSettings> CompleteSettingsAsync(CurrentUser user, ImportSettings settings, CancellationToken ct);

    Task<IImportBatchWriter> OpenAsync(CurrentUser user, Guid jobId, string fileHash, ImportSettings settings, CancellationToken ct);

    /// <summary>
    /// The fields whose file values stand for records of the system (a stage, a product, a person), with what they can be
    /// matched to under the run's choices. The pipeline lists each one's distinct values for the user to match, and gives
    /// the writer the chosen key (<see cref="MappedRow.Target"/>); rows with a value mapped to nothing never reach it.
    /// </summary>
    Task<IReadOnlyList<IValueTargets>> ValueTargetsAsync(CurrentUser user, ImportSettings settings, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<IValueTargets>>([]);
}

/// <summary>Validates, de-duplicates and (when committing) saves one batch of rows in one transaction.</summary>
public interface IImportBatchWriter
{
    Task<IReadOnlyList<RowResult>> ProcessAsync(IReadOnlyList<MappedRow> rows, bool commit, CancellationToken ct);

    /// <summary>
    /// After the last batch of a run: links that only the whole file can resolve (e.g. a row naming a parent company that a
    /// later row creates). Not called for previews.
    /// </summary>
    Task FinishAsync(CancellationToken ct) => Task.CompletedTask;
}
