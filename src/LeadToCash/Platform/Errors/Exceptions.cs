namespace LeadToCash.Platform.Errors;

/// <summary>Unknown id, or a record outside the caller's scope: the two answer the same (404).</summary>
public sealed class NotFoundException(string what) : Exception($"{what} was not found.");

/// <summary>The caller can see the record but may not do this to it (403).</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>A business rule or a stale version refused the command (409).</summary>
public sealed class ConflictException(string message) : Exception(message);

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
