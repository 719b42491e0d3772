using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using LeadToCash.Modules.Company;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.FollowUps;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Opportunities;
using LeadToCash.Modules.Organization;
using LeadToCash.Modules.Organization.FirstRun;
using LeadToCash.Modules.Tasks;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Matching;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Cli;

/// <summary>How much a scale data set holds.</summary>
public sealed record ScaleSize(
    string Name, int Regions, int TeamsPerRegion, int RepsPerTeam, int Leads, int Customers, int ContactsPerCustomer,
    int FollowUpsPerCustomer, int TasksPerRep, int Opportunities)
{
    public static readonly IReadOnlyList<ScaleSize> All =
    [
        new("small", 2, 2, 4, 2_000, 1_000, 3, 10, 5, 1_500),
        new("medium", 4, 5, 6, 20_000, 10_000, 3, 10, 10, 15_000),
        // 1 + 5 + 54 = 60 teams; 54 × (1 manager + 7 reps + 1 assistant) + 5 directors + 1 admin ≈ 500 people.
        new("large", 5, 11, 7, 200_000, 100_000, 3, 10, 20, 150_000),
    ];

    public static ScaleSize? Find(string? name) => All.FirstOrDefault(s => s.Name == name);
}

/// <summary>
/// Fills an empty database with a large, deterministic, realistic-looking company for benchmarks: teams, people,
/// leads, customers, contacts, follow-ups, tasks and opportunities in the default pipeline, through the bulk write path (binary COPY on PostgreSQL, one
/// prepared INSERT per table on SQLite), one transaction per batch. Everyone's password is <see cref="Password"/>;
/// the accounts to sign in with are admin@scale.test, director1@scale.test, manager1@scale.test and rep1@scale.test.
/// </summary>
public sealed partial class ScaleData(IDbContextFactory<AppDbContext> dbFactory, RoleManager<AppRole> roles, TimeProvider clock, TextWriter log)
{
    public const string Password = "scale-password-2026";
    private const int Batch = 10_000;

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

        var now = clock.GetUtcNow().UtcDateTime;
        _idClock = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var org = await SeedOrganizationAsync(size, now, ct);
        await Step("people and teams", org.People.Count, total);

        var rules = await LoadRulesAsync(ct);
        var customers = await SeedCustomersAsync(size, org, rules, now, ct);
        await Step("customers", customers.Count, total);
        var contacts = await SeedContactsAsync(size, customers, now, ct);
        await Step("contacts", contacts, total);
        var followUps = await SeedFollowUpsAsync(size, customers, now, ct);
        await Step("follow-ups", followUps, total);
        var leads = await SeedLeadsAsync(size, org, now, ct);
        await Step("leads", leads, total);
        var tasks = await SeedTasksAsync(size, org, customers, now, ct);
        await Step("tasks", tasks, total);
        var opportunities = await SeedOpportunitiesAsync(size, org, customers, now, ct);
        await Step("opportunities", opportunities, total);
        await Step("contracts with payment plans", await SeedReceivablesAsync(size, org, customers, now, ct), total);
        await using (var db = await dbFactory.OpenAsSystemAsync(ct))
        {
            // Fresh statistics, so both planners see the table sizes the benchmarks query.
            await db.Database.ExecuteSqlRawAsync("ANALYZE", ct);
        }

