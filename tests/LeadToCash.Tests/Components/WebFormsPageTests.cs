using System.Security.Claims;
using Bunit;
using LeadToCash.Components.Pages.Settings;
using LeadToCash.Modules.Leads.Settings;
using LeadToCash.Modules.Leads.WebForms;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Components;

/// <summary>The website forms page over the demo database.</summary>
public sealed class WebFormsPageTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task WebForms_NoneThenOne_ShowsWhatToDoThenTheFormWithItsSnippetOnTheConfiguredAddress()
    {
        using var culture = ComponentServices.Culture("en-US");
        var admin = await SignInAsync(DemoUsers.Admin);
        this.RenderProviders();

        var empty = Render<WebFormsPage>();
        empty.WaitForElement("[data-testid=web-forms-empty]", Wait);
        Assert.Contains("paste its snippet", empty.Find("[data-testid=web-forms-empty]").TextContent, StringComparison.Ordinal);

        await using (var db = await app.SystemDbAsync())
        {
            var team = await db.Teams.Where(t => t.Name == "上海销售二组").Select(t => t.Id).SingleAsync(Ct);
            await Services.GetRequiredService<WebFormsHandler>().CreateAsync(admin,
                new SaveWebFormRequest("展会落地页", "trade-show", "https://expo.example.cn", team), "https://ignored.example", Ct);
        }

        var page = Render<WebFormsPage>();
        page.WaitForElement("[data-testid=web-form-name]", Wait);
        var row = page.FindAll("[data-testid=web-form-table] tbody tr").Single(r => r.TextContent.Contains("展会落地页", StringComparison.Ordinal));
        Assert.Contains("Trade show", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("上海销售二组", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("https://expo.example.cn", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Never", row.TextContent, StringComparison.Ordinal);
        row.QuerySelector("[data-testid=web-form-snippet-toggle]")!.Click();
        page.WaitForElement("[data-testid=web-form-snippet]", Wait);
        Assert.StartsWith("https://crm.yunfan.example/api/public/forms/", page.Find("[data-testid=web-form-post-url]").TextContent, StringComparison.Ordinal);
        Assert.Contains("name=\"homepage\"", page.Find("[data-testid=web-form-snippet]").TextContent, StringComparison.Ordinal);
        Assert.Contains("fetch(", page.Find("[data-testid=web-form-script]").TextContent, StringComparison.Ordinal);
    }

    private async Task<CurrentUser> SignInAsync(string email)
    {
        var database = app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        this.AddAppComponents(database, app.Clock);
        Services.AddLeadSettings();
        Services.AddWebForms(new ConfigurationBuilder().Build());
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["PublicBaseUrl"] = "https://crm.yunfan.example" }).Build());
        await using var db = await database.CreateDbContextAsync(Ct);
        var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
        this.SignIn(id, email);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id.ToString())], "test"));
        return (await new CurrentUserResolver(database).ResolveAsync(principal, Ct))!;
    }
}
