using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using CsvHelper;
using CsvHelper.Configuration;
using FluentValidation;
using ValidationException = FluentValidation.ValidationException;
using FluentValidation.Results;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Export;
using LeadToCash.Platform.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;

namespace LeadToCash.Platform.Import;

public static class ImportFiles
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}

public sealed record ImportColumnDto(int Index, string Header, string? Field, IReadOnlyList<string> Samples);

public sealed record ImportPreviewRowDto(int Row, IReadOnlyList<string?> Cells, RowOutcome Outcome, string? Message,
    string? DuplicateOf, bool Incomplete);

/// <summary>An import job as its owner sees it: progress and summary; after upload or a preview also columns and rows.</summary>
public sealed record ImportJobDto(
    Guid Id,
    string RecordType,
    string FileName,
    ImportStatus Status,
    int TotalRows,
    int ProcessedRows,
    int CreatedRows,
    int DuplicateRows,
    int RejectedRows,
    bool HasRejectedFile,
    string? Error,
    DateTime CreatedAt,
    DateTime? FinishedAt,
    string? SourceChannel,
    Guid? TeamId,
    bool AssignToMe,
    IReadOnlyList<string> Fields,
    IReadOnlyDictionary<string, string>? Options,
    IReadOnlyList<ImportColumnDto>? Columns = null,
    IReadOnlyList<ImportPreviewRowDto>? Preview = null,
    IReadOnlyList<ImportValueFieldDto>? Values = null);

/// <summary>
/// The user's choices for a run: one field key (or null) per column, the run's defaults, the record kind's own options
/// (e.g. "pipeline") and, for value-mapped fields, what each file value stands for: field → file value → target key, or
/// null to reject the value's rows (values left out take their suggestion). Options and values omitted keep the job's.
/// </summary>
public sealed record StartImportRequest(IReadOnlyList<string?>? Columns = null, string? SourceChannel = null,
    Guid? TeamId = null, bool AssignToMe = false, IReadOnlyDictionary<string, string?>? Options = null,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>? Values = null);

