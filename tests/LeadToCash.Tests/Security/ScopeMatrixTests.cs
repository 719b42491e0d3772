using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.Collaborators;
using LeadToCash.Modules.Customers.Contacts;
using LeadToCash.Modules.Customers.Merge;
using LeadToCash.Modules.Customers.NeedsAnalyses;
using LeadToCash.Modules.Customers.Pool;
using LeadToCash.Modules.Customers.UpdateCustomer;
using LeadToCash.Modules.Organization.HandOver;
using LeadToCash.Modules.Organization.Users;
using LeadToCash.Modules.Search;
using LeadToCash.Modules.Tasks;
using LeadToCash.Platform.Api;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Cli;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Security;

/// <summary>
/// Who sees which customers, through every door of the API: read, list, count, search, export, change, history.
/// The expected sets are computed here from the organisation in the database, by the rules of the foundation issue,
/// independently of the app's scope code. No test of this class creates or deletes customers.
/// </summary>
[DatabaseTest]
public sealed partial class ScopeMatrixTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string Sh1 = "上海销售一组";
    private const string Sh2 = "上海销售二组";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetCustomer_OtherRepsCustomerInAnotherTeam_Returns404()
    {
        var hidden = await HiddenFromRepAsync();
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.GetAsync($"/api/v1/customers/{hidden.Id}", Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListCustomers_OtherRepsCustomerInAnotherTeam_IsOnNoPage()
    {
        var hidden = await HiddenFromRepAsync();
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var all = await rep.ListAllAsync<CustomerDto>("/api/v1/customers", limit: 7);

        Assert.True(all.Count > 7, "The rep should see several pages of customers.");
        Assert.DoesNotContain(all, c => c.Id == hidden.Id);
        Assert.Equal((await ExpectedVisibleAsync(DemoUsers.Rep)).Order(), all.Select(c => c.Id).Order());
    }

    [Fact]
    public async Task ListCustomers_Count_CountsOnlyWhatTheRepMaySee()
    {
        var expected = await ExpectedVisibleAsync(DemoUsers.Rep);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var page = await rep.GetJsonAsync<ListPage<CustomerDto>>("/api/v1/customers?limit=5");

        Assert.Equal(expected.Count, page.Count);
        Assert.False(page.CountCapped);
        Assert.True(expected.Count < 120);
    }

    [Fact]
    public async Task ListCustomers_SearchForExactNameOfHiddenCustomer_FindsNothing()
    {
        var hidden = await HiddenFromRepAsync();
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var query = "/api/v1/customers?q=" + Uri.EscapeDataString(hidden.Name);

        var asRep = await rep.GetJsonAsync<ListPage<CustomerDto>>(query);
        var asAdmin = await admin.GetJsonAsync<ListPage<CustomerDto>>(query);

        Assert.DoesNotContain(asRep.Items, c => c.Id == hidden.Id);
        Assert.Equal(0, asRep.Count);
        Assert.Contains(asAdmin.Items, c => c.Id == hidden.Id); // the search itself works
    }

    [Fact]
    public async Task ExportCustomers_Csv_HasOnlyTheRepsCustomers()
    {
        var hidden = await HiddenFromRepAsync();
        var expected = await ExpectedVisibleAsync(DemoUsers.Rep);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var csv = await rep.GetStringAsync("/api/v1/customers/export?format=csv", Ct);

        var ids = ExportFiles.ReadCsv(csv).Select(r => Guid.Parse(r["Id"])).ToList();
        Assert.DoesNotContain(hidden.Name, csv, StringComparison.Ordinal);
        Assert.Equal(expected.Order(), ids.Order());
    }

    [Fact]
    public async Task UpdateCustomer_HiddenCustomer_Returns404()
    {
        var hidden = await HiddenFromRepAsync();
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PutAsJsonAsync($"/api/v1/customers/{hidden.Id}",
            new UpdateCustomerRequest(hidden.Name + " (changed)", Version: hidden.Version), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(hidden.Name, (await CustomerAsync(hidden.Id)).Name);
    }

    [Fact]
    public async Task DeleteCustomer_CustomerOfAnotherManagersTeam_Returns404()
    {
        var hidden = await HiddenFromRepAsync();
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        var response = await manager.DeleteAsync($"/api/v1/customers/{hidden.Id}?version={hidden.Version}", Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.False((await CustomerAsync(hidden.Id)).IsDeleted);
    }

    [Fact]
    public async Task Search_ExactNameOrSpellingOfHiddenCustomer_FindsNothing()
    {
        var hidden = await HiddenFromRepAsync();
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);

        foreach (var query in new[] { hidden.Name, hidden.PinyinInitials!.Split(' ')[0], hidden.Pinyin!.Split(' ')[0] })
        {
            var asRep = await rep.GetJsonAsync<SearchResults>("/api/v1/search?limit=50&q=" + Uri.EscapeDataString(query));
            var asAdmin = await admin.GetJsonAsync<SearchResults>("/api/v1/search?limit=50&q=" + Uri.EscapeDataString(query));

            Assert.DoesNotContain(asRep.Customers, c => c.Id == hidden.Id);
            Assert.Contains(asAdmin.Customers, c => c.Id == hidden.Id); // the search itself works
        }
    }

    [Theory]
    [InlineData(DemoUsers.Rep, "s")]
    [InlineData(DemoUsers.Rep, "有限")]
    [InlineData(DemoUsers.Manager2, "h")]
    [InlineData(DemoUsers.Assistant, "s")]
    [InlineData(DemoUsers.EastDirector, "n")]
    [InlineData(DemoUsers.SouthRep, "科技")]
    public async Task Search_DemoUser_NeverReturnsAnInvisibleCustomerOrContact(string email, string query)
    {
        var expected = await ExpectedVisibleAsync(email);
        using var client = await app.ClientForAsync(email);

        var results = await client.GetJsonAsync<SearchResults>("/api/v1/search?limit=50&q=" + Uri.EscapeDataString(query));

        Assert.NotEmpty(results.Customers);
        Assert.Subset(expected, results.Customers.Select(c => c.Id).ToHashSet());
        Assert.All(results.Contacts, c => Assert.Contains(c.CustomerId!.Value, expected));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task MergeCustomers_HiddenSurvivorOrDuplicate_Returns404AndChangesNothing(bool hiddenDuplicate)
    {
        var hidden = await HiddenFromRepAsync();
        Customer own;
        await using (var db = await app.SystemDbAsync())
        {
            var rep = await UserAsync(db, DemoUsers.Rep);
            own = await db.Customers.AsNoTracking().Where(c => c.OwnerId == rep.Id).OrderBy(c => c.Name).FirstAsync(Ct);
        }

        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var (survivor, duplicate) = hiddenDuplicate ? (own, hidden) : (hidden, own);

        var response = await manager.PostAsJsonAsync($"/api/v1/customers/{survivor.Id}/merge",
            new MergeCustomersRequest(duplicate.Id, duplicate.Version, survivor.Version), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.False((await CustomerAsync(hidden.Id)).IsDeleted);
        Assert.False((await CustomerAsync(own.Id)).IsDeleted);
        Assert.Equal(own.Version, (await CustomerAsync(own.Id)).Version);
    }

    [Fact]
    public async Task History_HiddenCustomer_Returns404()
    {
        var hidden = await HiddenFromRepAsync();
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.GetAsync($"/api/v1/history/customer/{hidden.Id}", Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Collaborator_ReadShare_SeesButCannotChange()
    {
        var shared = await ShareWithRepAsync(1, CollaboratorAccess.Read);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var read = await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{shared.Id}");
        var listed = await rep.AllCustomersAsync();
        var change = await rep.PutAsJsonAsync($"/api/v1/customers/{shared.Id}",
            new UpdateCustomerRequest(read.Name, Notes: "read share tries to edit", Version: read.Version), Ct);

        Assert.Equal(shared.Name, read.Name);
        Assert.Contains(listed, c => c.Id == shared.Id);
        await change.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Collaborator_EditShare_CanChange()
    {
        var shared = await ShareWithRepAsync(2, CollaboratorAccess.Edit);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var read = await rep.GetJsonAsync<CustomerDto>($"/api/v1/customers/{shared.Id}");

        var updated = await (await rep.PutAsJsonAsync($"/api/v1/customers/{shared.Id}",
            new UpdateCustomerRequest(read.Name, read.Industry, read.Region, read.Phone, read.Website, read.Address,
                read.SourceChannel, "edited by a collaborator", read.Version), Ct)).ExpectJsonAsync<CustomerDto>();

        Assert.Equal("edited by a collaborator", updated.Notes);
        Assert.Equal(read.Version + 1, updated.Version);
    }

    [Theory]
    [InlineData(DemoUsers.Manager)]
    [InlineData(DemoUsers.Manager2)]
    [InlineData(DemoUsers.Director)]
    [InlineData(DemoUsers.EastDirector)]
    [InlineData(DemoUsers.Rep)]
    [InlineData(DemoUsers.Rep2)]
    [InlineData(DemoUsers.SouthRep)]
    [InlineData(DemoUsers.Assistant)]
    [InlineData("ma.xiaoli@demo.test")]
    [InlineData("marketing@demo.test")]
    [InlineData(DemoUsers.Finance)]
    [InlineData(DemoUsers.Admin)]
    public async Task ListCustomers_DemoUser_SeesExactlyTheirScope(string email)
    {
        var expected = await ExpectedVisibleAsync(email);
        using var client = await app.ClientForAsync(email);

        var first = await client.GetJsonAsync<ListPage<CustomerDto>>("/api/v1/customers?limit=1");
        var all = await client.AllCustomersAsync();

        var ids = all.Select(c => c.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var missing = expected.Except(ids).ToList();
        var extra = ids.Except(expected).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{email}: {missing.Count} expected customers missing, {extra.Count} customers that should be hidden were listed.");
        Assert.Equal(expected.Count, first.Count);
    }

    [Fact]
    public async Task ListCustomers_Manager_SeesOwnTeamsCustomersPoolsAboveAndShared()
    {
        await using var db = await app.SystemDbAsync();
        var sh1 = await db.Teams.SingleAsync(t => t.Name == Sh1, Ct);
        var pathUp = await PathToRootAsync(db, sh1.Id);
        var manager = await UserAsync(db, DemoUsers.Manager);
        var expected = await db.Customers
            .Where(c => (c.OwnerId != null && db.Users.Any(u => u.Id == c.OwnerId && u.TeamId == sh1.Id))
                || (c.OwnerId == null && c.PoolTeamId != null && pathUp.Contains(c.PoolTeamId.Value))
                || db.Collaborators.Any(s => s.RecordId == c.Id && s.UserId == manager.Id))
            .Select(c => c.Id).ToListAsync(Ct);
        using var client = await app.ClientForAsync(DemoUsers.Manager);

        var all = await client.AllCustomersAsync();

        Assert.Equal(expected.Order(), all.Select(c => c.Id).Order());
        Assert.Contains(all, c => c.OwnerId is null);
        Assert.DoesNotContain(all, c => c.OwnerName == "何芸" && !expected.Contains(c.Id));
    }

    [Fact]
    public async Task ListCustomers_Director_SeesEverythingOwnedInTheSubtree()
    {
        await using var db = await app.SystemDbAsync();
        var director = await UserAsync(db, DemoUsers.EastDirector);
        var subtree = await SubtreeAsync(db, director.TeamId!.Value);
        var ownedInSubtree = await db.Customers
            .Where(c => c.OwnerId != null && db.Users.Any(u => u.Id == c.OwnerId && u.TeamId != null && subtree.Contains(u.TeamId.Value)))
            .Select(c => c.Id).ToListAsync(Ct);
        var ownedElsewhere = await db.Customers
            .Where(c => c.OwnerId != null && db.Users.Any(u => u.Id == c.OwnerId && u.TeamId != null && !subtree.Contains(u.TeamId.Value))
                && !db.Collaborators.Any(s => s.RecordId == c.Id && s.UserId == director.Id))
            .Select(c => c.Id).ToListAsync(Ct);
        using var client = await app.ClientForAsync(DemoUsers.EastDirector);

        var ids = (await client.AllCustomersAsync()).Select(c => c.Id).ToHashSet();

        Assert.NotEmpty(ownedInSubtree);
        Assert.NotEmpty(ownedElsewhere);
        Assert.Subset(ids, ownedInSubtree.ToHashSet());
        Assert.Empty(ids.Intersect(ownedElsewhere));
    }

    [Theory]
    [InlineData(DemoUsers.Admin)]
    [InlineData(DemoUsers.Finance)]
    public async Task ListCustomers_AdminOrFinance_SeesAll120(string email)
    {
        using var client = await app.ClientForAsync(email);

        var all = await client.AllCustomersAsync();
        var page = await client.GetJsonAsync<ListPage<CustomerDto>>("/api/v1/customers");

        Assert.Equal(120, all.Select(c => c.Id).Distinct().Count());
        Assert.Equal(120, page.Count);
    }

    [Fact]
    public async Task UpdateCustomer_Finance_Returns403()
    {
        var customer = await HiddenFromRepAsync();
        using var finance = await app.ClientForAsync(DemoUsers.Finance);
        var read = await finance.GetJsonAsync<CustomerDto>($"/api/v1/customers/{customer.Id}");

        var response = await finance.PutAsJsonAsync($"/api/v1/customers/{customer.Id}",
            new UpdateCustomerRequest(read.Name, Notes: "finance tries to edit", Version: read.Version), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ListCustomers_Assistant_SeesPoolsButNoRepsCustomers()
    {
        var expected = await ExpectedVisibleAsync(DemoUsers.Assistant);
        using var assistant = await app.ClientForAsync(DemoUsers.Assistant);

        var all = await assistant.AllCustomersAsync();

        Assert.NotEmpty(all);
        Assert.All(all, c => Assert.Null(c.OwnerId));
        Assert.Equal(expected.Order(), all.Select(c => c.Id).Order());
    }

    [Fact]
    public async Task UpdateUser_RepMovedToAnotherTeam_VisibilityFollowsTheOwnersCurrentTeam()
    {
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var manager2 = await app.ClientForAsync(DemoUsers.Manager2);
        Guid rep2Id, sh2Id;
        List<Guid> rep2Customers, sharedWithManager;
        await using (var db = await app.SystemDbAsync())
        {
            rep2Id = (await UserAsync(db, DemoUsers.Rep2)).Id;
            var managerId = (await UserAsync(db, DemoUsers.Manager)).Id;
            sh2Id = (await db.Teams.SingleAsync(t => t.Name == Sh2, Ct)).Id;
            rep2Customers = await db.Customers.Where(c => c.OwnerId == rep2Id).Select(c => c.Id).ToListAsync(Ct);
            sharedWithManager = await db.Collaborators.Where(s => s.UserId == managerId).Select(s => s.RecordId).ToListAsync(Ct);
        }

        Assert.NotEmpty(rep2Customers);
        var before = await admin.GetJsonAsync<UserDto>($"/api/v1/users/{rep2Id}");
        Assert.Subset((await manager.AllCustomersAsync()).Select(c => c.Id).ToHashSet(), rep2Customers.ToHashSet());

        var moved = await (await admin.PutAsJsonAsync($"/api/v1/users/{rep2Id}",
            new UpdateUserRequest(before.DisplayName, sh2Id, before.Roles, before.HireDate, before.Phone), Ct)).ExpectJsonAsync<UserDto>();

        Assert.Equal(Sh2, moved.TeamName);
        var seenByManager2 = (await manager2.AllCustomersAsync()).Select(c => c.Id).ToHashSet();
        var seenByManager = (await manager.AllCustomersAsync()).Select(c => c.Id).ToHashSet();
        Assert.Subset(seenByManager2, rep2Customers.ToHashSet());
        Assert.Empty(seenByManager.Intersect(rep2Customers.Except(sharedWithManager)));
        await (await manager.GetAsync($"/api/v1/customers/{rep2Customers[0]}", Ct)).ExpectAsync(
            sharedWithManager.Contains(rep2Customers[0]) ? HttpStatusCode.OK : HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(DemoUsers.Rep)]
    [InlineData(DemoUsers.Manager)]
    [InlineData(DemoUsers.EastDirector)]
    [InlineData(DemoUsers.SouthRep)]
    [InlineData(DemoUsers.Assistant)]
    [InlineData(DemoUsers.Finance)]
    [InlineData(DemoUsers.Admin)]
    public async Task ListTasks_DemoUser_SeesExactlyTheTasksOfTheirScope(string email)
    {
        await TasksForEveryoneAsync();
        var expected = await ExpectedVisibleTasksAsync(email);
        using var client = await app.ClientForAsync(email);

        var listed = (await client.ListAllAsync<TaskDto>("/api/v1/tasks")).Select(t => t.Id).ToList();

        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal(expected.Order(), listed.Order());
        Assert.NotEmpty(listed);
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("PUT", "")]
    [InlineData("DELETE", "?version=1")]
    [InlineData("POST", "/complete")]
    [InlineData("POST", "/verify")]
    [InlineData("POST", "/return")]
    public async Task TaskCommands_TaskOfAnotherTeam_Answer404(string method, string suffix)
    {
        var hidden = (await TasksForEveryoneAsync())[DemoUsers.SouthRep];
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/v1/tasks/{hidden}{suffix}");
        if (method is "PUT" or "POST")
        {
            request.Content = suffix switch
            {
                "/complete" => JsonContent.Create(new { note = "x", version = 1 }),
                "/return" => JsonContent.Create(new { reason = "x", version = 1 }),
                "/verify" => JsonContent.Create(new { version = 1 }),
                _ => JsonContent.Create(new { title = "x", dueAt = "2026-12-01T01:00:00Z", version = 1 }),
            };
        }

        var response = await rep.SendAsync(request, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        await using var db = await app.SystemDbAsync();
        var task = await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == hidden, Ct);
        Assert.Equal((1, WorkTaskStatus.Open, false), (task.Version, task.Status, task.IsDeleted));
    }

    /// <summary>One open task for each of several people across the organisation (once per class); their ids by owner.</summary>
    private async Task<Dictionary<string, Guid>> TasksForEveryoneAsync()
    {
        string[] owners = [DemoUsers.Rep, DemoUsers.Rep2, DemoUsers.Manager, DemoUsers.Manager2, "huang.lei@demo.test", DemoUsers.SouthRep,
            "guo.peng@demo.test", DemoUsers.Assistant, DemoUsers.Admin];
        await TaskSeeding.WaitAsync(Ct);
        try
        {
            await using var db = await app.SystemDbAsync();
            var users = await db.Users.Where(u => owners.Contains(u.Email!)).ToDictionaryAsync(u => u.Email!, u => u.Id, Ct);
            var existing = await db.Tasks.Where(t => t.Title.StartsWith("Scope matrix task")).ToListAsync(Ct);
            if (existing.Count == 0)
            {
                existing = [.. owners.Select(o => new WorkTask
                {
                    Title = "Scope matrix task of " + o,
                    DueAt = app.Clock.GetUtcNow().UtcDateTime.AddDays(1),
                    OwnerId = users[o],
                })];
                db.Tasks.AddRange(existing);
                await db.SaveChangesAsync(Ct);
            }

            return owners.ToDictionary(o => o, o => existing.Single(t => t.OwnerId == users[o]).Id);
        }
        finally
        {
            TaskSeeding.Release();
        }
    }

    private static readonly SemaphoreSlim TaskSeeding = new(1, 1);

    /// <summary>The tasks <paramref name="email"/> may see: their own; a manager's or director's teams' people's; all for Admin and Finance.</summary>
    private async Task<HashSet<Guid>> ExpectedVisibleTasksAsync(string email)
    {
        await using var db = await app.SystemDbAsync();
        var user = await UserAsync(db, email);
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == user.Id
                           select r.Name!).ToListAsync(Ct);
        var tasks = await db.Tasks.Select(t => new { t.Id, t.OwnerId }).ToListAsync(Ct);
        if (roles.Contains(Roles.Admin) || roles.Contains(Roles.Finance))
        {
            return tasks.Select(t => t.Id).ToHashSet();
        }

        var teamOf = await db.Users.ToDictionaryAsync(u => u.Id, u => u.TeamId, Ct);
        var below = new List<Guid>();
        if (roles.Contains(Roles.Manager) || roles.Contains(Roles.Director))
        {
            if (user.TeamId is { } team)
            {
                below.AddRange(await SubtreeAsync(db, team));
            }

            foreach (var headed in await db.Teams.Where(t => t.HeadUserId == user.Id).Select(t => t.Id).ToListAsync(Ct))
            {
                below.AddRange(await SubtreeAsync(db, headed));
            }
        }

        return tasks.Where(t => t.OwnerId == user.Id || (t.OwnerId is { } owner && teamOf[owner] is { } ownerTeam && below.Contains(ownerTeam)))
            .Select(t => t.Id).ToHashSet();
    }

    [Fact]
    public async Task CustomerRecords_HiddenCustomer_Return404ThroughEveryDoor()
    {
        var hidden = await HiddenFromRepAsync();
        Guid contactId;
        await using (var db = await app.SystemDbAsync())
        {
            contactId = await db.Contacts.Where(c => c.CustomerId == hidden.Id).Select(c => c.Id).FirstAsync(Ct);
        }

        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var rep2 = await TestLeads.UserIdAsync(app, DemoUsers.Rep2);
        var baseUrl = $"/api/v1/customers/{hidden.Id}";

        HttpResponseMessage[] answers =
        [
            await rep.GetAsync($"{baseUrl}/contacts", Ct),
            await rep.GetAsync($"{baseUrl}/contacts/{contactId}", Ct),
            await rep.PostAsJsonAsync($"{baseUrl}/contacts", new ContactRequest("scope"), Ct),
            await rep.PutAsJsonAsync($"{baseUrl}/contacts/{contactId}", new ContactRequest("scope", Version: 1), Ct),
            await rep.DeleteAsync($"{baseUrl}/contacts/{contactId}?version=1", Ct),
            await rep.GetAsync($"{baseUrl}/needs-analyses", Ct),
            await rep.PostAsJsonAsync($"{baseUrl}/needs-analyses", new NeedsAnalysisRequest("scope", now.AddHours(-1)), Ct),
            await rep.GetAsync($"{baseUrl}/collaborators", Ct),
            await rep.PutAsJsonAsync($"{baseUrl}/collaborators/{rep2}", new ShareCustomerRequest(CollaboratorAccess.Read), Ct),
        ];

        foreach (var answer in answers)
        {
            await answer.ExpectProblemAsync(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task CustomerRecords_ReadShare_ReadsButChangesAnswer403()
    {
        var shared = await ShareWithRepAsync(3, CollaboratorAccess.Read);
        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var rep2 = await TestLeads.UserIdAsync(app, DemoUsers.Rep2);
        var baseUrl = $"/api/v1/customers/{shared.Id}";

        var contacts = await rep.GetJsonAsync<List<ContactDto>>($"{baseUrl}/contacts");
        var sharing = await rep.GetJsonAsync<CustomerSharingDto>($"{baseUrl}/collaborators");
        HttpResponseMessage[] changes =
        [
            await rep.PostAsJsonAsync($"{baseUrl}/contacts", new ContactRequest("scope"), Ct),
            await rep.PutAsJsonAsync($"{baseUrl}/contacts/{contacts[0].Id}", new ContactRequest("scope", Version: contacts[0].Version), Ct),
            await rep.PostAsJsonAsync($"{baseUrl}/needs-analyses", new NeedsAnalysisRequest("scope", now.AddHours(-1)), Ct),
            await rep.PutAsJsonAsync($"{baseUrl}/collaborators/{rep2}", new ShareCustomerRequest(CollaboratorAccess.Read), Ct),
        ];

        Assert.NotEmpty(contacts);
        Assert.False(sharing.CanManage);
        foreach (var answer in changes)
        {
            await answer.ExpectProblemAsync(HttpStatusCode.Forbidden);
        }
    }

    [Theory]
    [InlineData(DemoUsers.Manager)]
    [InlineData(DemoUsers.EastDirector)]
    [InlineData(DemoUsers.Rep)]
    [InlineData(DemoUsers.SouthRep)]
    [InlineData(DemoUsers.Assistant)]
    [InlineData(DemoUsers.Admin)]
    public async Task ListNeedsAnalyses_DemoUser_SeesExactlyThoseOfTheirCustomers(string email)
    {
        var visible = await ExpectedVisibleAsync(email);
        await using var db = await app.SystemDbAsync();
        var expected = (await db.NeedsAnalyses.Select(n => new { n.Id, n.CustomerId }).ToListAsync(Ct))
            .Where(n => visible.Contains(n.CustomerId)).Select(n => n.Id).ToList();
        using var client = await app.ClientForAsync(email);

        var all = await client.ListAllAsync<NeedsAnalysisDto>("/api/v1/needs-analyses", limit: 7);

        Assert.Equal(expected.Order(), all.Select(n => n.Id).Order());
    }

    [Fact]
    public async Task ClaimCustomer_HiddenCustomer_Returns404AndStaysWithItsOwner()
    {
        var hidden = await HiddenFromRepAsync();
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsync($"/api/v1/customers/{hidden.Id}/claim", null, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(hidden.OwnerId, (await CustomerAsync(hidden.Id)).OwnerId);
    }

    [Fact]
    public async Task ReleaseCustomer_HiddenCustomer_Returns404()
    {
        var hidden = await HiddenFromRepAsync();
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsync($"/api/v1/customers/{hidden.Id}/release", null, Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(hidden.OwnerId, (await CustomerAsync(hidden.Id)).OwnerId);
    }

    [Fact]
    public async Task AssignCustomer_CustomerOfAnotherManagersTeam_Returns404SingleAndNotFoundInBulk()
    {
        var hidden = await HiddenFromRepAsync();
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        var me = await manager.GetJsonAsync<MeDto>("/api/v1/me");

        var single = await manager.PostAsJsonAsync($"/api/v1/customers/{hidden.Id}/assign", new AssignCustomerRequest(me.Id), Ct);
        var bulk = await (await manager.PostAsJsonAsync("/api/v1/customers/bulk/assign", new BulkAssignCustomersRequest([hidden.Id], me.Id), Ct))
            .ExpectJsonAsync<CustomerBulkResult>();

        await single.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal((0, "notFound"), (bulk.Succeeded, Assert.Single(bulk.Failed).Error));
        Assert.Equal(hidden.OwnerId, (await CustomerAsync(hidden.Id)).OwnerId);
    }

    [Fact]
    public async Task ExportContacts_Csv_HasOnlyContactsOfCustomersTheRepMaySee()
    {
        var hidden = await HiddenFromRepAsync();
        var expected = await ExpectedVisibleAsync(DemoUsers.Rep);
        await using (var db = await app.SystemDbAsync())
        {
            var repId = (await UserAsync(db, DemoUsers.Rep)).Id;
            var visible = await db.Customers.Where(c => c.OwnerId == repId).OrderBy(c => c.Name).FirstAsync(Ct);
            db.Contacts.Add(new Contact { CustomerId = hidden.Id, Name = "矩阵隐藏联系人" });
            db.Contacts.Add(new Contact { CustomerId = visible.Id, Name = "矩阵可见联系人" });
            await db.SaveChangesAsync(Ct);
        }

        using var rep = await app.ClientForAsync(DemoUsers.Rep);
        var csv = await rep.GetStringAsync("/api/v1/contacts/export?format=csv", Ct);

        var rows = ExportFiles.ReadCsv(csv);
        Assert.Contains(rows, r => r["Contact"] == "矩阵可见联系人");
        Assert.DoesNotContain("矩阵隐藏联系人", csv, StringComparison.Ordinal);
        Assert.All(rows, r => Assert.Contains(Guid.Parse(r["CustomerId"]), expected));
    }

    [Fact]
    public async Task HandOver_PersonOutsideTheManagersTeams_Returns403()
    {
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        Guid southRep;
        await using (var db = await app.SystemDbAsync())
        {
            southRep = (await UserAsync(db, DemoUsers.SouthRep)).Id;
        }

        var preview = await manager.GetAsync($"/api/v1/users/{southRep}/hand-over", Ct);
        var move = await manager.PostAsJsonAsync($"/api/v1/users/{southRep}/hand-over", new HandOverRequest(ToPool: true), Ct);

        await preview.ExpectProblemAsync(HttpStatusCode.Forbidden);
        await move.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    /// <summary>What <paramref name="email"/> may see, by the rules of the foundation issue, from the database.</summary>
    private async Task<HashSet<Guid>> ExpectedVisibleAsync(string email)
    {
        await using var db = await app.SystemDbAsync();
        var user = await UserAsync(db, email);
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == user.Id
                           select r.Name!).ToListAsync(Ct);
        var customers = await db.Customers.Select(c => new { c.Id, c.OwnerId, c.PoolTeamId }).ToListAsync(Ct);
        if (roles.Contains(Roles.Admin) || roles.Contains(Roles.Finance))
        {
            return customers.Select(c => c.Id).ToHashSet();
        }

        var teamOf = await db.Users.ToDictionaryAsync(u => u.Id, u => u.TeamId, Ct);
        var shared = await db.Collaborators.Where(s => s.UserId == user.Id).Select(s => s.RecordId).ToListAsync(Ct);
        List<Guid> pools = user.TeamId is { } own ? await PathToRootAsync(db, own) : [];
        var below = new List<Guid>();
        if (user.TeamId is { } team)
        {
            below.AddRange(await SubtreeAsync(db, team));
        }

        foreach (var headed in await db.Teams.Where(t => t.HeadUserId == user.Id).Select(t => t.Id).ToListAsync(Ct))
        {
            below.AddRange(await SubtreeAsync(db, headed));
        }

        var leads = roles.Contains(Roles.Manager) || roles.Contains(Roles.Director);
        List<Guid> ownerTeams = leads ? below : [];
        if (leads || roles.Contains(Roles.Assistant))
        {
            pools.AddRange(below);
        }

        return customers.Where(c =>
                c.OwnerId == user.Id
                || shared.Contains(c.Id)
                || (c.OwnerId is { } owner && teamOf[owner] is { } ownerTeam && ownerTeams.Contains(ownerTeam))
                || (c.OwnerId is null && c.PoolTeamId is { } pool && pools.Contains(pool)))
            .Select(c => c.Id)
            .ToHashSet();
    }

    /// <summary>A customer of 何芸 (Shenzhen) that is not shared with 张伟 (Shanghai 1).</summary>
    private Task<Customer> HiddenFromRepAsync() => CustomerAsync(UnsharedSouthCustomers()[0]);

    /// <summary>Shares another of 何芸's customers with 张伟 (arranged directly, independent of the sharing API).</summary>
    private async Task<Customer> ShareWithRepAsync(int index, CollaboratorAccess access)
    {
        var customer = await CustomerAsync(UnsharedSouthCustomers()[index]);
        await using var db = await app.SystemDbAsync();
        var rep = await UserAsync(db, DemoUsers.Rep);
        db.Collaborators.Add(new Collaborator
        {
            RecordType = Customer.RecordType,
            RecordId = customer.Id,
            UserId = rep.Id,
            Access = access,
            AddedAt = app.Clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(Ct);
        return customer;
    }

    /// <summary>何芸's customers that the demo company does not share with 张伟, by name (fixed by the demo seed).</summary>
    private static List<Guid> UnsharedSouthCustomers()
    {
        var customers = DemoData.PlanFor().Customers
            .Where(c => c.OwnerEmail == DemoUsers.SouthRep && c.Share?.UserEmail != DemoUsers.Rep)
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Id)
            .ToList();
        Assert.True(customers.Count >= 4, "The demo data should give 何芸 at least four customers not shared with 张伟.");
        return customers;
    }

    private async Task<Customer> CustomerAsync(Guid id)
    {
        await using var db = await app.SystemDbAsync();
        return await db.Customers.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).AsNoTracking().SingleAsync(c => c.Id == id, Ct);
    }

    private static async Task<Modules.Organization.AppUser> UserAsync(AppDbContext db, string email) =>
        await db.Users.AsNoTracking().SingleAsync(u => u.Email == email, Ct);

    private static async Task<List<Guid>> SubtreeAsync(AppDbContext db, Guid teamId)
    {
        var teams = await db.Teams.Select(t => new { t.Id, t.ParentId }).ToListAsync(Ct);
        var result = new List<Guid> { teamId };
        for (var i = 0; i < result.Count; i++)
        {
            result.AddRange(teams.Where(t => t.ParentId == result[i]).Select(t => t.Id));
        }

        return result;
    }

    private static async Task<List<Guid>> PathToRootAsync(AppDbContext db, Guid teamId)
    {
        var parents = await db.Teams.ToDictionaryAsync(t => t.Id, t => t.ParentId, Ct);
        var result = new List<Guid>();
        for (Guid? id = teamId; id is { } current && !result.Contains(current); id = parents[current])
        {
            result.Add(current);
        }

        return result;
    }

}
