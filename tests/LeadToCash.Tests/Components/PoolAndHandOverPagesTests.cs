using Bunit;
using LeadToCash.Components.Pages.Customers;
using LeadToCash.Components.Pages.Organization;
using LeadToCash.Components.Pages.Settings;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Organization.Users;
using LeadToCash.Modules.Tasks;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Import;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;

namespace LeadToCash.Tests.Components;

/// <summary>The pool actions on the customer page and the hand-over dialog, over the demo database.</summary>
public sealed class PoolAndHandOverPagesTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private async Task SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        Services.AddLeads();
        Services.AddTaskHandOver();
        this.SignIn(await TestLeads.UserIdAsync(app, email), email);
    }

    [Fact]
    public async Task Detail_PoolCustomer_RepClaimsItAndCanReleaseIt()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Rep);
        var customer = await TestCustomers.AddPoolCustomerAsync(app, "上海销售一组", "页面认领的客户");
        this.RenderProviders();

        var page = Render<CustomerDetail>(p => p.Add(x => x.Id, customer.Id));
        page.WaitForElement("[data-testid=customer-claim]", TimeSpan.FromSeconds(10));
        Assert.Empty(page.FindAll("[data-testid=customer-release]"));

        await page.InvokeAsync(() => page.Find("[data-testid=customer-claim]").Click());

        page.WaitForAssertion(() => Assert.Contains("张伟", page.Find("[data-testid=customer-owner]").TextContent, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
        Assert.NotNull(page.Find("[data-testid=customer-release]"));
        Assert.Empty(page.FindAll("[data-testid=customer-claim]"));
        Assert.Equal(await TestLeads.UserIdAsync(app, DemoUsers.Rep), (await TestCustomers.ReloadCustomerAsync(app, customer.Id)).OwnerId);
    }

    [Fact]
    public async Task CustomerImportPage_CsvWithChineseHeaders_ShowsTheCustomerFieldsAndCheckedRows()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Manager);
        Services.AddSingleton(new StorageOptions { DataDirectory = app.DataDirectory });
        Services.AddSingleton<StartedImports>();
        Services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        Services.AddScoped<SpreadsheetImports>();
        Services.AddCustomerSpreadsheets();
        var csv = System.Text.Encoding.UTF8.GetBytes("客户名称,上级公司,联系人,手机\n页面导入集团有限公司,,王页,13811112222\n页面导入子公司,页面导入集团,李页,12-ab\n");

        var page = Render<CustomerImportPage>();
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=import-file-button]").HasAttribute("disabled")), TimeSpan.FromSeconds(10));
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(csv, "customers.csv"));

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=import-column]").Count), TimeSpan.FromSeconds(10));
        Assert.Equal(["Ready", "Rejected"], page.FindAll("[data-testid=import-preview-row]").Select(r => r.GetAttribute("data-outcome")));
        var preview = page.Find("[data-testid=import-preview]").TextContent;
        Assert.Contains("Customer name", preview, StringComparison.Ordinal);
        Assert.Contains("Parent company", preview, StringComparison.Ordinal);
        Assert.Contains("12-ab", preview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PoolRulesPage_AdminGivesATeamItsOwnRules_TheRowSaysSo()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Admin);
        var provider = this.RenderProviders();
        var page = Render<CustomerPoolRulesPage>();
        page.WaitForElement("[data-testid=pool-rules-table]", TimeSpan.FromSeconds(10));
        var row = () => page.FindAll("[data-testid=pool-rules-table] tbody tr").Single(r => r.TextContent.Contains("深圳销售组", StringComparison.Ordinal));
        Assert.Contains("Company defaults", row().TextContent, StringComparison.Ordinal);
        Assert.Contains("30 days", page.Find("[data-testid=pool-rules-defaults]").TextContent, StringComparison.Ordinal);

        await page.InvokeAsync(() => row().QuerySelector("[data-testid=pool-rule-edit]")!.Click());
        provider.WaitForElement("input[data-testid=pool-rule-no-follow-up]", TimeSpan.FromSeconds(10));
        await provider.InvokeAsync(() => provider.Find("input[data-testid=pool-rule-no-follow-up]").Change("12"));
        await provider.InvokeAsync(() => provider.Find("[data-testid=pool-rule-save]").Click());

        page.WaitForAssertion(() => Assert.Contains("Own rules", row().TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains("12 days", row().TextContent, StringComparison.Ordinal);
        await using var db = await app.SystemDbAsync();
        var rule = await db.CustomerPoolRules.SingleAsync(r => r.TeamId == db.Teams.Single(t => t.Name == "深圳销售组").Id, Ct);
        Assert.Equal((12, 90, 100), (rule.NoFollowUpDays, rule.NoWonDealDays, rule.ClaimLimit));
    }

    [Fact]
    public async Task HandOverDialog_ManagerSendsWorkToThePool_ShowsCountsThenTheSummary()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Manager);
        var person = await TestLeads.UserIdAsync(app, "zhao.min@demo.test");
        await TestCustomers.AddOwnedCustomerAsync(app, "zhao.min@demo.test", "交接对话框的客户");
        int customers;
        await using (var db = await app.SystemDbAsync())
        {
            customers = await db.Customers.CountAsync(c => c.OwnerId == person, Ct);
        }

        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        var user = new UserDto(person, "赵敏", "zhao.min@demo.test", null, null, "上海销售一组", null, true, ["Rep"], null, app.Clock.GetUtcNow().UtcDateTime);
        await provider.InvokeAsync(() => dialogs.ShowAsync<HandOverDialog>("Hand over", new DialogParameters<HandOverDialog> { { x => x.Person, user } }));
        provider.WaitForElement("[data-testid=handover-counts]", TimeSpan.FromSeconds(10));

        var count = provider.FindAll("[data-testid=handover-count]").Single(c => c.GetAttribute("data-kind") == "customers");
        Assert.Contains($": {customers}", count.TextContent, StringComparison.Ordinal);
        Assert.True(provider.Find("[data-testid=handover-confirm]").HasAttribute("disabled")); // neither colleagues nor the pool yet
        var toPool = provider.Find("[data-testid=handover-to-pool]");
        await provider.InvokeAsync(() => (toPool.TagName == "INPUT" ? toPool : toPool.QuerySelector("input")!).Change(true));
        provider.WaitForAssertion(() => Assert.False(provider.Find("[data-testid=handover-confirm]").HasAttribute("disabled")));
        await provider.InvokeAsync(() => provider.Find("[data-testid=handover-confirm]").Click());

        provider.WaitForElement("[data-testid=handover-summary]", TimeSpan.FromSeconds(10));
        var line = provider.FindAll("[data-testid=handover-summary-line]").Single(l => l.GetAttribute("data-kind") == "customers");
        Assert.Contains("Team pool", line.TextContent, StringComparison.Ordinal);
        Assert.Contains(customers.ToString(System.Globalization.CultureInfo.InvariantCulture), line.TextContent, StringComparison.Ordinal);
        await using var check = await app.SystemDbAsync();
        Assert.Equal(0, await check.Customers.CountAsync(c => c.OwnerId == person, Ct));
    }
}
