using System.Net;
using System.Net.Http.Json;
using LeadToCash.Modules.Audit;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Customers.CreateCustomer;
using LeadToCash.Modules.Customers.Merge;
using LeadToCash.Modules.FollowUps;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Search;
using LeadToCash.Modules.Tasks;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Files;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Tests.Api;

/// <summary>POST /api/v1/customers/{id}/merge: what moves, what the survivor keeps, and who may merge.</summary>
[DatabaseTest]
public sealed class MergeCustomersApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MergeCustomers_Duplicate_EverythingMovesAndTheDuplicateIsDeleted()
    {
        var survivor = await CreateAsync(DemoUsers.Rep, "合并测试精工机械", region: "上海");
        var duplicate = await CreateAsync(DemoUsers.Rep, "精工机械（重复录入）", region: "北京", phone: "021-6666 1234",
            website: "www.jinggong.example", notes: "重复的备注");
        var arranged = await ArrangeRecordsAsync(survivor.Id, duplicate.Id);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        var result = await (await manager.PostAsJsonAsync($"/api/v1/customers/{survivor.Id}/merge",
            new MergeCustomersRequest(duplicate.Id, duplicate.Version, survivor.Version), Ct)).ExpectJsonAsync<MergeCustomersResult>();

        Assert.Equal(new MergedCounts(Contacts: 2, FollowUps: 1, NeedsAnalyses: 1, Tasks: 1, Leads: 1, Tags: 1, Collaborators: 1,
            Attachments: 1, Subsidiaries: 1), result.Moved);
        var merged = result.Customer;
        Assert.Equal("合并测试精工机械", merged.Name);
        Assert.Equal("上海", merged.Region); // kept
        Assert.Equal("021-6666 1234", merged.Phone); // blank, filled
        Assert.Equal("www.jinggong.example", merged.Website);
        Assert.Equal("重复的备注", merged.Notes);
        Assert.Equal(survivor.Version + 1, merged.Version);

        await using var db = await app.SystemDbAsync();
        var deleted = await db.Customers.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).SingleAsync(c => c.Id == duplicate.Id, Ct);
        Assert.True(deleted.IsDeleted);
        var contacts = await db.Contacts.Where(c => c.CustomerId == survivor.Id).ToListAsync(Ct);
        Assert.Equal(3, contacts.Count);
        Assert.Equal(arranged.SurvivorPrimaryContact, Assert.Single(contacts, c => c.IsPrimary).Id);
        Assert.Empty(await db.Contacts.Where(c => c.CustomerId == duplicate.Id).ToListAsync(Ct));
        Assert.Equal(survivor.Id, (await db.FollowUps.SingleAsync(f => f.Id == arranged.FollowUp, Ct)).CustomerId);
        Assert.Equal(survivor.Id, (await db.NeedsAnalyses.SingleAsync(n => n.Id == arranged.NeedsAnalysis, Ct)).CustomerId);
        Assert.Equal(survivor.Id, (await db.Tasks.SingleAsync(t => t.Id == arranged.Task, Ct)).RelatedId);
        Assert.Equal(survivor.Id, (await db.Leads.SingleAsync(l => l.Id == arranged.Lead, Ct)).ConvertedCustomerId);
        Assert.Equal(survivor.Id, (await db.Customers.SingleAsync(c => c.Id == arranged.Subsidiary, Ct)).ParentId);
        Assert.Equal(survivor.Id, (await db.Attachments.SingleAsync(a => a.Id == arranged.Attachment, Ct)).RecordId);
        Assert.Equal(["VIP", "制造业"], (await db.CustomerTags.Where(t => t.CustomerId == survivor.Id).Select(t => t.Name).ToListAsync(Ct)).Order());
        Assert.Empty(await db.CustomerTags.Where(t => t.CustomerId == duplicate.Id).ToListAsync(Ct));
        var shares = await db.Collaborators.Where(c => c.RecordId == survivor.Id).ToDictionaryAsync(c => c.UserId, c => c.Access, Ct);
        Assert.Equal(CollaboratorAccess.Edit, shares[await TestLeads.UserIdAsync(app, DemoUsers.Rep2)]); // read + edit = edit
        Assert.Equal(CollaboratorAccess.Read, shares[await TestLeads.UserIdAsync(app, "zhao.min@demo.test")]);
        Assert.Empty(await db.Collaborators.Where(c => c.RecordId == duplicate.Id).ToListAsync(Ct));
    }

    [Fact]
    public async Task MergeCustomers_Histories_BothKeptAndPointAtEachOther()
    {
        var survivor = await CreateAsync(DemoUsers.Rep, "历史测试远航物流");
        var duplicate = await CreateAsync(DemoUsers.Rep, "远航物流");
        using var manager = await app.ClientForAsync(DemoUsers.Manager);
        using var admin = await app.ClientForAsync(DemoUsers.Admin);
        var managerId = await TestLeads.UserIdAsync(app, DemoUsers.Manager);

        await (await manager.PostAsJsonAsync($"/api/v1/customers/{survivor.Id}/merge",
            new MergeCustomersRequest(duplicate.Id, duplicate.Version, survivor.Version), Ct)).ExpectAsync(HttpStatusCode.OK);

        var survivorHistory = await manager.GetJsonAsync<List<HistoryEntryDto>>($"/api/v1/history/customer/{survivor.Id}");
        var duplicateHistory = await admin.GetJsonAsync<List<HistoryEntryDto>>($"/api/v1/history/customer/{duplicate.Id}");
        var from = Assert.Single(survivorHistory, h => h.Field == MergeCustomersHandler.MergedFromField);
        Assert.Contains(duplicate.Id.ToString(), from.NewValue, StringComparison.Ordinal);
        Assert.Equal(managerId, from.ChangedBy);
        var into = Assert.Single(duplicateHistory, h => h.Field == MergeCustomersHandler.MergedIntoField);
        Assert.Contains(survivor.Id.ToString(), into.NewValue, StringComparison.Ordinal);
        Assert.Contains(duplicateHistory, h => h.Action == AuditAction.Deleted);
        Assert.Contains(duplicateHistory, h => h.Action == AuditAction.Created);
        await (await manager.GetAsync($"/api/v1/customers/{duplicate.Id}", Ct)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task MergeCustomers_AfterwardsSearch_FindsOnlyTheSurvivorAndItsMovedContacts()
    {
        var survivor = await CreateAsync(DemoUsers.Rep, "搜索合并翠湖酒店");
        var duplicate = await CreateAsync(DemoUsers.Rep, "翠湖酒店管理");
        await using (var db = await app.SystemDbAsync())
        {
            db.Contacts.Add(new Contact { CustomerId = duplicate.Id, Name = "慕容翠" });
            await db.SaveChangesAsync(Ct);
        }

        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        await (await manager.PostAsJsonAsync($"/api/v1/customers/{survivor.Id}/merge",
            new MergeCustomersRequest(duplicate.Id, duplicate.Version, survivor.Version), Ct)).ExpectAsync(HttpStatusCode.OK);

        var found = await manager.GetJsonAsync<SearchResults>("/api/v1/search?q=" + Uri.EscapeDataString("翠湖酒店"));
        Assert.Contains(found.Customers, c => c.Id == survivor.Id);
        Assert.DoesNotContain(found.Customers, c => c.Id == duplicate.Id);
        var contact = await manager.GetJsonAsync<SearchResults>("/api/v1/search?q=" + Uri.EscapeDataString("慕容翠"));
        Assert.Equal(survivor.Id, Assert.Single(contact.Contacts).CustomerId);
    }

    [Fact]
    public async Task MergeCustomers_DuplicateOfAnotherTeam_Returns404AndChangesNothing()
    {
        var survivor = await CreateAsync(DemoUsers.Rep, "四零四测试恒通");
        var hidden = await CreateAsync(DemoUsers.Admin, "恒通南方", ownerEmail: DemoUsers.SouthRep);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        var response = await manager.PostAsJsonAsync($"/api/v1/customers/{survivor.Id}/merge",
            new MergeCustomersRequest(hidden.Id, hidden.Version, survivor.Version), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        await AssertUnchangedAsync(survivor, hidden);
    }

    [Fact]
    public async Task MergeCustomers_ReadShareOnly_Returns403()
    {
        var survivor = await CreateAsync(DemoUsers.Rep, "四零三测试晨光");
        var shared = await CreateAsync(DemoUsers.Admin, "晨光南方", ownerEmail: DemoUsers.SouthRep);
        await ShareAsync(shared.Id, DemoUsers.Manager, CollaboratorAccess.Read);
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        var response = await manager.PostAsJsonAsync($"/api/v1/customers/{survivor.Id}/merge",
            new MergeCustomersRequest(shared.Id, shared.Version, survivor.Version), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        await AssertUnchangedAsync(survivor, shared);
    }

    [Fact]
    public async Task MergeCustomers_RepWithoutThePermission_Returns403()
    {
        var survivor = await CreateAsync(DemoUsers.Rep, "权限测试宏远");
        var duplicate = await CreateAsync(DemoUsers.Rep, "宏远");
        using var rep = await app.ClientForAsync(DemoUsers.Rep);

        var response = await rep.PostAsJsonAsync($"/api/v1/customers/{survivor.Id}/merge",
            new MergeCustomersRequest(duplicate.Id, duplicate.Version, survivor.Version), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden);
        await AssertUnchangedAsync(survivor, duplicate);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task MergeCustomers_StaleVersion_Returns409AndChangesNothing(bool staleDuplicate)
    {
        var survivor = await CreateAsync(DemoUsers.Rep, $"版本测试金鼎{staleDuplicate}");
        var duplicate = await CreateAsync(DemoUsers.Rep, $"金鼎{staleDuplicate}", phone: "13912340000");
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        var response = await manager.PostAsJsonAsync($"/api/v1/customers/{survivor.Id}/merge",
            new MergeCustomersRequest(duplicate.Id, duplicate.Version + (staleDuplicate ? 1 : 0), survivor.Version + (staleDuplicate ? 0 : 1)), Ct);

        await response.ExpectProblemAsync(HttpStatusCode.Conflict);
        await AssertUnchangedAsync(survivor, duplicate);
    }

    [Fact]
    public async Task MergeCustomers_IntoItself_Returns400()
    {
        var customer = await CreateAsync(DemoUsers.Rep, "自合并测试");
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        var response = await manager.PostAsJsonAsync($"/api/v1/customers/{customer.Id}/merge",
            new MergeCustomersRequest(customer.Id, customer.Version, customer.Version), Ct);

        await response.ExpectFieldErrorAsync("duplicateId");
    }

    [Fact]
    public async Task MergeCustomers_WithoutTheDuplicatesVersion_Returns400()
    {
        var survivor = await CreateAsync(DemoUsers.Rep, "缺版本测试");
        var duplicate = await CreateAsync(DemoUsers.Rep, "缺版本测试二");
        using var manager = await app.ClientForAsync(DemoUsers.Manager);

        var response = await manager.PostAsJsonAsync($"/api/v1/customers/{survivor.Id}/merge",
            new MergeCustomersRequest(duplicate.Id, null, survivor.Version), Ct);

        await response.ExpectFieldErrorAsync("duplicateVersion");
    }

    private async Task AssertUnchangedAsync(CustomerDto survivor, CustomerDto duplicate)
    {
        await using var db = await app.SystemDbAsync();
        var both = await db.Customers.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter])
            .Where(c => c.Id == survivor.Id || c.Id == duplicate.Id).ToDictionaryAsync(c => c.Id, Ct);
        Assert.False(both[duplicate.Id].IsDeleted);
        Assert.Equal(survivor.Version, both[survivor.Id].Version);
        Assert.Equal(duplicate.Version, both[duplicate.Id].Version);
        Assert.Equal(survivor.Phone, both[survivor.Id].Phone);
    }

    private sealed record Arranged(Guid SurvivorPrimaryContact, Guid FollowUp, Guid NeedsAnalysis, Guid Task, Guid Lead,
        Guid Subsidiary, Guid Attachment);

    /// <summary>What hangs on a customer, written directly (most of it has no API on this branch).</summary>
    private async Task<Arranged> ArrangeRecordsAsync(Guid survivorId, Guid duplicateId)
    {
        await using var db = await app.SystemDbAsync();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var rep = await TestLeads.UserIdAsync(app, DemoUsers.Rep);
        var southRep = await TestLeads.UserIdAsync(app, DemoUsers.SouthRep);
        var survivorPrimary = new Contact { CustomerId = survivorId, Name = "主联系人", IsPrimary = true };
        db.Contacts.AddRange(survivorPrimary,
            new Contact { CustomerId = duplicateId, Name = "重复主联系人", IsPrimary = true },
            new Contact { CustomerId = duplicateId, Name = "重复联系人" });
        var followUp = new FollowUp
        {
            CustomerId = duplicateId, OccurredAt = now, Method = FollowUpMethod.Visit, KeyPoints = "拜访", AuthorId = rep, RecordedAt = now,
        };
        var analysis = new NeedsAnalysis { CustomerId = duplicateId, Title = "需求分析", MeetingAt = now, ConfirmDueAt = now.AddDays(1) };
        // A task of someone the merging manager cannot see: it must move all the same.
        var task = new WorkTask { Title = "回访", RelatedType = Customer.RecordType, RelatedId = duplicateId, DueAt = now, OwnerId = southRep };
        var lead = new Lead
        {
            SourceChannel = "website-form", CompanyName = "精工机械", CapturedAt = now, ScreeningDueAt = now, Status = LeadStatus.Converted,
            TeamId = (await db.Users.SingleAsync(u => u.Id == southRep, Ct)).TeamId!.Value, OwnerId = southRep, ConvertedCustomerId = duplicateId,
        };
        var subsidiary = new Customer { Name = "精工机械苏州分厂", OwnerId = rep, ParentId = duplicateId };
        var attachment = new Attachment
        {
            RecordType = Customer.RecordType, RecordId = duplicateId, FileName = "名片.png", ContentType = "image/png", SizeBytes = 10,
            StorageKey = "2026/11/merge-test.png", Sha256 = new string('0', 64),
        };
        db.AddRange(followUp, analysis, task, lead, subsidiary, attachment);
        db.CustomerTags.AddRange(new CustomerTag { CustomerId = survivorId, Name = "VIP" },
            new CustomerTag { CustomerId = duplicateId, Name = "VIP" }, new CustomerTag { CustomerId = duplicateId, Name = "制造业" });
        var rep2 = await TestLeads.UserIdAsync(app, DemoUsers.Rep2);
        var zhao = await TestLeads.UserIdAsync(app, "zhao.min@demo.test");
        db.Collaborators.AddRange(
            new Collaborator { RecordType = Customer.RecordType, RecordId = survivorId, UserId = rep2, Access = CollaboratorAccess.Read, AddedAt = now },
            new Collaborator { RecordType = Customer.RecordType, RecordId = duplicateId, UserId = rep2, Access = CollaboratorAccess.Edit, AddedAt = now },
            new Collaborator { RecordType = Customer.RecordType, RecordId = duplicateId, UserId = zhao, Access = CollaboratorAccess.Read, AddedAt = now },
            // The survivor's owner needs no share of the survivor.
            new Collaborator { RecordType = Customer.RecordType, RecordId = duplicateId, UserId = rep, Access = CollaboratorAccess.Edit, AddedAt = now });
        await db.SaveChangesAsync(Ct);
        return new Arranged(survivorPrimary.Id, followUp.Id, analysis.Id, task.Id, lead.Id, subsidiary.Id, attachment.Id);
    }

    private async Task ShareAsync(Guid customerId, string email, CollaboratorAccess access)
    {
        await using var db = await app.SystemDbAsync();
        db.Collaborators.Add(new Collaborator
        {
            RecordType = Customer.RecordType,
            RecordId = customerId,
            UserId = await TestLeads.UserIdAsync(app, email),
            Access = access,
            AddedAt = app.Clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(Ct);
    }

    private async Task<CustomerDto> CreateAsync(string asEmail, string name, string? ownerEmail = null, string? region = null,
        string? phone = null, string? website = null, string? notes = null)
    {
        using var client = await app.ClientForAsync(asEmail);
        Guid? ownerId = ownerEmail is null ? null : await TestLeads.UserIdAsync(app, ownerEmail);
        return await (await client.PostAsJsonAsync("/api/v1/customers",
                new CreateCustomerRequest(name, Region: region, Phone: phone, Website: website, Notes: notes, OwnerId: ownerId), Ct))
            .ExpectJsonAsync<CustomerDto>(HttpStatusCode.Created);
    }
}
