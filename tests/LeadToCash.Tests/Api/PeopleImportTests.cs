using System.Net;
using System.Text;
using LeadToCash.Modules.Organization;
using LeadToCash.Modules.Organization.ImportPeople;
using LeadToCash.Modules.Organization.Users;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Import;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Api;

/// <summary>
/// People and teams through the import pipeline: the public Maven sample's sales teams (managers named only in a column,
/// regional offices as teams), a Chinese file with roles matched to the system's, bad rows and people who already exist.
/// </summary>
[DatabaseTest]
public sealed class PeopleImportTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Url = "/api/v1/users/imports";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Import_MavenSalesTeams_AgentsManagersAndTeamsCreatedAndARerunAddsNothing()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var file = await TestImports.FileAsync("maven-sales-teams.csv");
        var rows = await TestImports.CsvAsync("maven-sales-teams.csv");
        var managers = rows.Select(r => r["manager"]).Distinct().ToList();
        var offices = rows.Select(r => r["regional_office"]).Distinct().ToList();
        await using var db = await app.SystemDbAsync();
        var usersBefore = await db.Users.CountAsync(Ct);
        var teamsBefore = await db.Teams.CountAsync(Ct);

        var job = await TestImports.UploadOkAsync(admin, Url, file, "sales_teams.csv");

        Assert.Equal(["name", "manager", "team"], job.Columns!.Select(c => c.Field));
        Assert.All(job.Preview!, r => Assert.Equal(RowOutcome.Ready, r.Outcome));
        Assert.Contains("Central · Dustin Brinkmann", job.Preview![0].Message, StringComparison.Ordinal);
        Assert.Empty(job.Values!);
        var done = await TestImports.StartAndWaitAsync(app, admin, Url, job.Id, new StartImportRequest());

        Assert.Equal((ImportStatus.Completed, rows.Count, rows.Count, 0, 0), (done.Status, done.TotalRows, done.CreatedRows, done.DuplicateRows, done.RejectedRows));
        Assert.Equal(usersBefore + rows.Count + managers.Count, await db.Users.CountAsync(Ct));
        Assert.Equal(teamsBefore + offices.Count + managers.Count, await db.Teams.CountAsync(Ct));
        var root = await db.Teams.SingleAsync(t => t.ParentId == null, Ct);
        var people = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.DisplayName, Ct);
        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Name, Ct);
        var roles = (await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(Ct))
            .ToLookup(x => x.UserId, x => x.Name);
        foreach (var office in offices)
        {
            Assert.Equal((root.Id, TeamKind.Region), (teams[office].ParentId, teams[office].Kind));
        }

        foreach (var row in rows)
        {
            var agent = people[row["sales_agent"]];
            var manager = people[row["manager"]];
            var sub = teams[$"{row["regional_office"]} · {row["manager"]}"];
            Assert.Equal((sub.Id, teams[row["regional_office"]].Id, manager.Id), (agent.TeamId!.Value, sub.ParentId!.Value, sub.HeadUserId!.Value));
            Assert.Equal(sub.Id, manager.TeamId);
            Assert.Equal([Roles.Rep], roles[agent.Id]);
            Assert.Equal([Roles.Manager], roles[manager.Id]);
            Assert.EndsWith("@" + PeopleImporter.PlaceholderDomain, agent.Email, StringComparison.Ordinal);
            Assert.Equal((true, true, (string?)null, false), (agent.IsActive, agent.UnavailableForLeads, agent.PasswordHash, agent.EmailConfirmed));
        }

        // The organisation answers who manages whom: the head of the agent's sub-team.
        var anna = people["Anna Snelling"];
        var answered = await admin.GetJsonAsync<UserDto>($"/api/v1/users/{anna.Id}");
        Assert.Equal((people["Dustin Brinkmann"].Id, "Central · Dustin Brinkmann"), (answered.ManagerId!.Value, answered.TeamName));

        // Nobody can sign in as an imported person.
        using var anonymous = app.AnonymousClient();
        using var signIn = await anonymous.PostAsync("/api/v1/auth/token", JsonContent(anna.Email!), Ct);
        Assert.False(signIn.IsSuccessStatusCode);

        var again = await TestImports.UploadOkAsync(admin, Url, file, "sales_teams (2).csv");
        Assert.All(again.Preview!, r => Assert.Equal(RowOutcome.AlreadyImported, r.Outcome));
        var rerun = await TestImports.StartAndWaitAsync(app, admin, Url, again.Id, new StartImportRequest());

        Assert.Equal((ImportStatus.Completed, 0, rows.Count, 0), (rerun.Status, rerun.CreatedRows, rerun.DuplicateRows, rerun.RejectedRows));
        Assert.Equal(usersBefore + rows.Count + managers.Count, await db.Users.CountAsync(Ct));
        Assert.Equal(teamsBefore + offices.Count + managers.Count, await db.Teams.CountAsync(Ct));
    }

    [Fact]
    public async Task Import_ChineseFileWithRoles_MatchesRolesRejectsBadRowsAndSkipsExistingPeople()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var csv = string.Join("\n",
            "姓名,邮箱,上级,团队,角色",
            "王导入经理,wang.dr@import.test,,华北大区,经理",
            "李导入销售,li.dr@import.test,王导入经理,华北大区,销售代表",
            "赵导入助理,zhao.dr@import.test,王导入经理,华北大区,实习生",
            ",x.dr@import.test,,,",
            "张伟,,,,",
            "钱导入新人,bad-email,,,",
            "李导入销售,,,,");

        var job = await TestImports.UploadOkAsync(admin, Url, Encoding.UTF8.GetBytes(csv), "人员.csv");

        Assert.Equal(["name", "email", "manager", "team", "role"], job.Columns!.Select(c => c.Field));
        var roleValues = Assert.Single(job.Values!);
        Assert.Equal("role", roleValues.Field);
        Assert.Equal(Roles.All.Order(), roleValues.Targets!.Select(t => t.Key).Order());
        Assert.Equal([("实习生", (string?)null), ("经理", Roles.Manager), ("销售代表", Roles.Rep)],
            roleValues.Values.Select(v => (v.Value, v.Target)).OrderBy(v => v.Value, StringComparer.Ordinal));
        var preview = job.Preview!.ToDictionary(r => r.Row);
        Assert.Equal((RowOutcome.Rejected, "Role “实习生” is not mapped"), (preview[4].Outcome, preview[4].Message));

        // Matching the value makes the row importable; starting without that choice rejects it again.
        var chosen = await TestImports.PreviewAsync(admin, Url, job.Id, new StartImportRequest(job.Columns!.Select(c => c.Field).ToList(),
            Values: new Dictionary<string, IReadOnlyDictionary<string, string?>> { ["role"] = new Dictionary<string, string?> { ["实习生"] = Roles.Assistant } }));
        Assert.Equal(RowOutcome.Ready, chosen.Preview!.Single(r => r.Row == 4).Outcome);
        Assert.Equal(Roles.Assistant, chosen.Values!.Single().Values.Single(v => v.Value == "实习生").Target);

        var done = await TestImports.StartAndWaitAsync(app, admin, Url, job.Id, new StartImportRequest());

        Assert.Equal((2, 2, 3), (done.CreatedRows, done.DuplicateRows, done.RejectedRows));
        await using var db = await app.SystemDbAsync();
        var wang = await db.Users.SingleAsync(u => u.DisplayName == "王导入经理", Ct);
        var li = await db.Users.SingleAsync(u => u.DisplayName == "李导入销售", Ct);
        var north = await db.Teams.SingleAsync(t => t.Name == "华北大区", Ct);
        var sub = await db.Teams.SingleAsync(t => t.Name == "华北大区 · 王导入经理", Ct);
        Assert.Equal((north.Id, "wang.dr@import.test", true), (wang.TeamId!.Value, wang.Email, wang.EmailConfirmed));
        Assert.Equal((sub.Id, north.Id, wang.Id), (li.TeamId!.Value, sub.ParentId!.Value, sub.HeadUserId!.Value));
        Assert.Equal([Roles.Manager], await RolesAsync(db, wang.Id));
        Assert.Equal([Roles.Rep], await RolesAsync(db, li.Id));
        Assert.Equal(1, await db.Users.CountAsync(u => u.DisplayName == "张伟", Ct));
        Assert.False(await db.Users.AnyAsync(u => u.DisplayName == "赵导入助理" || u.DisplayName == "钱导入新人", Ct));
    }

    [Fact]
    public async Task Upload_Manager_IsForbidden()
    {
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        var response = await TestImports.UploadAsync(manager, Url, Encoding.UTF8.GetBytes("姓名\n某人\n"), "a.csv");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static async Task<List<string>> RolesAsync(AppDbContext db, Guid userId) =>
        await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == userId select r.Name!).ToListAsync(Ct);

    private static StringContent JsonContent(string email) =>
        new($$"""{"email":"{{email}}","password":"any-password-at-all"}""", Encoding.UTF8, "application/json");
}
