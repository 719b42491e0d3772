using LeadToCash.Platform.Auth;
using Microsoft.Extensions.Time.Testing;

namespace LeadToCash.Tests.Unit;

public sealed class AccessCacheTests
{
    private static readonly CachedToken Session = new(Guid.NewGuid(), "ltc_s_1234", Guid.NewGuid(), "rep@demo.test", null, null);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero));
    private readonly AccessCache _cache;

    public AccessCacheTests() => _cache = new AccessCache(_clock);

    [Fact]
    public void Token_PutAtTheCurrentGeneration_IsFound()
    {
        _cache.PutToken("hash", Session, _cache.Generation);

        Assert.Same(Session, _cache.Token("hash"));
        Assert.Null(_cache.Token("other"));
    }

    [Fact]
    public void Token_AfterInvalidate_IsGone()
    {
        _cache.PutToken("hash", Session, _cache.Generation);

        _cache.Invalidate();

        Assert.Null(_cache.Token("hash"));
    }

    [Fact]
    public void Token_ReadBeforeAnInvalidateButPutAfterIt_IsNotServed()
    {
        // A request read the token, then a save changed access, then the request stored what it had read.
        var generation = _cache.Generation;
        _cache.Invalidate();

        _cache.PutToken("hash", Session, generation);

        Assert.Null(_cache.Token("hash"));
    }

    [Fact]
    public void Token_OlderThanTheLifetime_IsGone()
    {
        _cache.PutToken("hash", Session, _cache.Generation);

        _clock.Advance(AccessCache.Lifetime - TimeSpan.FromMilliseconds(1));
        Assert.NotNull(_cache.Token("hash"));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(_cache.Token("hash"));
    }

    [Fact]
    public void TokenUsed_CachedEntry_LearnsTheTimeAndKeepsItsAge()
    {
        var used = new DateTime(2026, 11, 25, 1, 5, 0, DateTimeKind.Utc);
        _cache.PutToken("hash", Session, _cache.Generation);

        _clock.Advance(AccessCache.Lifetime / 2);
        _cache.TokenUsed("hash", used);

        Assert.Equal(used, _cache.Token("hash")!.LastUsedAt);
        _clock.Advance(AccessCache.Lifetime / 2);
        Assert.Null(_cache.Token("hash"));
    }

    [Fact]
    public void TokenUsed_AfterInvalidate_DoesNotBringTheEntryBack()
    {
        // A request read the token, a save revoked it, then the request recorded the token's use.
        _cache.PutToken("hash", Session, _cache.Generation);
        _cache.Invalidate();

        _cache.TokenUsed("hash", new DateTime(2026, 11, 25, 1, 5, 0, DateTimeKind.Utc));

        Assert.Null(_cache.Token("hash"));
    }
}
