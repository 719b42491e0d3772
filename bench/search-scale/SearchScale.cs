#:project ../../src/LeadToCash.Migrations.Sqlite/LeadToCash.Migrations.Sqlite.csproj
#:project ../../src/LeadToCash.Migrations.Postgres/LeadToCash.Migrations.Postgres.csproj
#:property PublishAot=false

// Global search at scale: seeds 100,000 customers, 300,000 contacts and 200,000 leads into a new database through the
// bulk insert of imports (so the spellings and the search index are built as in production), then times
// SearchHandler (the code behind GET /api/v1/search, without HTTP) for an admin, a manager and a rep.
// Usage: bench/search-scale.sh [sqlite|postgres] [customers]   (see the script)
using System.Diagnostics;
using System.Globalization;
using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Leads;
using LeadToCash.Modules.Organization;
using LeadToCash.Modules.Search;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Matching;
using Microsoft.EntityFrameworkCore;

var provider = args.Length > 0 && args[0] == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
var customerCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var connection = args.Length > 2 ? args[2] : $"Data Source={Path.Combine(Path.GetTempPath(), $"search-scale-{Environment.ProcessId}.db")}";
var options = new DbContextOptionsBuilder<AppDbContext>();
DatabaseSetup.Configure(options, provider, connection);
var factory = new Factory(options.Options);
var now = new DateTime(2026, 11, 25, 1, 0, 0, DateTimeKind.Utc);
var random = new Random(2026);

await using (var db = factory.CreateDbContext())
{
    await db.Database.MigrateAsync();
}

// The organisation: one company, 10 teams of one manager and 10 reps. A database seeded by an earlier run is reused.
var teams = new List<Team>();
var reps = new List<AppUser>();
var managers = new List<AppUser>();
bool seeded;
await using (var db = factory.CreateDbContext().WithScope(DataScope.System, null))
{
    seeded = await db.Customers.AnyAsync();
}

await using (var db = factory.CreateDbContext())
{
    if (seeded)
    {
        teams = await db.Teams.Where(t => t.Kind == TeamKind.Team).OrderBy(t => t.Name).ToListAsync();
        managers = await db.Users.Where(u => EF.Functions.Like(u.Email!, "m%")).OrderBy(u => u.Email).ToListAsync();
        reps = await db.Users.Where(u => EF.Functions.Like(u.Email!, "r%")).OrderBy(u => u.Email).ToListAsync();
        teams = managers.Select(m => teams.Single(t => t.Id == m.TeamId)).ToList();
    }
    else
    {
    var company = new Team { Name = "公司", Kind = TeamKind.Company };
    db.Teams.Add(company);
    for (var t = 0; t < 10; t++)
    {
        var team = new Team { Name = $"销售{t + 1}组", Kind = TeamKind.Team, ParentId = company.Id };
        teams.Add(team);
        var manager = new AppUser { UserName = $"m{t}@bench.test", Email = $"m{t}@bench.test", DisplayName = $"经理{t}", TeamId = team.Id };
        managers.Add(manager);
        team.HeadUserId = manager.Id;
        for (var r = 0; r < 10; r++)
        {
            reps.Add(new AppUser { UserName = $"r{t}-{r}@bench.test", Email = $"r{t}-{r}@bench.test", DisplayName = $"销售{t}-{r}", TeamId = team.Id });
        }
    }

    db.Teams.AddRange(teams);
    db.Users.AddRange(managers);
    db.Users.AddRange(reps);
    await db.SaveChangesAsync();
    }
}

