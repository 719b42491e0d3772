using System.Security.Claims;
using Bunit;
using LeadToCash.Components.Pages.Leads;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Workspace;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Components;

/// <summary>The lead list page over the demo database with a few seeded leads.</summary>
public sealed class LeadListPageTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private async Task<CurrentUser> SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        Services.AddLeads();
        Services.AddLeadList();
        Services.AddWorkspace();
        await using var db = await Database.CreateDbContextAsync(Ct);
        var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
        this.SignIn(id, email);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id.ToString())], "test"));
        return (await new CurrentUserResolver(Database).ResolveAsync(principal, Ct))!;
    }

    private async Task<string> SeedAsync(CurrentUser rep)
    {
        var tag = "UI" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        Lead Make(string name, DateTime? due, Action<Lead>? setup = null)
        {
            var lead = new Lead
            {
                SourceChannel = "trade-show", CompanyName = $"{tag} {name}", Mobile = "13800000000", TeamId = rep.TeamId!.Value,
                OwnerId = rep.Id, Status = LeadStatus.Assigned, SuggestedGrade = LeadGrade.B, Grade = LeadGrade.A,
                ScreeningDueAt = now, ScreenedAt = now.AddHours(-1), AssignedAt = now.AddHours(-1), FirstTouchDueAt = due,
            };
            setup?.Invoke(lead);
            return lead;
        }

        await using var db = await Database.OpenAsSystemAsync(Ct);
        db.Leads.AddRange(
            Make("Soon", now.AddMinutes(80)),
            Make("Late", now.AddHours(-3), l => { l.Grade = null; l.Mobile = null; l.DuplicateOfLeadId = Guid.CreateVersion7(); }));
        await db.SaveChangesAsync(Ct);
        return tag;
    }

    private IRenderedComponent<LeadList> RenderAt(string uri)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
        var page = Render<LeadList>();
        page.WaitForState(() => page.FindAll("[data-testid=lead-table], [data-testid=leads-empty]").Count > 0, TimeSpan.FromSeconds(10));
        return page;
    }

    [Fact]
    public async Task LeadList_FilteredByUrl_ShowsCountdownGradeAndMarkers()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var tag = await SeedAsync(rep);

        var page = RenderAt($"/leads?q={tag}&sort=company");

        var rows = page.FindAll("[data-testid=lead-link]").Select(a => a.TextContent).ToList();
        Assert.Equal([$"{tag} Late", $"{tag} Soon"], rows);
        var slas = page.FindAll("[data-testid=lead-sla]");
        Assert.Equal("Overdue", slas[0].GetAttribute("data-sla"));
        Assert.Contains("overdue 3h 0m", slas[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("OnTrack", slas[1].GetAttribute("data-sla"));
        Assert.Contains("1h 20m left", slas[1].TextContent, StringComparison.Ordinal);
        Assert.Single(page.FindAll("[data-testid=lead-grade]"));
        Assert.Single(page.FindAll("[data-testid=lead-grade-suggested]"));
        Assert.Single(page.FindAll("[data-testid=lead-incomplete]"));
        Assert.Single(page.FindAll("[data-testid=lead-duplicate]"));
        Assert.StartsWith($"/api/v1/leads/export?format=xlsx&q={tag}&sort=company",
            page.Find("[data-testid=lead-export-xlsx]").GetAttribute("href"), StringComparison.Ordinal);
        // A rep may disqualify (leads.edit) but neither assign nor re-grade: the table offers selection.
        Assert.NotEmpty(page.FindAll("[data-testid=lead-table] input[type=checkbox]"));
    }

    [Fact]
    public async Task LeadList_SlaChip_PutsTheFilterIntoTheUrlAndNarrowsTheList()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var tag = await SeedAsync(rep);
        var page = RenderAt($"/leads?q={tag}");

        await page.InvokeAsync(() => page.Find("[data-testid=lead-sla-overdue]").Click());

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Equal([$"{tag} Late"], page.FindAll("[data-testid=lead-link]").Select(a => a.TextContent)),
            TimeSpan.FromSeconds(10));
        Assert.EndsWith($"/leads?q={tag}&sla=overdue", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeadList_NothingMatches_ShowsTheFilteredEmptyStateInChinese()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        await SignInAsync(DemoUsers.Rep);

        var page = RenderAt("/leads?q=nothing-matches-this&mine=true");

        Assert.Contains("没有符合筛选条件的线索", page.Find("[data-testid=leads-empty]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=leads-empty-clear]"));
    }
}
