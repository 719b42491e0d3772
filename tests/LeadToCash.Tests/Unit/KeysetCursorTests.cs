using System.Text;
using FluentValidation;
using LeadToCash.Platform.Api;
using Microsoft.AspNetCore.WebUtilities;

namespace LeadToCash.Tests.Unit;

public sealed class KeysetCursorTests
{
    [Fact]
    public void DecodeCursor_StringKey_RoundTrips()
    {
        var id = Guid.CreateVersion7();

        var (key, decodedId) = Keyset.DecodeCursor(Keyset.EncodeCursor("上海华信软件有限公司", id), typeof(string));

        Assert.Equal("上海华信软件有限公司", key);
        Assert.Equal(id, decodedId);
    }

    [Theory]
    [InlineData(DateTimeKind.Utc)]
    [InlineData(DateTimeKind.Unspecified)]
    public void DecodeCursor_DateTimeKey_RoundTripsToTheTickAndKind(DateTimeKind kind)
    {
        var at = new DateTime(2026, 11, 25, 1, 2, 3, kind).AddTicks(4567);
        var id = Guid.CreateVersion7();

        var (key, decodedId) = Keyset.DecodeCursor(Keyset.EncodeCursor(at, id), typeof(DateTime));

        var decoded = Assert.IsType<DateTime>(key);
        Assert.Equal(at, decoded);
        Assert.Equal(kind, decoded.Kind);
        Assert.Equal(id, decodedId);
    }

    [Fact]
    public void DecodeCursor_NullKey_RoundTrips()
    {
        var id = Guid.CreateVersion7();

        var (key, decodedId) = Keyset.DecodeCursor(Keyset.EncodeCursor(null, id), typeof(DateTime?));

        Assert.Null(key);
        Assert.Equal(id, decodedId);
    }

    [Fact]
    public void DecodeCursor_NumberAndGuidKeys_RoundTrip()
    {
        var id = Guid.CreateVersion7();
        var other = Guid.CreateVersion7();

        Assert.Equal(12345L, Keyset.DecodeCursor(Keyset.EncodeCursor(12345L, id), typeof(long)).Key);
        Assert.Equal(other, Keyset.DecodeCursor(Keyset.EncodeCursor(other, id), typeof(Guid)).Key);
    }

    [Theory]
    [InlineData("garbage!!")]
    [InlineData("")]
    [InlineData("bm90IGpzb24")]
    public void DecodeCursor_Garbage_ThrowsValidationExceptionNamingCursor(string cursor)
    {
        var e = Assert.Throws<ValidationException>(() => Keyset.DecodeCursor(cursor, typeof(string)));

        Assert.Equal("cursor", Assert.Single(e.Errors).PropertyName);
    }

    [Fact]
    public void DecodeCursor_WellFormedButWrongShape_ThrowsValidationException()
    {
        var threeParts = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes("""["a","b","c"]"""));
        var badId = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes("""["a","not-a-guid"]"""));

        Assert.Throws<ValidationException>(() => Keyset.DecodeCursor(threeParts, typeof(string)));
        Assert.Throws<ValidationException>(() => Keyset.DecodeCursor(badId, typeof(string)));
    }

    [Fact]
    public void DecodeCursor_CursorOfAnotherSort_ThrowsValidationException()
    {
        var byName = Keyset.EncodeCursor("Some name", Guid.CreateVersion7());

        Assert.Throws<ValidationException>(() => Keyset.DecodeCursor(byName, typeof(DateTime)));
    }
}
