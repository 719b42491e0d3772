using System.Globalization;
using System.Security.Claims;
using Bunit;
using LeadToCash.Modules.Audit;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.Pool;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Options;
using LeadToCash.Modules.Organization;
using LeadToCash.Modules.Receivables;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Localization;
using LeadToCash.Platform.Time;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace LeadToCash.Tests.Components;

/// <summary>What the app's components need in a bUnit context: MudBlazor, the resources, the handlers.</summary>
internal static class ComponentServices
{
    /// <summary>MudBlazor, localization and the page handlers over <paramref name="database"/>.</summary>
    public static void AddAppComponents(this BunitContext context, IDbContextFactory<AppDbContext> database, TimeProvider? clock = null)
    {
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        var services = context.Services;
        services.AddMudServices();
        services.AddLocalization();
        services.AddSingleton(database);
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddScoped<CurrentUserResolver>();
        services.AddScoped<DisplayTime>();
        services.AddCustomers();
        services.AddCustomerPool();
        services.AddAudit();
        services.AddOptionLists();
        services.AddOrganization();
        // The customer page shows the customer's opportunities.
        services.AddOpportunities();
        // The opportunity page links to the deal's contract (or offers to make it).
        services.AddContracts();
        // The customer page shows the customer's receivables.
        services.AddReceivables();
    }

    /// <summary>Signs <paramref name="userId"/> in, as the cookie would (the resolver loads the rest from the database).</summary>
    public static void SignIn(this BunitContext context, Guid userId, string email)
    {
        var auth = context.AddAuthorization();
        auth.SetAuthorized(email);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId.ToString()));
    }

    /// <summary>Renders the dialog and popover providers that MudBlazor dialogs and selects need.</summary>
    public static IRenderedComponent<ContainerFragment> RenderProviders(this BunitContext context) =>
        context.Render<ContainerFragment>(p => p.Add(x => x.ChildContent, builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
        }));

    public static IStringLocalizer<SharedResource> Strings() =>
        new StringLocalizer<SharedResource>(new ResourceManagerStringLocalizerFactory(
            Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));

    /// <summary>Runs the rest of a test in <paramref name="culture"/> (UI texts and formats); dispose to restore.</summary>
    public static IDisposable Culture(string culture)
    {
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        return new Restore(() => (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi));
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}

/// <summary>A component that only renders its child content (a root for several providers).</summary>
public sealed class ContainerFragment : ComponentBase
{
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder) =>
        builder.AddContent(0, ChildContent);
}

/// <summary>For components under test that must not touch a database.</summary>
internal sealed class NoDatabase : IDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext() => throw new InvalidOperationException("This test has no database.");
}
