using System.Globalization;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Platform.Localization;
using LeadToCash.Platform.Money;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LeadToCash.Components.Pages.Opportunities;

/// <summary>How the opportunity pages show amounts, statuses and durations.</summary>
internal static class OpportunityDisplay
{
    public static readonly DialogOptions DialogOptions = new()
    {
        MaxWidth = MaxWidth.Small,
        FullWidth = true,
        CloseButton = true,
        BackdropClick = false,
        // Escape closes an open select inside the dialog, not the dialog with what was typed.
        CloseOnEscapeKey = false,
    };

    public static readonly DialogOptions WideDialogOptions = new()
    {
        MaxWidth = MaxWidth.Medium,
        FullWidth = true,
        CloseButton = true,
        BackdropClick = false,
        // Escape closes an open select inside the dialog, not the dialog with what was typed.
        CloseOnEscapeKey = false,
    };

    /// <summary>¥1,234.50 in the reader's culture; a currency the system does not know as its code and the number.</summary>
    public static string Amount(long minor, string currency) =>
        Money.KnownCurrencies.Contains(currency)
            ? new Money(minor, currency).Format(CultureInfo.CurrentCulture)
            : $"{currency} {(minor / 100m).ToString("N2", CultureInfo.CurrentCulture)}";

    public static Color StatusColor(OpportunityStatus status) => status switch
    {
        OpportunityStatus.Won => Color.Success,
        OpportunityStatus.Lost => Color.Error,
        _ => Color.Info,
    };

    /// <summary>Time spent in a stage: "3 d 4 h", "5 h 20 min".</summary>
    public static string Duration(IStringLocalizer<SharedResource> strings, TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalDays >= 1
            ? strings["Opp.DurationDays", (int)span.TotalDays, span.Hours]
            : strings["Opp.DurationHours", (int)span.TotalHours, span.Minutes];
    }

    public static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";
}
