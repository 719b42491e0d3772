using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Workspace.SavedViews;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.Tests.Api;

[DatabaseTest]
public sealed class SavedViewsApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SavedViews_CreateListDelete_RoundTripsTheQuery()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep2);

        var response = await rep.PostAsJsonAsync("/api/v1/views",
            new CreateSavedViewRequest("leads", "  我的超时A类  ", "?grade=A&sla=overdue&mine=true"), Ct);

        var created = await response.ExpectJsonAsync<SavedViewDto>(HttpStatusCode.Created);
        Assert.Equal("我的超时A类", created.Name);
        Assert.Equal("grade=A&sla=overdue&mine=true", created.Query);
        Assert.Equal("leads", created.List);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, created.CreatedAt);
        var listed = await rep.GetJsonAsync<List<SavedViewDto>>("/api/v1/views?list=leads");
        Assert.Equal(created, Assert.Single(listed));
        Assert.Empty(await rep.GetJsonAsync<List<SavedViewDto>>("/api/v1/views?list=customers"));

        var deleted = await rep.DeleteAsync($"/api/v1/views/{created.Id}", Ct);

        await deleted.ExpectAsync(HttpStatusCode.NoContent);
        Assert.Empty(await rep.GetJsonAsync<List<SavedViewDto>>("/api/v1/views?list=leads"));
    }

    [Fact]
    public async Task SavedViews_SameNameTwiceForOneList_Returns409ButAnotherListOrPersonMayUseIt()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var colleague = await app.ClientForAsync(DemoUsers.Manager);
        var view = new CreateSavedViewRequest("leads", "公海 B 类", "inPool=true&grade=B");
        await (await rep.PostAsJsonAsync("/api/v1/views", view, Ct)).ExpectAsync(HttpStatusCode.Created);

        var again = await rep.PostAsJsonAsync("/api/v1/views", view with { Query = "inPool=true" }, Ct);

        await again.ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await rep.PostAsJsonAsync("/api/v1/views", view with { List = "customers" }, Ct)).ExpectAsync(HttpStatusCode.Created);
        await (await colleague.PostAsJsonAsync("/api/v1/views", view, Ct)).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task SavedViews_AnotherPersonsView_IsNeitherListedNorDeletable()
    {
        using var owner = await app.ClientForAsync(DemoUsers.Assistant);
        using var other = await app.ClientForAsync(DemoUsers.Admin);
        var created = await (await owner.PostAsJsonAsync("/api/v1/views",
            new CreateSavedViewRequest("leads", "待初筛", "screening=awaiting"), Ct)).ExpectJsonAsync<SavedViewDto>(HttpStatusCode.Created);

        var listed = await other.GetJsonAsync<List<SavedViewDto>>("/api/v1/views?list=leads");
        var delete = await other.DeleteAsync($"/api/v1/views/{created.Id}", Ct);

        Assert.DoesNotContain(listed, v => v.Id == created.Id);
        await delete.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(await owner.GetJsonAsync<List<SavedViewDto>>("/api/v1/views?list=leads"), v => v.Id == created.Id);
    }

    [Theory]
    [InlineData("leads", "", "name")]
    [InlineData("leads", "   ", "name")]
    [InlineData("orders", "My view", "list")]
    public async Task SavedViews_InvalidRequest_Returns400NamingTheField(string list, string name, string field)
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync("/api/v1/views", new CreateSavedViewRequest(list, name, "q=x"), Ct);

        await response.ExpectFieldErrorAsync(field);
    }

    [Fact]
    public async Task SavedViews_UnknownList_Returns400()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.GetAsync("/api/v1/views?list=orders", Ct);

        await response.ExpectFieldErrorAsync("list");
    }

    [Fact]
    public async Task SavedViews_Finance_MayKeepViewsToo()
    {
        using var finance = await app.ClientForAsync(DemoUsers.Finance);

        var response = await finance.PostAsJsonAsync("/api/v1/views", new CreateSavedViewRequest("customers", "公海客户", "inPool=true"), Ct);

        await response.ExpectAsync(HttpStatusCode.Created);
    }
}
