using System.Globalization;

namespace LeadToCash.Platform.Money;

/// <summary>
/// An amount in integer minor units (分, cents) of an ISO 4217 currency (docs/adr/0004). Arithmetic goes through
/// <see cref="decimal"/> and rounds half away from zero to the minor unit.
/// </summary>
public readonly record struct Money(long Minor, string Currency)
{
    private static readonly Dictionary<string, (int Digits, string Symbol)> Currencies = new(StringComparer.Ordinal)
    {
        ["CNY"] = (2, "¥"),
        ["USD"] = (2, "$"),
        ["EUR"] = (2, "€"),
        ["HKD"] = (2, "HK$"),
        ["GBP"] = (2, "£"),
        ["SGD"] = (2, "S$"),
        ["JPY"] = (0, "¥"),
    };

    public static IReadOnlyCollection<string> KnownCurrencies => Currencies.Keys;

    public static int MinorDigits(string currency) =>
        Currencies.TryGetValue(currency, out var c) ? c.Digits : throw new ArgumentException($"Unknown currency '{currency}'.", nameof(currency));

    public static Money FromDecimal(decimal amount, string currency)
    {
        var factor = Factor(currency);
        return new Money((long)Math.Round(amount * factor, 0, MidpointRounding.AwayFromZero), currency);
    }

    public decimal ToDecimal() => Minor / (decimal)Factor(Currency);

    /// <summary>This amount times a factor (a percentage, a quantity), rounded to the minor unit.</summary>
    public Money Times(decimal factor) =>
        new((long)Math.Round(Minor * factor, 0, MidpointRounding.AwayFromZero), Currency);

    public static Money operator +(Money a, Money b) => new(checked(a.Minor + b.Minor), SameCurrency(a, b));

    public static Money operator -(Money a, Money b) => new(checked(a.Minor - b.Minor), SameCurrency(a, b));

    /// <summary>Formats with the currency symbol and the culture's digit grouping, e.g. ¥1,234.50.</summary>
    public string Format(CultureInfo culture)
    {
        var digits = MinorDigits(Currency);
        var symbol = Currencies[Currency].Symbol;
        var number = Math.Abs(ToDecimal()).ToString("N" + digits.ToString(CultureInfo.InvariantCulture), culture);
        return (Minor < 0 ? "-" : "") + symbol + number;
    }

    public override string ToString() => Format(CultureInfo.InvariantCulture);

    private static long Factor(string currency) => MinorDigits(currency) switch
    {
        0 => 1,
        2 => 100,
        var d => (long)Math.Pow(10, d),
    };

    private static string SameCurrency(Money a, Money b) =>
        a.Currency == b.Currency ? a.Currency : throw new InvalidOperationException($"Cannot combine {a.Currency} and {b.Currency}.");
}
