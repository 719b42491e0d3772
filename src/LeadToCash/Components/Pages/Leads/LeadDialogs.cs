namespace LeadToCash.Components.Pages.Leads;

internal static class LeadDialogs
{
    public static readonly MudBlazor.DialogOptions Options = new()
    {
        MaxWidth = MudBlazor.MaxWidth.Small,
        FullWidth = true,
        CloseButton = true,
        BackdropClick = false,
    };

    public static readonly MudBlazor.DialogOptions WideOptions = new()
    {
        MaxWidth = MudBlazor.MaxWidth.Medium,
        FullWidth = true,
        CloseButton = true,
        BackdropClick = false,
    };
}
