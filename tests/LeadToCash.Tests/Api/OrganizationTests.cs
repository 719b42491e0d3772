using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Audit;
using LeadToCash.Modules.Organization;
using LeadToCash.Modules.Organization.Auth;
using LeadToCash.Modules.Organization.Teams;
using LeadToCash.Modules.Organization.Users;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Api;

/// <summary>Teams, people and roles, and erasing a person's personal data.</summary>
[DatabaseTest]
public sealed class OrganizationTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Password = "a-long-enough-password";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListTeams_AnyUser_ReturnsTheTreeWithHeads()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var teams = await rep.GetJsonAsync<List<TeamDto>>("/api/v1/teams");

        var company = Assert.Single(teams, t => t.ParentId is null);
        Assert.Equal(TeamKind.Company, company.Kind);
        var sh1 = teams.Single(t => t.Name == "上海销售一组");
        var east = teams.Single(t => t.Name == "华东大区");
        Assert.Equal(east.Id, sh1.ParentId);
        Assert.Equal("李娜", sh1.HeadName);
        Assert.True(sh1.MemberCount >= 5);
        Assert.All(teams.Where(t => t.ParentId is not null), t => Assert.Contains(teams, p => p.Id == t.ParentId));
    }

    [Fact]
    public async Task CreateTeam_UnderARegion_Returns201AndListsIt()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var east = await TeamAsync(admin, "华东大区");

        var response = await admin.PostAsJsonAsync("/api/v1/teams",
            new SaveTeamRequest("  杭州销售组 ", TeamKind.Team, east.Id, null), Ct);

        var created = await response.ExpectJsonAsync<TeamDto>(HttpStatusCode.Created);
        Assert.Equal("杭州销售组", created.Name);
        Assert.Equal(east.Id, created.ParentId);
        Assert.Equal(1, created.Version);
        Assert.Equal(0, created.MemberCount);
        Assert.Contains(await admin.GetJsonAsync<List<TeamDto>>("/api/v1/teams"), t => t.Id == created.Id);
    }

    [Fact]
    public async Task CreateTeam_WithoutParent_Returns400NamingParentId()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var response = await admin.PostAsJsonAsync("/api/v1/teams", new SaveTeamRequest("第二个公司", TeamKind.Company, null, null), Ct);

        await response.ExpectFieldErrorAsync("parentId");
    }

    [Fact]
    public async Task CreateTeam_InactiveOrUnknownHead_Returns400NamingHeadUserId()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var east = await TeamAsync(admin, "华东大区");

        var response = await admin.PostAsJsonAsync("/api/v1/teams", new SaveTeamRequest("无头组", TeamKind.Team, east.Id, Guid.CreateVersion7()), Ct);

        await response.ExpectFieldErrorAsync("headUserId");
    }

    [Fact]
    public async Task CreateTeam_Rep_Returns403()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var east = await TeamAsync(rep, "华东大区");

        var response = await rep.PostAsJsonAsync("/api/v1/teams", new SaveTeamRequest("私自建组", TeamKind.Team, east.Id, null), Ct);

        await response.ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task UpdateTeam_MoveUnderOwnSubTeam_Returns400NamingParentId()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var east = await TeamAsync(admin, "华东大区");
        var sh1 = await TeamAsync(admin, "上海销售一组");

        var underChild = await admin.PutAsJsonAsync($"/api/v1/teams/{east.Id}", Save(east) with { ParentId = sh1.Id }, Ct);
        var underItself = await admin.PutAsJsonAsync($"/api/v1/teams/{east.Id}", Save(east) with { ParentId = east.Id }, Ct);

        await underChild.ExpectFieldErrorAsync("parentId");
        await underItself.ExpectFieldErrorAsync("parentId");
        Assert.Equal(east.ParentId, (await TeamAsync(admin, "华东大区")).ParentId);
    }

    [Fact]
    public async Task UpdateTeam_RenameAndMove_Returns200AtNextVersionWithHistory()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var south = await TeamAsync(admin, "华南大区");
        var created = await (await admin.PostAsJsonAsync("/api/v1/teams", new SaveTeamRequest("广州销售组", TeamKind.Team, south.Id, null), Ct))
            .ExpectJsonAsync<TeamDto>(HttpStatusCode.Created);
        var east = await TeamAsync(admin, "华东大区");

        var updated = await (await admin.PutAsJsonAsync($"/api/v1/teams/{created.Id}",
            Save(created) with { Name = "南京销售组", ParentId = east.Id }, Ct)).ExpectJsonAsync<TeamDto>();

        Assert.Equal("南京销售组", updated.Name);
        Assert.Equal(east.Id, updated.ParentId);
        Assert.Equal(2, updated.Version);
        var history = await admin.GetJsonAsync<List<HistoryEntryDto>>($"/api/v1/history/team/{created.Id}");
        Assert.Contains(history, h => h.Field == nameof(Team.Name) && h.OldValue == "广州销售组" && h.NewValue == "南京销售组");
        Assert.Contains(history, h => h.Field == nameof(Team.ParentId) && h.NewValue == east.Id.ToString());
    }

    [Fact]
    public async Task UpdateTeam_StaleVersion_Returns409()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var south = await TeamAsync(admin, "华南大区");
        var created = await (await admin.PostAsJsonAsync("/api/v1/teams", new SaveTeamRequest("厦门销售组", TeamKind.Team, south.Id, null), Ct))
            .ExpectJsonAsync<TeamDto>(HttpStatusCode.Created);
        await (await admin.PutAsJsonAsync($"/api/v1/teams/{created.Id}", Save(created) with { Name = "厦门一组" }, Ct)).ExpectAsync(HttpStatusCode.OK);

        var stale = await admin.PutAsJsonAsync($"/api/v1/teams/{created.Id}", Save(created) with { Name = "厦门二组" }, Ct);

        await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("厦门一组", (await admin.GetJsonAsync<List<TeamDto>>("/api/v1/teams")).Single(t => t.Id == created.Id).Name);
    }

    [Fact]
    public async Task CreateUser_WithRoles_Returns201WithTeamRolesAndManager()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var sh2 = await TeamAsync(admin, "上海销售二组");

        var response = await admin.PostAsJsonAsync("/api/v1/users", new CreateUserRequest("new.rep@demo.test", "新销售",
            Password, sh2.Id, [Roles.Rep], new DateOnly(2026, 11, 1), "139 1234 5678"), Ct);

        var created = await response.ExpectJsonAsync<UserDto>(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/users/{created.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("上海销售二组", created.TeamName);
        Assert.Equal([Roles.Rep], created.Roles);
        Assert.Equal(sh2.HeadUserId, created.ManagerId);
        Assert.True(created.IsActive);
        using var newRep = app.ClientWithToken(await app.SignInAsync("new.rep@demo.test", Password));
        var me = await newRep.GetJsonAsync<MeDto>("/api/v1/me");
        Assert.Equal(Permissions.ForRoles([Roles.Rep]).Order(), me.Permissions);
    }

    [Fact]
    public async Task CreateUser_UnknownRoleOrTeam_Returns400NamingTheField()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var sh2 = await TeamAsync(admin, "上海销售二组");

        var badRole = await admin.PostAsJsonAsync("/api/v1/users",
            new CreateUserRequest("bad.role@demo.test", "坏角色", Password, sh2.Id, ["Boss"]), Ct);
        var badTeam = await admin.PostAsJsonAsync("/api/v1/users",
            new CreateUserRequest("bad.team@demo.test", "坏团队", Password, Guid.CreateVersion7(), [Roles.Rep]), Ct);

        await badRole.ExpectFieldErrorAsync("roles[0]");
        await badTeam.ExpectFieldErrorAsync("teamId");
    }

    [Fact]
    public async Task UpdateUser_AddManagerRole_GrantsItsPermissionsAtOnce()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var (id, email) = await CreateUserAsync("promoted");
        using var user = app.ClientWithToken(await app.SignInAsync(email, Password));
        var before = await user.GetJsonAsync<MeDto>("/api/v1/me");
        var current = await admin.GetJsonAsync<UserDto>($"/api/v1/users/{id}");

        var updated = await (await admin.PutAsJsonAsync($"/api/v1/users/{id}",
            new UpdateUserRequest(current.DisplayName, current.TeamId!.Value, [Roles.Rep, Roles.Manager], current.HireDate, current.Phone), Ct))
            .ExpectJsonAsync<UserDto>();
        var after = await user.GetJsonAsync<MeDto>("/api/v1/me");

        Assert.Equal([Roles.Manager, Roles.Rep], updated.Roles.Order());
        Assert.DoesNotContain(Permissions.CustomersDelete, before.Permissions);
        Assert.Contains(Permissions.CustomersDelete, after.Permissions);
    }

    [Fact]
    public async Task ListUsers_PagedByName_VisitsEveryoneOnceInOrder()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var seen = new List<UserDto>();
        string? cursor = null;
        ListPage<UserDto> page;
        do
        {
            page = await rep.GetJsonAsync<ListPage<UserDto>>($"/api/v1/users?limit=4&sort=name{(cursor is null ? "" : "&cursor=" + cursor)}");
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(page.Count, seen.Count);
        Assert.Equal(seen.Count, seen.Select(u => u.Id).Distinct().Count());
        Assert.Equal(seen.Select(u => u.DisplayName).Order(StringComparer.Ordinal), seen.Select(u => u.DisplayName));
        Assert.Contains(seen, u => u.Email == DemoUsers.Rep2);
    }

    [Fact]
    public async Task ListUsers_TeamFilter_IncludesSubTeamsOnly()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var teams = await rep.GetJsonAsync<List<TeamDto>>("/api/v1/teams");
        var east = teams.Single(t => t.Name == "华东大区");

        var page = await rep.GetJsonAsync<ListPage<UserDto>>($"/api/v1/users?teamId={east.Id}&limit=200");

        Assert.Contains(page.Items, u => u.Email == DemoUsers.Rep);
        Assert.Contains(page.Items, u => u.Email == DemoUsers.Manager2);
        Assert.DoesNotContain(page.Items, u => u.Email == DemoUsers.Finance);
        Assert.DoesNotContain(page.Items, u => u.Email == DemoUsers.SouthRep);
    }

    [Fact]
    public async Task UpdateUser_Rename_HistoryNamesTheAdminWhoChangedIt()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var (id, _) = await CreateUserAsync("renamed");
        var current = await admin.GetJsonAsync<UserDto>($"/api/v1/users/{id}");

        await (await admin.PutAsJsonAsync($"/api/v1/users/{id}",
            new UpdateUserRequest("改名后的同事", current.TeamId!.Value, [Roles.Rep]), Ct)).ExpectAsync(HttpStatusCode.OK);
        var history = await admin.GetJsonAsync<List<HistoryEntryDto>>($"/api/v1/history/user/{id}");

        var rename = Assert.Single(history, h => h.Field == "DisplayName");
        Assert.Equal("改名后的同事", rename.NewValue);
        Assert.Equal("周建国", rename.ChangedByName);
    }

    [Fact]
    public async Task UpdateUser_RemoveRole_TakesItsPermissionsAway()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var (id, email) = await CreateUserAsync("demoted", [Roles.Rep, Roles.Manager]);
        using var user = app.ClientWithToken(await app.SignInAsync(email, Password));
        var current = await admin.GetJsonAsync<UserDto>($"/api/v1/users/{id}");

        await (await admin.PutAsJsonAsync($"/api/v1/users/{id}",
            new UpdateUserRequest(current.DisplayName, current.TeamId!.Value, [Roles.Assistant]), Ct)).ExpectAsync(HttpStatusCode.OK);

        var me = await user.GetJsonAsync<MeDto>("/api/v1/me");
        Assert.Equal([Roles.Assistant], me.Roles);
        Assert.DoesNotContain(Permissions.CustomersEdit, me.Permissions);
    }

    [Fact]
    public async Task UpdateUser_MoveToAnotherTeam_TheirNextRequestSeesTheNewTeam()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var (id, email) = await CreateUserAsync("moved");
        using var user = app.ClientWithToken(await app.SignInAsync(email, Password));
        var before = await user.GetJsonAsync<MeDto>("/api/v1/me");
        var target = await TeamAsync(admin, "深圳销售组");

        await (await admin.PutAsJsonAsync($"/api/v1/users/{id}",
            new UpdateUserRequest(before.DisplayName, target.Id, [Roles.Rep]), Ct)).ExpectAsync(HttpStatusCode.OK);
        var after = await user.GetJsonAsync<MeDto>("/api/v1/me");

        Assert.NotEqual(target.Id, before.TeamId);
        Assert.Equal(target.Id, after.TeamId);
    }

    [Fact]
    public async Task UpdateUser_AdminRemovesOwnAdminRole_Returns400NamingRoles()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var me = await admin.GetJsonAsync<MeDto>("/api/v1/me");
        var current = await admin.GetJsonAsync<UserDto>($"/api/v1/users/{me.Id}");

        var response = await admin.PutAsJsonAsync($"/api/v1/users/{me.Id}",
            new UpdateUserRequest(current.DisplayName, current.TeamId!.Value, [Roles.Director]), Ct);

        await response.ExpectFieldErrorAsync("roles");
    }

    [Fact]
    public async Task ErasePersonalData_User_AnonymisesThePersonAndTheirHistory()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var adminId = (await admin.GetJsonAsync<MeDto>("/api/v1/me")).Id;
        var sh2 = await TeamAsync(admin, "上海销售二组");
        const string email = "wang.wu@demo.test";
        var created = await (await admin.PostAsJsonAsync("/api/v1/users",
            new CreateUserRequest(email, "王五", Password, sh2.Id, [Roles.Rep], Phone: "138 0000 1234"), Ct)).ExpectJsonAsync<UserDto>(HttpStatusCode.Created);
        await (await admin.PutAsJsonAsync($"/api/v1/users/{created.Id}",
            new UpdateUserRequest("王五五", sh2.Id, [Roles.Rep], Phone: "139 0000 5678"), Ct)).ExpectAsync(HttpStatusCode.OK);
        using var session = app.ClientWithToken(await app.SignInAsync(email, Password));
        string[] personal = ["王五", "wang.wu", "138 0000 1234", "139 0000 5678"];
        await using (var db = await app.SystemDbAsync())
        {
            // Arrange check: the history did hold personal values, so the scrub below is real.
            var held = await db.AuditEntries.Where(a => a.EntityId == created.Id).ToListAsync(Ct);
            Assert.Contains(held, a => personal.Any(p => (a.OldValue ?? "").Contains(p, StringComparison.Ordinal)));
        }

        var erase = await admin.PostAsync($"/api/v1/users/{created.Id}/erase", null, Ct);

        await erase.ExpectAsync(HttpStatusCode.NoContent);
        var erased = await admin.GetJsonAsync<UserDto>($"/api/v1/users/{created.Id}");
        Assert.StartsWith(ErasePersonalDataHandler.ErasedValue, erased.DisplayName, StringComparison.Ordinal);
        Assert.EndsWith("@erased.invalid", erased.Email, StringComparison.Ordinal);
        Assert.Null(erased.Phone);
        Assert.False(erased.IsActive);
        await using (var db = await app.SystemDbAsync())
        {
            var all = await db.AuditEntries.AsNoTracking().ToListAsync(Ct);
            var leaks = all.Where(a => personal.Any(p =>
                    (a.OldValue ?? "").Contains(p, StringComparison.OrdinalIgnoreCase) || (a.NewValue ?? "").Contains(p, StringComparison.OrdinalIgnoreCase)))
                .Select(a => $"{a.EntityType}.{a.Field}: '{a.OldValue}' -> '{a.NewValue}'")
                .ToList();
            Assert.True(leaks.Count == 0, "History still holds personal values:\n" + string.Join("\n", leaks));
            var entry = Assert.Single(all, a => a.EntityId == created.Id && a.Action == AuditAction.Erased);
            Assert.Equal(adminId, entry.ChangedBy);
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == created.Id, Ct);
            Assert.Null(user.PasswordHash);
            Assert.NotNull(user.ErasedAt);
            Assert.DoesNotContain(await db.Users.AsNoTracking().Select(u => u.NormalizedEmail).ToListAsync(Ct), e => string.Equals(e, email, StringComparison.OrdinalIgnoreCase));
        }

        using var anonymous = app.AnonymousClient();
        var signIn = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new IssueTokenRequest(email, Password), Ct);
        await signIn.ExpectAsync(HttpStatusCode.Unauthorized);
        await (await session.GetAsync("/api/v1/me", Ct)).ExpectAsync(HttpStatusCode.Unauthorized);
        var history = await admin.GetJsonAsync<List<HistoryEntryDto>>($"/api/v1/history/user/{created.Id}");
        Assert.Contains(history, h => h.Action == AuditAction.Erased);
    }

    [Fact]
    public async Task ErasePersonalData_Twice_Returns409AndErasedUserCannotBeReactivated()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var (id, _) = await CreateUserAsync("erase-twice");
        await (await admin.PostAsync($"/api/v1/users/{id}/erase", null, Ct)).ExpectAsync(HttpStatusCode.NoContent);

        var again = await admin.PostAsync($"/api/v1/users/{id}/erase", null, Ct);
        var reactivate = await admin.PostAsync($"/api/v1/users/{id}/reactivate", null, Ct);

        await again.ExpectProblemAsync(HttpStatusCode.Conflict);
        await reactivate.ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task ErasePersonalData_Yourself_Returns409()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var me = await admin.GetJsonAsync<MeDto>("/api/v1/me");

        var response = await admin.PostAsync($"/api/v1/users/{me.Id}/erase", null, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await admin.GetAsync("/api/v1/me", Ct)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ErasePersonalData_Rep_Returns403()
    {
        var (id, _) = await CreateUserAsync("not-erased");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsync($"/api/v1/users/{id}/erase", null, Ct);

        await response.ExpectAsync(HttpStatusCode.Forbidden);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        Assert.True((await admin.GetJsonAsync<UserDto>($"/api/v1/users/{id}")).IsActive);
    }

    [Fact]
    public async Task ErasePersonalData_UnknownUser_Returns404()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var response = await admin.PostAsync($"/api/v1/users/{Guid.CreateVersion7()}/erase", null, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    private static SaveTeamRequest Save(TeamDto t) => new(t.Name, t.Kind, t.ParentId, t.HeadUserId, t.Version);

    private static async Task<TeamDto> TeamAsync(HttpClient client, string name) =>
        (await client.GetJsonAsync<List<TeamDto>>("/api/v1/teams")).Single(t => t.Name == name);

    private async Task<(Guid Id, string Email)> CreateUserAsync(string name, string[]? roles = null)
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var team = await TeamAsync(admin, "上海销售二组");
        var email = $"{name}.{Guid.NewGuid().ToString("N")[..8]}@demo.test";
        var created = await (await admin.PostAsJsonAsync("/api/v1/users",
            new CreateUserRequest(email, "测试" + name, Password, team.Id, roles ?? [Roles.Rep]), Ct)).ExpectJsonAsync<UserDto>(HttpStatusCode.Created);
        return (created.Id, email);
    }
}
