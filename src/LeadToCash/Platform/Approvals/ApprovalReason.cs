using System.Globalization;
using System.Text.Json;
using LeadToCash.Platform.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LeadToCash.Platform.Approvals;

/// <summary>
/// One reason an approval is needed, as a UI string and its arguments (e.g. "Quotes.Rule.Discount", line 2, "GTX Pro",
/// "15", "10"): stored that way so that each reader sees it in their own language, not the requester's.
/// </summary>
public sealed record ApprovalReasonPart(string Key, IReadOnlyList<string> Args);

public static class ApprovalReason
{
    private static readonly Lazy<IStringLocalizer> Strings = new(() =>
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance)
            .Create(typeof(SharedResource)));

    public static string Serialize(IReadOnlyList<ApprovalReasonPart> parts) => JsonSerializer.Serialize(parts, JsonSerializerOptions.Web);

    /// <summary>The parts in the current UI culture, joined by "; ".</summary>
    public static string Render(IReadOnlyList<ApprovalReasonPart> parts) =>
        string.Join("; ", parts.Select(p => Strings.Value[p.Key, [.. p.Args]].Value));

    /// <summary>The same text in English, kept as the request's plain reason (logs, exports, a reader without the parts).</summary>
    public static string RenderInvariant(IReadOnlyList<ApprovalReasonPart> parts)
    {
        var culture = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
            return Render(parts);
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }

    /// <summary>What the request asks, in the reader's language when it was stored as parts; its plain reason otherwise.</summary>
    public static string Text(ApprovalRequest request)
    {
        if (request.ReasonParts is not { Length: > 0 } json)
        {
            return request.Reason;
        }

        try
        {
            var parts = JsonSerializer.Deserialize<List<ApprovalReasonPart>>(json, JsonSerializerOptions.Web);
            return parts is { Count: > 0 } ? Render(parts) : request.Reason;
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return request.Reason;
        }
    }
}
