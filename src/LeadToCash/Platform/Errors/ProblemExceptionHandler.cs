using System.Globalization;
using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Errors;

/// <summary>Turns every known failure into RFC 9457 problem+json with the status the architecture fixes.</summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = ToProblem(exception);
        if (problem is null)
        {
            return false;
        }

        if (exception is TooManyRequestsException tooMany)
        {
            httpContext.Response.Headers.RetryAfter =
                Math.Ceiling(tooMany.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        if (problem.Status == StatusCodes.Status403Forbidden)
        {
            LogDenied(logger, httpContext.Request.Path, exception.Message);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    public static ProblemDetails? ToProblem(Exception exception) => exception switch
    {
        ValidationException v => new HttpValidationProblemDetails(ErrorsByField(v))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more fields are invalid.",
        },
        NotFoundException => Problem(StatusCodes.Status404NotFound, "Not found", exception.Message),
        ForbiddenException => Problem(StatusCodes.Status403Forbidden, "Forbidden", exception.Message),
        ConflictException => Problem(StatusCodes.Status409Conflict, "Conflict", exception.Message),
        RequirementsNotMetException unmet => Unmet(unmet),
        DbUpdateConcurrencyException => Problem(StatusCodes.Status409Conflict, "Conflict",
            "The record was changed by someone else at the same time. Reload it and apply your change again."),
        TooManyRequestsException => Problem(StatusCodes.Status429TooManyRequests, "Too many requests", exception.Message),
        UnauthorizedAccessException => Problem(StatusCodes.Status401Unauthorized, "Unauthorized", "Sign in first."),
        BadHttpRequestException { InnerException: System.Text.Json.JsonException json } => new HttpValidationProblemDetails(
            new Dictionary<string, string[]> { [JsonPathField(json.Path)] = [UnknownMember(json) ? "This field is not part of this operation."
                : $"This value has the wrong type or is not valid JSON (line {json.LineNumber + 1}, position {json.BytePositionInLine + 1})."] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more fields are invalid.",
        },
        BadHttpRequestException bad => Problem(bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "Bad request", bad.Message),
        _ => null,
    };

    public static Dictionary<string, string[]> ErrorsByField(ValidationException exception) =>
        exception.Errors
            .GroupBy(e => JsonName(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());

    // "$.owner.name" -> "owner.name"; the whole body when the JSON could not be read at all.
    private static string JsonPathField(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.');

    // System.Text.Json reports a property that the target type lacks (UnmappedMemberHandling.Disallow) this way.
    private static bool UnknownMember(JsonException json) =>
        json.Message.Contains("could not be mapped", StringComparison.Ordinal);

    private static string JsonName(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));

    private static ProblemDetails Problem(int status, string title, string detail) =>
        new() { Status = status, Title = title, Detail = detail };

    private static ProblemDetails Unmet(RequirementsNotMetException unmet)
    {
        var problem = Problem(StatusCodes.Status409Conflict, "Requirements not met", unmet.Message);
        problem.Extensions["missing"] = unmet.Missing;
        return problem;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authorization denied for {Path}: {Reason}")]
    private static partial void LogDenied(ILogger logger, string path, string reason);
}
