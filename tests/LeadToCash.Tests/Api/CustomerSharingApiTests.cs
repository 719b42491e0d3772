using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Audit;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.Collaborators;
using LeadToCash.Modules.Customers.UpdateCustomer;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Api;

/// <summary>Sharing a customer with colleagues (read or edit) through the API, and who may change it.</summary>
[DatabaseTest]
public sealed class CustomerSharingApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Share_OwnerSharesForReading_ColleagueSeesButCannotChangeAndIsNotified()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var south = await app.ClientForAsync(DemoUsers.SouthRep);
        var customer = await TestCustomers.CreateAsync(rep, "共享只读测试有限公司");
        var southId = await TestLeads.UserIdAsync(app, DemoUsers.SouthRep);
        await (await south.GetAsync($"/api/v1/customers/{customer.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);

        var sharing = await (await rep.PutAsJsonAsync($"/api/v1/customers/{customer.Id}/collaborators/{southId}",
            new ShareCustomerRequest(CollaboratorAccess.Read), Ct)).ExpectJsonAsync<CustomerSharingDto>();

        var shared = Assert.Single(sharing.Collaborators);
        Assert.Equal("何芸", shared.DisplayName);
        Assert.Equal("深圳销售组", shared.TeamName);
        Assert.Equal(CollaboratorAccess.Read, shared.Access);
        Assert.True(sharing.CanManage);
        var seen = await south.GetJsonAsync<CustomerDto>($"/api/v1/customers/{customer.Id}");
        Assert.False(seen.CanChange);
        await (await south.PutAsJsonAsync($"/api/v1/customers/{customer.Id}", new UpdateCustomerRequest(seen.Name, Version: seen.Version), Ct))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        await using var db = await app.SystemDbAsync();
        Assert.True(await db.Notifications.AnyAsync(n => n.UserId == southId && n.Kind == CustomerCollaboratorsHandler.SharedNotification
            && n.RecordId == customer.Id, Ct));
    }

    [Fact]
    public async Task Share_ChangedToEdit_ColleagueMayChangeTheCustomerButNotItsSharing()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var south = await app.ClientForAsync(DemoUsers.SouthRep);
        var customer = await TestCustomers.CreateAsync(rep, "共享编辑测试有限公司");
        var southId = await TestLeads.UserIdAsync(app, DemoUsers.SouthRep);
        var rep2Id = await TestLeads.UserIdAsync(app, DemoUsers.Rep2);
        await (await rep.PutAsJsonAsync($"/api/v1/customers/{customer.Id}/collaborators/{southId}",
            new ShareCustomerRequest(CollaboratorAccess.Read), Ct)).ExpectAsync(HttpStatusCode.OK);

        var changed = await (await rep.PutAsJsonAsync($"/api/v1/customers/{customer.Id}/collaborators/{southId}",
            new ShareCustomerRequest(CollaboratorAccess.Edit), Ct)).ExpectJsonAsync<CustomerSharingDto>();

        Assert.Equal(CollaboratorAccess.Edit, Assert.Single(changed.Collaborators).Access);
        var seen = await south.GetJsonAsync<CustomerDto>($"/api/v1/customers/{customer.Id}");
        Assert.True(seen.CanChange);
        await (await south.PutAsJsonAsync($"/api/v1/customers/{customer.Id}",
            new UpdateCustomerRequest(seen.Name, Notes: "edited by a collaborator", Version: seen.Version), Ct)).ExpectAsync(HttpStatusCode.OK);
        var asCollaborator = await south.GetJsonAsync<CustomerSharingDto>($"/api/v1/customers/{customer.Id}/collaborators");
        Assert.False(asCollaborator.CanManage);
        await (await south.PutAsJsonAsync($"/api/v1/customers/{customer.Id}/collaborators/{rep2Id}",
            new ShareCustomerRequest(CollaboratorAccess.Read), Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await south.DeleteAsync($"/api/v1/customers/{customer.Id}/collaborators/{southId}", Ct)).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Unshare_ByTheOwnersManager_ColleagueLosesSightAndHistoryTellsBoth()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var south = await app.ClientForAsync(DemoUsers.SouthRep);
        var customer = await TestCustomers.CreateAsync(rep, "取消共享测试有限公司");
        var southId = await TestLeads.UserIdAsync(app, DemoUsers.SouthRep);
        await (await manager.PutAsJsonAsync($"/api/v1/customers/{customer.Id}/collaborators/{southId}",
            new ShareCustomerRequest(CollaboratorAccess.Edit), Ct)).ExpectAsync(HttpStatusCode.OK);
        await (await south.GetAsync($"/api/v1/customers/{customer.Id}", Ct)).ExpectAsync(HttpStatusCode.OK);

        var after = await (await manager.DeleteAsync($"/api/v1/customers/{customer.Id}/collaborators/{southId}", Ct))
            .ExpectJsonAsync<CustomerSharingDto>();

        Assert.Empty(after.Collaborators);
        await (await south.GetAsync($"/api/v1/customers/{customer.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        var history = await rep.GetJsonAsync<List<HistoryEntryDto>>($"/api/v1/history/customer/{customer.Id}");
        var rows = history.Where(h => h.Field == "Collaborators").ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, h => h.OldValue is null && h.NewValue == "何芸 (Edit)" && h.ChangedByName == "李娜");
        Assert.Contains(rows, h => h.OldValue == "何芸 (Edit)" && h.NewValue is null);
    }

    [Fact]
    public async Task Share_WithTheOwnerOrAnInactiveOrUnknownUser_Returns400NamingUserId()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var customer = await TestCustomers.CreateAsync(rep, "共享校验测试有限公司");
        var repId = await TestLeads.UserIdAsync(app, DemoUsers.Rep);

        var owner = await rep.PutAsJsonAsync($"/api/v1/customers/{customer.Id}/collaborators/{repId}",
            new ShareCustomerRequest(CollaboratorAccess.Read), Ct);
        var unknown = await rep.PutAsJsonAsync($"/api/v1/customers/{customer.Id}/collaborators/{Guid.NewGuid()}",
            new ShareCustomerRequest(CollaboratorAccess.Read), Ct);
        var badAccess = await rep.PutAsync($"/api/v1/customers/{customer.Id}/collaborators/{Guid.NewGuid()}",
            new StringContent("""{"access":"Owner"}""", System.Text.Encoding.UTF8, "application/json"), Ct);

        await owner.ExpectFieldErrorAsync("userId");
        await unknown.ExpectFieldErrorAsync("userId");
        await badAccess.ExpectFieldErrorAsync("access");
    }

    [Fact]
    public async Task Collaborators_HiddenCustomer_Returns404ForListShareAndUnshare()
    {
        var hidden = await TestCustomers.HiddenFromRepAsync(app);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var rep2Id = await TestLeads.UserIdAsync(app, DemoUsers.Rep2);

        await (await rep.GetAsync($"/api/v1/customers/{hidden.Id}/collaborators", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.PutAsJsonAsync($"/api/v1/customers/{hidden.Id}/collaborators/{rep2Id}",
            new ShareCustomerRequest(CollaboratorAccess.Read), Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await rep.DeleteAsync($"/api/v1/customers/{hidden.Id}/collaborators/{rep2Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Share_ColleagueInTheSameTeamWhoSeesItAnyway_RepWithoutTheRightGets403()
    {
        // 刘洋 sees 张伟's customer only when shared; a rep may not share a colleague's customer.
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var rep2 = await app.ClientForAsync(DemoUsers.Rep2);
        var customer = await TestCustomers.CreateAsync(rep, "同组共享测试有限公司");
        await TestCustomers.ShareAsync(app, customer.Id, DemoUsers.Rep2, CollaboratorAccess.Read);
        var southId = await TestLeads.UserIdAsync(app, DemoUsers.SouthRep);

        var response = await rep2.PutAsJsonAsync($"/api/v1/customers/{customer.Id}/collaborators/{southId}",
            new ShareCustomerRequest(CollaboratorAccess.Read), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Share_Finance_Returns403ByPolicy()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var finance = await app.ClientForAsync(DemoUsers.Finance);
        var customer = await TestCustomers.CreateAsync(rep, "财务共享测试有限公司");
        var southId = await TestLeads.UserIdAsync(app, DemoUsers.SouthRep);

        var list = await finance.GetJsonAsync<CustomerSharingDto>($"/api/v1/customers/{customer.Id}/collaborators");
        var share = await finance.PutAsJsonAsync($"/api/v1/customers/{customer.Id}/collaborators/{southId}",
            new ShareCustomerRequest(CollaboratorAccess.Read), Ct);

        Assert.False(list.CanManage);
        await share.ExpectAsync(HttpStatusCode.Forbidden);
    }
}
