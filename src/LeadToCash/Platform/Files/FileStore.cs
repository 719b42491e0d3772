using System.Security.Cryptography;
using FluentValidation;
using FluentValidation.Results;
using LeadToCash.Platform.Data;

namespace LeadToCash.Platform.Files;

public sealed class FileOptions
{
    /// <summary>Where attached files are kept; default: the "files" folder of the data directory.</summary>
    public string? Directory { get; set; }

    public long MaxBytes { get; set; } = 10 * 1024 * 1024;
}

/// <summary>A file as it arrives from a form or the API.</summary>
public sealed record FileUpload(string FileName, Stream Content);

/// <summary>
/// Keeps attached files outside the database. A file is accepted only when it is within the size limit and its
/// content really is one of the allowed types (the first bytes are checked; the name and the declared type are not
/// trusted). <see cref="StageAsync"/> writes the file and adds its <see cref="Attachment"/> row to the caller's
/// context; the caller saves and then commits the staged file — a staged file never committed is removed, so a
/// failed command leaves no stray file.
/// </summary>
public sealed class FileStore(StorageOptions storage, FileOptions options)
{
    public long MaxBytes => options.MaxBytes;

    public string Root { get; } = Path.GetFullPath(options.Directory ?? Path.Combine(storage.FullPath, "files"));

    public async Task<StagedFile> StageAsync(AppDbContext db, string recordType, Guid recordId, FileUpload upload,
        DateTime now, string field = "file", CancellationToken ct = default)
    {
        var fileName = Path.GetFileName(upload.FileName.Replace('\\', '/')).Trim();
        if (fileName.Length == 0 || fileName.Length > 255)
        {
            throw Invalid(field, "The file needs a name of at most 255 characters.");
        }

        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (!FileTypes.ByExtension.TryGetValue(extension, out var type))
        {
            throw Invalid(field, $"Files of type '{extension}' are not accepted; allowed: {FileTypes.AllowedList}.");
        }

        var id = Guid.CreateVersion7();
        var key = $"{now:yyyy}/{now:MM}/{id:N}{extension}";
        var path = Path.Combine(Root, key);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var staged = new StagedFile(path);
        try
        {
            var (size, head, hash) = await CopyAsync(upload.Content, path, ct);
            if (size == 0)
            {
                throw Invalid(field, "The file is empty.");
            }

            if (size > options.MaxBytes)
            {
                throw Invalid(field, $"The file is larger than {options.MaxBytes / (1024 * 1024)} MB.");
            }

            if (!type.Matches(head))
            {
                throw Invalid(field, $"The content of '{fileName}' is not a {extension} file.");
            }

            db.Attachments.Add(new Attachment
            {
                Id = id,
                RecordType = recordType,
                RecordId = recordId,
                FileName = fileName,
                ContentType = type.ContentType,
                SizeBytes = size,
                StorageKey = key,
                Sha256 = hash,
            });
            return staged;
        }
        catch
        {
            await staged.DisposeAsync();
            throw;
        }
    }

    public Stream OpenRead(Attachment attachment) =>
        new FileStream(Path.Combine(Root, attachment.StorageKey), FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);

    // Copies at most MaxBytes + 1 bytes, so an oversized upload is refused without being stored whole.
    private async Task<(long Size, byte[] Head, string Hash)> CopyAsync(Stream source, string path, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var head = new byte[16];
        var headLength = 0;
        long size = 0;
        var buffer = new byte[81920];
        await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                if (headLength < head.Length)
                {
                    var take = Math.Min(read, head.Length - headLength);
                    Array.Copy(buffer, 0, head, headLength, take);
                    headLength += take;
                }

                size += read;
                if (size > options.MaxBytes)
                {
                    break;
                }

                sha.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }

        return (size, head[..headLength], Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    private static ValidationException Invalid(string field, string message) => new([new ValidationFailure(field, message)]);
}

/// <summary>A stored file waiting for its command to succeed: <see cref="Commit"/> keeps it, disposing otherwise removes it.</summary>
public sealed class StagedFile(string path) : IAsyncDisposable
{
    private bool _committed;

    public void Commit() => _committed = true;

    public ValueTask DisposeAsync()
    {
        if (!_committed && File.Exists(path))
        {
            File.Delete(path);
        }

        return ValueTask.CompletedTask;
    }
}
