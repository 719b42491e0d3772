using LeadToCash.Modules.Customers;
using LeadToCash.Modules.Options;
using LeadToCash.Platform.Data;
using LeadToCash.Platform.Matching;

namespace LeadToCash.Platform.Cli;

/// <summary>
/// The demo customers' profiles: grade, lifecycle stage, size, parent company, tags, 2–4 contacts with their part in
/// the purchase, stance and who reports to whom, and needs analyses (some confirmed, some waiting, some overdue),
/// timed from now. Deterministic for a seed, drawn from a generator of its own so the company plan stays as it was.
/// </summary>
public static class DemoCustomers
{
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"];
    private static readonly string[] GivenNames = ["建国", "海燕", "志明", "丽华", "国强", "晓东", "静", "磊", "婷", "伟", "敏", "军", "红梅", "振华", "雪", "鹏", "倩", "斌"];
    private static readonly string[] FreeTags = ["重点客户", "老客户转介绍", "展会获客", "有竞品在谈", "预算已批", "年底采购", "政府补贴项目", "需上门演示"];

    private static readonly Dictionary<PurchaseRole, string[]> Titles = new()
    {
        [PurchaseRole.DecisionMaker] = ["总经理", "董事长", "副总经理"],
        [PurchaseRole.Influencer] = ["技术总监", "财务总监", "生产总监"],
        [PurchaseRole.User] = ["生产经理", "IT 主管", "车间主任"],
        [PurchaseRole.Purchaser] = ["采购经理", "采购主管"],
        [PurchaseRole.Gatekeeper] = ["总经理助理", "行政经理"],
    };

    private static readonly (string Title, string Pain, string Words, string Goals)[] Needs =
    [
        ("生产线设备联网需求", "设备数据靠人工抄表，故障发现晚，停机损失大。", "“每次停机都是第二天早上才知道，一停就是半天。”", "三个月内实现关键设备实时监控，停机时间减少 30%。"),
        ("仓储管理系统升级", "库存账实不符，月底盘点要停工两天。", "“月底盘点太折腾了，账永远对不上。”", "上线条码管理，盘点时间缩短到半天。"),
        ("销售管理数字化", "客户信息散落在业务员手里，人走客户也走。", "“去年走了两个销售，客户资料全带走了。”", "客户资料统一管理，跟进过程可追溯。"),
        ("质量追溯方案", "客户投诉后追溯批次要翻纸质记录，回复慢。", "“客户要 24 小时内给答复，我们三天都查不清。”", "任一批次 10 分钟内可追溯到原料和工序。"),
        ("财务共享中心规划", "多家子公司各自记账，合并报表要两周。", "“集团报表每个月都要加班到半夜。”", "统一核算口径，合并报表三天内出具。"),
    ];

    private static readonly string[] Ways = ["邮件确认", "微信确认", "签字确认", "会上当面确认"];

    public sealed record PlannedContact(Guid Id, string Name, string Title, string Mobile, string? Email, PurchaseRole Role,
        ContactStance Stance, Guid? ReportsToId, bool IsPrimary);

    /// <summary>A needs analysis of a meeting <see cref="MeetingHoursAgo"/> hours ago; sent and confirmed so many hours after it.</summary>
    public sealed record PlannedAnalysis(Guid Id, int Need, int MeetingHoursAgo, long? BudgetMinor, int? SentHoursAfter,
        int? ConfirmedHoursAfter, string? How);

    public sealed record Profile(CustomerGrade Grade, LifecycleStage Stage, string Size, Guid? ParentId, IReadOnlyList<string> Tags,
        IReadOnlyList<PlannedContact> Contacts, IReadOnlyList<PlannedAnalysis> Analyses);

