using LeadToCash.Modules.Company;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Options;
using LeadToCash.Modules.Organization;
using LeadToCash.Modules.Organization.FirstRun;
using LeadToCash.Modules.Organization.Users;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Matching;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Cli;

/// <summary>
/// A believable Chinese SME sales organisation, generated deterministically: the same seed gives the same
/// people, teams, customers and ids.
/// </summary>
public static class DemoData
{
    public const int DefaultSeed = 2026;
    public const string Password = "demo-password-2026";

    private sealed record Person(string Email, string Name, string Team, string[] Roles, bool Heads, int HiredMonthsAgo);

    // Team key, name, kind, parent key.
    private static readonly (string Key, string Name, TeamKind Kind, string? Parent)[] TeamPlan =
    [
        ("hq", "云帆智能科技有限公司", TeamKind.Company, null),
        ("sales", "销售中心", TeamKind.Department, "hq"),
        ("east", "华东大区", TeamKind.Region, "sales"),
        ("sh1", "上海销售一组", TeamKind.Team, "east"),
        ("sh2", "上海销售二组", TeamKind.Team, "east"),
        ("south", "华南大区", TeamKind.Region, "sales"),
        ("sz", "深圳销售组", TeamKind.Team, "south"),
        ("finance", "财务部", TeamKind.Department, "hq"),
        ("marketing", "市场部", TeamKind.Department, "hq"),
    ];

    private static readonly Person[] People =
    [
        new("admin@demo.test", "周建国", "hq", [Roles.Admin], true, 60),
        new("director@demo.test", "王立华", "sales", [Roles.Director], true, 48),
        new("east.director@demo.test", "陈志强", "east", [Roles.Director], true, 40),
        new("manager@demo.test", "李娜", "sh1", [Roles.Manager, Roles.Rep], true, 36),
        new("rep@demo.test", "张伟", "sh1", [Roles.Rep], false, 26),
        new("rep2@demo.test", "刘洋", "sh1", [Roles.Rep], false, 8),
        new("zhao.min@demo.test", "赵敏", "sh1", [Roles.Rep], false, 15),
        new("assistant@demo.test", "孙丽", "sh1", [Roles.Assistant], false, 20),
        new("manager2@demo.test", "杨帆", "sh2", [Roles.Manager], true, 30),
        new("huang.lei@demo.test", "黄磊", "sh2", [Roles.Rep], false, 18),
        new("wu.jing@demo.test", "吴静", "sh2", [Roles.Rep], false, 5),
        new("zhou.tao@demo.test", "周涛", "sh2", [Roles.Rep], false, 28),
        new("south.director@demo.test", "林晓东", "south", [Roles.Director], true, 44),
        new("manager3@demo.test", "郑凯", "sz", [Roles.Manager, Roles.Rep], true, 33),
        new("he.yun@demo.test", "何芸", "sz", [Roles.Rep], false, 14),
        new("guo.peng@demo.test", "郭鹏", "sz", [Roles.Rep], false, 3),
        new("ma.xiaoli@demo.test", "马晓丽", "sz", [Roles.Assistant], false, 11),
        new("finance@demo.test", "钱芳", "finance", [Roles.Finance], true, 50),
        new("marketing@demo.test", "谢雨婷", "marketing", [Roles.Assistant], true, 22),
    ];

    private static readonly string[] Cities = ["上海", "苏州", "杭州", "南京", "宁波", "无锡", "深圳", "广州", "东莞", "佛山", "厦门", "合肥"];
    private static readonly string[] Words = ["华信", "恒通", "博远", "金桥", "瑞丰", "中科", "天合", "鼎盛", "海纳", "新源", "宏达", "启明", "汇川", "联创", "精工", "安泰", "远航", "德隆", "嘉禾", "凯瑞"];
    private static readonly string[] Trades = ["精密机械", "电子科技", "医疗器械", "物流", "软件", "新材料", "自动化设备", "包装", "食品", "教育科技", "建筑工程", "能源科技"];
    private static readonly string[] Suffixes = ["有限公司", "股份有限公司", "集团有限公司"];
    private static readonly string[] Districts = ["浦东新区张江路", "工业园区星湖街", "滨江区江南大道", "江宁区胜太路", "南山区科技园", "天河区体育西路", "松山湖高新区", "高新区望江路"];

    /// <summary>One team of the demo organisation; <see cref="ParentKey"/> names its parent.</summary>
    public sealed record PlannedTeam(string Key, Guid Id, string Name, TeamKind Kind, string? ParentKey);

    public sealed record PlannedPerson(Guid Id, string Email, string Name, string TeamKey, IReadOnlyList<string> Roles,
        bool Heads, int HiredMonthsAgo, string Mobile);

    public sealed record PlannedHoliday(Guid Id, DateOnly Date, string Name, bool IsWorkingDay);

    /// <summary>A colleague a customer is shared with.</summary>
    public sealed record PlannedShare(Guid Id, string UserEmail, CollaboratorAccess Access);

