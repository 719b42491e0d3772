using System.Security.Claims;
using Bunit;
using LeadToCash.Components.Pages.Customers;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.ListCustomers;
using LeadToCash.Modules.Customers.UpdateCustomer;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Components;

/// <summary>The customer pages rendered over the demo database, signed in as different people.</summary>
public sealed class CustomerPagesTests(AppFactory app) : BunitContext, IClassFixture<AppFactory>
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Database => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    /// <summary>Sets up the component services and signs <paramref name="email"/> in; answers the user as handlers see them.</summary>
    private async Task<CurrentUser> SignInAsync(string email)
    {
        this.AddAppComponents(Database, app.Clock);
        var user = await UserAsync(email);
        this.SignIn(user.Id, email);
        return user;
    }

    private async Task<CurrentUser> UserAsync(string email)
    {
        await using var db = await Database.CreateDbContextAsync(Ct);
        var id = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id.ToString())], "test"));
        return (await new CurrentUserResolver(Database).ResolveAsync(principal, Ct))!;
    }

    private async Task<CustomerDto> FirstCustomerAsync(CurrentUser user, CustomerFilter filter)
    {
        var page = await new ListCustomersHandler(Database).HandleAsync(user, filter, new ListRequest(1), Ct);
        return Assert.Single(page.Items);
    }

    private void Navigate(string uri) => Services.GetRequiredService<NavigationManager>().NavigateTo(uri);

    private IRenderedComponent<CustomerDetail> RenderDetail(Guid id)
    {
        var page = Render<CustomerDetail>(p => p.Add(x => x.Id, id));
        page.WaitForState(() => page.FindAll("[data-testid=customer-title], [data-testid=customer-not-found]").Count > 0, TimeSpan.FromSeconds(10));
        return page;
    }

    [Fact]
    public async Task Detail_PoolCustomerSeenByRep_IsReadOnlyWithoutEditOrDelete()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var pooled = await FirstCustomerAsync(rep, new CustomerFilter(InPool: true));

        var page = RenderDetail(pooled.Id);

        Assert.Equal(pooled.Name, page.Find("[data-testid=customer-title]").TextContent);
        Assert.Contains("Public pool", page.Find("[data-testid=customer-pool]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=customer-read-only]"));
        Assert.Empty(page.FindAll("[data-testid=customer-edit]"));
        Assert.Empty(page.FindAll("[data-testid=customer-delete]"));
    }

    [Fact]
    public async Task Detail_OwnCustomerOfRep_OffersEditButNotDelete()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var own = await FirstCustomerAsync(rep, new CustomerFilter(OwnerId: rep.Id));

        var page = RenderDetail(own.Id);

        Assert.NotNull(page.Find("[data-testid=customer-edit]"));
        Assert.Empty(page.FindAll("[data-testid=customer-delete]")); // reps may not delete customers
        Assert.Empty(page.FindAll("[data-testid=customer-read-only]"));
    }

    [Fact]
    public async Task Detail_TeamCustomerOfManager_OffersEditAndDelete()
    {
        using var culture = ComponentServices.Culture("en-US");
        var manager = await SignInAsync(DemoUsers.Manager);
        var rep = await UserAsync(DemoUsers.Rep);
        var repsCustomer = await FirstCustomerAsync(manager, new CustomerFilter(OwnerId: rep.Id));

        var page = RenderDetail(repsCustomer.Id);

        Assert.NotNull(page.Find("[data-testid=customer-edit]"));
        Assert.NotNull(page.Find("[data-testid=customer-delete]"));
    }

    [Fact]
    public async Task Detail_CustomerOutsideScope_ShowsNotFoundInsteadOfTheRecord()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Rep);
        var admin = await UserAsync(DemoUsers.Admin);
        var southRep = await UserAsync(DemoUsers.SouthRep);
        var elsewhere = await FirstCustomerAsync(admin, new CustomerFilter(OwnerId: southRep.Id));

        var page = RenderDetail(elsewhere.Id);

        Assert.Contains("This record does not exist or you cannot see it.", page.Find("[data-testid=customer-not-found]").TextContent,
            StringComparison.Ordinal);
        Assert.DoesNotContain(elsewhere.Name, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detail_HistoryTab_ListsTheChangeWithWhoBeforeAndAfter()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var own = await FirstCustomerAsync(rep, new CustomerFilter(OwnerId: rep.Id));
        await new UpdateCustomerHandler(Database, app.Clock).HandleAsync(rep, own.Id,
            new UpdateCustomerRequest(own.Name, own.Industry, "Kunshan", own.Phone, own.Website, own.Address, own.SourceChannel, own.Notes),
            own.Version, Ct);
        var page = RenderDetail(own.Id);

        // Find and click in one dispatch: the page may still re-render after its first data arrives.
        await page.InvokeAsync(() => page.FindAll(".mud-tab").Single(t => t.TextContent.Contains("History", StringComparison.Ordinal)).Click());

        page.WaitForElement("[data-testid=history-table]");
        var change = page.FindAll("[data-testid=history-table] tbody tr")
            .Single(r => r.TextContent.Contains("Kunshan", StringComparison.Ordinal));
        Assert.Contains("张伟", change.TextContent, StringComparison.Ordinal);
        Assert.Contains("Region", change.TextContent, StringComparison.Ordinal);
        Assert.Contains(own.Region ?? "—", change.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detail_HistoryTab_ShowsTheParentCompanyByNameAndTheSizeByItsLabel()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var own = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.Rep, "历史页签子公司");
        var parent = await TestCustomers.AddOwnedCustomerAsync(app, DemoUsers.Rep, "历史页签集团");
        await new UpdateCustomerHandler(Database, app.Clock).HandleAsync(rep, own.Id,
            new UpdateCustomerRequest(own.Name, Size: "1000+", ParentId: parent.Id), own.Version, Ct);
        var page = RenderDetail(own.Id);

        await page.InvokeAsync(() => page.FindAll(".mud-tab").Single(t => t.TextContent.Contains("History", StringComparison.Ordinal)).Click());

        page.WaitForElement("[data-testid=history-table]");
        var rows = page.FindAll("[data-testid=history-table] tbody tr").Select(r => r.TextContent).ToList();
        var parentRow = Assert.Single(rows, r => r.Contains("Parent company", StringComparison.Ordinal));
        Assert.Contains("历史页签集团", parentRow, StringComparison.Ordinal);
        Assert.DoesNotContain(parent.Id.ToString(), parentRow, StringComparison.Ordinal);
        var sizeRow = Assert.Single(rows, r => r.Contains("Company size", StringComparison.Ordinal));
        Assert.Contains("1000 or more", sizeRow, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_SearchWithoutMatches_ExplainsAndOffersToClearTheFilters()
    {
        using var culture = ComponentServices.Culture("en-US");
        await SignInAsync(DemoUsers.Rep);

        Navigate("/customers?q=no-such-customer-anywhere");

        var page = Render<CustomerList>();

        page.WaitForElement("[data-testid=customers-empty]", TimeSpan.FromSeconds(10));
        var empty = page.Find("[data-testid=customers-empty]").TextContent;
        Assert.Contains("No customers match these filters.", empty, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=customers-clear-filters]"));
        Assert.Equal("0 records", page.Find("[data-testid=customer-count]").TextContent);
    }

    [Fact]
    public async Task List_OwnerFromQueryString_ShowsOnlyThatOwnersCustomersAndTheirCount()
    {
        using var culture = ComponentServices.Culture("en-US");
        var rep = await SignInAsync(DemoUsers.Rep);
        var expected = await new ListCustomersHandler(Database).HandleAsync(rep, new CustomerFilter(OwnerId: rep.Id), new ListRequest(200), Ct);

        Navigate($"/customers?ownerId={rep.Id}");

        var page = Render<CustomerList>();

        page.WaitForElement("[data-testid=customer-table]", TimeSpan.FromSeconds(10));
        Assert.Equal($"{expected.Count} records", page.Find("[data-testid=customer-count]").TextContent);
        Assert.Equal("Owner: me", page.Find("[data-testid=customer-owner-filter]").TextContent.Trim());
        var owners = page.FindAll("[data-testid=customer-table] tbody tr td[data-label=Owner]").Select(td => td.TextContent.Trim()).Distinct();
        Assert.Equal(["张伟"], owners);
    }
}
