using LeadToCash.Platform.Export;

namespace LeadToCash.Tests.Unit;

public sealed class ExportServiceTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")")]
    [InlineData("+86 138 0000 0000", "'+86 138 0000 0000")]
    [InlineData("-1+2", "'-1+2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "'\rcmd")]
    public void Cell_TextAFormulaCouldStartWith_IsPrefixedWithApostrophe(string text, string expected)
    {
        Assert.Equal(expected, ExportService.Cell(text));
    }

    [Theory]
    [InlineData("上海华信软件有限公司")]
    [InlineData("a=b")]
    [InlineData("")]
    [InlineData("'already quoted")]
    public void Cell_OrdinaryText_PassesThrough(string text)
    {
        Assert.Equal(text, ExportService.Cell(text));
    }

    [Fact]
    public void Cell_NonText_PassesThroughAndDatesAreFormatted()
    {
        Assert.Null(ExportService.Cell(null));
        Assert.Equal(-5, ExportService.Cell(-5));
        Assert.Equal(true, ExportService.Cell(true));
        Assert.Equal("2026-11-25 01:02:03", ExportService.Cell(new DateTime(2026, 11, 25, 1, 2, 3, DateTimeKind.Utc)));
    }

    [Fact]
    public void FileName_Format_HasBaseTimestampAndExtension()
    {
        var at = new DateTime(2026, 11, 25, 9, 5, 0, DateTimeKind.Utc);

        Assert.Equal("customers-20261125-0905.xlsx", ExportService.FileName("customers", ExportFormat.Xlsx, at));
        Assert.Equal("customers-20261125-0905.csv", ExportService.FileName("customers", ExportFormat.Csv, at));
    }
}
