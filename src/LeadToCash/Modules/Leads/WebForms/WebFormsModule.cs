using System.Globalization;
using System.Threading.RateLimiting;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using Microsoft.AspNetCore.RateLimiting;

namespace LeadToCash.Modules.Leads.WebForms;

/// <summary>How many posts one client may send to one form (configuration section "WebForms:RateLimit").</summary>
public sealed class WebFormRateLimitOptions
{
    public int PermitLimit { get; set; } = 10;
    public int WindowSeconds { get; set; } = 60;
}

public static class WebFormsModule
{
    public static IServiceCollection AddWebForms(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<WebFormsHandler>();
        services.AddScoped<WebFormIntakeHandler>();
        services.Configure<WebFormRateLimitOptions>(configuration.GetSection("WebForms:RateLimit"));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Per client address and form: one busy site cannot starve another, one client cannot flood a form.
            o.AddPolicy(WebFormIntakeEndpoints.RateLimitPolicy, http =>
            {
                var limits = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebFormRateLimitOptions>>().Value;
                var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                var form = http.Request.RouteValues["key"]?.ToString() ?? "";
                return RateLimitPartition.GetFixedWindowLimiter($"{client}|{form}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.PermitLimit,
                    Window = TimeSpan.FromSeconds(limits.WindowSeconds),
                    QueueLimit = 0,
                });
            });
            o.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var origin = http.Request.Headers.Origin.ToString();
                if (origin.Length > 0 && http.Request.RouteValues["key"] is string key
                    && await http.RequestServices.GetRequiredService<WebFormIntakeHandler>().FindAsync(key, ct) is { } gate && gate.Allows(origin))
                {
                    http.Response.Headers.AccessControlAllowOrigin = origin;
                    http.Response.Headers.Vary = "Origin";
                }

                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                    detail: "Too many posts from this address; try again later.").ExecuteAsync(http);
            };
        });
        return services;
    }

    /// <summary>The Admin's API for website forms, under /api/v1/settings/web-forms.</summary>
    public static void MapWebForms(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/settings/web-forms").WithTags("Website forms").RequireAuthorization(Permissions.SettingsManage);
        group.MapGet("/", async (CurrentUser user, WebFormsHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.ListAsync(user, PublicBaseUrl(http), ct)))
            .WithName("ListWebForms")
            .WithSummary("The website forms with their keys and the HTML snippets to paste into a site.");
        group.MapGet("/{id:guid}", async (Guid id, CurrentUser user, WebFormsHandler handler, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.GetAsync(user, id, PublicBaseUrl(http), ct)))
            .WithName("GetWebForm");
        group.MapPost("/", async (SaveWebFormRequest request, CurrentUser user, WebFormsHandler handler, HttpContext http, CancellationToken ct) =>
            {
                var created = await handler.CreateAsync(user, request, PublicBaseUrl(http), ct);
                return TypedResults.Created($"/api/v1/settings/web-forms/{created.Id}", created);
            })
            .WithName("CreateWebForm")
            .WithSummary("A new website form: name, source channel (option list), allowed origins one per line, receiving team.");
        group.MapPut("/{id:guid}", async (Guid id, SaveWebFormRequest request, CurrentUser user, WebFormsHandler handler,
                HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.UpdateAsync(user, id, request, VersionHeader.Required(request.Version, http.Request), PublicBaseUrl(http), ct)))
            .WithName("UpdateWebForm")
            .WithSummary("Change a form; isActive = false retires it (its key then answers 404). Send the version.");
        group.MapPost("/{id:guid}/regenerate-key", async (Guid id, int? version, CurrentUser user, WebFormsHandler handler,
                HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await handler.RegenerateKeyAsync(user, id, VersionHeader.Required(version, http.Request), PublicBaseUrl(http), ct)))
            .WithName("RegenerateWebFormKey")
            .WithSummary("A new key; the old snippet stops working. Send the version (?version= or If-Match).");
        group.MapDelete("/{id:guid}", async (Guid id, int? version, CurrentUser user, WebFormsHandler handler, HttpContext http, CancellationToken ct) =>
            {
                await handler.DeleteAsync(user, id, VersionHeader.Required(version, http.Request), ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteWebForm")
            .WithSummary("Move a form to the recycle bin; its key stops working, its leads stay.");
    }

    /// <summary>The configured public address of the app (PublicBaseUrl), else the address this request came to.</summary>
    public static string PublicBaseUrl(HttpContext http) =>
        http.RequestServices.GetRequiredService<IConfiguration>()["PublicBaseUrl"] is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
}
