namespace LeadToCash.Components.Shared;

/// <summary>
/// The record kind's own choices of an import run (e.g. the pipeline of imported deals), as the import panel hands them to
/// the page's extra fields: read one, or set it (the panel checks the preview again under the new choice).
/// </summary>
public sealed class ImportChoices(IReadOnlyDictionary<string, string?> options, Func<string, string?, Task> set, bool disabled)
{
    public string? this[string key] => options.TryGetValue(key, out var value) ? value : null;

    public bool Disabled => disabled;

    public Task SetAsync(string key, string? value) => set(key, value);
}
