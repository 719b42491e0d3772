using FluentValidation;
using FluentValidation.Results;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Components.Shared;

/// <summary>
/// Runs a handler's FluentValidation rules for one form field, so that a MudForm shows the same rules as the API
/// before anything is sent: <c>&lt;MudTextField For="@(() => form.Name)" Validation="@validator.ValidateValue" /&gt;</c>
/// on a <c>&lt;MudForm Model="form"&gt;</c>.
/// </summary>
/// <typeparam name="T">What the validator checks; the form model itself, or what <c>toValidated</c> makes of it.</typeparam>
public sealed class FluentFieldValidator<T>
{
    private readonly IValidator<T> _validator;
    private readonly IStringLocalizer _strings;
    private readonly Func<string, string> _label;
    private readonly Func<object, T> _toValidated;

    /// <param name="validator">The rules the handler applies.</param>
    /// <param name="strings">
    /// Looks up <c>Validation.{ErrorCode}</c> for rules with a custom error code ({0} = the field's label); other
    /// messages come from FluentValidation in the current UI culture.
    /// </param>
    /// <param name="label">The field's label in the current UI culture, by property name.</param>
    /// <param name="toValidated">Turns the form model into <typeparamref name="T"/> (default: a cast).</param>
    public FluentFieldValidator(IValidator<T> validator, IStringLocalizer strings, Func<string, string> label,
        Func<object, T>? toValidated = null)
    {
        _validator = validator;
        _strings = strings;
        _label = label;
        _toValidated = toValidated ?? (model => (T)model);
    }

    /// <summary>The shape MudBlazor's <c>Validation</c> parameter takes with <c>For</c> and a form <c>Model</c>.</summary>
    public Func<object, string, Task<IEnumerable<string>>> ValidateValue =>
        async (model, property) => await ValidatePropertyAsync(_toValidated(model), property);

    public async Task<IReadOnlyList<string>> ValidatePropertyAsync(T instance, string property, CancellationToken ct = default)
    {
        var context = ValidationContext<T>.CreateWithOptions(instance, options => options.IncludeProperties(property));
        var result = await _validator.ValidateAsync(context, ct);
        return result.Errors
            .Where(e => string.Equals(e.PropertyName, property, StringComparison.Ordinal))
            .Select(Message)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private string Message(ValidationFailure failure)
    {
        var label = _label(failure.PropertyName);
        if (!string.IsNullOrEmpty(failure.ErrorCode))
        {
            var custom = _strings[$"Validation.{failure.ErrorCode}", label];
            if (!custom.ResourceNotFound)
            {
                return custom.Value;
            }
        }

        // FluentValidation names the field by its property ("'Name' must not be empty."); name it as the form does.
        return failure.FormattedMessagePlaceholderValues?.TryGetValue("PropertyName", out var shown) == true
            && shown is string name && name.Length > 0
            ? failure.ErrorMessage.Replace($"'{name}'", $"'{label}'", StringComparison.Ordinal)
            : failure.ErrorMessage;
    }
}