string[] cities = ["上海", "北京", "深圳", "杭州", "苏州", "成都", "重庆", "武汉", "南京", "西安", "广州", "天津", "长沙", "宁波", "青岛", "厦门"];
var brandChars = "华为科创新达远恒泰鑫源盛隆嘉瑞丰宏安博正德信和佳美星辰光明海天云峰川银金通汇众力邦腾飞龙凤祥福润泽禾青蓝绿晨阳启航智慧联合东方南北中兴";
string[] trades = ["科技", "贸易", "制造", "物流", "医疗", "软件", "电子", "机械", "食品", "建材", "化工", "纺织", "能源", "传媒", "咨询", "银行"];
string[] suffixes = ["有限公司", "股份有限公司", "集团", "有限责任公司", ""];
var surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
var given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华飞玉兰萍红玲建国文辉鹏宇浩然子涵欣怡梓轩一诺思远博文";
string Company() => cities[random.Next(cities.Length)] + brandChars[random.Next(brandChars.Length)] + brandChars[random.Next(brandChars.Length)]
    + trades[random.Next(trades.Length)] + suffixes[random.Next(suffixes.Length)];
string Person() => surnames[random.Next(surnames.Length)].ToString() + given[random.Next(given.Length)] + (random.Next(2) == 0 ? given[random.Next(given.Length)].ToString() : "");
string Mobile() => "1" + (3 + random.Next(7)).ToString(CultureInfo.InvariantCulture) + random.NextInt64(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);

var seed = Stopwatch.StartNew();
var customerIds = new List<Guid>(customerCount);
var probe = new List<(string Name, string Phone, string Email, string Person)>();
const int Batch = 10_000;
for (var done = seeded ? customerCount : 0; done < customerCount; done += Batch)
{
    await using var db = factory.CreateDbContext();
    await using var tx = await db.Database.BeginTransactionAsync();
    var customers = new List<Customer>();
    var contacts = new List<Contact>();
    var leads = new List<Lead>();
    for (var i = done; i < Math.Min(customerCount, done + Batch); i++)
    {
        var owner = reps[random.Next(reps.Count)];
        var name = Company();
        var phone = Mobile();
        var customer = new Customer { Name = name, Phone = phone, PhoneKey = DuplicateKeys.Phone(phone), NameKey = DuplicateKeys.Company(name), OwnerId = owner.Id };
        customers.Add(customer);
        customerIds.Add(customer.Id);
        for (var c = 0; c < 3; c++)
        {
            var person = Person();
            var mobile = Mobile();
            var email = $"u{i}x{c}@corp{i % 997}.example";
            contacts.Add(new Contact { CustomerId = customer.Id, Name = person, Mobile = mobile, PhoneKey = DuplicateKeys.Phone(mobile), Email = email, EmailKey = email });
            if (i % 5000 == 0 && c == 0)
            {
                probe.Add((name, phone, email, person));
            }
        }

        for (var l = 0; l < 2; l++)
        {
            var mobile = Mobile();
            leads.Add(new Lead
            {
                SourceChannel = "website-form", CapturedAt = now, CompanyName = Company(), ContactName = Person(), Mobile = mobile,
                PhoneKey = DuplicateKeys.Phone(mobile), TeamId = owner.TeamId!.Value, OwnerId = owner.Id, Status = LeadStatus.Assigned,
                ScreeningDueAt = now,
            });
        }
    }

    await BulkInsert.AddCreatedAsync(db, customers, now, default);
    await BulkInsert.AddCreatedAsync(db, contacts, now, default);
    await BulkInsert.AddCreatedAsync(db, leads, now, default);
    await tx.CommitAsync();
    Console.Write($"\rseeded {Math.Min(customerCount, done + Batch):N0} customers ({seed.Elapsed.TotalSeconds:F0} s)");
}

Console.WriteLine();
if (seeded)
{
    await using var db = factory.CreateDbContext().WithScope(DataScope.System, null);
    var every = await db.Customers.OrderBy(c => c.Id).Select(c => new { c.Id, c.Name, c.Phone }).ToListAsync();
    foreach (var customer in every.Where((_, i) => i % 5000 == 0))
    {
        var contact = await db.Contacts.Where(c => c.CustomerId == customer.Id).OrderBy(c => c.Id).FirstAsync();
        probe.Add((customer.Name, customer.Phone!, contact.Email!, contact.Name));
    }
}

