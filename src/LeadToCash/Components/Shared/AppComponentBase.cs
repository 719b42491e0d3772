using FluentValidation;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Localization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LeadToCash.Components.Shared;

/// <summary>
/// Base of interactive pages: resolves the current user once per circuit and turns handler failures into
/// messages in the user's language (field errors stay with the form).
/// </summary>
public abstract class AppComponentBase : ComponentBase
{
    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    protected CurrentUserResolver UserResolver { get; set; } = default!;

    [Inject]
    protected IStringLocalizer<SharedResource> Strings { get; set; } = default!;

    [Inject]
    protected ISnackbar Snackbar { get; set; } = default!;

    protected CurrentUser? Me { get; private set; }

    /// <summary>The last validation failure, by field (camelCase, as in the API).</summary>
    protected IReadOnlyDictionary<string, string[]> FieldErrors { get; private set; } = new Dictionary<string, string[]>();

    private Task<CurrentUser?>? _resolving;

    protected override async Task OnInitializedAsync()
    {
        _resolving = ResolveAsync();
        Me = await _resolving;
        if (Me is not null)
        {
            await OnUserReadyAsync(Me);
        }
    }

    /// <summary>The signed-in user; a command that arrives before the page has resolved it waits for it.</summary>
    protected async Task<CurrentUser?> UserAsync() => Me ?? (_resolving is null ? null : await _resolving);

    private async Task<CurrentUser?> ResolveAsync() =>
        AuthenticationState is null ? null : await UserResolver.ResolveAsync((await AuthenticationState).User);

    protected virtual Task OnUserReadyAsync(CurrentUser me) => Task.CompletedTask;

    protected string? ErrorFor(string field) =>
        FieldErrors.TryGetValue(field, out var messages) ? string.Join(" ", messages.Select(m => KnownErrors.Localize(Strings, m))) : null;

    /// <summary>Runs a command; answers whether it succeeded, after telling the user why not.</summary>
    protected async Task<bool> TryAsync(Func<Task> action, string? success = null)
    {
        FieldErrors = new Dictionary<string, string[]>();
        try
        {
            await action();
            if (success is not null)
            {
                Snackbar.Add(success, MudBlazor.Severity.Success);
            }

            return true;
        }
        catch (ValidationException e)
        {
            FieldErrors = ProblemExceptionHandler.ErrorsByField(e);
            Snackbar.Add($"{Strings["Common.Invalid"]} {string.Join(" ", FieldErrors.Values.SelectMany(v => v).Select(m => KnownErrors.Localize(Strings, m)))}", MudBlazor.Severity.Warning);
        }
        catch (Exception e) when (e is ConflictException or DbUpdateConcurrencyException)
        {
            Snackbar.Add(e is ConflictException && !e.Message.Contains("version", StringComparison.Ordinal) ? KnownErrors.Localize(Strings, e.Message) : Strings["Common.Conflict"], MudBlazor.Severity.Warning);
        }
        catch (NotFoundException)
        {
            Snackbar.Add(Strings["Common.NotFound"], MudBlazor.Severity.Warning);
        }
        catch (ForbiddenException)
        {
            Snackbar.Add(Strings["Common.Forbidden"], MudBlazor.Severity.Warning);
        }

        return false;
    }
}
