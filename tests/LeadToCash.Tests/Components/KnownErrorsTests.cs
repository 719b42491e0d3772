using System.Globalization;
using LeadToCash.Components.Shared;
using LeadToCash.Platform.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Tests.Components;

public sealed class KnownErrorsTests
{
    private static readonly IStringLocalizer<SharedResource> Strings = new ServiceCollection()
        .AddLogging()
        .AddLocalization()
        .BuildServiceProvider()
        .GetRequiredService<IStringLocalizer<SharedResource>>();

    [Fact]
    public void Localize_TeamCycleInChinese_ReturnsChineseText()
    {
        using var culture = new UiCulture("zh-CN");

        var text = KnownErrors.Localize(Strings, "A team cannot be placed under itself or one of its own sub-teams.");

        Assert.Equal("团队不能放在自己或自己的下级团队之下。", text);
    }

    [Fact]
    public void Localize_ImportRowInChinese_FillsRowAndValue()
    {
        using var culture = new UiCulture("zh-CN");

        var text = KnownErrors.Localize(Strings, "Row 7: '2027-13-01' is not a date (yyyy-MM-dd).");

        Assert.Equal("第 7 行：“2027-13-01”不是有效日期（请使用 yyyy-MM-dd）。", text);
    }

    [Fact]
    public void Localize_CodeTakenInEnglish_KeepsTheCode()
    {
        using var culture = new UiCulture("en-US");

        var text = KnownErrors.Localize(Strings, "The list already has the code 'trade-show'.");

        Assert.Equal("The list already has the code 'trade-show'.", text);
    }

    [Fact]
    public void Localize_UnknownMessage_ReturnedAsWritten()
    {
        using var culture = new UiCulture("zh-CN");

        Assert.Equal("Something new went wrong.", KnownErrors.Localize(Strings, "Something new went wrong."));
    }

    [Theory]
    [InlineData("Only the company has no parent team; choose a parent.")]
    [InlineData("The company stays at the top of the tree; other teams need a parent.")]
    [InlineData("The parent team does not exist.")]
    [InlineData("The head must be an active user.")]
    [InlineData("A user with this e-mail already exists.")]
    [InlineData("You cannot take the Admin role away from yourself.")]
    [InlineData("The team does not exist.")]
    [InlineData("You cannot deactivate yourself.")]
    [InlineData("An erased user cannot be reactivated.")]
    [InlineData("You cannot erase your own account; ask another Admin.")]
    [InlineData("This person's data has already been erased.")]
    [InlineData("The code uses lower-case letters, digits, + and -.")]
    [InlineData("The code of an option cannot change; add a new option instead.")]
    [InlineData("Row 3: the name is empty.")]
    [InlineData("The file has no rows.")]
    [InlineData("Upload a .csv or .xlsx file.")]
    [InlineData("The file could not be read as .xlsx: bad zip")]
    [InlineData("The working day must end after it starts.")]
    [InlineData("The percentages add up to 90%, not 100%.")]
    [InlineData("The instalments add up to 9999 minor units; the contract amount is 10000 (short by 1).")]
    [InlineData("Instalment 1 (预付款) has received money; it cannot be removed from the plan.")]
    [InlineData("Instalment 2 (到货款) has received money; its amount and due date cannot change.")]
    [InlineData("Only a signed contract gets a payment plan; this one is Draft.")]
    [InlineData("Receipts are recorded for signed contracts; this one is Draft.")]
    [InlineData("The allocation is more than the instalment still lacks (3000 minor units).")]
    [InlineData("The allocations add up to more than the receipt (600 > 500 minor units).")]
    [InlineData("An invoice numbered FP-001 is already recorded.")]
    [InlineData("The invoices would add up to 10001 minor units, more than the contract amount 10000.")]
    public void Localize_EveryKnownMessage_HasAChineseText(string message)
    {
        using var culture = new UiCulture("zh-CN");

        var text = KnownErrors.Localize(Strings, message);

        Assert.NotEqual(message, text);
        Assert.Contains(text, c => c >= '\u4e00' && c <= '\u9fff');
    }

    /// <summary>Sets the UI language for one test and puts the previous one back.</summary>
    private sealed class UiCulture : IDisposable
    {
        private readonly CultureInfo _previous = CultureInfo.CurrentUICulture;

        public UiCulture(string name) => CultureInfo.CurrentUICulture = new CultureInfo(name);

        public void Dispose() => CultureInfo.CurrentUICulture = _previous;
    }
}
