using LeadToCash.Modules.Contracts;

namespace LeadToCash.Tests.Unit;

/// <summary>The contract number pattern: which patterns can number contracts, and what they render.</summary>
public sealed class ContractNumberingTests
{
    private static readonly DateOnly Day = new(2026, 3, 9);

    [Theory]
    [InlineData("HT-{yyyy}-{seq:4}", 1, "HT-2026-0001")]
    [InlineData("HT-{yyyy}-{seq:4}", 12345, "HT-2026-12345")]
    [InlineData("{yy}{MM}/{seq:3}", 7, "2603/007")]
    [InlineData("C{seq}", 42, "C42")]
    [InlineData("合同-{yyyy}-{seq:2}-A", 3, "合同-2026-03-A")]
    public void Format_ValidPattern_RendersTheDateAndTheRunningNumber(string pattern, int seq, string expected)
    {
        Assert.Null(ContractNumbering.Problem(pattern));
        Assert.Equal(expected, ContractNumbering.Format(pattern, Day, seq));
    }

    [Theory]
    [InlineData("")]
    [InlineData("HT-{yyyy}")]
    [InlineData("HT-{seq}-{seq}")]
    [InlineData("HT-{seq:0}")]
    [InlineData("HT-{dd}-{seq:4}")]
    [InlineData("HT {seq:4}")]
    [InlineData("HT-{yyyy}-{seq:4}-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123")]
    public void Problem_PatternThatCannotNumber_SaysWhy(string pattern) => Assert.NotNull(ContractNumbering.Problem(pattern));

    [Fact]
    public void Parts_PatternWithSuffix_SplitsAroundTheRunningNumber() =>
        Assert.Equal(("HT-2026-", 4, "-B"), ContractNumbering.Parts("HT-{yyyy}-{seq:4}-B", Day));
}