/// <summary>
/// The spreadsheet import pipeline shared by every kind of record: upload (stored under the data directory, hashed,
/// format and encoding detected, headers mapped, a preview checked), start (queued for <see cref="ImportWorker"/>),
/// progress, and the file of rows that were not imported. The record's own rules come from an <see cref="IRecordImporter"/>.
/// Only the user who uploaded a file, or an Admin, sees its job.
/// </summary>
public sealed partial class SpreadsheetImports(IDbContextFactory<AppDbContext> dbFactory, StorageOptions storage, StartedImports queue,
    TimeProvider clock, IStringLocalizer<SharedResource> strings, ILogger<SpreadsheetImports> log)
{
    /// <summary>The longest choices (mapping, options, value maps) a job can keep: ImportJob.MappingJson's column length.</summary>
    public const int MaxChoicesLength = 65_536;

    public const long MaxFileBytes = 50 * 1024 * 1024;
    public const int PreviewRows = 20;
    public const int BatchSize = 1000;
    private const int ReadAhead = 2;
    private const int MaxColumns = 200;
    private const int HeaderSearchRows = 10;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Directory => Path.Combine(storage.FullPath, "imports");

    public async Task<ImportJobDto> UploadAsync(CurrentUser user, IRecordImporter importer, string fileName, Stream content,
        CancellationToken ct = default)
    {
        user.Require(importer.Permission);
        System.IO.Directory.CreateDirectory(Directory);
        var id = Guid.CreateVersion7();
        var uploadPath = Path.Combine(Directory, $"{id}.upload");
        string? storedPath = null;
        try
        {
            var hash = await SaveAsync(content, uploadPath, ct);
            var (format, encoding) = Inspect(uploadPath, fileName);
            storedPath = Path.Combine(Directory, $"{id}{(format == SpreadsheetFormat.Xlsx ? ".xlsx" : ".csv")}");
            File.Move(uploadPath, storedPath);

            var (headerRow, headers) = FindHeader(storedPath, format, encoding, importer.Fields);
            if (headers.Count > MaxColumns)
            {
                throw FileError($"The file has {headers.Count} columns; at most {MaxColumns} can be imported.");
            }

            var columns = ColumnMapping.Suggest(headers, importer.Fields);
            if (columns.All(c => c is null))
            {
                throw FileError("No column of the file matches a field: the first row should name the columns, e.g. " +
                    "公司名称 / Company, 联系人 / Contact, 手机 / Mobile, 邮箱 / Email.");
            }

            var settings = new ImportSettings
            {
                Format = format,
                Encoding = encoding,
                HeaderRow = headerRow,
                Columns = columns,
                Culture = CultureInfo.CurrentUICulture.Name,
            };
            var sample = DataRows(storedPath, settings).Take(PreviewRows).ToList();
            if (sample.Count == 0)
            {
                throw FileError("The file has column headers but no rows to import.");
            }

            settings = await importer.CompleteSettingsAsync(user, settings, ct);
            var targets = await ValueMaps.MappedTargetsAsync(importer, user, settings, ct);
            var job = new ImportJob
            {
                Id = id,
                RecordType = importer.RecordType,
                FileName = Path.GetFileName(fileName).Length > 260 ? Path.GetFileName(fileName)[..260] : Path.GetFileName(fileName),
                FileHash = hash,
                StoredPath = Path.GetRelativePath(storage.FullPath, storedPath),
                MappingJson = JsonSerializer.Serialize(settings, Json),
                Status = ImportStatus.Pending,
                StartedBy = user.Id,
                CreatedAt = clock.GetUtcNow().UtcDateTime,
            };
            var preview = await PreviewAsync(user, importer, job, settings, targets, headers, sample, ct);
            var values = await ValueMaps.DescribeAsync(targets, settings, DataRows(storedPath, settings), ct);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            db.ImportJobs.Add(job);
            await db.SaveChangesAsync(ct);
            return ToDto(job, settings, importer, Columns(headers, settings.Columns, sample), preview, values);
        }
        catch
        {
            File.Delete(uploadPath);
            if (storedPath is not null)
            {
                File.Delete(storedPath);
            }

            throw;
        }
    }

    /// <summary>The job with its columns and a preview checked under the given choices (nothing is saved).</summary>
    public async Task<ImportJobDto> PreviewAsync(CurrentUser user, IRecordImporter importer, Guid id, StartImportRequest? request,
        CancellationToken ct = default)
    {
        var job = await FindAsync(user, importer, id, ct);
        var settings = await ChoicesAsync(user, importer, job, request, requireUsable: false, ct);
        var targets = await ValueMaps.MappedTargetsAsync(importer, user, settings, ct);
        var path = StoredFile(job);
        var headers = Headers(path, settings);
        var sample = DataRows(path, settings).Take(PreviewRows).ToList();
        var preview = await PreviewAsync(user, importer, job, settings, targets, headers, sample, ct);
        var values = await ValueMaps.DescribeAsync(targets, settings, DataRows(path, settings), ct);
        return ToDto(job, settings, importer, Columns(headers, settings.Columns, sample), preview, values);
    }

    /// <summary>Queues the run. A job that failed or was interrupted can be started again: rows already created are skipped.</summary>
    public async Task<ImportJobDto> StartAsync(CurrentUser user, IRecordImporter importer, Guid id, StartImportRequest request,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await db.ImportJobs.FirstOrDefaultAsync(j => j.Id == id && j.RecordType == importer.RecordType, ct);
        if (job is null || !MaySee(user, job))
        {
            throw new NotFoundException("Import not found.");
        }

        user.Require(importer.Permission);
        if (job.Status is ImportStatus.Running or ImportStatus.Completed)
        {
            throw new ConflictException(job.Status == ImportStatus.Running
                ? "This import is already running."
                : "This import has finished; upload the file again to import it again.");
        }

        var settings = await ChoicesAsync(user, importer, job, request, requireUsable: true, ct);
        job.MappingJson = JsonSerializer.Serialize(settings, Json);
        if (job.MappingJson.Length > MaxChoicesLength)
        {
            throw new ValidationException([settings.Values is { Count: > 0 }
                ? new ValidationFailure("values", $"The value choices are too many to keep ({job.MappingJson.Length} of {MaxChoicesLength} " +
                    "characters); let more values take their suggestion, or correct the values in the file.")
                : new ValidationFailure("columns", "The column mapping is too long to keep.")]);
        }

        job.Status = ImportStatus.Running;
        job.Error = null;
        job.FinishedAt = null;
        await db.SaveChangesAsync(ct);
        await queue.EnqueueAsync(job.Id, ct);
        return ToDto(job, settings, importer);
    }

    public async Task<IReadOnlyList<ImportJobDto>> ListAsync(CurrentUser user, IRecordImporter importer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var jobs = await db.ImportJobs.AsNoTracking()
            .Where(j => j.RecordType == importer.RecordType && (j.StartedBy == user.Id || user.IsAdmin))
            .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id)
            .Take(20)
            .ToListAsync(ct);
        return [.. jobs.Select(j => ToDto(j, Settings(j), importer))];
    }

    public async Task<ImportJobDto> GetAsync(CurrentUser user, IRecordImporter importer, Guid id, CancellationToken ct = default)
    {
        var job = await FindAsync(user, importer, id, ct);
        return ToDto(job, Settings(job), importer);
    }

    /// <summary>The .xlsx of the rows that were not imported, each with the reason in the first columns.</summary>
    public async Task<(Stream Content, string FileName)> RejectedFileAsync(CurrentUser user, IRecordImporter importer, Guid id,
        CancellationToken ct = default)
    {
        var job = await FindAsync(user, importer, id, ct);
        if (job.RejectedFilePath is null || !File.Exists(Path.Combine(storage.FullPath, job.RejectedFilePath)))
        {
            throw new NotFoundException("This import has no rejected rows.");
        }

        var name = Path.GetFileNameWithoutExtension(job.FileName);
        return (File.OpenRead(Path.Combine(storage.FullPath, job.RejectedFilePath)), $"{name}-rejected.xlsx");
    }

    /// <summary>Runs a queued job to its end: counts the rows, then validates and saves them in batches.</summary>
    public async Task RunAsync(Guid id, IEnumerable<IRecordImporter> importers, CurrentUserResolver users, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await db.ImportJobs.FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job is null || job.Status != ImportStatus.Running)
        {
            return;
        }

        var rejectedTemp = Path.Combine(Directory, $"{job.Id}-rejected.csv");
        var started = clock.GetTimestamp();
        try
        {
            var importer = importers.Single(i => i.RecordType == job.RecordType);
            var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, job.StartedBy.ToString())], "import"));
            var user = await users.ResolveAsync(principal, ct);
            if (user is null || !user.Has(importer.Permission))
            {
                throw new InvalidOperationException("The user who started this import may no longer import.");
            }

            var settings = Settings(job);
            var culture = CultureInfo.GetCultureInfo(settings.Culture);
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            var path = StoredFile(job);
            var headers = Headers(path, settings);

            // An estimate from the sheet's dimension or the line count, so that the progress bar moves without reading
            // the file twice; exact when the run ends.
            job.TotalRows = Math.Max(0, SpreadsheetFile.EstimateRows(path, settings.Format) - settings.HeaderRow);
            job.ProcessedRows = job.CreatedRows = job.DuplicateRows = job.RejectedRows = 0;
            job.RejectedFilePath = null;
            await db.SaveChangesAsync(ct);

            var writer = await importer.OpenAsync(user, job.Id, job.FileHash, settings, ct);
            var valueMap = new ValueMapRun(await ValueMaps.MappedTargetsAsync(importer, user, settings, ct), settings, strings);
            var rejected = 0;
            await using (var problems = new StreamWriter(rejectedTemp, append: false, new UTF8Encoding(false)))
            await using (var csv = new CsvWriter(problems, CultureInfo.InvariantCulture))
            {
                // The next batches are read and mapped on another thread while this one is checked and saved (the two
                // take about the same time); at most ReadAhead batches wait, so memory stays flat with file size.
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var ready = Channel.CreateBounded<(SheetRow[] Rows, List<MappedRow> Mapped)>(
                    new BoundedChannelOptions(ReadAhead) { SingleReader = true, SingleWriter = true });
                var reading = Task.Run(() => ReadBatchesAsync(path, settings, headers, importer.Fields, ready.Writer, stop.Token), stop.Token);
                try
                {
                    var batchNumber = 0;
                    var readStarted = clock.GetTimestamp();
                    await foreach (var (batch, mapped) in ready.Reader.ReadAllAsync(stop.Token))
                    {
                        var processStarted = clock.GetTimestamp();
                        var results = await ProcessAsync(writer, valueMap, mapped, commit: true, ct);
                        var processed = clock.GetTimestamp();
                        for (var i = 0; i < batch.Length; i++)
                        {
                            var result = results[i];
                            switch (result.Outcome)
                            {
                                case RowOutcome.Created:
                                    job.CreatedRows++;
                                    job.DuplicateRows += result.DuplicateOf is null ? 0 : 1;
                                    break;
                                case RowOutcome.AlreadyImported when result.ImportedByThisJob:
                                    job.CreatedRows++;
                                    break;
                                case RowOutcome.AlreadyImported:
                                    job.DuplicateRows++;
                                    break;
                                case RowOutcome.Duplicate:
                                    job.DuplicateRows++;
                                    WriteProblem(csv, batch[i], result.Message ?? result.DuplicateOf ?? "");
                                    rejected++;
                                    break;
                                case RowOutcome.Rejected:
                                    job.RejectedRows++;
                                    WriteProblem(csv, batch[i], result.Message ?? "");
                                    rejected++;
                                    break;
                            }
                        }

                        job.ProcessedRows += batch.Length;
                        await db.SaveChangesAsync(ct);
                        batchNumber++;
                        if (log.IsEnabled(LogLevel.Debug))
                        {
                            double readMs = clock.GetElapsedTime(readStarted, processStarted).TotalMilliseconds,
                                processMs = clock.GetElapsedTime(processStarted, processed).TotalMilliseconds,
                                progressMs = clock.GetElapsedTime(processed).TotalMilliseconds;
                            BatchTimed(log, job.Id, batchNumber, batch.Length, readMs, processMs, progressMs);
                        }

                        readStarted = clock.GetTimestamp();
                    }

                    // The reader stops early only when the file cannot be read: its exception ends the run.
                    await reading;
                    await writer.FinishAsync(ct);
                }
                finally
                {
                    await stop.CancelAsync();
                    await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }

            if (rejected > 0)
            {
                var rejectedPath = Path.Combine(Directory, $"{job.Id}-rejected.xlsx");
                WriteRejectedWorkbook(rejectedTemp, rejectedPath, headers);
                job.RejectedFilePath = Path.GetRelativePath(storage.FullPath, rejectedPath);
            }

            job.TotalRows = job.ProcessedRows;
            job.Status = ImportStatus.Completed;
            job.FinishedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
            File.Delete(path);
            var seconds = clock.GetElapsedTime(started).TotalSeconds;
            Finished(log, job.Id, job.ProcessedRows, seconds, job.CreatedRows, job.DuplicateRows, job.RejectedRows);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the job stays Running; the next start marks it interrupted, and its owner can start it again.
            throw;
        }
        catch (Exception e)
        {
            Failed(log, e, job.Id);
            job.Status = ImportStatus.Failed;
            job.Error = e is UnreadableFileException or InvalidOperationException ? Truncate(e.Message) : Truncate("The import stopped: " + e.Message);
            job.FinishedAt = clock.GetUtcNow().UtcDateTime;
            db.ChangeTracker.Clear();
            db.ImportJobs.Update(job);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        finally
        {
            File.Delete(rejectedTemp);
        }
    }

    private static async Task ReadBatchesAsync(string path, ImportSettings settings, IReadOnlyList<string?> headers,
        IReadOnlyList<ImportField> fields, ChannelWriter<(SheetRow[] Rows, List<MappedRow> Mapped)> ready, CancellationToken ct)
    {
        try
        {
            foreach (var batch in DataRows(path, settings).Chunk(BatchSize))
            {
                await ready.WriteAsync((batch, [.. batch.Select(r => Map(r, headers, settings.Columns, fields))]), ct);
            }
        }
        finally
        {
            ready.TryComplete();
        }
    }

    /// <summary>Jobs left running by a stopped process: their owner sees them interrupted and can start them again.</summary>
    public async Task MarkInterruptedAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var running = await db.ImportJobs.Where(j => j.Status == ImportStatus.Running).ToListAsync(ct);
        foreach (var job in running)
        {
            job.Status = ImportStatus.Failed;
            job.Error = "The import was interrupted (the application restarted); start it again: rows already imported are skipped.";
        }

        await db.SaveChangesAsync(ct);
    }

    private async Task<ImportJob> FindAsync(CurrentUser user, IRecordImporter importer, Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await db.ImportJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id && j.RecordType == importer.RecordType, ct);
        return job is not null && MaySee(user, job) ? job : throw new NotFoundException("Import not found.");
    }

    private static bool MaySee(CurrentUser user, ImportJob job) => job.StartedBy == user.Id || user.IsAdmin;

    private static async Task<ImportSettings> ChoicesAsync(CurrentUser user, IRecordImporter importer, ImportJob job,
        StartImportRequest? request, bool requireUsable, CancellationToken ct)
    {
        var settings = Settings(job);
        if (request is not null)
        {
            var columns = request.Columns ?? settings.Columns;
            if (columns.Count != settings.Columns.Count)
            {
                throw new ValidationException([new ValidationFailure("columns",
                    $"The mapping has {columns.Count} entries; the file has {settings.Columns.Count} columns.")]);
            }

            var known = importer.Fields.ToDictionary(f => f.Key, StringComparer.Ordinal);
            var failures = new List<ValidationFailure>();
            foreach (var field in columns.OfType<string>().Distinct(StringComparer.Ordinal))
            {
                if (!known.TryGetValue(field, out var definition))
                {
                    failures.Add(new ValidationFailure("columns", $"'{field}' is not a field of this import."));
                }
                else if (!definition.Repeatable && columns.Count(c => c == field) > 1)
                {
                    failures.Add(new ValidationFailure("columns", $"Only one column can fill '{field}'."));
                }
            }

            if (failures.Count > 0)
            {
                throw new ValidationException(failures);
            }

            settings = settings with
            {
                Columns = [.. columns.Select(c => string.IsNullOrEmpty(c) ? null : c)],
                SourceChannel = request.SourceChannel,
                TeamId = request.TeamId,
                AssignToMe = request.AssignToMe,
                Culture = CultureInfo.CurrentUICulture.Name,
                Options = request.Options is null ? settings.Options
                    : request.Options.Where(o => !string.IsNullOrWhiteSpace(o.Value)).ToDictionary(o => o.Key, o => o.Value!.Trim(), StringComparer.Ordinal),
            };
        }

        var mapped = settings.Columns.OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (requireUsable)
        {
            if (mapped.Count == 0)
            {
                throw new ValidationException([new ValidationFailure("columns", "Map at least one column to a field.")]);
            }

            importer.EnsureMappingUsable(mapped);
        }

        settings = await importer.CompleteSettingsAsync(user, settings, ct);

        // The value choices are checked against the targets of the completed settings (e.g. the chosen pipeline's stages).
        var targets = await ValueMaps.MappedTargetsAsync(importer, user, settings, ct);
        return settings with { Values = await ValueMaps.CompactAsync(targets, request?.Values ?? settings.Values, strict: requireUsable, ct) };
    }

    private async Task<IReadOnlyList<ImportPreviewRowDto>> PreviewAsync(CurrentUser user, IRecordImporter importer, ImportJob job,
        ImportSettings settings, IReadOnlyList<IValueTargets> targets, IReadOnlyList<string?> headers, IReadOnlyList<SheetRow> sample,
        CancellationToken ct)
    {
        var writer = await importer.OpenAsync(user, job.Id, job.FileHash, settings, ct);
        var results = await ProcessAsync(writer, new ValueMapRun(targets, settings, strings),
            [.. sample.Select(r => Map(r, headers, settings.Columns, importer.Fields))], commit: false, ct);
        return [.. sample.Select((row, i) => new ImportPreviewRowDto(row.Number, row.Cells, results[i].Outcome, results[i].Message,
            results[i].DuplicateOf, results[i].Incomplete))];
    }

    /// <summary>Applies the value maps (rejecting rows with unmapped values), then lets the writer check and save the rest.</summary>
    private static async Task<IReadOnlyList<RowResult>> ProcessAsync(IImportBatchWriter writer, ValueMapRun valueMap, IReadOnlyList<MappedRow> rows,
        bool commit, CancellationToken ct)
    {
        if (valueMap.IsEmpty)
        {
            return await writer.ProcessAsync(rows, commit, ct);
        }

        var (passed, rejected) = await valueMap.ApplyAsync(rows, ct);
        var written = passed.Count == 0 ? [] : await writer.ProcessAsync(passed, commit, ct);
        return ValueMapRun.Merge(rejected, written);
    }

    private static async Task<string> SaveAsync(Stream content, string path, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total > MaxFileBytes)
                {
                    throw FileError($"The file is larger than {MaxFileBytes / 1024 / 1024} MB; split it into smaller files.");
                }

                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }

        if (total == 0)
        {
            throw FileError("The file is empty.");
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static (SpreadsheetFormat, string?) Inspect(string path, string fileName)
    {
        try
        {
            return SpreadsheetFile.Inspect(path, fileName);
        }
        catch (UnreadableFileException e)
        {
            throw FileError(e.Message);
        }
    }

    /// <summary>The header row: of the top rows, the one that names the most known fields (a title row above it is skipped).</summary>
    private static (int Row, IReadOnlyList<string?> Headers) FindHeader(string path, SpreadsheetFormat format, string? encoding,
        IReadOnlyList<ImportField> fields)
    {
        try
        {
            var top = SpreadsheetFile.Rows(path, format, encoding).Where(r => !r.IsBlank).Take(HeaderSearchRows).ToList();
            if (top.Count == 0)
            {
                throw FileError("The file is empty.");
            }

            var header = top.Select(r => (Row: r, Mapped: ColumnMapping.Suggest(r.Cells, fields).Count(c => c is not null)))
                .OrderByDescending(x => x.Mapped).ThenBy(x => x.Row.Number)
                .First().Row;
            return (header.Number, header.Cells);
        }
        catch (UnreadableFileException e)
        {
            throw FileError(e.Message);
        }
    }

    private static IReadOnlyList<string?> Headers(string path, ImportSettings settings)
    {
        var cells = SpreadsheetFile.Rows(path, settings.Format, settings.Encoding).First(r => r.Number == settings.HeaderRow).Cells;
        return [.. Enumerable.Range(0, settings.Columns.Count).Select(i => i < cells.Length ? cells[i] : null)];
    }

    /// <summary>The non-blank rows below the header row, streamed.</summary>
    private static IEnumerable<SheetRow> DataRows(string path, ImportSettings settings) =>
        SpreadsheetFile.Rows(path, settings.Format, settings.Encoding).Where(r => r.Number > settings.HeaderRow && !r.IsBlank);

    private static MappedRow Map(SheetRow row, IReadOnlyList<string?> headers, IReadOnlyList<string?> columns, IReadOnlyList<ImportField> fields)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] is not { } field || row.Cell(i) is not { } value)
            {
                continue;
            }

            var repeated = fields.FirstOrDefault(f => f.Key == field) is { Repeatable: true } && columns.Count(c => c == field) > 1;
            var text = repeated ? $"{headers[i] ?? $"#{i + 1}"}: {value}" : value;
            values[field] = values.TryGetValue(field, out var earlier) ? earlier + "\n" + text : text;
        }

        return new MappedRow(row.Number, values);
    }

    private static List<ImportColumnDto> Columns(IReadOnlyList<string?> headers, IReadOnlyList<string?> columns, IReadOnlyList<SheetRow> sample) =>
        [.. headers.Select((h, i) => new ImportColumnDto(i, h ?? "", i < columns.Count ? columns[i] : null,
            [.. sample.Select(r => r.Cell(i)).OfType<string>().Take(3)]))];

    private static void WriteProblem(CsvWriter csv, SheetRow row, string reason)
    {
        csv.WriteField(row.Number.ToString(CultureInfo.InvariantCulture));
        csv.WriteField(reason);
        foreach (var cell in row.Cells)
        {
            csv.WriteField(cell);
        }

        csv.NextRecord();
    }

    /// <summary>Turns the rejected rows (kept as CSV during the run) into an .xlsx, streaming; cells that would run as formulas are neutralised.</summary>
    private static void WriteRejectedWorkbook(string csvPath, string xlsxPath, IReadOnlyList<string?> headers)
    {
        var names = new List<string> { "Row", "Reason" };
        if (CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal))
        {
            names = ["行号", "原因"];
        }

        foreach (var (header, i) in headers.Select((h, i) => (h, i)))
        {
            var name = string.IsNullOrWhiteSpace(header) ? $"#{i + 1}" : header;
            while (names.Contains(name, StringComparer.Ordinal))
            {
                name += "'";
            }

            names.Add(name);
        }

        IEnumerable<IDictionary<string, object?>> Rows()
        {
            using var reader = new StreamReader(csvPath, Encoding.UTF8);
            using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = false, MissingFieldFound = null, BadDataFound = null });
            while (csv.Read())
            {
                var record = csv.Parser.Record ?? [];
                var row = new Dictionary<string, object?>(names.Count);
                for (var i = 0; i < names.Count; i++)
                {
                    var value = i < record.Length && record[i].Length > 0 ? record[i] : null;
                    row[names[i]] = i == 0 && int.TryParse(value, CultureInfo.InvariantCulture, out var number) ? number : ExportService.Cell(value);
                }

                yield return row;
            }
        }

        MiniExcel.SaveAs(xlsxPath, Rows(), overwriteFile: true);
    }

    private string StoredFile(ImportJob job)
    {
        var path = Path.Combine(storage.FullPath, job.StoredPath);
        return File.Exists(path) ? path : throw new ConflictException("The uploaded file is no longer kept; upload it again.");
    }

    private static ImportSettings Settings(ImportJob job) =>
        JsonSerializer.Deserialize<ImportSettings>(job.MappingJson, Json) ?? new ImportSettings();

    private static ImportJobDto ToDto(ImportJob job, ImportSettings settings, IRecordImporter importer,
        IReadOnlyList<ImportColumnDto>? columns = null, IReadOnlyList<ImportPreviewRowDto>? preview = null,
        IReadOnlyList<ImportValueFieldDto>? values = null) =>
        new(job.Id, job.RecordType, job.FileName, job.Status, job.TotalRows, job.ProcessedRows, job.CreatedRows, job.DuplicateRows,
            job.RejectedRows, job.RejectedFilePath is not null, job.Error, job.CreatedAt, job.FinishedAt, settings.SourceChannel,
            settings.TeamId, settings.AssignToMe, [.. importer.Fields.Select(f => f.Key)], settings.Options, columns, preview, values);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {JobId}: {Rows} rows in {Seconds:0.0} s, {Created} created, {Duplicates} duplicates, {Rejected} rejected")]
    private static partial void Finished(ILogger logger, Guid jobId, int rows, double seconds, int created, int duplicates, int rejected);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Import {JobId} batch {Batch}: {Rows} rows; waited for rows {ReadMs:0.0} ms, check and save {ProcessMs:0.0} ms, progress {ProgressMs:0.0} ms")]
    private static partial void BatchTimed(ILogger logger, Guid jobId, int batch, int rows, double readMs, double processMs, double progressMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Import {JobId} failed")]
    private static partial void Failed(ILogger logger, Exception exception, Guid jobId);

    private static ValidationException FileError(string message) => new([new ValidationFailure("file", message)]);

    private static string Truncate(string text) => text.Length > 2000 ? text[..2000] : text;
}