    /// <summary>The profile of every customer of <paramref name="plan"/>, by customer id.</summary>
    public static IReadOnlyDictionary<Guid, Profile> PlanFor(DemoData.Plan plan, int seed = DemoData.DefaultSeed)
    {
        var random = new Random(seed + 5);
        var sizes = DefaultOptions.All.Where(o => o.ListKey == OptionLists.CompanySizes).Select(o => o.Code).ToArray();
        var profiles = new Dictionary<Guid, Profile>();
        var byOwner = new Dictionary<string, List<Guid>>(StringComparer.Ordinal);
        foreach (var customer in plan.Customers)
        {
            var owned = customer.OwnerEmail is not null;
            var grade = Weighted(random, (CustomerGrade.A, 20), (CustomerGrade.B, 35), (CustomerGrade.C, 45));
            var stage = owned
                ? Weighted(random, (LifecycleStage.Prospect, 35), (LifecycleStage.InOpportunity, 25), (LifecycleStage.Customer, 20),
                    (LifecycleStage.RepeatCustomer, 8), (LifecycleStage.Dormant, 7), (LifecycleStage.Lost, 5))
                : Weighted(random, (LifecycleStage.Prospect, 70), (LifecycleStage.Dormant, 20), (LifecycleStage.Lost, 10));
            var size = sizes[random.Next(sizes.Length)];

            // Some companies belong to a group the same rep already looks after.
            Guid? parent = null;
            if (customer.OwnerEmail is { } owner)
            {
                if (byOwner.TryGetValue(owner, out var siblings) && siblings.Count > 0 && random.NextDouble() < 0.15)
                {
                    parent = siblings[random.Next(siblings.Count)];
                }
                else
                {
                    (byOwner.TryGetValue(owner, out var list) ? list : byOwner[owner] = []).Add(customer.Id);
                }
            }

            var tags = FreeTags.Where(_ => random.NextDouble() < 0.12).Take(2).ToList();
            var contacts = PlanContacts(random);
            var analyses = new List<PlannedAnalysis>();
            if (owned && random.NextDouble() < 0.3)
            {
                var meetingHoursAgo = Weighted(random, (3, 2), (20, 2), (30, 3), (60, 3), (150, 4), (400, 4));
                var confirmed = meetingHoursAgo > 24 && random.NextDouble() < 0.5;
                var sent = confirmed || random.NextDouble() < 0.5;
                long? budget = random.NextDouble() < 0.8 ? Weighted(random, (8L, 2), (30L, 4), (60L, 3), (150L, 2), (600L, 1)) * 10_000_00 : null;
                analyses.Add(new PlannedAnalysis(NextGuid(random), random.Next(Needs.Length), meetingHoursAgo, budget,
                    sent ? Math.Min(meetingHoursAgo - 1, random.Next(2, 20)) : null,
                    confirmed ? random.Next(20, 24) : null, confirmed ? Ways[random.Next(Ways.Length)] : null));
            }

            profiles[customer.Id] = new Profile(grade, stage, size, parent, tags, contacts, analyses);
        }

        return profiles;
    }

