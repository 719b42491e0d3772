using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Bunit;
using LeadToCash.Components.Pages.Customers;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.CreateCustomer;
using LeadToCash.Modules.Search;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LeadToCash.Tests.Components;

/// <summary>The customer page's merge dialog over the demo database: find the duplicate, compare, merge.</summary>
public sealed class CustomerMergeDialogTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    // Generous: the whole suite runs these database round trips in parallel on a small machine.
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private async Task<CustomerDto> CreateAsync(string name, string? phone = null, string? region = null)
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        return await (await rep.PostAsJsonAsync("/api/v1/customers", new CreateCustomerRequest(name, Phone: phone, Region: region), Ct))
            .ExpectJsonAsync<CustomerDto>(HttpStatusCode.Created);
    }

    private async Task<IRenderedComponent<ContainerFragment>> OpenAsync(string email, CustomerDto survivor)
    {
        this.AddAppComponents(Database, app.Clock);
        Services.AddSearch();
        await using (var db = await Database.CreateDbContextAsync(Ct))
        {
            var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
            this.SignIn(id, email);
        }

        var providers = this.RenderProviders();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await providers.InvokeAsync(() => dialogs.ShowAsync<CustomerMergeDialog>("",
            new DialogParameters<CustomerMergeDialog> { { d => d.Survivor, survivor } }));
        providers.WaitForElement("[data-testid=merge-query]", Wait);
        return providers;
    }

    private static async Task TypeAsync(IRenderedComponent<ContainerFragment> dialog, string text)
    {
        await dialog.Find("input[data-testid=merge-query]").InputAsync(new ChangeEventArgs { Value = text });
        dialog.WaitForAssertion(() => Assert.Equal(text, dialog.Find("input[data-testid=merge-query]").GetAttribute("value")), Wait);
    }

    [Fact]
    public async Task Merge_FindCompareConfirm_MergesTheDuplicate()
    {
        using var culture = ComponentServices.Culture("en-US");
        var survivor = await CreateAsync("合并对话框晨星仪表", region: "上海");
        var duplicate = await CreateAsync("晨星仪表（重复）", phone: "13955556666", region: "北京");
        var dialog = await OpenAsync(DemoUsers.Manager, survivor);

        await TypeAsync(dialog, "晨星仪表");
        await dialog.Find("input[data-testid=merge-query]").KeyDownAsync(new KeyboardEventArgs { Key = "Enter" });
        dialog.WaitForAssertion(() => Assert.NotEmpty(dialog.FindAll("[data-testid=merge-candidate]")), Wait);
        var candidates = dialog.FindAll("[data-testid=merge-candidate]");
        Assert.DoesNotContain(candidates, c => c.TextContent.Contains("合并对话框晨星仪表", StringComparison.Ordinal)); // not itself
        await candidates.Single(c => c.TextContent.Contains("晨星仪表（重复）", StringComparison.Ordinal)).ClickAsync(new MouseEventArgs());

        dialog.WaitForAssertion(() => Assert.Contains("13955556666", dialog.Find("[data-testid=merge-compare]").TextContent,
            StringComparison.Ordinal), Wait);
        var compare = dialog.Find("[data-testid=merge-compare]").TextContent;
        Assert.Contains("上海", compare, StringComparison.Ordinal);
        Assert.Contains("北京", compare, StringComparison.Ordinal);
        Assert.Contains("Keeps (this customer)", compare, StringComparison.Ordinal);
        await dialog.Find("[data-testid=merge-confirm]").ClickAsync(new MouseEventArgs());

        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll("[data-testid=merge-dialog]")), Wait);
        await using var db = await app.SystemDbAsync();
        Assert.True((await db.Customers.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).SingleAsync(c => c.Id == duplicate.Id, Ct)).IsDeleted);
        Assert.Equal("13955556666", (await db.Customers.SingleAsync(c => c.Id == survivor.Id, Ct)).Phone);
    }

    [Fact]
    public async Task Find_NoOtherCustomerMatches_SaysSo()
    {
        using var culture = ComponentServices.Culture("en-US");
        var survivor = await CreateAsync("孤星唯一客户");
        var dialog = await OpenAsync(DemoUsers.Manager, survivor);

        await TypeAsync(dialog, "孤星唯一客户");
        await dialog.Find("input[data-testid=merge-query]").KeyDownAsync(new KeyboardEventArgs { Key = "Enter" });

        dialog.WaitForAssertion(() => Assert.Contains("No other customer matches “孤星唯一客户”.",
            dialog.Find("[data-testid=merge-none]").TextContent, StringComparison.Ordinal), Wait);
        Assert.True(dialog.Find("[data-testid=merge-confirm]").HasAttribute("disabled"));
    }
}
