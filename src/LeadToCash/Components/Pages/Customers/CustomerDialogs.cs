namespace LeadToCash.Components.Pages.Customers;

internal static class CustomerDialogs
{
    public static readonly MudBlazor.DialogOptions Options = new()
    {
        MaxWidth = MudBlazor.MaxWidth.Small,
        FullWidth = true,
        CloseButton = true,
        BackdropClick = false,
    };
}
