using System.Text;
using System.Text.Encodings.Web;
using LeadToCash.Platform.Localization;
using Microsoft.Extensions.Localization;

namespace LeadToCash.Modules.Leads.WebForms;

/// <summary>
/// The HTML a site owner pastes into their page: a plain form that works without script (the browser posts it and
/// shows the thank-you page), and an optional script that sends the same form as JSON and stays on the page.
/// Labels are in the language of whoever copies the snippet.
/// </summary>
public static class WebFormSnippet
{
    /// <summary>The id of the form element in the snippet, which the script variant looks for.</summary>
    public const string FormId = "leadtocash-form";

    public static string Html(string postUrl, IStringLocalizer<SharedResource> strings)
    {
        string Label(string key) => HtmlEncoder.Default.Encode(strings[$"WebForms.Snippet.{key}"]);
        // Comments are shown as written (they may quote markup); "--" could end one early.
        string Comment(string key) => strings[$"WebForms.Snippet.{key}"].Value.Replace("--", "-", StringComparison.Ordinal);
        var html = new StringBuilder();
        html.Append(CultureFree($"<form id=\"{FormId}\" method=\"post\" action=\"{HtmlEncoder.Default.Encode(postUrl)}\" accept-charset=\"utf-8\">\n"));
        Field(html, Label("Company"), "<input name=\"company\" maxlength=\"200\" autocomplete=\"organization\">");
        Field(html, Label("Name"), "<input name=\"name\" maxlength=\"100\" autocomplete=\"name\">");
        Field(html, Label("Mobile"), "<input name=\"mobile\" type=\"tel\" maxlength=\"40\" autocomplete=\"tel\">");
        Field(html, Label("Email"), "<input name=\"email\" type=\"email\" maxlength=\"200\" autocomplete=\"email\">");
        Field(html, Label("WeChat"), "<input name=\"wechat\" maxlength=\"100\">");
        Field(html, Label("Need"), "<textarea name=\"need\" maxlength=\"4000\" rows=\"4\"></textarea>");
        // Optional: what the visitor says here feeds the score rules (A/B/C) before anyone calls.
        Field(html, Label("Budget"), CultureFree($"<select name=\"budget\"><option value=\"\"></option><option value=\"50000\">{Label("BudgetSmall")}</option><option value=\"300000\">{Label("BudgetMedium")}</option><option value=\"1000000\">{Label("BudgetLarge")}</option></select>"));
        Field(html, Label("Timeframe"), CultureFree($"<select name=\"timeframe\"><option value=\"\"></option><option value=\"1\">{Label("TimeframeMonth")}</option><option value=\"3\">{Label("TimeframeQuarter")}</option><option value=\"6\">{Label("TimeframeHalfYear")}</option><option value=\"12\">{Label("TimeframeLater")}</option></select>"));
        html.Append(CultureFree($"  <!-- {Comment("HoneypotComment")} -->\n"));
        html.Append("  <div style=\"position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden\" aria-hidden=\"true\">\n");
        html.Append("    <input name=\"homepage\" tabindex=\"-1\" autocomplete=\"off\">\n");
        html.Append("  </div>\n");
        html.Append(CultureFree($"  <!-- {Comment("RedirectComment")} -->\n"));
        html.Append(CultureFree($"  <p><button type=\"submit\">{Label("Submit")}</button></p>\n"));
        html.Append("</form>");
        return html.ToString();
    }

    public static string Script(string postUrl, IStringLocalizer<SharedResource> strings)
    {
        string Text(string key) => JavaScriptEncoder.Default.Encode(strings[$"WebForms.Snippet.{key}"]);
        return CultureFree($$"""
            <script>
            document.getElementById("{{FormId}}").addEventListener("submit", async function (event) {
              event.preventDefault();
              var form = event.target;
              var response = await fetch("{{JavaScriptEncoder.Default.Encode(postUrl)}}", {
                method: "POST",
                headers: { "Content-Type": "application/json" },
                body: JSON.stringify(Object.fromEntries(new FormData(form)))
              });
              var message = document.createElement("p");
              message.setAttribute("role", "status");
              message.textContent = response.status === 202 ? "{{Text("Thanks")}}" : "{{Text("CheckFields")}}";
              if (response.status === 202) { form.replaceWith(message); } else { form.appendChild(message); }
            });
            </script>
            """);
    }

    private static void Field(StringBuilder html, string label, string input) =>
        html.Append(CultureFree($"  <p><label>{label}<br>{input}</label></p>\n"));

    private static string CultureFree(FormattableString text) => FormattableString.Invariant(text);
}
