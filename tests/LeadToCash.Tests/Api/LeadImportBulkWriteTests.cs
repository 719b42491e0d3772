using System.Data.Common;
using LeadToCash.Modules.Leads;
using LeadToCash.Platform.Data;
using LeadToCash.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LeadToCash.Tests.Api;

/// <summary>
/// The import writes its leads in bulk (COPY on PostgreSQL, one prepared INSERT on SQLite): the stored rows, and the
/// "created" history rows, must be exactly those SaveChanges and the audit interceptor write.
/// </summary>
[DatabaseTest]
public sealed class LeadImportBulkWriteTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IDbContextFactory<AppDbContext> Databases => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    [Fact]
    public async Task BulkInsert_FullyFilledLead_StoresTheSameColumnsAndHistoryAsSaveChanges()
    {
        var (actor, team, owner, customer) = await PeopleAsync();
        var viaEf = Filled("bulk-compare:ef", team, owner, customer);
        var viaBulk = Filled("bulk-compare:bulk", team, owner, customer);

        await using (var db = await OpenAsync(actor))
        {
            db.Leads.Add(viaEf);
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = await OpenAsync(actor))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            await BulkInsert.AddCreatedAsync(db, [viaBulk], app.Clock.GetUtcNow().UtcDateTime, Ct);
            await transaction.CommitAsync(Ct);
        }

        await using var check = await OpenAsync(actor);
        var ef = await RawAsync(check, """SELECT * FROM "Leads" WHERE "ImportKey" = @key""", "bulk-compare:ef");
        var bulk = await RawAsync(check, """SELECT * FROM "Leads" WHERE "ImportKey" = @key""", "bulk-compare:bulk");
        Assert.Single(ef);
        Assert.Single(bulk);
        Assert.Equal(ef[0].Count, bulk[0].Count);
        foreach (var (column, value) in ef[0].Where(c => c.Key is not ("Id" or "ImportKey")))
        {
            Assert.True(Equals(value, bulk[0][column]), $"Leads.{column}: SaveChanges wrote '{value}', the bulk insert '{bulk[0][column]}'");
        }

        // The columns this test means to compare are really filled (a null on both sides would prove little).
        foreach (var column in new[] { "CreatedBy", "UpdatedBy", "OwnerId", "Grade", "FirstTouchDueAt", "DuplicateOfCustomerId", "BudgetMinor", "ImportJobId" })
        {
            Assert.NotNull(bulk[0][column]);
        }

        Assert.Equal(1, Convert.ToInt32(bulk[0]["Version"], System.Globalization.CultureInfo.InvariantCulture));

        const string History = """SELECT * FROM "AuditEntries" WHERE "EntityId" = (SELECT "Id" FROM "Leads" WHERE "ImportKey" = @key)""";
        var efHistory = await RawAsync(check, History, "bulk-compare:ef");
        var bulkHistory = await RawAsync(check, History, "bulk-compare:bulk");
        Assert.Single(efHistory);
        Assert.Single(bulkHistory);
        foreach (var (column, value) in efHistory[0].Where(c => c.Key is not ("Id" or "EntityId")))
        {
            Assert.True(Equals(value, bulkHistory[0][column]), $"AuditEntries.{column}: SaveChanges wrote '{value}', the bulk insert '{bulkHistory[0][column]}'");
        }

        // Ids are stored the way EF queries them (e.g. SQLite's upper-case text).
        Assert.Equal(1, await check.Leads.CountAsync(l => l.Id == viaBulk.Id, Ct));
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.EntityId == viaBulk.Id && a.Action == AuditAction.Created, Ct));
    }

    [Fact]
    public async Task BulkInsert_ImportKeyTaken_WritesNothingOfTheBatch()
    {
        var (actor, team, owner, customer) = await PeopleAsync();
        await using (var db = await OpenAsync(actor))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            await BulkInsert.AddCreatedAsync(db, [Filled("bulk-conflict:1", team, owner, customer)], app.Clock.GetUtcNow().UtcDateTime, Ct);
            await transaction.CommitAsync(Ct);
        }

        var fresh = Filled("bulk-conflict:2", team, owner, customer);
        await using (var db = await OpenAsync(actor))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            await Assert.ThrowsAnyAsync<DbException>(() =>
                BulkInsert.AddCreatedAsync(db, [fresh, Filled("bulk-conflict:1", team, owner, customer)], app.Clock.GetUtcNow().UtcDateTime, Ct));
        }

        await using var check = await OpenAsync(actor);
        Assert.Equal(0, await check.Leads.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).CountAsync(l => l.ImportKey == "bulk-conflict:2", Ct));
        Assert.Equal(0, await check.AuditEntries.CountAsync(a => a.EntityId == fresh.Id, Ct));
        Assert.Equal(1, await check.Leads.CountAsync(l => l.ImportKey == "bulk-conflict:1", Ct));
    }

    [Fact]
    public async Task BulkInsert_OutsideATransaction_Refuses()
    {
        var (actor, team, owner, customer) = await PeopleAsync();
        await using var db = await OpenAsync(actor);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            BulkInsert.AddCreatedAsync(db, [Filled("bulk-no-transaction:1", team, owner, customer)], app.Clock.GetUtcNow().UtcDateTime, Ct));
    }

    private async Task<AppDbContext> OpenAsync(Guid actor)
    {
        var db = await Databases.CreateDbContextAsync(Ct);
        return db.WithScope(DataScope.System, actor);
    }

    private async Task<(Guid Actor, Guid Team, Guid Owner, Guid Customer)> PeopleAsync()
    {
        await using var db = await app.SystemDbAsync();
        var manager = await db.Users.SingleAsync(u => u.Email == DemoUsers.Manager, Ct);
        var rep = await db.Users.SingleAsync(u => u.Email == DemoUsers.Rep, Ct);
        var customer = await db.Customers.OrderBy(c => c.Name).Select(c => c.Id).FirstAsync(Ct);
        return (manager.Id, manager.TeamId!.Value, rep.Id, customer);
    }

    /// <summary>A lead as an auto-confirming team's import makes it: every column the import can fill is filled.</summary>
    private Lead Filled(string importKey, Guid team, Guid owner, Guid customer)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        return new Lead
        {
            SourceChannel = "trade_show",
            CapturedAt = now,
            CompanyName = "批量写入对照有限公司",
            ContactName = "周明",
            Title = "采购经理",
            Mobile = "13912345678",
            Phone = "021-5555 1234",
            Email = "zhou.ming@bulk.example",
            WeChat = "zhouming_bulk",
            Industry = "manufacturing",
            CompanySize = "50-199",
            Region = "上海",
            BudgetMinor = 50_000_000,
            PurchaseWithinMonths = 3,
            DecisionMakerIdentified = true,
            Need = "产线改造",
            Notes = "地区: 浦东\n规模: 约120人",
            Tags = "展会,重点",
            PhoneKey = "13912345678",
            EmailKey = "zhou.ming@bulk.example",
            CompanyKey = "批量写入对照",
            Status = LeadStatus.Assigned,
            TeamId = team,
            OwnerId = owner,
            PoolTeamId = null,
            DuplicateOfCustomerId = customer,
            DuplicateField = "company",
            Score = 85,
            SuggestedGrade = LeadGrade.A,
            Grade = LeadGrade.A,
            ScreeningDueAt = now.AddHours(4),
            ScreenedAt = now,
            AssignedAt = now,
            FirstTouchDueAt = now.AddHours(2),
            ImportJobId = Guid.Parse("0199a000-0000-7000-8000-00000000b01c"),
            ImportKey = importKey,
        };
    }

    private static async Task<List<Dictionary<string, object?>>> RawAsync(AppDbContext db, string sql, string key)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@key";
        parameter.Value = key;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount)
                .ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i), StringComparer.Ordinal));
        }

        return rows;
    }
}
