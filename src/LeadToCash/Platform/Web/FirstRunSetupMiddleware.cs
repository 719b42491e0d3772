using LeadToCash.Modules.Organization.FirstRun;

namespace LeadToCash.Platform.Web;

/// <summary>Until the first Admin exists, every page visit goes to /setup (the API and health answer as usual).</summary>
public sealed class FirstRunSetupMiddleware(RequestDelegate next)
{
    private volatile bool _setUp;

    public async Task InvokeAsync(HttpContext context, SetupHandler setup)
    {
        if (!_setUp && IsPage(context.Request) && !context.Request.Path.StartsWithSegments("/setup"))
        {
            if (await setup.IsSetUpAsync(context.RequestAborted))
            {
                _setUp = true;
            }
            else
            {
                context.Response.Redirect("/setup");
                return;
            }
        }

        await next(context);
    }

    private static bool IsPage(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && !request.Path.StartsWithSegments("/api")
        && !request.Path.StartsWithSegments("/health")
        && !request.Path.StartsWithSegments("/openapi")
        && !request.Path.StartsWithSegments("/_framework")
        && !request.Path.StartsWithSegments("/_content")
        && !request.Path.StartsWithSegments("/_blazor")
        && !Path.HasExtension(request.Path.Value);
}
