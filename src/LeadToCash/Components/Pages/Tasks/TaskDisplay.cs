using LeadToCash.Modules.Tasks;
using MudBlazor;

namespace LeadToCash.Components.Pages.Tasks;

internal static class TaskDisplay
{
    public static readonly DialogOptions Options = new()
    {
        MaxWidth = MaxWidth.Small,
        FullWidth = true,
        CloseButton = true,
        BackdropClick = false,
    };

    public static Color StatusColor(WorkTaskStatus status) => status switch
    {
        WorkTaskStatus.Open => Color.Info,
        WorkTaskStatus.Done => Color.Warning,
        WorkTaskStatus.Verified => Color.Success,
        _ => Color.Error,
    };
}