    /// <summary>A customer, owned by <see cref="OwnerEmail"/> or, when that is null, in the pool of <see cref="PoolTeamKey"/>.</summary>
    public sealed record PlannedCustomer(Guid Id, string Name, string Industry, string Region, string Phone, string? Website,
        string Address, string SourceChannel, string? OwnerEmail, string? PoolTeamKey, PlannedShare? Share,
        int CreatedHoursAgo = 0, int UpdatedHoursAgo = 0);

    /// <summary>Everything the demo company consists of, before it is written.</summary>
    public sealed record Plan(Guid CompanyId, string CompanyName, IReadOnlyList<PlannedTeam> Teams,
        IReadOnlyList<PlannedHoliday> Holidays, IReadOnlyList<PlannedPerson> People, IReadOnlyList<PlannedCustomer> Customers);

    /// <summary>The demo company of a seed: a pure function, so the same seed always gives the same company.</summary>
    public static Plan PlanFor(int seed = DefaultSeed)
    {
        // The order of the draws below fixes what a seed gives; add new draws at the end only.
        var random = new Random(seed);
        var companyId = NextGuid(random);
        var teams = TeamPlan.Select(t => new PlannedTeam(t.Key, NextGuid(random), t.Name, t.Kind, t.Parent)).ToList();
        var holidays = ChinaHolidays2026().Select(h => new PlannedHoliday(NextGuid(random), h.Date, h.Name, h.IsWorkingDay)).ToList();
        var mobiles = People.Select(_ => Mobile(random)).ToList();

        var owners = People.Where(p => p.Roles.Contains(Roles.Rep)).ToArray();
        var industries = DefaultOptions.All.Where(o => o.ListKey == OptionLists.Industries).Select(o => o.Code).ToArray();
        var channels = DefaultOptions.All.Where(o => o.ListKey == OptionLists.SourceChannels).Select(o => o.Code).ToArray();
        var usedNames = new HashSet<string>();
        var customers = new List<PlannedCustomer>();
        var shares = new List<(int Customer, string Email, CollaboratorAccess Access)>();
        for (var i = 0; i < 120; i++)
        {
            string name;
            string city;
            do
            {
                city = Pick(random, Cities);
                name = city + Pick(random, Words) + Pick(random, Trades) + Pick(random, Suffixes);
            }
            while (!usedNames.Add(name));

            var inPool = random.NextDouble() < 0.15;
            var owner = Pick(random, owners);
            var id = NextGuid(random);
            var industry = Pick(random, industries);
            var phone = random.NextDouble() < 0.5 ? Mobile(random) : Landline(random, city);
            var website = random.NextDouble() < 0.6 ? $"www.{Pinyinish(random)}.com.cn" : null;
            var address = $"{city}市{Pick(random, Districts)}{random.Next(1, 999)}号";
            var channel = Pick(random, channels);
            customers.Add(new PlannedCustomer(id, name, industry, city, phone, website, address, channel,
                inPool ? null : owner.Email, inPool ? owner.Team : null, null));
            if (!inPool && random.NextDouble() < 0.1)
            {
                var colleague = Pick(random, owners.Where(o => o.Email != owner.Email).ToArray());
                shares.Add((i, colleague.Email, random.NextDouble() < 0.5 ? CollaboratorAccess.Edit : CollaboratorAccess.Read));
            }
        }

        // Drawn last: fixed user ids came after the rest, and drawing them earlier would change every customer of a seed.
        var people = People.Select((p, i) => new PlannedPerson(NextGuid(random), p.Email, p.Name, p.Team, p.Roles, p.Heads,
            p.HiredMonthsAgo, mobiles[i])).ToList();
        foreach (var (index, email, access) in shares)
        {
            customers[index] = customers[index] with { Share = new PlannedShare(NextGuid(random), email, access) };
        }

        // The customers' ages: created within the last half year, last changed since then.
        for (var i = 0; i < customers.Count; i++)
        {
            var created = random.Next(2, 180 * 24);
            customers[i] = customers[i] with { CreatedHoursAgo = created, UpdatedHoursAgo = random.Next(0, created) };
        }

        return new Plan(companyId, TeamPlan[0].Name, teams, holidays, people, customers);
    }

