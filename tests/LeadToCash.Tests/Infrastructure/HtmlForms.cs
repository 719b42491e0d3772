using System.Net;
using System.Text.RegularExpressions;

namespace LeadToCash.Tests.Infrastructure;

/// <summary>A form of a server-rendered page: where it posts and the fields it renders (hidden ones included).</summary>
public sealed record HtmlForm(string Action, IReadOnlyDictionary<string, string> Fields)
{
    public const string AntiforgeryField = "__RequestVerificationToken";

    /// <summary>The rendered fields with some values filled in; every name given must be a field the page renders.</summary>
    public FormUrlEncodedContent Fill(params (string Name, string Value)[] values)
    {
        var fields = new Dictionary<string, string>(Fields, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            Assert.True(fields.ContainsKey(name),
                $"The form has no field '{name}'; it renders: {string.Join(", ", Fields.Keys)}");
            fields[name] = value;
        }

        return new FormUrlEncodedContent(fields);
    }

    /// <summary>The name of the rendered field whose name ends with <paramref name="suffix"/> (e.g. ".Email").</summary>
    public string FieldEndingWith(string suffix) =>
        Fields.Keys.SingleOrDefault(k => k.EndsWith(suffix, StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"No field ends with '{suffix}'; the form renders: {string.Join(", ", Fields.Keys)}");
}

public static partial class HtmlForms
{
    /// <summary>GETs a page and returns its form (the one with the given Blazor form name, if given).</summary>
    public static async Task<HtmlForm> ReadFormAsync(this HttpClient client, string url, string? formName = null)
    {
        var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
        await response.ExpectAsync(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return Parse(html, url, formName);
    }

    public static HtmlForm Parse(string html, string pageUrl, string? formName = null)
    {
        var forms = FormPattern().Matches(html).Select(m =>
        {
            var action = Attribute(m.Groups["attrs"].Value, "action") ?? pageUrl;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match input in InputPattern().Matches(m.Groups["body"].Value))
            {
                var attrs = input.Groups["attrs"].Value;
                var name = Attribute(attrs, "name");
                var type = Attribute(attrs, "type") ?? "text";
                if (name is null || type is "submit" or "button")
                {
                    continue;
                }

                // An unchecked checkbox is not posted; a checked one posts its value (Blazor renders "true").
                if (type == "checkbox")
                {
                    if (CheckedPattern().IsMatch(attrs))
                    {
                        fields[name] = Attribute(attrs, "value") ?? "on";
                    }

                    continue;
                }

                fields[name] = Attribute(attrs, "value") ?? "";
            }

            return new HtmlForm(action, fields);
        }).ToList();

        var form = formName is null
            ? forms.FirstOrDefault(f => f.Fields.ContainsKey(HtmlForm.AntiforgeryField))
            : forms.FirstOrDefault(f => f.Fields.TryGetValue("_handler", out var handler) && handler == formName);
        Assert.True(form is not null, $"{pageUrl} renders no form{(formName is null ? "" : $" named '{formName}'")}:\n{html}");
        return form;
    }

    private static string? Attribute(string attrs, string name)
    {
        var match = Regex.Match(attrs, $@"(?:^|\s){name}\s*=\s*(?:""(?<v>[^""]*)""|'(?<v>[^']*)'|(?<v>[^\s>]+))",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        return match.Success ? WebUtility.HtmlDecode(match.Groups["v"].Value) : null;
    }

    [GeneratedRegex(@"<form(?<attrs>[^>]*)>(?<body>.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormPattern();

    [GeneratedRegex(@"<input(?<attrs>[^>]*)/?>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InputPattern();

    [GeneratedRegex(@"(?:^|\s)checked(?:\s|=|$)", RegexOptions.IgnoreCase)]
    private static partial Regex CheckedPattern();
}
