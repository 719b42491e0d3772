using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Leads.Settings;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Api;

/// <summary>The lead rules an Admin edits, each team's automatic confirmation and each rep's availability.</summary>
[DatabaseTest]
public sealed class LeadSettingsApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Url = "/api/v1/settings/leads";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UpdateLeadSettings_FirstSaveThenChangeThenStaleVersion_CreatesUpdatesThen409()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var defaults = await admin.GetJsonAsync<LeadSettingsDto>(Url);

        var created = await (await admin.PutAsJsonAsync(Url, defaults with
        {
            TargetIndustries = ["medical", "software", "medical"],
            BudgetThresholdMinor = 50_000_00,
            GradeAThreshold = 70,
            Strategy = AssignmentStrategy.LeastOpenLeads,
            DigestTime = new TimeOnly(18, 30),
        }, Ct)).ExpectJsonAsync<LeadSettingsDto>();
        var changed = await (await admin.PutAsJsonAsync(Url, created with { DuplicateMode = DuplicateMode.Block, ClaimLimit = 0 }, Ct))
            .ExpectJsonAsync<LeadSettingsDto>();
        var stale = await admin.PutAsJsonAsync(Url, created with { ClaimLimit = 5 }, Ct);

        Assert.Equal(defaults.Version + 1, created.Version);
        Assert.Equal(["medical", "software"], created.TargetIndustries);
        Assert.Equal(50_000_00, created.BudgetThresholdMinor);
        Assert.Equal(AssignmentStrategy.LeastOpenLeads, created.Strategy);
        Assert.Equal(created.Version + 1, changed.Version);
        Assert.Equal(DuplicateMode.Block, changed.DuplicateMode);
        await stale.ExpectProblemAsync(HttpStatusCode.Conflict);
        var read = await admin.GetJsonAsync<LeadSettingsDto>(Url);
        AssertSame(changed, read);
        Assert.Equal(new TimeOnly(18, 30), read.DigestTime);
        await using var db = await app.SystemDbAsync();
        Assert.Equal(1, await db.LeadSettings.CountAsync(Ct));
        var rules = await LeadDesk.RulebookAsync(db, Ct);
        Assert.Equal(70, rules.Settings.GradeAThreshold);
    }

    [Fact]
    public async Task UpdateLeadSettings_InvalidValues_Returns400NamingEachField()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var current = await admin.GetJsonAsync<LeadSettingsDto>(Url);

        var response = await admin.PutAsJsonAsync(Url, current with
        {
            GradeAThreshold = 40,
            GradeBThreshold = 60,
            IndustryPoints = 101,
            FirstTouchHoursA = 0,
            PoolReturnDays = -1,
            ScreeningMinutes = 0,
            BudgetThresholdMinor = -5,
            TargetIndustries = ["software", "space-tourism"],
        }, Ct);

        Assert.Contains(await response.ExpectFieldErrorAsync("gradeAThreshold"), m => m.Contains("higher than the B threshold", StringComparison.Ordinal));
        await response.ExpectFieldErrorAsync("industryPoints");
        await response.ExpectFieldErrorAsync("firstTouchHoursA");
        await response.ExpectFieldErrorAsync("poolReturnDays");
        await response.ExpectFieldErrorAsync("screeningMinutes");
        await response.ExpectFieldErrorAsync("budgetThresholdMinor");
        Assert.Contains(await response.ExpectFieldErrorAsync("targetIndustries"), m => m.Contains("space-tourism", StringComparison.Ordinal));
        AssertSame(current, await admin.GetJsonAsync<LeadSettingsDto>(Url));
    }

    [Fact]
    public async Task UpdateLeadSettings_ThresholdAbove100_Returns400()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var current = await admin.GetJsonAsync<LeadSettingsDto>(Url);

        var response = await admin.PutAsJsonAsync(Url, current with { GradeAThreshold = 120 }, Ct);

        await response.ExpectFieldErrorAsync("gradeAThreshold");
    }

    [Fact]
    public async Task UpdateLeadSettings_ManagerOrRep_Returns403()
    {
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var current = await rep.GetJsonAsync<LeadSettingsDto>(Url);

        var byManager = await manager.PutAsJsonAsync(Url, current with { ClaimLimit = 99 }, Ct);
        var byRep = await rep.PutAsJsonAsync(Url, current with { ClaimLimit = 99 }, Ct);
        var teamByManager = await manager.PutAsJsonAsync($"{Url}/teams/{await TeamIdAsync("上海销售一组")}", new SetTeamAutoConfirmRequest(true), Ct);
        var rosterByRep = await rep.GetAsync($"{Url}/roster", Ct);

        await byManager.ExpectProblemAsync(HttpStatusCode.Forbidden);
        await byRep.ExpectProblemAsync(HttpStatusCode.Forbidden);
        await teamByManager.ExpectProblemAsync(HttpStatusCode.Forbidden);
        await rosterByRep.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SetTeamAutoConfirm_Admin_TheRosterShowsIt()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var team = await TeamIdAsync("上海销售二组");

        var set = await (await admin.PutAsJsonAsync($"{Url}/teams/{team}", new SetTeamAutoConfirmRequest(true), Ct)).ExpectJsonAsync<LeadTeamDto>();
        var roster = await admin.GetJsonAsync<LeadRosterDto>($"{Url}/roster");
        var unknown = await admin.PutAsJsonAsync($"{Url}/teams/{Guid.NewGuid()}", new SetTeamAutoConfirmRequest(true), Ct);

        Assert.True(set.AutoConfirmGrades);
        Assert.True(roster.Teams.Single(t => t.TeamId == team).AutoConfirmGrades);
        Assert.False(roster.Teams.Single(t => t.Name == "上海销售一组").AutoConfirmGrades);
        await unknown.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Roster_Manager_ListsOnlyTheRepsOfTheirTeamsWithSeniorityAndLoad()
    {
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        var mine = await manager.GetJsonAsync<LeadRosterDto>($"{Url}/roster");
        var all = await admin.GetJsonAsync<LeadRosterDto>($"{Url}/roster");

        Assert.Contains(mine.Reps, r => r.DisplayName == "张伟");
        Assert.Contains(mine.Reps, r => r.DisplayName == "刘洋");
        Assert.All(mine.Reps, r => Assert.Equal("上海销售一组", r.TeamName));
        Assert.DoesNotContain(mine.Reps, r => r.DisplayName == "何芸");
        Assert.Contains(all.Reps, r => r.DisplayName == "何芸");
        Assert.True(all.Teams.Count > mine.Teams.Count);
        Assert.All(all.Reps, r => Assert.Equal(r.HireDate is { } hired && hired <= new DateOnly(2025, 11, 25), r.IsSenior));
        Assert.All(all.Reps, r => Assert.True(r.Available));
    }

    [Fact]
    public async Task SetRepAvailability_ManagerForOwnRepThenOtherTeam_Returns200Then403()
    {
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var ownRep = await UserIdAsync(DemoUsers.Rep2);
        var otherRep = await UserIdAsync(DemoUsers.SouthRep);

        var away = await (await manager.PutAsJsonAsync($"{Url}/reps/{ownRep}", new SetRepAvailabilityRequest(true), Ct))
            .ExpectJsonAsync<LeadRosterRepDto>();
        var other = await manager.PutAsJsonAsync($"{Url}/reps/{otherRep}", new SetRepAvailabilityRequest(true), Ct);
        var notARep = await manager.PutAsJsonAsync($"{Url}/reps/{await UserIdAsync(DemoUsers.Assistant)}", new SetRepAvailabilityRequest(true), Ct);

        Assert.False(away.Available);
        Assert.Equal(ownRep, away.UserId);
        await other.ExpectProblemAsync(HttpStatusCode.Forbidden);
        await notARep.ExpectFieldErrorAsync("userId");
        await using var db = await app.SystemDbAsync();
        Assert.True(await db.Users.Where(u => u.Id == ownRep).Select(u => u.UnavailableForLeads).SingleAsync(Ct));
        Assert.False(await db.Users.Where(u => u.Id == otherRep).Select(u => u.UnavailableForLeads).SingleAsync(Ct));
        var desk = new LeadDesk(app.Services.GetRequiredService<IDbContextFactory<LeadToCash.Platform.Data.AppDbContext>>(), app.Clock);
        Assert.DoesNotContain(await desk.RosterAsync(await TeamIdAsync("上海销售一组"), Ct), r => r.UserId == ownRep);
        // Back from leave, so that the other tests of this class see the demo roster.
        await (await manager.PutAsJsonAsync($"{Url}/reps/{ownRep}", new SetRepAvailabilityRequest(false), Ct)).ExpectAsync(HttpStatusCode.OK);
    }

    /// <summary>Records compare their lists by reference; the settings are the same when the values and the codes are.</summary>
    internal static void AssertSame(LeadSettingsDto expected, LeadSettingsDto actual)
    {
        Assert.Equal(expected with { TargetIndustries = [] }, actual with { TargetIndustries = [] });
        Assert.Equal(expected.TargetIndustries, actual.TargetIndustries);
    }

    private async Task<Guid> TeamIdAsync(string name)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Teams.Where(t => t.Name == name).Select(t => t.Id).SingleAsync(Ct);
    }

    private async Task<Guid> UserIdAsync(string email)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
    }
}

/// <summary>On its own database: the other settings tests save the rules.</summary>
[DatabaseTest]
public sealed class LeadSettingsDefaultsApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Url = "/api/v1/settings/leads";

    [Fact]
    public async Task GetLeadSettings_NeverSaved_ReturnsTheDefaultsAtVersion0()
    {
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var settings = await rep.GetJsonAsync<LeadSettingsDto>(Url);

        Assert.Equal(0, settings.Version);
        LeadSettingsApiTests.AssertSame(LeadSettingsDto.From(new LeadSettings()), settings);
        Assert.Equal(["manufacturing", "software"], settings.TargetIndustries);
        Assert.Equal(100_000_00, settings.BudgetThresholdMinor);
        Assert.Equal(DuplicateMode.Warn, settings.DuplicateMode);
    }
}
