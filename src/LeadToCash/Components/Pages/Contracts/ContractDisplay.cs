using System.Globalization;
using LeadToCash.Modules.Contracts;
using LeadToCash.Platform.Money;
using MudBlazor;

namespace LeadToCash.Components.Pages.Contracts;

/// <summary>How contracts look on the pages: status colours and money.</summary>
public static class ContractDisplay
{
    public static Color StatusColor(ContractStatus status) => status switch
    {
        ContractStatus.InApproval => Color.Warning,
        ContractStatus.Approved => Color.Info,
        ContractStatus.Rejected => Color.Error,
        ContractStatus.Signed or ContractStatus.Executing => Color.Primary,
        ContractStatus.Completed => Color.Success,
        _ => Color.Default,
    };

    public static string Money(long minor, string currency) => new Money(minor, currency).Format(CultureInfo.CurrentCulture);

    public static decimal Major(long minor, string currency) => new Money(minor, currency).ToDecimal();

    public static long Minor(decimal major, string currency) => Platform.Money.Money.FromDecimal(major, currency).Minor;

    public static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";
}
