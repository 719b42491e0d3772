namespace LeadToCash.Platform.Files;

/// <summary>One accepted kind of file: its content type and how its first bytes look.</summary>
internal sealed record FileType(string ContentType, Func<byte[], bool> Matches);

/// <summary>The files people attach to sales records: photos, PDFs, Office documents and plain text.</summary>
internal static class FileTypes
{
    private static readonly FileType Jpeg = new("image/jpeg", h => StartsWith(h, 0xFF, 0xD8, 0xFF));
    private static readonly FileType Png = new("image/png", h => StartsWith(h, 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A));
    private static readonly FileType Gif = new("image/gif", h => StartsWith(h, 0x47, 0x49, 0x46, 0x38));
    private static readonly FileType Webp = new("image/webp",
        h => StartsWith(h, 0x52, 0x49, 0x46, 0x46) && h.Length >= 12 && h[8] == 0x57 && h[9] == 0x45 && h[10] == 0x42 && h[11] == 0x50);
    private static readonly FileType Pdf = new("application/pdf", h => StartsWith(h, 0x25, 0x50, 0x44, 0x46));

    // Office Open XML files are zip archives.
    private static readonly Func<byte[], bool> Zip = h => StartsWith(h, 0x50, 0x4B, 0x03, 0x04);

    // Plain text: no NUL byte in the first bytes (UTF-8 and GB18030 text never has one).
    private static readonly Func<byte[], bool> Text = h => Array.IndexOf(h, (byte)0) < 0;

    public static readonly IReadOnlyDictionary<string, FileType> ByExtension = new Dictionary<string, FileType>(StringComparer.Ordinal)
    {
        [".jpg"] = Jpeg,
        [".jpeg"] = Jpeg,
        [".png"] = Png,
        [".gif"] = Gif,
        [".webp"] = Webp,
        [".pdf"] = Pdf,
        [".docx"] = new("application/vnd.openxmlformats-officedocument.wordprocessingml.document", Zip),
        [".xlsx"] = new("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Zip),
        [".pptx"] = new("application/vnd.openxmlformats-officedocument.presentationml.presentation", Zip),
        [".txt"] = new("text/plain", Text),
        [".csv"] = new("text/csv", Text),
    };

    public static string AllowedList => string.Join(", ", ByExtension.Keys);

    public static bool IsImage(string contentType) => contentType.StartsWith("image/", StringComparison.Ordinal);

    private static bool StartsWith(byte[] head, params byte[] signature) =>
        head.Length >= signature.Length && head.AsSpan(0, signature.Length).SequenceEqual(signature);
}
