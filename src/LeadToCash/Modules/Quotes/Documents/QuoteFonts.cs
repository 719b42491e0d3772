using System.Buffers.Binary;
using PdfSharp.Fonts;

namespace LeadToCash.Modules.Quotes.Documents;

/// <summary>
/// The one font of quote PDFs: a Chinese font with TrueType outlines (PDFsharp embeds TrueType only, not the CFF outlines
/// of Noto CJK), so that Chinese text is real text, not boxes. Debian's fonts-wqy-zenhei by default (a TrueType
/// collection: its first face); another file can be named in the configuration (Pdf:FontFile).
/// </summary>
public sealed class QuoteFontResolver : IFontResolver
{
    public const string Family = "LeadToCashQuote";

    private static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
        "/usr/share/fonts/truetype/wqy-zenhei/wqy-zenhei.ttc",
        "/usr/local/share/fonts/wqy-zenhei.ttc",
    ];

    private static readonly Lock Gate = new();
    private readonly byte[] _font;

    private QuoteFontResolver(byte[] font) => _font = font;

    /// <summary>Installs the resolver once per process (PDFsharp's font settings are global).</summary>
    public static void EnsureInstalled(string? configuredFile)
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is QuoteFontResolver)
            {
                return;
            }

            var file = (string.IsNullOrWhiteSpace(configuredFile) ? null : configuredFile) ?? Candidates.FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("Quote PDFs need a Chinese TrueType font: install Debian's fonts-wqy-zenhei " +
                    "(apt-get install fonts-wqy-zenhei) or name a .ttf/.ttc file in the setting Pdf:FontFile.");
            GlobalFontSettings.FontResolver = new QuoteFontResolver(FirstFace(File.ReadAllBytes(file)));
        }
    }

    /// <summary>
    /// A TrueType collection (.ttc, tag "ttcf") as the single font file of its first face (PDFsharp reads single fonts): its
    /// table directory with the tables copied after it, offsets renumbered, each table padded to 4 bytes. A .ttf passes as is.
    /// </summary>
    internal static byte[] FirstFace(byte[] font)
    {
        if (font.Length < 12 || font[0] != 't' || font[1] != 't' || font[2] != 'c' || font[3] != 'f')
        {
            return font;
        }

        var face = (int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(12));
        var tables = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(face + 4));
        var headerLength = 12 + (16 * tables);
        var records = new List<(int Record, int Offset, int Length)>(tables);
        var size = headerLength;
        for (var i = 0; i < tables; i++)
        {
            var record = face + 12 + (16 * i);
            var offset = (int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(record + 8));
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(record + 12));
            records.Add((record, offset, length));
            size += (length + 3) & ~3;
        }

        var result = new byte[size];
        font.AsSpan(face, 12).CopyTo(result);
        var position = headerLength;
        for (var i = 0; i < records.Count; i++)
        {
            var (record, offset, length) = records[i];
            var target = result.AsSpan(12 + (16 * i), 16);
            font.AsSpan(record, 16).CopyTo(target);
            BinaryPrimitives.WriteUInt32BigEndian(target[8..], (uint)position);
            font.AsSpan(offset, length).CopyTo(result.AsSpan(position));
            position += (length + 3) & ~3;
        }

        return result;
    }

    // Every family and style resolves to the one face (the first face of a collection); bold is simulated.
    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(Family, bold, italic);

    public byte[]? GetFont(string faceName) => _font;
}
