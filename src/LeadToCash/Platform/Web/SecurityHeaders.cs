using System.Security.Cryptography;

namespace LeadToCash.Platform.Web;

/// <summary>
/// The browser-side protections every response carries, whatever produced it (a page, the API, a static file, an error):
/// a Content-Security-Policy, X-Content-Type-Options, Referrer-Policy and X-Frame-Options.
/// <list type="bullet">
/// <item>Scripts come from the app only; an inline script runs only with this response's nonce (<see cref="Nonce"/>), which
/// the page's import map and the API reference page carry. Injected markup therefore cannot run script even if it ever got
/// past the encoding of the pages.</item>
/// <item>Styles may be inline: MudBlazor writes style attributes and a theme &lt;style&gt; element.</item>
/// <item>Connections (the Blazor circuit's WebSocket, fetches) go to the app's own origin only.</item>
/// <item>The API reference page (/api/docs, Scalar) may also evaluate code ('unsafe-eval'), which its bundle needs; the page
/// shows the public OpenAPI document and no record of anyone.</item>
/// <item>Nothing of the app may be framed (frame-ancestors 'none', X-Frame-Options DENY): website forms are HTML that
/// customers paste into their own pages and post across origins (CORS); no page of ours is meant to be embedded.</item>
/// </list>
/// The headers are written when the response starts, so they replace any other value (Blazor's own frame-ancestors,
/// antiforgery's X-Frame-Options SAMEORIGIN) and survive the exception handler, which clears headers before it answers.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var nonce = new CspNonce();
        context.Features.Set(nonce);
        var apiReference = context.Request.Path.StartsWithSegments(SecurityHeaders.ApiReferencePath);
        context.Response.OnStarting(() =>
        {
            SecurityHeaders.Apply(context.Response.Headers, nonce.ValueIfUsed, apiReference);
            return Task.CompletedTask;
        });
        return next(context);
    }
}

/// <summary>The nonce of one response; created only when a page asks for it, so API answers carry none.</summary>
public sealed class CspNonce
{
    private string? _value;

    public string Value => _value ??= System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));

    public string? ValueIfUsed => _value;
}

public static class SecurityHeaders
{
    public const string ApiReferencePath = "/api/docs";

    /// <summary>
    /// The policy; a response whose page used a nonce gets 'nonce-…' in script-src, the API reference page 'unsafe-eval'.
    /// </summary>
    public static string ContentSecurityPolicy(string? nonce, bool apiReference = false) =>
        "default-src 'self'; "
        + "script-src 'self'" + (nonce is null ? "" : $" 'nonce-{nonce}'") + (apiReference ? " 'unsafe-eval'" : "") + "; "
        + "style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data: blob:; "
        + "font-src 'self' data:; "
        + "connect-src 'self'; "
        + "object-src 'none'; "
        + "base-uri 'self'; "
        + "form-action 'self'; "
        + "frame-ancestors 'none'";

    /// <summary>The nonce for an inline script of this response (the import map, the API reference page's start-up script).</summary>
    public static string Nonce(HttpContext context) =>
        (context.Features.Get<CspNonce>() ?? throw new InvalidOperationException("SecurityHeadersMiddleware is not in the pipeline.")).Value;

    public static void Apply(IHeaderDictionary headers, string? nonce, bool apiReference = false)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce, apiReference);
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers.XFrameOptions = "DENY";
    }
}
