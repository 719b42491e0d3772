using Microsoft.AspNetCore.Localization;

namespace LeadToCash.Platform.Localization;

public static class CultureEndpoints
{
    public static readonly IReadOnlyList<string> Supported = ["zh-CN", "en-US"];

    /// <summary>
    /// GET /culture/set?culture=en-US&amp;returnUrl=/ remembers the UI language in a cookie for a year and goes back.
    /// Anonymous on purpose: the sign-in page has the switch too.
    /// </summary>
    public static void MapCultureEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/culture/set", (string? culture, string? returnUrl, HttpContext http, TimeProvider clock) =>
            {
                if (culture is null || !Supported.Contains(culture))
                {
                    return Results.Problem(statusCode: 400, title: "Unknown culture",
                        detail: $"culture must be one of: {string.Join(", ", Supported)}.");
                }

                http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                    new CookieOptions
                    {
                        Expires = clock.GetUtcNow().AddYears(1),
                        HttpOnly = true,
                        IsEssential = true,
                        SameSite = SameSiteMode.Lax,
                        Secure = http.Request.IsHttps,
                    });
                var target = returnUrl is not null && Uri.IsWellFormedUriString(returnUrl, UriKind.Relative) && returnUrl.StartsWith('/')
                    && !returnUrl.StartsWith("//", StringComparison.Ordinal)
                    ? returnUrl
                    : "/";
                return Results.LocalRedirect(target);
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
}
