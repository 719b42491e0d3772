using LeadToCash.Modules.Opportunities;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Errors;
using MudBlazor;

namespace LeadToCash.Components.Pages.Opportunities;

/// <summary>
/// A stage command as every page runs it: when a gate refuses, the missing requirements are shown in a dialog (with
/// "override with a reason" for those allowed to), and the override runs when chosen. Other failures reach the caller.
/// </summary>
internal static class GateFlow
{
    /// <returns>The opportunity after the change; null when refused and not overridden.</returns>
    public static async Task<OpportunityDto?> RunAsync(IDialogService dialogs, CurrentUser me, string title, Func<Task<OpportunityDto>> command,
        Func<string, Task<OpportunityDto>>? overrideWith)
    {
        try
        {
            return await command();
        }
        catch (RequirementsNotMetException refused)
        {
            var parameters = new DialogParameters<GateRefusedDialog>
            {
                { d => d.Missing, refused.Missing },
                { d => d.CanOverride, overrideWith is not null && me.Has(Permissions.OpportunitiesOverride) },
            };
            var dialog = await dialogs.ShowAsync<GateRefusedDialog>(title, parameters, OpportunityDisplay.DialogOptions);
            return await dialog.Result is { Canceled: false, Data: string reason } && overrideWith is not null
                ? await overrideWith(reason)
                : null;
        }
    }
}
