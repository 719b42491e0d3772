using LeadToCash.Modules.Organization;
using LeadToCash.Platform.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Identity;

namespace LeadToCash.Platform.Auth;

public static partial class AuthSetup
{
    public const string SmartScheme = "CookieOrBearer";

    public static IServiceCollection AddAppAuth(this IServiceCollection services)
    {
        services.AddScoped<CurrentUserResolver>();
        services.AddOptions<SignInRateLimitOptions>().BindConfiguration("SignIn:RateLimit");
        services.AddSingleton<SignInThrottle>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, RevalidatingAuthStateProvider>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = SmartScheme;
                options.DefaultChallengeScheme = SmartScheme;
                options.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(SmartScheme, "Cookie or bearer token", options =>
                options.ForwardDefaultSelector = context =>
                    context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                        ? ApiTokenHandler.SchemeName
                        : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenHandler.SchemeName, null)
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/account/login";
            options.AccessDeniedPath = "/account/denied";
            options.Cookie.Name = "ltc.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromHours(12);
            options.SlidingExpiration = true;
            options.Events.OnRedirectToLogin = context => ApiAware(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => ApiAware(context, StatusCodes.Status403Forbidden);
        });

        // Zero: every request re-checks the security stamp, so sign-out and deactivation end sessions at once.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);

        services.AddIdentityCore<AppUser>(options =>
            {
                options.Password.RequiredLength = 12;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddRoles<AppRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddUserManager<AppUserManager>()
            .AddSignInManager<AppSignInManager>()
            .AddDefaultTokenProviders();

        services.AddAuthorization(options =>
        {
            foreach (var permission in Permissions.All)
            {
                options.AddPolicy(permission, policy => policy
                    .AddAuthenticationSchemes(SmartScheme)
                    .RequireAuthenticatedUser()
                    .AddRequirements(new PermissionRequirement(permission)));
            }
        });
        services.AddScoped<IAuthorizationHandler, PermissionHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, LoggingAuthorizationResultHandler>();
        return services;
    }

    private static Task ApiAware(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            if (status == StatusCodes.Status401Unauthorized)
            {
                // A 401 names the scheme to use (RFC 9110); API clients authenticate with bearer tokens.
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

public sealed record PermissionRequirement(string Permission) : IAuthorizationRequirement;

/// <summary>Grants a named operation when one of the user's current roles (read from the database) grants it.</summary>
public sealed class PermissionHandler(CurrentUserResolver resolver) : AuthorizationHandler<PermissionRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        var user = await resolver.ResolveAsync(context.User);
        if (user is not null && user.Has(requirement.Permission))
        {
            context.Succeed(requirement);
        }
    }
}

/// <summary>Logs every authorization denial, then answers as usual (401/403, or a redirect for pages).</summary>
public sealed partial class LoggingAuthorizationResultHandler(ILogger<LoggingAuthorizationResultHandler> logger)
    : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _inner = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy,
        PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden || authorizeResult.Challenged)
        {
            var requirement = policy.Requirements.OfType<PermissionRequirement>().FirstOrDefault()?.Permission ?? "(signed in)";
            LogDenied(logger, context.Request.Method, context.Request.Path, requirement,
                context.User.Identity?.Name ?? "anonymous", authorizeResult.Forbidden ? "forbidden" : "not signed in");
        }

        await _inner.HandleAsync(next, context, policy, authorizeResult);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authorization denied: {Method} {Path} needs {Permission}; user {User} ({Reason})")]
    private static partial void LogDenied(ILogger logger, string method, string path, string permission, string user, string reason);
}
