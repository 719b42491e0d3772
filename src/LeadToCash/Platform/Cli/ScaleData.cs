using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using LeadToCash.Modules.Company;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.FollowUps;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Contracts;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Receivables;
using LeadToCash.Modules.Organization;
using LeadToCash.Modules.Organization.FirstRun;
using LeadToCash.Modules.Search;
using LeadToCash.Modules.Tasks;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Matching;
using LeadToCash.Platform.Search;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Cli;

/// <summary>
/// How much a scale data set holds. <see cref="QuoteLines"/> is exact: the quote versions of the deals that reached the
/// proposal stage share them. <see cref="AuditRows"/> is the history in all: a "Created" row for each record made on its
/// own, the rest field changes; 0 writes only the "Created" rows.
/// </summary>
public sealed record ScaleSize(
    string Name, int Regions, int TeamsPerRegion, int RepsPerTeam, int Leads, int Customers, int ContactsPerCustomer,
    int FollowUpsPerCustomer, int TasksPerRep, int Opportunities, int Contracts, int QuoteLines, int AuditRows)
{
    public static readonly IReadOnlyList<ScaleSize> All =
    [
        new("small", 2, 2, 4, 2_000, 1_000, 3, 10, 5, 1_500, 500, 3_000, 10_000),
        new("medium", 4, 5, 6, 20_000, 10_000, 3, 10, 10, 15_000, 5_000, 30_000, 100_000),
        // 1 + 5 + 54 = 60 teams; 54 × (1 manager + 7 reps + 1 assistant) + 5 directors + 1 admin ≈ 500 people.
        // 50,000 contracts with three instalments each: 150,000 instalments for the receivables views.
        new("large", 5, 11, 7, 200_000, 100_000, 3, 10, 20, 150_000, 50_000, 300_000, 1_000_000),

        // The large company's people and contracts without its leads, follow-ups and deals: quick to load for the receivables views.
        new("contracts", 5, 11, 7, 0, 20_000, 1, 0, 0, 0, 50_000, 0, 0),
    ];

    /// <summary>Follow-ups in all: <see cref="FollowUpsPerCustomer"/> on average, spread over the owned customers by grade.</summary>
    public int FollowUps => Customers * FollowUpsPerCustomer;

    public static ScaleSize? Find(string? name) => All.FirstOrDefault(s => s.Name == name);
}

/// <summary>
/// Fills an empty database with a large, deterministic, realistic-looking company for benchmarks: teams, people, leads,
/// customers, contacts, follow-ups, tasks, a product catalogue, opportunities in the default pipeline with their stage
/// history and quotes, contracts with payment plans, and the change history (audit rows), through the bulk write path
/// (binary COPY on PostgreSQL, one prepared INSERT per table on SQLite), one transaction per batch. Everyone's password
/// is <see cref="Password"/>; the accounts to sign in with are admin@scale.test, director1@scale.test,
/// manager1@scale.test, rep1@scale.test and finance1@scale.test.
/// </summary>
/// <remarks>
/// The history: a "Created" row, by the person who made it, for each record people make on their own (teams, products,
/// customers, leads, tasks, opportunities, quote versions, contracts); none for records made as part of another (a
/// customer's contacts, a contract's payment plan and receipts) or that are history themselves (follow-ups, stage
/// entries, quote lines). The rest of <see cref="ScaleSize.AuditRows"/> are the field changes the commands write
/// (ScaleHistory.cs).
/// </remarks>
public sealed partial class ScaleData(IDbContextFactory<AppDbContext> dbFactory, RoleManager<AppRole> roles, TimeProvider clock, TextWriter log)
{
    public const string Password = "scale-password-2026";
    // Rows per transaction: large enough that an index page is written about once per batch, not once per few rows.
    private const int Batch = 40_000;

