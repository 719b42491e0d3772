using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Organization.Users;
using LeadToCash.Tests.Infrastructure;

namespace LeadToCash.Tests.Api;

[DatabaseTest]
public sealed class HealthAndAuthTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task HealthReady_DatabaseUp_ReturnsHealthy()
    {
        using var client = app.AnonymousClient();

        var response = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Me_SignedInAsRep_ReturnsTeamAndRoles()
    {
        using var client = await app.ClientForAsync(DemoUsers.Rep);

        var me = await client.GetFromJsonAsync<MeDto>("/api/v1/me", TestContext.Current.CancellationToken);

        Assert.Equal("张伟", me!.DisplayName);
        Assert.Equal("上海销售一组", me.TeamName);
        Assert.Equal(["Rep"], me.Roles);
    }
}
