using System.Globalization;
using LeadToCash.Platform.Money;

namespace LeadToCash.Tests.Unit;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("0.005", 1)]
    [InlineData("0.004", 0)]
    [InlineData("-0.005", -1)]
    [InlineData("1234.565", 123457)]
    public void FromDecimal_HalfCent_RoundsAwayFromZero(string amount, long expectedMinor)
    {
        var money = Money.FromDecimal(decimal.Parse(amount, CultureInfo.InvariantCulture), "CNY");

        Assert.Equal(expectedMinor, money.Minor);
    }

    [Fact]
    public void Times_ThirtySixtyTenPercent_AddsUpToTheWhole()
    {
        var contract = Money.FromDecimal(100_000.01m, "CNY");

        var parts = new[] { contract.Times(0.3m), contract.Times(0.6m) };
        var last = contract - parts[0] - parts[1];

        Assert.Equal(contract.Minor, parts[0].Minor + parts[1].Minor + last.Minor);
        Assert.Equal(3_000_000, parts[0].Minor);
    }

    [Fact]
    public void Add_DifferentCurrencies_Throws() =>
        Assert.Throws<InvalidOperationException>(() => Money.FromDecimal(1, "CNY") + Money.FromDecimal(1, "USD"));

    [Theory]
    [InlineData("zh-CN", "¥1,234,567.89")]
    [InlineData("en-US", "¥1,234,567.89")]
    [InlineData("de-DE", "¥1.234.567,89")]
    public void Format_Culture_GroupsDigitsPerCulture(string culture, string expected) =>
        Assert.Equal(expected, new Money(123_456_789, "CNY").Format(new CultureInfo(culture)));

    [Fact]
    public void Format_Yen_HasNoMinorDigits() =>
        Assert.Equal("¥1,500", Money.FromDecimal(1500, "JPY").Format(CultureInfo.InvariantCulture));

    [Fact]
    public void Format_Negative_PutsSignBeforeSymbol() =>
        Assert.Equal("-$12.30", new Money(-1230, "USD").Format(CultureInfo.InvariantCulture));
}
