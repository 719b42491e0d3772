using System.Globalization;
using LeadToCash.Platform.Money;

namespace LeadToCash.Components.Pages.Quotes;

/// <summary>Amounts of quotes as the pages show them (¥1,234.50 in the reader's culture).</summary>
internal static class QuoteMoney
{
    public static string Format(long minor, string currency) =>
        Money.KnownCurrencies.Contains(currency) ? new Money(minor, currency).Format(CultureInfo.CurrentCulture) : minor.ToString(CultureInfo.CurrentCulture);

    public static decimal Major(long minor, string currency) => new Money(minor, currency).ToDecimal();

    public static long Minor(decimal major, string currency) => Money.FromDecimal(major, currency).Minor;
}
