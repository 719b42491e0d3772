using System.Globalization;
using LeadToCash.Modules.Receivables;

namespace LeadToCash.Components.Pages.Receivables;

/// <summary>Money and states of receivables as the pages show them (formats of the user's culture).</summary>
public static class ReceivablesDisplay
{
    public static string Amount(long minor, string currency) => new Platform.Money.Money(minor, currency).Format(CultureInfo.CurrentCulture);

    /// <summary>An amount the user typed (major units, e.g. 1234.56) in minor units, rounded half away from zero.</summary>
    public static long Minor(decimal amount, string currency) => Platform.Money.Money.FromDecimal(amount, currency).Minor;

    public static decimal Major(long minor, string currency) => new Platform.Money.Money(minor, currency).ToDecimal();

    public static MudBlazor.Color Color(InstalmentState state) => state switch
    {
        InstalmentState.Paid => MudBlazor.Color.Success,
        InstalmentState.Overdue => MudBlazor.Color.Error,
        InstalmentState.PartlyPaid => MudBlazor.Color.Info,
        _ => MudBlazor.Color.Default,
    };

    public static DateOnly? Date(DateTime? value) => value is { } v ? DateOnly.FromDateTime(v) : null;

    public static DateTime? Picker(DateOnly? value) => value?.ToDateTime(TimeOnly.MinValue);
}
