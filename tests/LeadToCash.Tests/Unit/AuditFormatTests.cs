using System.Globalization;
using LeadToCash.Platform.Data;

namespace LeadToCash.Tests.Unit;

public sealed class AuditFormatTests
{
    [Fact]
    public void Format_Null_IsNull()
    {
        Assert.Null(AuditInterceptor.Format(null));
    }

    [Fact]
    public void Format_DateTime_IsRoundTripIso()
    {
        Assert.Equal("2026-11-25T01:02:03.0000000Z", AuditInterceptor.Format(new DateTime(2026, 11, 25, 1, 2, 3, DateTimeKind.Utc)));
    }

    [Fact]
    public void Format_DateOnly_IsIsoDate()
    {
        Assert.Equal("2026-10-01", AuditInterceptor.Format(new DateOnly(2026, 10, 1)));
    }

    [Fact]
    public void Format_NumbersUnderAGermanCulture_UseInvariantFormat()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            Assert.Equal("1234.5", AuditInterceptor.Format(1234.5m));
            Assert.Equal("0.25", AuditInterceptor.Format(0.25d));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Format_EnumsBooleansGuidsAndText_AreReadable()
    {
        var id = Guid.Parse("01937b2e-0000-7000-8000-000000000001");

        Assert.Equal("Edit", AuditInterceptor.Format(CollaboratorAccess.Edit));
        Assert.Equal("True", AuditInterceptor.Format(true));
        Assert.Equal("01937b2e-0000-7000-8000-000000000001", AuditInterceptor.Format(id));
        Assert.Equal("上海", AuditInterceptor.Format("上海"));
    }
}