    private static readonly string[] Cities = ["上海", "北京", "深圳", "广州", "杭州", "苏州", "南京", "成都", "武汉", "重庆", "天津", "西安", "宁波", "无锡", "青岛", "厦门", "长沙", "合肥", "郑州", "佛山"];
    private static readonly string[] Words = ["华", "为", "科", "恒", "达", "信", "通", "联", "创", "新", "智", "能", "源", "泰", "安", "瑞", "丰", "鑫", "隆", "盛", "远", "宏", "天", "博", "海", "鼎", "嘉", "汇", "凯", "明", "德", "正", "中", "亿", "星", "光", "金", "银", "行", "长"];
    private static readonly (string Code, string Word)[] Industries =
    [
        ("manufacturing", "制造"), ("software", "软件"), ("retail", "商贸"), ("medical", "医疗"), ("education", "教育"),
        ("finance", "金融服务"), ("logistics", "物流"), ("energy", "能源"), ("construction", "建设工程"), ("other", "实业"),
    ];
    private static readonly string[] Sizes = ["1-49", "50-199", "200-999", "1000+"];
    private static readonly string[] Channels = ["trade-show", "website-form", "referral", "partner", "cold-call", "advertising"];
    private static readonly LeadStatus[] LeadStatuses =
        [LeadStatus.New, LeadStatus.Pool, LeadStatus.Pool, LeadStatus.Assigned, LeadStatus.Contacted, LeadStatus.Contacted, LeadStatus.Disqualified];
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"];
    private static readonly string[] GivenNames = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "文", "婷"];
    private static readonly string[] Titles = ["总经理", "采购经理", "技术总监", "财务总监", "IT经理", "生产经理", "运营总监", "采购专员"];
    private static readonly string[] Points =
    [
        "介绍了新版方案，客户关注交付周期", "客户反馈预算需要下季度审批", "约定下周到现场演示", "技术部门提出了对接现有ERP的要求",
        "采购流程需要三家比价", "客户对价格敏感，希望分期付款", "演示效果好，决策人有兴趣", "补充发送了案例资料",
    ];

    private readonly Random _random = new(2026);
    private long _idClock;
    private Task _writing = Task.CompletedTask;
    private AppDbContext? _writer;

    public async Task<int> RunAsync(ScaleSize size, CancellationToken ct = default)
    {
        var total = Stopwatch.StartNew();
        await ReferenceData.EnsureAsync(dbFactory, roles, ct);
        await using (var check = await dbFactory.OpenAsSystemAsync(ct))
        {
            if (await check.Users.AnyAsync(ct))
            {
                await log.WriteLineAsync("The database already has users; scale data goes into an empty database only.");
                return 1;
            }
        }

        // One connection writes every batch, so that its page cache stays warm (each new open resets the cache size).
        await using var writer = await dbFactory.OpenAsSystemAsync(ct);
        await writer.Database.OpenConnectionAsync(ct);
        if (writer.Database.IsSqlite())
        {
            // A load into an empty database: nothing to lose on a crash, so no syncs; a cache and a memory map big enough
            // for the hot index pages (instead of spilling and re-reading them), and fewer, larger checkpoints.
            await writer.Database.ExecuteSqlRawAsync(
                "PRAGMA synchronous=OFF; PRAGMA cache_size=-524288; PRAGMA mmap_size=2147418112; PRAGMA wal_autocheckpoint=65536;", ct);
        }

        _writer = writer;
        var now = clock.GetUtcNow().UtcDateTime;
        _idClock = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var org = await SeedOrganizationAsync(size, now, ct);
        await Step("people and teams", org.People.Count, total);

        await SearchIndexLoadingAsync(loading: true, ct);
        var rules = await LoadRulesAsync(ct);
        var customers = await SeedCustomersAsync(size, org, rules, now, ct);
        await Step("customers", customers.Count, total);
        var contacts = await SeedContactsAsync(size, customers, ct);
        await Step("contacts", contacts, total);
        var followUps = await SeedFollowUpsAsync(size, customers, now, ct);
        await Step("follow-ups", followUps, total);
        var leads = await SeedLeadsAsync(size, org, now, ct);
        await Step("leads", leads.Count, total);
        var tasks = await SeedTasksAsync(size, org, customers, now, ct);
        await Step("tasks", tasks, total);
        var deals = await SeedDealsAsync(size, org, customers, now, ct);
        await Step(string.Create(CultureInfo.InvariantCulture,
            $"opportunities with {deals.StageEntries:N0} stage entries, {deals.Quotes.Count:N0} quote versions and {deals.QuoteLines:N0} quote lines of {deals.Products:N0} products"),
            deals.Opportunities.Count, total);
        var contracts = await SeedContractsAsync(size, org, customers, now, ct);
        await Step("contracts with payment plans and receipts", contracts, total);
        var (created, changes) = await SeedHistoryAsync(size, org, customers, leads, deals, now, ct);
        await Step(string.Create(CultureInfo.InvariantCulture, $"audit rows ({created:N0} created, {changes:N0} field changes)"),
            created + changes, total);
        if (await SearchIndexLoadingAsync(loading: false, ct))
        {
            await Step("names in the search index, merged", customers.Count + contacts + leads.Count, total);
        }

        await using (var db = await dbFactory.OpenAsSystemAsync(ct))
        {
            // Fresh statistics, so both planners see the table sizes the benchmarks query. PostgreSQL also vacuums: after a
            // bulk load its visibility map is empty (index-only scans read the heap anyway), and autovacuum would otherwise
            // do this work in the middle of whatever runs next.
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
            await db.Database.ExecuteSqlRawAsync(db.Database.IsNpgsql() ? "VACUUM (ANALYZE)" : "ANALYZE", ct);
        }

        await log.WriteLineAsync($"Scale data '{size.Name}' loaded in {total.Elapsed.TotalSeconds:0.0} s. Sign in as admin@scale.test, " +
            $"manager1@scale.test or rep1@scale.test with the password {Password}.");
        return 0;
    }

    private async Task Step(string what, int count, Stopwatch total)
    {
        await _writing;
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {count,10:N0} {what} ({total.Elapsed.TotalSeconds:0.0} s)"));
    }

    private sealed record Person(Guid Id, string Email, string Name, Guid TeamId, string Role);

    private sealed record Org(IReadOnlyList<Person> People, IReadOnlyList<Guid> SalesTeams, IReadOnlyDictionary<Guid, Person[]> RepsByTeam,
        IReadOnlyDictionary<Guid, Guid> ManagerOf, IReadOnlyDictionary<Guid, Guid> AssistantOf, Guid AdminId, Guid FinanceId)
    {
        public Guid RandomRep(Guid teamId, Random random) => RepsByTeam[teamId][random.Next(RepsByTeam[teamId].Length)].Id;
    }

    private sealed record SeededCustomer(Guid Id, string Name, Guid? OwnerId, Guid TeamId, DateTime CreatedAt, CustomerGrade Grade,
        LifecycleStage Stage, DateTime? OwnedSince);

    /// <summary>What the history needs of a lead.</summary>
    private sealed record SeededLead(Guid Id, LeadStatus Status, LeadGrade? Grade, Guid TeamId, Guid? OwnerId, DateTime? ScreenedAt,
        DateTime? AssignedAt, DateTime? FirstTouchAt);

    private async Task<Org> SeedOrganizationAsync(ScaleSize size, DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.OpenAsSystemAsync(ct);
        db.CompanySettings.Add(new CompanySettings { Name = "规模测试集团 Scale Test Group" });
        foreach (var holiday in DemoData.ChinaHolidays2026())
        {
            db.Holidays.Add(holiday);
        }

        await db.SaveChangesAsync(ct);
        var roleIds = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id, ct);
        var hash = new PasswordHasher<AppUser>().HashPassword(new AppUser(), Password);

        var teams = new List<Team>();
        var people = new List<Person>();
        var company = new Team { Id = NextId(), Name = "规模测试集团", Kind = TeamKind.Company };
        teams.Add(company);
        var admin = new Person(NextId(), "admin@scale.test", "系统管理员", company.Id, Roles.Admin);
        people.Add(admin);
        var salesTeams = new List<Guid>();
        var repsByTeam = new Dictionary<Guid, Person[]>();
        var managerOf = new Dictionary<Guid, Guid>();
        var assistantOf = new Dictionary<Guid, Guid>();
        int manager = 0, rep = 0, assistant = 0;
        for (var r = 1; r <= size.Regions; r++)
        {
            var region = new Team { Id = NextId(), Name = $"{Cities[r % Cities.Length]}大区", Kind = TeamKind.Region, ParentId = company.Id };
            teams.Add(region);
            var director = new Person(NextId(), $"director{r}@scale.test", Name(), region.Id, Roles.Director);
            people.Add(director);
            region.HeadUserId = director.Id;
            for (var t = 1; t <= size.TeamsPerRegion; t++)
            {
                var team = new Team { Id = NextId(), Name = $"{Cities[(r + t) % Cities.Length]}销售{t}组", Kind = TeamKind.Team, ParentId = region.Id };
                teams.Add(team);
                salesTeams.Add(team.Id);
                var head = new Person(NextId(), $"manager{++manager}@scale.test", Name(), team.Id, Roles.Manager);
                people.Add(head);
                team.HeadUserId = head.Id;
                managerOf[team.Id] = head.Id;
                var reps = Enumerable.Range(0, size.RepsPerTeam)
                    .Select(_ => new Person(NextId(), $"rep{++rep}@scale.test", Name(), team.Id, Roles.Rep)).ToArray();
                people.AddRange(reps);
                repsByTeam[team.Id] = reps;
                var helper = new Person(NextId(), $"assistant{++assistant}@scale.test", Name(), team.Id, Roles.Assistant);
                people.Add(helper);
                assistantOf[team.Id] = helper.Id;
            }
        }

        var finance = new Person(NextId(), "finance1@scale.test", "财务专员", company.Id, Roles.Finance);
        people.Add(finance);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var history = new List<AuditEntry>();
        foreach (var team in teams)
        {
            team.CreatedAt = now.AddYears(-1);
        }

        Stamp(teams, _ => admin.Id, history);
        await BulkInsert.InsertAsync(db, teams, ct);
        await BulkInsert.InsertAsync(db, history, ct);
        var users = people.Select((p, i) => new AppUser
        {
            Id = p.Id,
            UserName = p.Email,
            NormalizedUserName = p.Email.ToUpperInvariant(),
            Email = p.Email,
            NormalizedEmail = p.Email.ToUpperInvariant(),
            EmailConfirmed = true,
            PasswordHash = hash,
            SecurityStamp = p.Id.ToString("N"),
            ConcurrencyStamp = p.Id.ToString(),
            DisplayName = p.Name,
            TeamId = p.TeamId,
            HireDate = DateOnly.FromDateTime(now).AddMonths(-(i % 36)),
            CreatedAt = now.AddYears(-1),
            LockoutEnabled = true,
        }).ToList();
        await BulkInsert.InsertAsync(db, users, ct);
        await BulkInsert.InsertAsync(db, people.Select(p => new IdentityUserRole<Guid> { UserId = p.Id, RoleId = roleIds[p.Role] }).ToList(), ct);
        await transaction.CommitAsync(ct);
        return new Org(people, salesTeams, repsByTeam, managerOf, assistantOf, admin.Id, finance.Id);
    }

    private async Task<CustomerRulebook> LoadRulesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.OpenAsSystemAsync(ct);
        return await CustomerRulebook.LoadAsync(db, ct);
    }

    private async Task<List<SeededCustomer>> SeedCustomersAsync(ScaleSize size, Org org, CustomerRulebook rules, DateTime now, CancellationToken ct)
    {
        var seeded = new List<SeededCustomer>(size.Customers);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var start = 0; start < size.Customers; start += Batch)
        {
            var batch = new List<Customer>();
            for (var i = start; i < Math.Min(size.Customers, start + Batch); i++)
            {
                var (code, word) = Industries[_random.Next(Industries.Length)];
                var name = CompanyName(word, names);
                var team = org.SalesTeams[_random.Next(org.SalesTeams.Count)];
                var reps = org.RepsByTeam[team];
                var owner = _random.Next(100) < 85 ? reps[_random.Next(reps.Length)].Id : (Guid?)null;
                var created = now.AddMinutes(-_random.Next(10, 365 * 24 * 60));
                var ownedSince = owner is null ? (DateTime?)null : created.AddDays(_random.Next(0, 5));
                var last = owner is null ? (DateTime?)null : now.AddMinutes(-_random.Next(60, 20 * 24 * 60));
                if (last < ownedSince)
                {
                    last = null;
                }

                var phone = "1" + _random.NextInt64(3_000_000_000, 9_999_999_999).ToString(CultureInfo.InvariantCulture);
                var customer = new Customer
                {
                    Id = NextId(),
                    Name = name,
                    Industry = code,
                    Size = Sizes[_random.Next(Sizes.Length)],
                    Region = Cities[_random.Next(Cities.Length)],
                    Phone = phone,
                    Website = null,
                    SourceChannel = Channels[_random.Next(Channels.Length)],
                    Grade = (CustomerGrade)_random.Next(3),
                    Stage = (LifecycleStage)_random.Next(4),
                    OwnerId = owner,
                    PoolTeamId = owner is null ? team : null,
                    OwnedSince = ownedSince,
                    LastFollowUpAt = last,
                    NextFollowUpAt = last?.AddDays(_random.Next(1, 8)),
                    NameKey = DuplicateKeys.Company(name),
                    PhoneKey = DuplicateKeys.Phone(phone),
                    CreatedAt = created,
                    UpdatedAt = created.AddMinutes(_random.Next(0, 60 * 24)),
                };
                CustomerRules.RefreshCadence(customer, rules);
                batch.Add(customer);
                seeded.Add(new SeededCustomer(customer.Id, name, owner, team, created, customer.Grade, customer.Stage, ownedSince));
            }

            // Entered by the rep who owns it, or by the team's assistant into the team's pool.
            var history = new List<AuditEntry>(batch.Count);
            Stamp(batch, c => c.OwnerId ?? org.AssistantOf[c.PoolTeamId!.Value], history);
            await WriteAsync(async db =>
            {
                await BulkInsert.InsertAsync(db, batch, ct);
                await BulkInsert.InsertAsync(db, history, ct);
            }, ct);
        }

        return seeded;
    }

    private async Task<int> SeedContactsAsync(ScaleSize size, List<SeededCustomer> customers, CancellationToken ct)
    {
        var count = 0;
        var creators = new Dictionary<Guid, Guid?>();
        foreach (var chunk in customers.Chunk(Batch / size.ContactsPerCustomer))
        {
            var batch = new List<Contact>();
            foreach (var customer in chunk)
            {
                Guid? boss = null;
                for (var k = 0; k < size.ContactsPerCustomer; k++)
                {
                    var mobile = "13" + _random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
                    var contact = new Contact
                    {
                        Id = NextId(),
                        CustomerId = customer.Id,
                        Name = Name(),
                        Title = Titles[_random.Next(Titles.Length)],
                        Mobile = mobile,
                        PhoneKey = DuplicateKeys.Phone(mobile),
                        Email = $"c{count + batch.Count}@example.cn",
                        EmailKey = $"c{count + batch.Count}@example.cn",
                        Role = (PurchaseRole)(k == 0 ? 0 : _random.Next(1, 5)),
                        Stance = (ContactStance)_random.Next(3),
                        ReportsToId = boss,
                        IsPrimary = k == 0,
                        CreatedAt = customer.CreatedAt,
                    };
                    boss ??= contact.Id;
                    batch.Add(contact);
                    creators[contact.Id] = customer.OwnerId;
                }
            }

            // Entered with their customer: no history row of their own.
            Stamp(batch, c => creators[c.Id], history: null);
            creators.Clear();
            await WriteAsync(db => BulkInsert.InsertAsync(db, batch, ct), ct);
            count += batch.Count;
        }

        return count;
    }

    // Follow-ups are history themselves: written without a "created" audit row each. Only owned customers are followed
    // up, by their owner: A customers three times as often as C ones, B twice, so that the total is exactly size.FollowUps.
    private async Task<int> SeedFollowUpsAsync(ScaleSize size, List<SeededCustomer> customers, DateTime now, CancellationToken ct)
    {
        static long Weight(SeededCustomer c) => c.OwnerId is null ? 0 : 3 - (int)c.Grade;
        var totalWeight = customers.Sum(Weight);
        long target = size.FollowUps, weightBefore = 0;
        var count = 0;
        foreach (var chunk in customers.Chunk(Batch / Math.Max(1, size.FollowUpsPerCustomer)))
        {
            var batch = new List<FollowUp>();
            foreach (var customer in chunk)
            {
                var weight = Weight(customer);
                if (weight == 0 || totalWeight == 0)
                {
                    continue;
                }

                // This customer's share of the total, rounded so that the shares add up to it exactly.
                var share = (int)((target * (weightBefore + weight) / totalWeight) - (target * weightBefore / totalWeight));
                weightBefore += weight;
                var author = customer.OwnerId!.Value;
                for (var k = 0; k < share; k++)
                {
                    var at = customer.CreatedAt.AddMinutes(_random.Next(0, Math.Max(1, (int)(now - customer.CreatedAt).TotalMinutes)));
                    batch.Add(new FollowUp
                    {
                        Id = NextId(),
                        CustomerId = customer.Id,
                        OccurredAt = at,
                        Method = (FollowUpMethod)_random.Next(6),
                        KeyPoints = Points[_random.Next(Points.Length)],
                        AuthorId = author,
                        RecordedAt = at.AddMinutes(_random.Next(5, 180)),
                        IsLate = _random.Next(10) == 0,
                        CreatedAt = at,
                        UpdatedAt = at,
                        CreatedBy = author,
                        UpdatedBy = author,
                        Version = 1,
                    });
                }
            }

            await WriteAsync(db => BulkInsert.InsertAsync(db, batch, ct), ct);
            count += batch.Count;
        }

        return count;
    }

    private async Task<List<SeededLead>> SeedLeadsAsync(ScaleSize size, Org org, DateTime now, CancellationToken ct)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var seeded = new List<SeededLead>(size.Leads);
        for (var start = 0; start < size.Leads; start += Batch)
        {
            var batch = new List<Lead>();
            for (var i = start; i < Math.Min(size.Leads, start + Batch); i++)
            {
                var team = org.SalesTeams[_random.Next(org.SalesTeams.Count)];
                var reps = org.RepsByTeam[team];
                var status = LeadStatuses[_random.Next(LeadStatuses.Length)];
                var owned = status is LeadStatus.Assigned or LeadStatus.Contacted;
                var grade = (LeadGrade)_random.Next(3);
                var captured = now.AddMinutes(-_random.Next(5, 180 * 24 * 60));
                var mobile = "15" + _random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
                var company = CompanyName(Industries[_random.Next(Industries.Length)].Word, names);
                var contact = Name();
                var lead = new Lead
                {
                    Id = NextId(),
                    SourceChannel = Channels[_random.Next(Channels.Length)],
                    CapturedAt = captured,
                    CompanyName = company,
                    ContactName = contact,
                    Mobile = mobile,
                    PhoneKey = DuplicateKeys.Phone(mobile),
                    CompanyKey = DuplicateKeys.Company(company),
                    Industry = Industries[_random.Next(Industries.Length)].Code,
                    Status = status,
                    TeamId = team,
                    OwnerId = owned ? reps[_random.Next(reps.Length)].Id : null,
                    PoolTeamId = owned ? null : team,
                    Score = _random.Next(0, 101),
                    SuggestedGrade = grade,
                    Grade = status == LeadStatus.New ? null : grade,
                    ScreeningDueAt = captured.AddMinutes(30),
                    // Screened before it is assigned (an hour after capture).
                    ScreenedAt = status == LeadStatus.New ? null : captured.AddMinutes(_random.Next(5, 55)),
                    AssignedAt = owned ? captured.AddHours(1) : null,
                    FirstTouchDueAt = owned ? captured.AddHours(grade == LeadGrade.A ? 3 : 25) : null,
                    FirstTouchAt = status is LeadStatus.Contacted ? captured.AddHours(_random.Next(1, 30)) : null,
                    CreatedAt = captured,
                };
                batch.Add(lead);
                seeded.Add(new SeededLead(lead.Id, status, lead.Grade, team, lead.OwnerId, lead.ScreenedAt, lead.AssignedAt, lead.FirstTouchAt));
            }

            // Captured by the team's assistant (trade shows, calls, forms keyed in).
            var history = new List<AuditEntry>(batch.Count);
            Stamp(batch, l => org.AssistantOf[l.TeamId], history);
            await WriteAsync(async db =>
            {
                await BulkInsert.InsertAsync(db, batch, ct);
                await BulkInsert.InsertAsync(db, history, ct);
            }, ct);
        }

        return seeded;
    }

    private async Task<int> SeedTasksAsync(ScaleSize size, Org org, List<SeededCustomer> customers, DateTime now, CancellationToken ct)
    {
        var owned = customers.Where(c => c.OwnerId is not null).GroupBy(c => c.OwnerId!.Value).ToDictionary(g => g.Key, g => g.ToArray());
        var batch = new List<WorkTask>();
        var creators = new Dictionary<Guid, Guid>();
        foreach (var rep in org.People.Where(p => p.Role == Roles.Rep))
        {
            for (var k = 0; k < size.TasksPerRep; k++)
            {
                var related = owned.TryGetValue(rep.Id, out var mine) ? mine[_random.Next(mine.Length)] : null;
                var due = now.AddHours(_random.Next(-72, 240));
                var done = due < now && _random.Next(3) > 0;
                var task = new WorkTask
                {
                    Id = NextId(),
                    Title = related is null ? "整理本周客户拜访计划" : $"跟进 {related.Name}",
                    Kind = WorkTaskKind.Task,
                    RelatedType = related is null ? null : Customer.RecordType,
                    RelatedId = related?.Id,
                    DueAt = due,
                    OwnerId = rep.Id,
                    Status = done ? WorkTaskStatus.Done : WorkTaskStatus.Open,
                    CompletedAt = done ? due.AddHours(-1) : null,
                    CreatedAt = due.AddDays(-2),
                };
                batch.Add(task);
                // Half set by the reps themselves, half given by their manager.
                creators[task.Id] = _random.Next(2) == 0 ? rep.Id : org.ManagerOf[rep.TeamId];
            }
        }

        foreach (var chunk in batch.Chunk(Batch))
        {
            var history = new List<AuditEntry>(chunk.Length);
            Stamp(chunk, t => creators[t.Id], history);
            await WriteAsync(async db =>
            {
                await BulkInsert.InsertAsync(db, chunk, ct);
                await BulkInsert.InsertAsync(db, history, ct);
            }, ct);
        }

        return batch.Count;
    }

    // Signed contracts of the customers' owners over the last 18 months, each with a 30/60/10 payment plan due from the
    // signing date on; an instalment due in the past is paid in full (70 %), in part (15 %) or not at all, by one receipt.
    private async Task<int> SeedContractsAsync(ScaleSize size, Org org, List<SeededCustomer> customers, DateTime now, CancellationToken ct)
    {
        string[] subjects = ["ERP实施合同", "云平台订阅合同", "数据中台建设合同", "智能制造升级合同", "年度维保合同", "CRM部署合同"];
        string[] labels = ["预付款", "到货款", "质保金"];
        int[] shares = [30, 60, 10];
        var today = DateOnly.FromDateTime(now);
        var written = 0;
        for (var start = 0; start < size.Contracts; start += Batch)
        {
            var contracts = new List<Contract>();
            var instalments = new List<PaymentInstalment>();
            var receipts = new List<PaymentReceipt>();
            var allocations = new List<ReceiptAllocation>();
            for (var i = start; i < Math.Min(size.Contracts, start + Batch); i++)
            {
                var customer = customers[_random.Next(customers.Count)];
                var owner = customer.OwnerId ?? org.RepsByTeam[customer.TeamId][_random.Next(org.RepsByTeam[customer.TeamId].Length)].Id;
                var signed = today.AddDays(-_random.Next(0, 540));
                var contract = new Contract
                {
                    Id = NextId(),
                    Number = $"HT-{signed.Year}-{i + 1:000000}",
                    Title = $"{customer.Name} · {subjects[_random.Next(subjects.Length)]}",
                    CustomerId = customer.Id,
                    AmountMinor = _random.Next(10, 3_000) * 100_000L,
                    SigningDate = signed,
                    StartDate = signed,
                    EndDate = signed.AddYears(1),
                    OwnerId = owner,
                    Status = signed < today.AddDays(-365) ? ContractStatus.Completed : ContractStatus.Executing,
                    SignedAt = signed.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
                    SignedBy = owner,
                    ArchivedAt = signed.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
                    CreatedAt = signed.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
                };
                long planned = 0;
                for (var n = 0; n < shares.Length; n++)
                {
                    var amount = n == shares.Length - 1 ? contract.AmountMinor - planned : contract.AmountMinor * shares[n] / 100;
                    planned += amount;
                    var due = signed.AddDays(n == 0 ? 7 : n == 1 ? _random.Next(30, 180) : 365);
                    var instalment = new PaymentInstalment
                    {
                        Id = NextId(), ContractId = contract.Id, SeqNo = n + 1, Label = labels[n], DueDate = due, AmountMinor = amount,
                        Percent = shares[n], CreatedAt = contract.CreatedAt,
                    };
                    var roll = _random.Next(100);
                    var paid = due > today ? 0 : roll < 70 ? amount : roll < 85 ? amount / 2 : 0;
                    if (paid > 0)
                    {
                        var paidOn = due.AddDays(_random.Next(-5, 30));
                        var receivedOn = paidOn > today ? today : paidOn;
                        var receipt = new PaymentReceipt
                        {
                            Id = NextId(), ContractId = contract.Id, ReceivedOn = receivedOn, AmountMinor = paid,
                            Method = "bank-transfer", Reference = $"BANK-{i + 1:000000}-{n + 1}",
                            CreatedAt = receivedOn.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
                        };
                        receipts.Add(receipt);
                        allocations.Add(new ReceiptAllocation { Id = NextId(), ReceiptId = receipt.Id, InstalmentId = instalment.Id, AmountMinor = paid });
                        instalment.ReceivedMinor = paid;
                        instalment.SettledAt = paid == amount ? receipt.ReceivedOn.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) : null;
                        contract.ReceivedMinor += paid;
                    }

                    instalments.Add(instalment);
                }

                contracts.Add(contract);
            }

            // The owner drafts the contract with its payment plan (one history row, the contract's); Finance records the receipts.
            var history = new List<AuditEntry>(contracts.Count);
            Stamp(contracts, c => c.OwnerId, history);
            var owners = contracts.ToDictionary(c => c.Id, c => c.OwnerId);
            Stamp(instalments, p => owners[p.ContractId], history: null);
            Stamp(receipts, _ => org.FinanceId, history: null);
            await WriteAsync(async db =>
            {
                await BulkInsert.InsertAsync(db, contracts, ct);
                await BulkInsert.InsertAsync(db, instalments, ct);
                await BulkInsert.InsertAsync(db, receipts, ct);
                await BulkInsert.InsertAsync(db, allocations, ct);
                await BulkInsert.InsertAsync(db, history, ct);
            }, ct);
            written += contracts.Count;
        }

        return written;
    }

    /// <summary>
    /// Writes a batch in a transaction of its own while the caller makes the next one: one batch at a time, in order (this
    /// waits until the batch before has been written). <see cref="Step"/> waits for the last one.
    /// </summary>
    private async Task WriteAsync(Func<AppDbContext, Task> write, CancellationToken ct)
    {
        await _writing;
        var db = _writer ?? throw new InvalidOperationException("Batches are written during RunAsync only.");
        _writing = Task.Run(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await write(db);
            await transaction.CommitAsync(ct);
        }, ct);
    }

    /// <summary>
    /// On SQLite, the search index (FTS5, kept by triggers) takes a whole batch in memory and leaves merging its segments
    /// to the end of the load (<paramref name="loading"/>), where one 'optimize' merges each table's segments into one
    /// (as the nightly job would); then its settings are FTS5's defaults again. About a tenth less work for the index.
    /// </summary>
    private async Task<bool> SearchIndexLoadingAsync(bool loading, CancellationToken ct)
    {
        await _writing;
        await using var db = await dbFactory.OpenAsSystemAsync(ct);
        if (!db.Database.IsSqlite())
        {
            return false;
        }

        foreach (var table in Enum.GetValues<SearchSource>().Select(SearchIndex.SqliteTable))
        {
            // FTS5's special inserts: the table's own name as the column, the setting and its value (names from this code only).
            string[] commands = loading
                ? ["('hashsize', 268435456)", "('automerge', 0)", "('crisismerge', 1000)"]
                : ["('hashsize', 1048576)", "('automerge', 4)", "('crisismerge', 16)"];
            foreach (var setting in commands)
            {
                var command = $"""INSERT INTO "{table}" ("{table}", rank) VALUES {setting}""";
                await db.Database.ExecuteSqlRawAsync(command, ct);
            }

            if (!loading)
            {
                var optimize = $"""INSERT INTO "{table}" ("{table}") VALUES ('optimize')""";
                await db.Database.ExecuteSqlRawAsync(optimize, ct);
            }
        }

        return true;
    }

    /// <summary>
    /// Stamps new records as <see cref="AuditInterceptor"/> does on SaveChanges (and <see cref="BulkInsert.AddCreatedAsync{T}"/>
    /// for imports), but as made by <paramref name="by"/> at their CreatedAt, and spells their names for the search; with
    /// <paramref name="history"/>, adds each record's "Created" row to it (ids from the seed, so a run is repeatable).
    /// </summary>
    private void Stamp<T>(IEnumerable<T> records, Func<T, Guid?> by, List<AuditEntry>? history) where T : BusinessRecord
    {
        foreach (var record in records)
        {
            if (record.UpdatedAt == default)
            {
                record.UpdatedAt = record.CreatedAt;
            }

            record.CreatedBy = by(record);
            record.UpdatedBy = record.CreatedBy;
            record.Version = 1;
            SearchSpellings.Fill(record);
            if (history is not null)
            {
                history.Add(new AuditEntry
                {
                    Id = NextId(),
                    EntityType = typeof(T).Name,
                    EntityId = record.Id,
                    Action = AuditAction.Created,
                    ChangedAt = record.CreatedAt,
                    ChangedBy = record.CreatedBy,
                });
            }
        }
    }

    private string Name() => Surnames[_random.Next(Surnames.Length)] + GivenNames[_random.Next(GivenNames.Length)];

    private string CompanyName(string industryWord, HashSet<string> taken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var name = Cities[_random.Next(Cities.Length)] + Words[_random.Next(Words.Length)] + Words[_random.Next(Words.Length)]
                + industryWord + (attempt > 3 ? (attempt - 3).ToString(CultureInfo.InvariantCulture) + "号" : "") + "有限公司";
            if (taken.Add(name))
            {
                return name;
            }
        }
    }

    // Version-7 layout (time-ordered) from a counter clock and the seeded random, so a run is repeatable.
    private Guid NextId()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        var ms = _idClock++;
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)(ms >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(bytes[2..], (uint)ms);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