        await log.WriteLineAsync($"Scale data '{size.Name}' loaded in {total.Elapsed.TotalSeconds:0.0} s. Sign in as admin@scale.test, " +
            $"manager1@scale.test or rep1@scale.test with the password {Password}.");
        return 0;
    }

    private Task Step(string what, int count, Stopwatch total) =>
        log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {count,10:N0} {what} ({total.Elapsed.TotalSeconds:0.0} s)"));

    private sealed record Person(Guid Id, string Email, string Name, Guid TeamId, string Role);

    private sealed record Org(IReadOnlyList<Person> People, IReadOnlyList<Guid> SalesTeams, IReadOnlyDictionary<Guid, Person[]> RepsByTeam);

    private sealed record SeededCustomer(Guid Id, string Name, Guid? OwnerId, Guid TeamId, DateTime CreatedAt);

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
        people.Add(new Person(NextId(), "admin@scale.test", "系统管理员", company.Id, Roles.Admin));
        var salesTeams = new List<Guid>();
        var repsByTeam = new Dictionary<Guid, Person[]>();
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
                var reps = Enumerable.Range(0, size.RepsPerTeam)
                    .Select(_ => new Person(NextId(), $"rep{++rep}@scale.test", Name(), team.Id, Roles.Rep)).ToArray();
                people.AddRange(reps);
                repsByTeam[team.Id] = reps;
                people.Add(new Person(NextId(), $"assistant{++assistant}@scale.test", Name(), team.Id, Roles.Assistant));
            }
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await BulkInsert.AddCreatedAsync(db, teams, now, ct);
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
        return new Org(people, salesTeams, repsByTeam);
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
                seeded.Add(new SeededCustomer(customer.Id, name, owner, team, created));
            }

            await WriteAsync(db => BulkInsert.AddCreatedAsync(db, batch, now, ct), ct);
        }

        return seeded;
    }

    private async Task<int> SeedContactsAsync(ScaleSize size, List<SeededCustomer> customers, DateTime now, CancellationToken ct)
    {
        var count = 0;
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
                }
            }

            await WriteAsync(db => BulkInsert.AddCreatedAsync(db, batch, now, ct), ct);
            count += batch.Count;
        }

        return count;
    }

    // Follow-ups are history themselves: written without a "created" audit row each.
    private async Task<int> SeedFollowUpsAsync(ScaleSize size, List<SeededCustomer> customers, DateTime now, CancellationToken ct)
    {
        var count = 0;
        foreach (var chunk in customers.Chunk(Batch / size.FollowUpsPerCustomer))
        {
            var batch = new List<FollowUp>();
            foreach (var customer in chunk)
            {
                var author = customer.OwnerId ?? Guid.Empty;
                if (author == Guid.Empty)
                {
                    continue;
                }

                for (var k = 0; k < size.FollowUpsPerCustomer; k++)
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

    private async Task<int> SeedLeadsAsync(ScaleSize size, Org org, DateTime now, CancellationToken ct)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
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
                batch.Add(new Lead
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
                    ScreenedAt = status == LeadStatus.New ? null : captured.AddMinutes(_random.Next(5, 120)),
                    AssignedAt = owned ? captured.AddHours(1) : null,
                    FirstTouchDueAt = owned ? captured.AddHours(grade == LeadGrade.A ? 3 : 25) : null,
                    FirstTouchAt = status is LeadStatus.Contacted ? captured.AddHours(_random.Next(1, 30)) : null,
                    CreatedAt = captured,
                });
            }

            await WriteAsync(db => BulkInsert.AddCreatedAsync(db, batch, now, ct), ct);
        }

        return size.Leads;
    }

    private async Task<int> SeedTasksAsync(ScaleSize size, Org org, List<SeededCustomer> customers, DateTime now, CancellationToken ct)
    {
        var owned = customers.Where(c => c.OwnerId is not null).GroupBy(c => c.OwnerId!.Value).ToDictionary(g => g.Key, g => g.ToArray());
        var batch = new List<WorkTask>();
        foreach (var rep in org.People.Where(p => p.Role == Roles.Rep))
        {
            for (var k = 0; k < size.TasksPerRep; k++)
            {
                var related = owned.TryGetValue(rep.Id, out var mine) ? mine[_random.Next(mine.Length)] : null;
                var due = now.AddHours(_random.Next(-72, 240));
                var done = due < now && _random.Next(3) > 0;
                batch.Add(new WorkTask
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
                });
            }
        }

        foreach (var chunk in batch.Chunk(Batch))
        {
            await WriteAsync(db => BulkInsert.AddCreatedAsync(db, chunk, now, ct), ct);
        }

        return batch.Count;
    }

    // Deals of the customers' owners (a pool customer's deal goes to a rep of its team) across the default pipeline:
    // most open, spread over the stages, the rest won or lost; expected close dates from three months back to nine ahead.
    private async Task<int> SeedOpportunitiesAsync(ScaleSize size, Org org, List<SeededCustomer> customers, DateTime now, CancellationToken ct)
    {
        List<PipelineStage> stages;
        Guid pipelineId;
        await using (var db = await dbFactory.OpenAsSystemAsync(ct))
        {
            pipelineId = await db.Pipelines.Where(p => p.IsDefault).Select(p => p.Id).FirstAsync(ct);
            stages = await db.PipelineStages.Where(s => s.PipelineId == pipelineId).OrderBy(s => s.SortOrder).ToListAsync(ct);
        }

        var open = stages.Where(s => s.Kind == StageKind.Open).ToArray();
        var won = stages.First(s => s.Kind == StageKind.Won);
        var lost = stages.First(s => s.Kind == StageKind.Lost);
        string[] products = ["ERP实施", "云平台订阅", "数据中台", "智能制造升级", "年度维保", "CRM部署"];
        var today = DateOnly.FromDateTime(now);
        var written = 0;
        for (var start = 0; start < size.Opportunities; start += Batch)
        {
            var deals = new List<Opportunity>();
            var entries = new List<StageEntry>();
            for (var i = start; i < Math.Min(size.Opportunities, start + Batch); i++)
            {
                var customer = customers[_random.Next(customers.Count)];
                var owner = customer.OwnerId ?? org.RepsByTeam[customer.TeamId][_random.Next(org.RepsByTeam[customer.TeamId].Length)].Id;
                var roll = _random.Next(100);
                var stage = roll < 15 ? won : roll < 30 ? lost : open[_random.Next(open.Length)];
                var created = now.AddDays(-_random.Next(5, 400));
                var entered = created.AddDays(_random.Next(0, Math.Max(1, (int)(now - created).TotalDays)));
                var deal = new Opportunity
                {
                    Id = NextId(),
                    CustomerId = customer.Id,
                    Name = $"{customer.Name} · {products[_random.Next(products.Length)]}",
                    AmountMinor = _random.Next(20, 5_000) * 100_000L,
                    ExpectedCloseDate = today.AddDays(_random.Next(-90, 270)),
                    PipelineId = pipelineId,
                    StageId = stage.Id,
                    StageEnteredAt = entered,
                    Probability = stage.Probability,
                    Status = stage.Kind switch { StageKind.Won => OpportunityStatus.Won, StageKind.Lost => OpportunityStatus.Lost, _ => OpportunityStatus.Open },
                    ClosedAt = stage.Kind == StageKind.Open ? null : entered,
                    LostReason = stage.Kind == StageKind.Lost ? "price" : null,
                    SourceChannel = Channels[_random.Next(Channels.Length)],
                    OwnerId = owner,
                    CreatedAt = created,
                };
                deals.Add(deal);
                entries.Add(new StageEntry
                {
                    Id = NextId(), OpportunityId = deal.Id, PipelineId = pipelineId, StageId = stage.Id,
                    Kind = stage.Kind == StageKind.Open ? StageEntryKind.Forward : StageEntryKind.Closed, EnteredAt = entered, EnteredBy = owner,
                });
            }

            await WriteAsync(async db =>
            {
                await BulkInsert.AddCreatedAsync(db, deals, now, ct);
                await BulkInsert.InsertAsync(db, entries, ct);
            }, ct);
            written += deals.Count;
        }

        return written;
    }

    private async Task WriteAsync(Func<AppDbContext, Task> write, CancellationToken ct)
    {
        await using var db = await dbFactory.OpenAsSystemAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await write(db);
        await transaction.CommitAsync(ct);
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