await using (var db = factory.CreateDbContext())
{
    if (provider == DatabaseProvider.Postgres)
    {
        await db.Database.ExecuteSqlRawAsync("ANALYZE");
    }
    else
    {
        await db.Database.ExecuteSqlRawAsync("PRAGMA optimize; ANALYZE;");
    }
}

var permissions = new HashSet<string> { Permissions.SearchUse, Permissions.CustomersRead, Permissions.LeadsRead };
CurrentUser Caller(AppUser user, DataScope scope, string role) =>
    new(user.Id, user.DisplayName, user.Email!, user.TeamId, null, new HashSet<string> { role }, permissions, scope, user.TeamId is { } t ? [t] : []);
var adminUser = managers[0];
var callers = new (string Who, CurrentUser User)[]
{
    ("admin", Caller(adminUser, new DataScope(adminUser.Id, true, [], []), Roles.Admin)),
    ("manager", Caller(managers[1], new DataScope(managers[1].Id, false, [teams[1].Id], [teams[1].Id]), Roles.Manager)),
    ("rep", Caller(reps[0], new DataScope(reps[0].Id, false, [], [reps[0].TeamId!.Value]), Roles.Rep)),
};
var sample = probe[probe.Count / 2];
var queries = new (string What, string Query)[]
{
    ("full company name", sample.Name),
    ("pinyin initials", LeadToCash.Platform.Search.SearchSpellings.Of(sample.Name).Initials.Split(' ')[0][..5]),
    ("full pinyin", LeadToCash.Platform.Search.SearchSpellings.Of(sample.Name).Pinyin.Split(' ')[0][..10]),
    ("2 Chinese characters", sample.Name.Substring(2, 2)),
    ("common word 科技", "科技"),
    ("common 4 chars 有限公司", "有限公司"),
    ("person's name", sample.Person),
    ("mobile, +86 and dashes", "+86 " + sample.Phone[..3] + "-" + sample.Phone[3..7] + "-" + sample.Phone[7..]),
    ("phone part", sample.Phone[3..9]),
    ("e-mail", sample.Email),
    ("1 letter", "z"),
    ("2 letters", "hw"),
};

var handler = new SearchHandler(factory);
Console.WriteLine($"{provider}: {customerCount:N0} customers, {customerCount * 3:N0} contacts, {customerCount * 2:N0} leads; seeded in {seed.Elapsed.TotalSeconds:F0} s");
// Wall time depends on what else the machine runs; CPU time (this process, all threads) much less so.
Console.WriteLine("| caller | query | results (cu/co/le) | p50 ms | p95 ms | max ms | CPU ms/search |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
var process = Process.GetCurrentProcess();
foreach (var (who, user) in callers)
{
    foreach (var (what, query) in queries)
    {
        var times = new List<double>();
        SearchResults? results = null;
        var cpu = TimeSpan.Zero;
        for (var run = 0; run < 22; run++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            results = await handler.HandleAsync(user, query);
            if (run >= 2)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
                process.Refresh();
                cpu += process.TotalProcessorTime - cpuBefore;
            }
        }

        times.Sort();
        Console.WriteLine($"| {who} | {what} `{query}` | {results!.Customers.Count}/{results.Contacts.Count}/{results.Leads.Count} | " +
            $"{times[times.Count / 2]:F1} | {times[(int)Math.Ceiling(times.Count * 0.95) - 1]:F1} | {times[^1]:F1} | {cpu.TotalMilliseconds / times.Count:F1} |");
    }
}

if (provider == DatabaseProvider.Sqlite)
{
    var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection).DataSource;
    Console.WriteLine($"database file: {new FileInfo(file).Length / 1024 / 1024} MiB");
}

internal sealed class Factory(DbContextOptions<AppDbContext> options) : IDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext() => new(options);
}
