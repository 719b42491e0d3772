using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LeadToCash.Platform.Api;

public static class OpenApiSetup
{
    /// <summary>The OpenAPI document, telling clients (and the /api/docs page) to send a bearer token.</summary>
    public static IServiceCollection AddAppOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "LeadToCash API";
            document.Info.Description =
                "Get a token with POST /api/v1/auth/token (e-mail and password) or create a personal access token in the app, "
                + "then send it as 'Authorization: Bearer <token>'. Errors are RFC 9457 problem+json; lists take ?limit=&cursor=&sort=.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A session token from POST /api/v1/auth/token or a personal access token (ltc_pat_...).",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] });
            return Task.CompletedTask;
        }));
}