    public static async Task SeedAsync(IServiceProvider services, int seed = DefaultSeed, CancellationToken ct = default)
    {
        var plan = PlanFor(seed);
        var dbFactory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var clock = services.GetRequiredService<TimeProvider>();
        await ReferenceData.EnsureAsync(dbFactory, services.GetRequiredService<RoleManager<AppRole>>(), ct);

        await using var db = await dbFactory.OpenAsSystemAsync(ct);
        db.CompanySettings.Add(new CompanySettings { Id = plan.CompanyId, Name = plan.CompanyName });
        var teams = new Dictionary<string, Team>();
        foreach (var planned in plan.Teams)
        {
            var team = new Team
            {
                Id = planned.Id,
                Name = planned.Name,
                Kind = planned.Kind,
                ParentId = planned.ParentKey is null ? null : teams[planned.ParentKey].Id,
            };
            teams[planned.Key] = team;
            db.Teams.Add(team);
        }

        foreach (var holiday in plan.Holidays)
        {
            db.Holidays.Add(new Holiday { Id = holiday.Id, Date = holiday.Date, Name = holiday.Name, IsWorkingDay = holiday.IsWorkingDay });
        }

        await db.SaveChangesAsync(ct);

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        foreach (var person in plan.People)
        {
            await UsersHandler.CreateUserAsync(users, clock, new CreateUserRequest(
                person.Email, person.Name, Password, teams[person.TeamKey].Id, person.Roles,
                today.AddMonths(-person.HiredMonthsAgo), person.Mobile), person.Id, ct);
            if (person.Heads)
            {
                teams[person.TeamKey].HeadUserId = person.Id;
            }
        }

        await db.SaveChangesAsync(ct);

        var userIds = plan.People.ToDictionary(p => p.Email, p => p.Id);
        var now = clock.GetUtcNow().UtcDateTime;
        var profiles = DemoCustomers.PlanFor(plan, seed);
        foreach (var planned in plan.Customers)
        {
            var customer = new Customer
            {
                Id = planned.Id,
                Name = planned.Name,
                Industry = planned.Industry,
                Region = planned.Region,
                Phone = planned.Phone,
                NameKey = DuplicateKeys.Company(planned.Name),
                PhoneKey = DuplicateKeys.Phone(planned.Phone),
                Website = planned.Website,
                Address = planned.Address,
                SourceChannel = planned.SourceChannel,
                OwnerId = planned.OwnerEmail is null ? null : userIds[planned.OwnerEmail],
                PoolTeamId = planned.PoolTeamKey is null ? null : teams[planned.PoolTeamKey].Id,
                // Owned within the last 20 days, so that the pool rules (30 days without a follow-up) leave the demo's customers with their owners.
                OwnedSince = planned.OwnerEmail is null ? null : now.AddHours(-Math.Min(planned.UpdatedHoursAgo, 20 * 24)),
                CreatedAt = now.AddHours(-planned.CreatedHoursAgo),
                UpdatedAt = now.AddHours(-planned.UpdatedHoursAgo),
            };
            db.Customers.Add(customer);
            DemoCustomers.Apply(db, customer, profiles[planned.Id], now);
            if (planned.Share is { } share)
            {
                db.Collaborators.Add(new Collaborator
                {
                    Id = share.Id,
                    RecordType = Customer.RecordType,
                    RecordId = planned.Id,
                    UserId = userIds[share.UserEmail],
                    Access = share.Access,
                    AddedAt = clock.GetUtcNow().UtcDateTime,
                });
            }
        }

        await db.SaveChangesAsync(ct);
        await DemoPlaybook.SeedAsync(db, ct);
        await DemoApprovalFlows.SeedAsync(db, ct);
    }

    /// <summary>The 2026 public holidays of mainland China with their make-up working days (调休).</summary>
    public static IEnumerable<Holiday> ChinaHolidays2026()
    {
        (string Name, string[] Off, string[] Work)[] plan =
        [
            ("元旦", ["2026-01-01", "2026-01-02", "2026-01-03"], ["2026-01-04"]),
            ("春节", ["2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23"], ["2026-02-14", "2026-02-28"]),
            ("清明节", ["2026-04-04", "2026-04-05", "2026-04-06"], []),
            ("劳动节", ["2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05"], ["2026-05-09"]),
            ("端午节", ["2026-06-19", "2026-06-20", "2026-06-21"], []),
            ("中秋节", ["2026-09-25", "2026-09-26", "2026-09-27"], []),
            ("国庆节", ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"], ["2026-09-20", "2026-10-10"]),
        ];
        foreach (var (name, off, work) in plan)
        {
            foreach (var day in off)
            {
                yield return new Holiday { Date = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), Name = name };
            }

            foreach (var day in work)
            {
                yield return new Holiday { Date = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), Name = name + "调休上班", IsWorkingDay = true };
            }
        }
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static string Mobile(Random random)
    {
        string[] prefixes = ["138", "139", "136", "137", "150", "151", "158", "186", "187", "189", "177", "199"];
        return $"{Pick(random, prefixes)} {random.Next(1000, 9999)} {random.Next(1000, 9999)}";
    }

    private static string Landline(Random random, string city) => city switch
    {
        "上海" => $"021-{random.Next(5000_0000, 6999_9999)}",
        "深圳" => $"0755-{random.Next(2000_0000, 8999_9999)}",
        "广州" => $"020-{random.Next(3000_0000, 8999_9999)}",
        "杭州" => $"0571-{random.Next(8000_0000, 8999_9999)}",
        "南京" => $"025-{random.Next(5000_0000, 8999_9999)}",
        _ => $"0512-{random.Next(6000_0000, 6999_9999)}",
    };

    private static string Pinyinish(Random random)
    {
        string[] syllables = ["hua", "xin", "heng", "tong", "bo", "yuan", "jin", "qiao", "rui", "feng", "tian", "he", "ding", "sheng", "hai", "na"];
        return Pick(random, syllables) + Pick(random, syllables) + Pick(random, ["tech", "group", "mfg", ""]);
    }

    // Shaped as version 7 but drawn from the seeded generator, so the same seed gives the same ids.
    private static Guid NextGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x70);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
