using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Modules.Notifications;

/// <summary>A notification's message in the reader's language: the resource "Notify.{kind}" formatted with its arguments.</summary>
public static class NotificationText
{
    public static IReadOnlyList<string> Args(string argsJson)
    {
        try
        {
            return JsonSerializer.Deserialize<string[]>(argsJson) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public static string Render(IStringLocalizer localizer, string kind, IReadOnlyList<string> args)
    {
        var arguments = args.Cast<object>().ToArray();
        try
        {
            var text = localizer["Notify." + kind, arguments];
            if (!text.ResourceNotFound)
            {
                return text.Value;
            }
        }
        catch (FormatException)
        {
            // A resource expecting more arguments than an older notification carries: fall through to the plain form.
        }

        return args.Count == 0 ? kind : $"{kind}: {string.Join(", ", args)}";
    }
}
