namespace LeadToCash.Platform.Errors;

/// <summary>Unknown id, or a record outside the caller's scope: the two answer the same (404).</summary>
public sealed class NotFoundException(string what) : Exception($"{what} was not found.");

/// <summary>The caller can see the record but may not do this to it (403).</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>A business rule or a stale version refused the command (409).</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>One requirement a command found unmet: a stable code, words in the caller's language, and where it belongs.</summary>
public sealed record UnmetRequirement(string Kind, string Code, string Text, Guid? RequirementId = null, Guid? GroupId = null,
    string? Group = null);

/// <summary>
/// A business rule refused the command because requirements are unmet (409, with the list as the problem's
/// <c>missing</c> member), e.g. a stage gate of an opportunity.
/// </summary>
public sealed class RequirementsNotMetException(string message, IReadOnlyList<UnmetRequirement> missing) : Exception(message)
{
    public IReadOnlyList<UnmetRequirement> Missing { get; } = missing;
}

/// <summary>Too many attempts; try again after <see cref="RetryAfter"/> (429).</summary>
public sealed class TooManyRequestsException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

public static class Versioning
{
    /// <summary>Refuses an update sent with a version other than the stored one.</summary>
    public static void EnsureVersion(int stored, int sent)
    {
        if (stored != sent)
        {
            throw new ConflictException(
                $"The record was changed by someone else (version {stored}, you sent {sent}). Reload it and apply your change again.");
        }
    }
}
