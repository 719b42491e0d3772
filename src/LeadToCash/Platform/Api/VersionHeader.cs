using System.Globalization;
using FluentValidation;
using FluentValidation.Results;

namespace LeadToCash.Platform.Api;

public static class VersionHeader
{
    /// <summary>The version a change is based on: the body's <c>version</c> field, else the If-Match header.</summary>
    public static int Required(int? fromBody, HttpRequest request)
    {
        if (fromBody is { } version)
        {
            return version;
        }

        var ifMatch = request.Headers.IfMatch.ToString().Trim().Trim('"');
        if (ifMatch.StartsWith("W/", StringComparison.Ordinal))
        {
            ifMatch = ifMatch[2..].Trim('"');
        }

        if (int.TryParse(ifMatch, NumberStyles.Integer, CultureInfo.InvariantCulture, out var fromHeader))
        {
            return fromHeader;
        }

        throw new ValidationException([new ValidationFailure("version",
            "The record's version is required: send the version you last read as the 'version' field or the If-Match header.")]);
    }
}
