using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace LeadToCash.Platform.Auth;

/// <summary>How many failed sign-ins one client address may make in a window (configuration section "SignIn:RateLimit").</summary>
public sealed class SignInRateLimitOptions
{
    public int PermitLimit { get; set; } = 30;
    public int WindowSeconds { get; set; } = 900;
}

/// <summary>
/// The per-client limit on password sign-in (the sign-in page and POST /api/v1/auth/token), next to the per-account
/// lockout: the lockout stops guessing one account's password, this stops one address guessing across many accounts
/// (password spraying, stuffing leaked lists). Failed attempts (wrong password, unknown e-mail, locked or deactivated
/// account) are counted per client address in a fixed window that starts at the first failure; once the limit is
/// reached, every attempt from that address is refused until the window ends, before any password is checked, and the
/// caller is told when to come back. Successful sign-ins do not reset the count (one known account must not buy more
/// guesses for the others). Behind a reverse proxy the client address is the forwarded one only when the proxy is
/// listed in ReverseProxy:KnownProxies; otherwise every user shares the proxy's address and limit.
/// Runs on the app's <see cref="TimeProvider"/>, so tests move the window on without waiting.
/// </summary>
public sealed class SignInThrottle(IOptions<SignInRateLimitOptions> options, TimeProvider clock)
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<string, Window> _clients = new(StringComparer.Ordinal);

    /// <summary>The client address of a request (after forwarded headers from known proxies are applied).</summary>
    public static string ClientOf(HttpContext? http) => http?.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>Null while the client may try to sign in; otherwise how long it must wait.</summary>
    public TimeSpan? RetryAfter(string client)
    {
        if (!_clients.TryGetValue(client, out var window))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        lock (window)
        {
            var ends = window.Start + Length;
            return window.Failures >= options.Value.PermitLimit && now < ends ? ends - now : null;
        }
    }

    public void RecordFailure(string client)
    {
        var now = clock.GetUtcNow();
        var window = _clients.GetOrAdd(client, _ => new Window(now));
        lock (window)
        {
            if (now >= window.Start + Length)
            {
                window.Start = now;
                window.Failures = 0;
            }

            window.Failures++;
        }

        if (_clients.Count > PruneAbove)
        {
            Prune(now);
        }
    }

    /// <summary>Refuses the attempt (429 with Retry-After, through the problem handler) while the client is over its limit.</summary>
    public void EnsureAllowed(string client)
    {
        if (RetryAfter(client) is { } wait)
        {
            throw new Errors.TooManyRequestsException(
                "Too many failed sign-ins from this address; try again later.", wait);
        }
    }

    private TimeSpan Length => TimeSpan.FromSeconds(options.Value.WindowSeconds);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (client, window) in _clients)
        {
            bool ended;
            lock (window)
            {
                ended = now >= window.Start + Length;
            }

            if (ended)
            {
                _clients.TryRemove(client, out _);
            }
        }
    }

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; set; } = start;
        public int Failures { get; set; }
    }
}
