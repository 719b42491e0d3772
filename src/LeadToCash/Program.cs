using LeadToCash.Components;
using LeadToCash.Platform.Cli;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Web;

var command = CommandLine.Parse(args);
if (command.ShowHelp)
{
    Console.WriteLine(CommandLine.HelpText);
    return 0;
}

var builder = WebApplication.CreateBuilder(command.HostArgs);
builder.AddLeadToCash();
var app = builder.Build();

if (command.Name is not null)
{
    return await CommandLine.RunAsync(app, command);
}

// "--demo" on the command line, or Demo=true in configuration (e.g. the environment variable Demo=true).
var demo = command.Demo || app.Configuration.GetValue<bool>("Demo");
// In Production: no development database password, no demo accounts, unless declared a demo (Platform/Web/ProductionSafety).
var checkSafety = ProductionSafety.Applies(app.Environment, app.Configuration, demo);
if (checkSafety && ProductionSafety.ConfigurationProblems(app.Services) is { Count: > 0 } configurationProblems)
{
    return await ProductionSafety.RefuseAsync(app.Logger, configurationProblems);
}

var database = app.Services.GetRequiredService<DatabaseOptions>();
if (database.MigrateOnStartup || demo)
{
    await CommandLine.PrepareDatabaseAsync(app.Services);
}

if (demo)
{
    await CommandLine.SeedDemoIfEmptyAsync(app);
}

if (checkSafety && await ProductionSafety.DataProblemsAsync(app.Services) is { Count: > 0 } dataProblems)
{
    return await ProductionSafety.RefuseAsync(app.Logger, dataProblems);
}

app.UseLeadToCash();
// No second Content-Security-Policy from Blazor (its default frame-ancestors 'self'): SecurityHeadersMiddleware sends
// frame-ancestors 'none' on every response, which also covers the WebSocket compression the circuit uses.
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