    /// <summary>Gives a new demo customer its profile: fields, tags, contacts and needs analyses, in the same unit of work.</summary>
    public static void Apply(AppDbContext db, Customer customer, Profile profile, DateTime now)
    {
        customer.Grade = profile.Grade;
        customer.Stage = profile.Stage;
        customer.Size = profile.Size;
        customer.ParentId = profile.ParentId;
        foreach (var contact in profile.Contacts)
        {
            db.Contacts.Add(new Contact
            {
                Id = contact.Id,
                CustomerId = customer.Id,
                Name = contact.Name,
                Title = contact.Title,
                Mobile = contact.Mobile,
                Email = contact.Email,
                Role = contact.Role,
                Stance = contact.Stance,
                ReportsToId = contact.ReportsToId,
                IsPrimary = contact.IsPrimary,
                PhoneKey = DuplicateKeys.Phone(contact.Mobile),
                EmailKey = DuplicateKeys.Email(contact.Email),
                CreatedAt = customer.CreatedAt,
                UpdatedAt = customer.CreatedAt,
            });
        }

        long? budget = null;
        foreach (var planned in profile.Analyses)
        {
            var (title, pain, words, goals) = Needs[planned.Need];
            var meetingAt = now.AddHours(-planned.MeetingHoursAgo);
            db.NeedsAnalyses.Add(new NeedsAnalysis
            {
                Id = planned.Id,
                CustomerId = customer.Id,
                Title = title,
                MeetingAt = meetingAt,
                Background = $"{customer.Name}正在评估数字化项目，本次会谈了解现状和需求。",
                CurrentSituation = "目前主要依靠 Excel 和纸质单据，部门之间信息不通。",
                PainPoints = pain,
                CustomerWords = words,
                Goals = goals,
                BudgetMinor = planned.BudgetMinor,
                Timeline = "年内立项，下季度实施",
                NeedPriorities = "1. 数据实时可见；2. 减少人工录入；3. 管理层报表",
                DecisionProcess = "使用部门提需求，技术总监评估，总经理拍板，采购部走流程。",
                ConfirmDueAt = CustomerRules.ConfirmDueAt(meetingAt, new CustomerSettings()),
                SentAt = planned.SentHoursAfter is { } sent ? meetingAt.AddHours(sent) : null,
                ConfirmedAt = planned.ConfirmedHoursAfter is { } confirmed ? meetingAt.AddHours(confirmed) : null,
                ConfirmedHow = planned.How,
                CreatedAt = meetingAt.AddHours(1),
                UpdatedAt = meetingAt.AddHours(1),
            });
            budget ??= planned.BudgetMinor;
        }

        var industry = DefaultOptions.All.FirstOrDefault(o => o.ListKey == OptionLists.Industries && o.Code == customer.Industry)?.LabelZh;
        if (CustomerTags.SystemTag(industry, profile.Size, null, budget) is { } segment)
        {
            db.CustomerTags.Add(new CustomerTag { CustomerId = customer.Id, Name = segment, IsSystem = true });
        }

        foreach (var tag in profile.Tags.Where(t => t != CustomerTags.SystemTag(industry, profile.Size, null, budget)))
        {
            db.CustomerTags.Add(new CustomerTag { CustomerId = customer.Id, Name = tag });
        }
    }

    // A decision maker at the top; an influencer (the day-to-day, primary contact) and maybe a purchaser report to them;
    // a user reports to the influencer; sometimes a gatekeeper guards the boss.
    private static List<PlannedContact> PlanContacts(Random random)
    {
        var count = random.Next(2, 5);
        var roles = new[] { PurchaseRole.DecisionMaker, PurchaseRole.Influencer, PurchaseRole.Purchaser, PurchaseRole.User, PurchaseRole.Gatekeeper }
            .Take(2).Concat(new[] { PurchaseRole.Purchaser, PurchaseRole.User, PurchaseRole.Gatekeeper }.OrderBy(_ => random.Next()).Take(count - 2))
            .ToList();
        var contacts = new List<PlannedContact>();
        var domain = $"c{random.Next(1000, 9999)}.example.cn";
        foreach (var role in roles)
        {
            var id = NextGuid(random);
            var manager = role switch
            {
                PurchaseRole.DecisionMaker => (Guid?)null,
                PurchaseRole.User => contacts.FirstOrDefault(c => c.Role == PurchaseRole.Influencer)?.Id,
                _ => contacts.FirstOrDefault(c => c.Role == PurchaseRole.DecisionMaker)?.Id,
            };
            var stance = Weighted(random, (ContactStance.Supporter, 45), (ContactStance.Neutral, 40), (ContactStance.Opponent, 15));
            var name = Surnames[random.Next(Surnames.Length)] + GivenNames[random.Next(GivenNames.Length)];
            var mobile = $"1{random.Next(30, 90)} {random.Next(1000, 9999)} {random.Next(1000, 9999)}";
            contacts.Add(new PlannedContact(id, name, Titles[role][random.Next(Titles[role].Length)], mobile,
                random.NextDouble() < 0.6 ? $"contact{contacts.Count + 1}@{domain}" : null, role, stance, manager,
                role == PurchaseRole.Influencer));
        }

        return contacts;
    }

    private static T Weighted<T>(Random random, params (T Value, int Weight)[] choices)
    {
        var pick = random.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if (pick < weight)
            {
                return value;
            }

            pick -= weight;
        }

        return choices[^1].Value;
    }

    private static Guid NextGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x70);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
