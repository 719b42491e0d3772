using System.Globalization;
using System.Text.Json.Serialization;
using LeadToCash.Modules.Audit;
using LeadToCash.Modules.Company;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.Timeline;
using LeadToCash.Modules.FollowUps;
using LeadToCash.Modules.Customers.Pool;
using LeadToCash.Modules.Home;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Leads.Settings;
using LeadToCash.Modules.Leads.WebForms;
using LeadToCash.Modules.Leads.ImportLeads;
using LeadToCash.Modules.Leads.Jobs;
using LeadToCash.Modules.Notifications;
using LeadToCash.Modules.Opportunities.Negotiations;
using LeadToCash.Modules.Opportunities.Playbook;
using LeadToCash.Modules.Opportunities.Settings;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Opportunities.ImportOpportunities;
using LeadToCash.Modules.Options;
using LeadToCash.Modules.Organization;
using LeadToCash.Modules.Products;
using LeadToCash.Modules.Quotes;
using LeadToCash.Modules.Receivables;
using LeadToCash.Modules.Search;
using LeadToCash.Modules.Tasks;
using LeadToCash.Modules.Workspace;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Errors;
using LeadToCash.Platform.Export;
using LeadToCash.Platform.Files;
using LeadToCash.Platform.Import;
using LeadToCash.Platform.Jobs;
using LeadToCash.Platform.Localization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MudBlazor.Services;
using Scalar.AspNetCore;

namespace LeadToCash.Platform.Web;

/// <summary>The app's services and pipeline, in one place, shared by Program.cs and the tests.</summary>
public static class AppComposition
{
    public const long MaxRequestBodyBytes = 10 * 1024 * 1024;

    public static WebApplicationBuilder AddLeadToCash(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls("http://localhost:5080");
        }

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        // Structured (JSON) logs in production; readable lines while developing.
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        }

        services.AddSingleton(TimeProvider.System);
        services.AddAppDatabase(builder.Configuration);
        services.AddAppAuth();
        services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(
                builder.Configuration.GetSection("Storage").Get<StorageOptions>()?.FullPath ?? Path.GetFullPath("data"), "keys")))
            .SetApplicationName("LeadToCash");
        services.AddLocalization();
        services.AddRazorComponents().AddInteractiveServerComponents();
        // Confirmations appear at the bottom: at the top right they would cover the page's action buttons (and stay
        // there while the pointer rests on them) just when the next action is wanted.
        services.AddMudServices(mud => mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomCenter);
        services.AddHttpContextAccessor();
        services.AddProblemDetails();
        // Malformed bodies and parameters reach ProblemExceptionHandler in every environment, so they get the same
        // problem+json with the field named as any other validation error.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // A body or parameter that cannot be read throws, so that the problem says what was wrong (and where).
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddAppOpenApi();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            // A misspelt field is an error the caller should see, not a value silently dropped.
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });
        services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database", tags: ["ready"]);
        services.AddSingleton<ExportService>();
        services.AddScoped<Time.DisplayTime>();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Behind a reverse proxy the operator names it in ReverseProxy:KnownProxies; see the README.
            foreach (var proxy in builder.Configuration.GetSection("ReverseProxy:KnownProxies").Get<string[]>() ?? [])
            {
                o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
        });

        services.AddOrganization();
        services.AddCompany();
        services.AddOptionLists();
        services.AddCustomers();
        services.AddLeads();
        services.AddAudit();
        services.AddHome();
        services.AddLeadList();
        services.AddWorkspace();
        services.AddLeadSettings();
        services.AddWebForms(builder.Configuration);
        services.AddSpreadsheetImports();
        services.AddLeadImport();
        services.AddCustomerPool();
        services.AddCustomerSpreadsheets();
        services.AddOpportunityImport();
        services.AddTaskHandOver();
        services.AddNotifications();
        services.AddLeadJobs();
        services.AddFollowUps();
        services.AddCustomerTimeline();
        services.AddFiles(builder.Configuration);
        services.AddTasks(builder.Configuration);
        services.AddSearch();
        services.AddNegotiations();
        services.AddPlaybook();
        services.AddOpportunitySettings();
        services.AddProducts();
        services.AddQuotes();
        services.AddOpportunities();
        services.AddContracts();
        services.AddReceivables();
        // Last: the scheduler gets a job for every work the modules registered above.
        services.AddAppJobs(builder.Configuration);
        return builder;
    }

    public static WebApplication UseLeadToCash(this WebApplication app)
    {
        // First: every response, including static files and errors, gets the security headers.
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestLocalization(o =>
        {
            var cultures = new[] { new CultureInfo("zh-CN"), new CultureInfo("en-US") };
            o.DefaultRequestCulture = new RequestCulture("zh-CN");
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        // Before authorization: on an empty installation a protected page must lead to /setup, not to the sign-in page.
        app.UseMiddleware<FirstRunSetupMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseRateLimiter();
        app.MapStaticAssets();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        // The reference page's inline start-up script carries the response's CSP nonce; no fonts from a CDN and no telemetry:
        // the page needs nothing outside the app (SecurityHeaders adds only 'unsafe-eval' for it).
        app.MapScalarApiReference(SecurityHeaders.ApiReferencePath, (o, http) => o.WithTitle("LeadToCash API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .WithNonce(SecurityHeaders.Nonce(http))
                .DisableDefaultFonts()
                .DisableTelemetry())
            .AllowAnonymous();

        var api = app.MapGroup("/api/v1");
        api.MapOrganization();
        api.MapCompany();
        api.MapOptionLists();
        api.MapCustomers();
        api.MapLeads();
        api.MapAudit();
        api.MapHome();
        api.MapLeadList();
        api.MapWorkspace();
        api.MapLeadSettings();
        api.MapWebForms();
        app.MapWebFormIntake();
        api.MapLeadImport();
        api.MapCustomerPool();
        api.MapCustomerSpreadsheets();
        api.MapOpportunityImport();
        api.MapNotifications();
        api.MapFiles();
        app.MapTasks(api);
        api.MapFollowUps();
        api.MapCustomerTimeline();
        api.MapSearch();
        api.MapNegotiations();
        api.MapPlaybook();
        api.MapOpportunitySettings();
        api.MapProducts();
        api.MapQuotes();
        api.MapOpportunities();
        api.MapContracts();
        api.MapReceivables();
        app.MapCultureEndpoints();
        app.MapAccountEndpoints();
        return app;
    }
}
