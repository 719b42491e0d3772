using AngleSharp.Dom;
using Bunit;
using LeadToCash.Components.Pages.Customers;
using LeadToCash.Modules.Customers;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LeadToCash.Tests.Components;

/// <summary>Selecting customers on the list and assigning them in one go (customers.assign), over the demo database.</summary>
public sealed class CustomerBulkAssignTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private IRenderedComponent<ContainerFragment> _providers = default!;

    private async Task SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        this.SignIn(await TestLeads.UserIdAsync(app, email), email);
        _providers = this.RenderProviders();
    }

    private IRenderedComponent<CustomerList> RenderList(string uri)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
        var page = Render<CustomerList>();
        page.WaitForElement("[data-testid=customer-table]", TimeSpan.FromSeconds(10));
        return page;
    }

    private static IElement Row(IRenderedComponent<CustomerList> page, string name) =>
        page.FindAll("[data-testid=customer-table] tbody tr").Single(r => r.TextContent.Contains(name, StringComparison.Ordinal));

    private static Task SelectAsync(IRenderedComponent<CustomerList> page, string name, bool selected = true) =>
        page.InvokeAsync(() => Row(page, name).QuerySelector("input[type=checkbox]")!.Change(selected));

    [Fact]
    public async Task BulkAssign_ManagerSelectsThree_AssignsTheTeamsTwoAndNamesTheRefusedOneWithItsReason()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Manager);
        var first = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.Rep, "批量分配甲公司");
        var second = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.Rep, "批量分配乙公司");
        // Shared with the manager from Shenzhen: visible on the list, but not theirs to assign.
        var shared = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.SouthRep, "批量分配南方公司");
        await TestCustomers.ShareAsync(app, shared.Id, DemoUsers.Manager, CollaboratorAccess.Read);
        var rep2 = await TestLeads.UserIdAsync(app, DemoUsers.Rep2);
        var page = RenderList("/customers?q=" + Uri.EscapeDataString("批量分配"));
        Assert.Equal(3, page.FindAll("[data-testid=customer-table] tbody tr").Count);
        Assert.Empty(page.FindAll("[data-testid=customer-bulk-bar]"));

        foreach (var name in new[] { first.Name, second.Name, shared.Name })
        {
            await SelectAsync(page, name);
        }

        page.WaitForAssertion(() => Assert.Equal("3 selected", page.Find("[data-testid=customer-selected-count]").TextContent));
        Assert.Equal("Assign selected (3)", page.Find("[data-testid=customer-bulk-assign]").TextContent.Trim());
        await page.InvokeAsync(() => page.Find("[data-testid=customer-bulk-assign]").Click());
        _providers.WaitForElement("[data-testid=customer-assign-dialog]", TimeSpan.FromSeconds(10));
        _providers.WaitForAssertion(() => Assert.NotEmpty(_providers.FindComponents<MudSelect<Guid?>>()), TimeSpan.FromSeconds(10));
        Assert.Contains("Assign 3 selected customers", _providers.Markup, StringComparison.Ordinal);
        Assert.True(_providers.Find("[data-testid=customer-assign-confirm]").HasAttribute("disabled")); // nobody chosen yet
        var owner = _providers.FindComponent<MudSelect<Guid?>>();
        await _providers.InvokeAsync(() => owner.Instance.SelectOption((Guid?)rep2));
        _providers.WaitForAssertion(() => Assert.False(_providers.Find("[data-testid=customer-assign-confirm]").HasAttribute("disabled")));
        await _providers.InvokeAsync(() => _providers.Find("[data-testid=customer-assign-confirm]").Click());

        page.WaitForElement("[data-testid=customer-bulk-result]", TimeSpan.FromSeconds(10));
        Assert.Equal("2 assigned, 1 refused.", page.Find("[data-testid=customer-bulk-summary]").TextContent);
        var refused = Assert.Single(page.FindAll("[data-testid=customer-bulk-refused-item]"));
        Assert.Equal("批量分配南方公司: You may only assign customers within the teams you manage.", refused.TextContent.Trim());
        // The list reloads with the new owner, and nothing stays selected.
        page.WaitForAssertion(() => Assert.Contains("刘洋", Row(page, first.Name).TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Empty(page.FindAll("[data-testid=customer-bulk-bar]"));
        Assert.Equal((rep2, rep2), ((await TestCustomers.ReloadCustomerAsync(app, first.Id)).OwnerId, (await TestCustomers.ReloadCustomerAsync(app, second.Id)).OwnerId));
        Assert.Equal(shared.OwnerId, (await TestCustomers.ReloadCustomerAsync(app, shared.Id)).OwnerId);
    }

    [Fact]
    public async Task BulkAssign_InChineseToTheTeamPool_SaysHowManyInChinese()
    {
        using var culture = ComponentServices.Culture("zh-CN");
        await SignInAsync(DemoUsers.Manager);
        var customer = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.Rep, "批量退回公海公司");
        var page = RenderList("/customers?q=" + Uri.EscapeDataString("批量退回公海"));

        await SelectAsync(page, customer.Name);
        page.WaitForAssertion(() => Assert.Equal("分配所选（1）", page.Find("[data-testid=customer-bulk-assign]").TextContent.Trim()));
        await page.InvokeAsync(() => page.Find("[data-testid=customer-bulk-assign]").Click());
        _providers.WaitForAssertion(() => Assert.NotEmpty(_providers.FindComponents<MudSelect<Guid?>>()), TimeSpan.FromSeconds(10));
        await _providers.InvokeAsync(() => _providers.FindComponent<MudSelect<Guid?>>().Instance.SelectOption((Guid?)Guid.Empty)); // 退回团队公海
        _providers.WaitForAssertion(() => Assert.False(_providers.Find("[data-testid=customer-assign-confirm]").HasAttribute("disabled")));
        await _providers.InvokeAsync(() => _providers.Find("[data-testid=customer-assign-confirm]").Click());

        page.WaitForElement("[data-testid=customer-bulk-result]", TimeSpan.FromSeconds(10));
        Assert.Equal("已分配 1 个，0 个未分配。", page.Find("[data-testid=customer-bulk-summary]").TextContent);
        var pooled = await TestCustomers.ReloadCustomerAsync(app, customer.Id);
        Assert.Equal((null, await TestCustomers.TeamIdAsync(app, "上海销售一组")), (pooled.OwnerId, pooled.PoolTeamId));
    }

    [Fact]
    public async Task Selection_AdminLoadsMore_KeepsTheSelectionUntilTheFilterChanges()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Admin);
        var page = RenderList("/customers");
        var firstName = page.FindAll("[data-testid=customer-link]")[0].TextContent;
        await SelectAsync(page, firstName);
        page.WaitForAssertion(() => Assert.Equal("1 selected", page.Find("[data-testid=customer-selected-count]").TextContent));

        await page.InvokeAsync(() => page.Find("[data-testid=customer-load-more]").Click());

        page.WaitForAssertion(() => Assert.True(page.FindAll("[data-testid=customer-table] tbody tr").Count > 25), TimeSpan.FromSeconds(10)); // 25 a load
        Assert.Equal("1 selected", page.Find("[data-testid=customer-selected-count]").TextContent);
        var poolSwitch = page.Find("[data-testid=customer-pool-switch]");
        await page.InvokeAsync(() => (poolSwitch.TagName == "INPUT" ? poolSwitch : poolSwitch.QuerySelector("input")!).Change(true));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=customer-bulk-bar]")), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SelectAll_ManagerTicksTheHeader_SelectsEveryCustomerShownAndUntickingClearsThem()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Manager);
        foreach (var name in new[] { "全选甲公司", "全选乙公司" })
        {
            await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.Rep, name);
        }

        var page = RenderList("/customers?q=" + Uri.EscapeDataString("全选"));
        Assert.Equal(2, page.FindAll("[data-testid=customer-table] tbody tr").Count);
        Assert.Equal("Select 全选甲公司", Row(page, "全选甲公司").QuerySelector("input[type=checkbox]")!.GetAttribute("aria-label"));

        await page.InvokeAsync(() => page.Find("[data-testid=customer-select-all]").Change(true));
        page.WaitForAssertion(() => Assert.Equal("2 selected", page.Find("[data-testid=customer-selected-count]").TextContent));
        Assert.All(page.FindAll("[data-testid=customer-table] tbody input[type=checkbox]"), box => Assert.True(box.HasAttribute("checked")));
        Assert.True(page.Find("[data-testid=customer-select-all]").HasAttribute("checked"));

        await SelectAsync(page, "全选乙公司", selected: false);
        page.WaitForAssertion(() => Assert.Equal("1 selected", page.Find("[data-testid=customer-selected-count]").TextContent));
        Assert.False(page.Find("[data-testid=customer-select-all]").HasAttribute("checked"));

        await page.InvokeAsync(() => page.Find("[data-testid=customer-select-all]").Change(false));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=customer-bulk-bar]")));
    }

    [Fact]
    public async Task List_RepWithoutAssignPermission_OffersNoSelection()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Rep);

        var page = RenderList("/customers");

        Assert.Empty(page.FindAll("[data-testid=customer-table] input[type=checkbox]"));
        Assert.Empty(page.FindAll("[data-testid=customer-bulk-assign]"));
    }
}
