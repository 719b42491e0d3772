using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Errors;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LeadToCash.Tests.Unit;

public sealed class SignInThrottleTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero));
    private readonly SignInThrottle _throttle;

    public SignInThrottleTests() =>
        _throttle = new SignInThrottle(Options.Create(new SignInRateLimitOptions { PermitLimit = 3, WindowSeconds = 600 }), _clock);

    [Fact]
    public void RetryAfter_BelowTheLimit_IsNull()
    {
        _throttle.RecordFailure("10.0.0.1");
        _throttle.RecordFailure("10.0.0.1");

        Assert.Null(_throttle.RetryAfter("10.0.0.1"));
        _throttle.EnsureAllowed("10.0.0.1");
    }

    [Fact]
    public void RetryAfter_AtTheLimit_IsTheRestOfTheWindowFromTheFirstFailure()
    {
        _throttle.RecordFailure("10.0.0.1");
        _clock.Advance(TimeSpan.FromMinutes(2));
        _throttle.RecordFailure("10.0.0.1");
        _throttle.RecordFailure("10.0.0.1");

        Assert.Equal(TimeSpan.FromMinutes(8), _throttle.RetryAfter("10.0.0.1"));
        var refused = Assert.Throws<TooManyRequestsException>(() => _throttle.EnsureAllowed("10.0.0.1"));
        Assert.Equal(TimeSpan.FromMinutes(8), refused.RetryAfter);
    }

    [Fact]
    public void RetryAfter_OtherClient_IsNotAffected()
    {
        for (var i = 0; i < 5; i++)
        {
            _throttle.RecordFailure("10.0.0.1");
        }

        Assert.NotNull(_throttle.RetryAfter("10.0.0.1"));
        Assert.Null(_throttle.RetryAfter("10.0.0.2"));
    }

    [Fact]
    public void RetryAfter_WindowOver_CountsAfresh()
    {
        for (var i = 0; i < 3; i++)
        {
            _throttle.RecordFailure("10.0.0.1");
        }

        _clock.Advance(TimeSpan.FromMinutes(10));
        var afterWindow = _throttle.RetryAfter("10.0.0.1");
        _throttle.RecordFailure("10.0.0.1");

        Assert.Null(afterWindow);
        Assert.Null(_throttle.RetryAfter("10.0.0.1"));
    }
}
