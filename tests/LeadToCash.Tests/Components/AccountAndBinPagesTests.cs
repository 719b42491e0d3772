using System.Security.Claims;
using Bunit;
using LeadToCash.Components.Pages.Account;
using LeadToCash.Components.Pages.Audit;
using LeadToCash.Modules.Customers.DeleteCustomer;
using LeadToCash.Modules.Customers.GetCustomer;
using LeadToCash.Modules.Customers.ListCustomers;
using LeadToCash.Modules.Organization.Tokens;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LeadToCash.Tests.Components;

/// <summary>The access-token and recycle-bin pages over the demo database.</summary>
public sealed class AccountAndBinPagesTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private async Task<CurrentUser> SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        await using var db = await Database.CreateDbContextAsync(Ct);
        var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
        this.SignIn(id, email);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id.ToString())], "test"));
        return (await new CurrentUserResolver(Database).ResolveAsync(principal, Ct))!;
    }

    [Fact]
    public async Task Tokens_UserWithoutTokens_ShowsEmptyStateThatOffersToCreateOne()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Finance);

        var page = Render<PersonalTokens>();

        page.WaitForElement("[data-testid=tokens-empty]", TimeSpan.FromSeconds(10));
        var empty = page.Find("[data-testid=tokens-empty]");
        Assert.Contains("You have no API tokens yet.", empty.TextContent, StringComparison.Ordinal);
        Assert.Contains("New token", empty.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_ActiveAndRevoked_ShowStatusAndOfferRevokeOnlyForTheActiveOne()
    {
        using var culture = ComponentServices.Culture("en-US");
        var user = await SignInAsync(DemoUsers.Rep2);
        var handler = new PersonalTokensHandler(Database, app.Clock);
        await handler.CreateAsync(user, new CreateTokenRequest("Nightly sync", 30), Ct);
        var old = await handler.CreateAsync(user, new CreateTokenRequest("Old laptop"), Ct);
        await handler.RevokeAsync(user, old.Token.Id, Ct);

        var page = Render<PersonalTokens>();

        page.WaitForElement("[data-testid=token-table]", TimeSpan.FromSeconds(10));
        var rows = page.FindAll("[data-testid=token-table] tbody tr");
        var active = rows.Single(r => r.TextContent.Contains("Nightly sync", StringComparison.Ordinal));
        var revoked = rows.Single(r => r.TextContent.Contains("Old laptop", StringComparison.Ordinal));
        Assert.Contains("Active", active.TextContent, StringComparison.Ordinal);
        Assert.NotNull(active.QuerySelector("[data-testid=token-revoke]"));
        Assert.Contains("Revoked", revoked.TextContent, StringComparison.Ordinal);
        Assert.Null(revoked.QuerySelector("[data-testid=token-revoke]"));
        Assert.Contains(old.Token.Prefix + "…", revoked.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(old.Secret, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenDialog_Create_ShowsTheSecretOnceWithWarning()
    {
        using var culture = ComponentServices.Culture("en-US");
        var user = await SignInAsync(DemoUsers.Assistant);
        var providers = this.RenderProviders();
        await providers.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<TokenCreateDialog>(""));
        providers.WaitForElement("input[data-testid=token-name]");

        await providers.Find("input[data-testid=token-name]").ChangeAsync(new() { Value = "Report script" });
        await providers.Find("[data-testid=token-create]").ClickAsync(new());

        providers.WaitForElement("[data-testid=token-secret]", TimeSpan.FromSeconds(10));
        var secret = providers.Find("[data-testid=token-secret]").TextContent;
        var stored = Assert.Single(await new PersonalTokensHandler(Database, app.Clock).ListAsync(user, null, Ct));
        Assert.Equal("Report script", stored.Name);
        Assert.StartsWith(stored.Prefix, secret, StringComparison.Ordinal);
        Assert.Contains("will not be shown again", providers.Find("[data-testid=token-once]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecycleBin_DeletedCustomer_RestoreBringsItBack()
    {
        using var culture = ComponentServices.Culture("en-US");
        var admin = await SignInAsync(DemoUsers.Admin);
        var customer = Assert.Single((await new ListCustomersHandler(Database)
            .HandleAsync(admin, new CustomerFilter(), new ListRequest(1, Sort: "-createdAt"), Ct)).Items);
        await new DeleteCustomerHandler(Database).HandleAsync(admin, customer.Id, customer.Version, Ct);
        var page = Render<RecycleBin>();
        page.WaitForElement("[data-testid=bin-table]", TimeSpan.FromSeconds(10));
        var row = page.FindAll("[data-testid=bin-table] tbody tr").Single(r => r.TextContent.Contains(customer.Name, StringComparison.Ordinal));
        Assert.Contains("Customer", row.TextContent, StringComparison.Ordinal);

        await row.QuerySelector("[data-testid=bin-restore]")!.ClickAsync(new());

        page.WaitForAssertion(() => Assert.DoesNotContain(customer.Name, page.Markup, StringComparison.Ordinal));
        var restored = await new GetCustomerHandler(Database).HandleAsync(admin, customer.Id, Ct);
        Assert.Equal(customer.OwnerId, restored.OwnerId);
    }

    [Fact]
    public async Task RecycleBin_NothingDeleted_ShowsEmptyState()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Admin);

        var page = Render<RecycleBin>();

        page.WaitForState(() => page.FindAll("[data-testid=bin-empty], [data-testid=bin-table]").Count > 0, TimeSpan.FromSeconds(10));
        Assert.Contains("The recycle bin is empty.", page.Find("[data-testid=bin-empty]").TextContent, StringComparison.Ordinal);
    }
}
