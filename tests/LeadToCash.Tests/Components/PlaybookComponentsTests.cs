using System.Security.Claims;
using Bunit;
using LeadToCash.Components.Pages.Playbook;
using LeadToCash.Modules.Opportunities.Playbook;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Components;

/// <summary>The playbook page and the stage panel over the demo company's playbook.</summary>
public sealed class PlaybookComponentsTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private async Task SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        Services.AddPlaybook();
        var id = await TestLeads.UserIdAsync(app, email);
        this.SignIn(id, email);
    }

    private async Task<Guid> StageAsync(string name)
    {
        await using var db = await app.SystemDbAsync();
        return await db.PipelineStages.Where(s => s.Name == name && db.Pipelines.Any(p => p.Id == s.PipelineId && p.IsDefault))
            .Select(s => s.Id).SingleAsync(Ct);
    }

    [Fact]
    public async Task StagePanel_NegotiationStage_ShowsItsEntriesAndSearchesThem()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        var stage = await StageAsync("商务谈判");
        await SignInAsync(DemoUsers.Rep);

        var panel = Render<StagePlaybookPanel>(p => p.Add(x => x.StageId, stage));
        panel.WaitForElement("[data-testid=stage-playbook-entry]", TimeSpan.FromSeconds(10));

        Assert.Equal(3, panel.FindAll("[data-testid=stage-playbook-entry]").Count);
        Assert.Contains("价格太高", panel.Find("[data-testid=stage-playbook-list]").TextContent, StringComparison.Ordinal);
        Assert.Equal($"/playbook?stageId={stage}", panel.Find("[data-testid=stage-playbook-open]").GetAttribute("href"));

        await panel.Find("input[data-testid=stage-playbook-search]").InputAsync(new ChangeEventArgs { Value = "账期" });
        app.Clock.Advance(TimeSpan.FromMilliseconds(400)); // MudBlazor's debounce runs on the app's (fake) clock

        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("[data-testid=stage-playbook-entry]")), TimeSpan.FromSeconds(10));
        Assert.Contains("付款周期", panel.Find("[data-testid=stage-playbook-entry]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StagePanel_StageWithoutEntries_SaysSo()
    {
        using var culture = ComponentServices.Culture("en-US");
        var stage = await StageAsync("输单");
        await SignInAsync(DemoUsers.Rep);

        var panel = Render<StagePlaybookPanel>(p => p.Add(x => x.StageId, stage));

        panel.WaitForAssertion(() => Assert.Contains("No playbook entries for this stage yet",
            panel.Find("[data-testid=stage-playbook-empty]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task PlaybookPage_Rep_ReadsEveryStageWithoutEditing()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        await SignInAsync(DemoUsers.Rep);

        var page = Render<PlaybookPage>();
        page.WaitForElement("[data-testid=playbook-entry]", TimeSpan.FromSeconds(10));

        Assert.Equal(4, page.FindAll("[data-testid=playbook-stage-chip]").Count);
        Assert.Equal(4, page.FindAll("[data-testid=playbook-stage-section]").Count);
        Assert.Contains("销售打法", page.Find("[data-testid=playbook-page-title]").TextContent, StringComparison.Ordinal);
        Assert.Contains(page.FindAll("[data-testid=playbook-entry-title]"), t => t.TextContent == "价格太高");
        Assert.Empty(page.FindAll("[data-testid=playbook-add]"));
        Assert.Empty(page.FindAll("[data-testid=playbook-edit]"));
    }

    [Fact]
    public async Task PlaybookPage_ManagerOnOneStage_ShowsThatStageInEnglishWithTheEditActions()
    {
        using var culture = ComponentServices.Culture("en-US");
        var stage = await StageAsync("合同签署");
        await SignInAsync(DemoUsers.Manager);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/playbook?stageId={stage}");

        var page = Render<PlaybookPage>();
        page.WaitForElement("[data-testid=playbook-entry]", TimeSpan.FromSeconds(10));

        var section = Assert.Single(page.FindAll("[data-testid=playbook-stage-section]"));
        Assert.Contains("Contract", section.TextContent, StringComparison.Ordinal);
        Assert.Contains("Talk track", section.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=playbook-add]"));
        Assert.Equal(page.FindAll("[data-testid=playbook-entry]").Count, page.FindAll("[data-testid=playbook-edit]").Count);
    }

    [Fact]
    public async Task PlaybookPage_SearchWithoutMatch_SaysNothingMatches()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Rep);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/playbook?q=" + Uri.EscapeDataString("绝对没有这个词"));

        var page = Render<PlaybookPage>();

        page.WaitForAssertion(() => Assert.Contains("Nothing matches the search", page.Find("[data-testid=playbook-empty]").TextContent,
            StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task EntryDialog_Manager_AddsATalkTrackToTheStage()
    {
        using var culture = ComponentServices.Culture("en-US");
        var stage = await StageAsync("需求分析");
        await SignInAsync(DemoUsers.Manager);
        var handler = Services.GetRequiredService<PlaybookHandler>();
        var manager = (await new CurrentUserResolver(Database).ResolveAsync(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, (await TestLeads.UserIdAsync(app, DemoUsers.Manager)).ToString())], "test")), Ct))!;
        var stages = (await handler.PipelinesAsync(manager, Ct))[0].Stages;
        var providers = this.RenderProviders();
        var parameters = new MudBlazor.DialogParameters<PlaybookEntryDialog> { { d => d.Stages, stages }, { d => d.StageId, stage } };
        var dialog = await providers.InvokeAsync(() => Services.GetRequiredService<MudBlazor.IDialogService>().ShowAsync<PlaybookEntryDialog>("", parameters));
        providers.WaitForElement("[data-testid=playbook-save]", TimeSpan.FromSeconds(10));
        // Save stays disabled until the signed-in user is known.
        providers.WaitForAssertion(() => Assert.False(providers.Find("[data-testid=playbook-save]").HasAttribute("disabled")), TimeSpan.FromSeconds(10));

        await providers.Find("input[data-testid=playbook-title]").ChangeAsync(new() { Value = "需要先请示领导" });
        await providers.Find("textarea[data-testid=playbook-body]").ChangeAsync(new() { Value = "问清楚领导最关心什么，提供一页纸摘要。" });
        await providers.Find("input[data-testid=playbook-tags]").ChangeAsync(new() { Value = "决策人，摘要" });
        await providers.Find("[data-testid=playbook-save]").ClickAsync(new());

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var saved = Assert.IsType<PlaybookEntryDto>(result!.Data);
        Assert.Equal(stage, saved.StageId);
        Assert.Equal(Modules.Opportunities.PlaybookKind.TalkTrack, saved.Kind);
        Assert.Equal("决策人, 摘要", saved.Tags);
        Assert.Contains(await handler.ListAsync(manager, new PlaybookFilter(stage, Q: "一页纸"), Ct), e => e.Id == saved.Id);
    }
}
