using LeadToCash.Modules.Leads;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Cli;

/// <summary>
/// The demo company's leads at every step of the process, timed from now so that the demo always has something due:
/// waiting for screening (some overdue), in the pools, assigned with their first-touch clocks running, overdue and
/// escalated, contacted in time or late, and disqualified. Deterministic for a seed.
/// </summary>
public static class DemoLeads
{
    private static readonly string[] Companies =
    [
        "苏州恒达精密机械", "杭州云启软件", "南京金桥物流", "宁波海纳包装", "无锡天合电子", "上海博远医疗器械", "合肥新源能源科技",
        "常州鼎盛自动化", "嘉兴联创新材料", "昆山宏达精工", "绍兴安泰纺织机械", "南通远航船舶配件", "扬州德隆食品", "镇江嘉禾教育科技",
        "泰州凯瑞建筑工程", "湖州汇川环保", "温州中科电气", "台州瑞丰模具", "金华精工工具", "舟山海通渔业装备", "深圳华信智能",
        "东莞启明五金", "广州新源医疗", "佛山恒通陶瓷机械", "厦门金桥软件", "珠海博远电子", "惠州天合电池", "中山鼎盛灯饰",
    ];

    private static readonly string[] Contacts = ["王建华", "李静", "张伟民", "刘芳", "陈强", "杨丽", "赵刚", "黄敏", "周洁", "吴磊", "徐涛", "孙燕"];
    private static readonly string[] Titles = ["采购经理", "总经理", "技术总监", "生产部长", "IT 主管", "行政经理"];
    private static readonly string[] Needs =
    [
        "想了解生产线设备联网方案，年底前有预算。", "现有系统老旧，计划明年一季度替换。", "展会上留了名片，对仓储自动化感兴趣。",
        "客户转介绍，需要一套报价做比较。", "官网咨询试用账号和价格。", "多个工厂需要统一管理，想先做一个试点。",
    ];

    private enum Step
    {
        AwaitingScreening,
        ScreeningOverdue,
        Pool,
        OnTrack,
        DueSoon,
        Overdue,
        Escalated,
        Met,
        Missed,
        Disqualified,
    }

    // Team, owner (null: the team pool), grade, step. Owners are the demo reps of that team.
    private static readonly (string Team, string? Owner, LeadGrade Grade, Step Step)[] Script =
    [
        ("上海销售一组", null, LeadGrade.A, Step.AwaitingScreening),
        ("上海销售一组", null, LeadGrade.B, Step.AwaitingScreening),
        ("上海销售一组", null, LeadGrade.C, Step.ScreeningOverdue),
        ("上海销售一组", null, LeadGrade.B, Step.ScreeningOverdue),
        ("上海销售一组", null, LeadGrade.C, Step.Pool),
        ("上海销售一组", null, LeadGrade.C, Step.Pool),
        ("上海销售一组", "rep@demo.test", LeadGrade.A, Step.OnTrack),
        ("上海销售一组", "rep@demo.test", LeadGrade.A, Step.DueSoon),
        ("上海销售一组", "rep@demo.test", LeadGrade.B, Step.Met),
        ("上海销售一组", "rep@demo.test", LeadGrade.A, Step.Missed),
        ("上海销售一组", "rep2@demo.test", LeadGrade.B, Step.OnTrack),
        ("上海销售一组", "rep2@demo.test", LeadGrade.B, Step.Overdue),
        ("上海销售一组", "rep2@demo.test", LeadGrade.B, Step.Escalated),
        ("上海销售一组", "zhao.min@demo.test", LeadGrade.A, Step.Met),
        ("上海销售一组", "zhao.min@demo.test", LeadGrade.B, Step.Disqualified),
        ("上海销售二组", null, LeadGrade.B, Step.AwaitingScreening),
        ("上海销售二组", null, LeadGrade.C, Step.Pool),
        ("上海销售二组", "huang.lei@demo.test", LeadGrade.A, Step.Met),
        ("上海销售二组", "huang.lei@demo.test", LeadGrade.A, Step.Overdue),
        ("上海销售二组", "wu.jing@demo.test", LeadGrade.B, Step.OnTrack),
        ("上海销售二组", "zhou.tao@demo.test", LeadGrade.B, Step.Missed),
        ("深圳销售组", null, LeadGrade.A, Step.ScreeningOverdue),
        ("深圳销售组", null, LeadGrade.C, Step.Pool),
        ("深圳销售组", "he.yun@demo.test", LeadGrade.A, Step.DueSoon),
        ("深圳销售组", "he.yun@demo.test", LeadGrade.B, Step.Met),
        ("深圳销售组", "guo.peng@demo.test", LeadGrade.B, Step.Escalated),
        ("深圳销售组", "guo.peng@demo.test", LeadGrade.C, Step.Disqualified),
        ("深圳销售组", "manager3@demo.test", LeadGrade.A, Step.Met),
    ];

    public static async Task SeedAsync(AppDbContext db, TimeProvider clock, int seed, CancellationToken ct = default)
    {
        var random = new Random(seed + 3);
        var now = clock.GetUtcNow().UtcDateTime;
        var rules = await LeadDesk.RulebookAsync(db, ct);
        var teams = await db.Teams.ToDictionaryAsync(t => t.Name, t => t.Id, ct);
        var users = await db.Users.Where(u => u.Email != null).ToDictionaryAsync(u => u.Email!, u => u.Id, ct);
        var channels = new[] { "trade-show", "website-form", "referral", "partner", "cold-call", "advertising" };
        var industries = new[] { "manufacturing", "software", "medical", "logistics", "energy", "retail" };
        for (var i = 0; i < Script.Length; i++)
        {
            var (teamName, ownerEmail, grade, step) = Script[i];
            var lead = new Lead
            {
                SourceChannel = channels[random.Next(channels.Length)],
                CompanyName = Companies[i % Companies.Length] + (random.NextDouble() < 0.5 ? "有限公司" : "股份有限公司"),
                ContactName = Contacts[random.Next(Contacts.Length)],
                Title = Titles[random.Next(Titles.Length)],
                Mobile = "1" + (35 + random.Next(5)).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    + random.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Industry = grade == LeadGrade.C ? "retail" : industries[random.Next(industries.Length)],
                Region = teamName.StartsWith("深圳", StringComparison.Ordinal) ? "深圳" : "上海",
                Need = Needs[random.Next(Needs.Length)],
                TeamId = teams[teamName],
            };
            // Qualification that makes the rules suggest the scripted grade.
            (lead.BudgetMinor, lead.PurchaseWithinMonths, lead.DecisionMakerIdentified) = grade switch
            {
                LeadGrade.A => (random.Next(20, 80) * 10_000_00L, 2, true),
                LeadGrade.B => (random.Next(10, 30) * 10_000_00L, 6, false),
                _ => ((long?)null, (int?)null, false),
            };
            if (grade != LeadGrade.C)
            {
                lead.Industry = grade == LeadGrade.A ? "manufacturing" : "software";
            }

            Place(lead, ownerEmail is null ? null : users[ownerEmail], grade, step, now, random, rules);
            db.Leads.Add(lead);
            if (lead.FirstTouchAt is { } touched)
            {
                db.LeadActivities.Add(new LeadActivity
                {
                    LeadId = lead.Id,
                    Kind = LeadActivityKind.Call,
                    Outcome = LeadActivityOutcome.Reached,
                    Notes = "电话沟通，确认需求和预算，约下周上门演示。",
                    OccurredAt = touched,
                    UserId = lead.OwnerId!.Value,
                    CreatedAt = touched,
                });
            }
        }

        await db.SaveChangesAsync(ct);
    }

    private static void Place(Lead lead, Guid? owner, LeadGrade grade, Step step, DateTime now, Random random, LeadRulebook rules)
    {
        var capturedHoursAgo = step switch
        {
            Step.AwaitingScreening => 0,
            Step.ScreeningOverdue => 5,
            Step.Escalated => 60,
            Step.Met or Step.Missed or Step.Disqualified => random.Next(30, 200),
            _ => random.Next(1, 5),
        };
        var captured = now.AddHours(-capturedHoursAgo).AddMinutes(-random.Next(0, 20));
        // Far enough back that the screening deadline, in working time, has passed whatever the day and hour.
        while (step == Step.ScreeningOverdue && LeadRules.ScreeningDeadline(captured, rules.Settings, rules.Calendar) >= now)
        {
            captured = captured.AddHours(-1);
        }

        lead.CapturedAt = captured;
        lead.CreatedAt = captured;
        lead.UpdatedAt = captured;
        LeadDesk.Derive(lead, rules);
        lead.ScreeningDueAt = LeadRules.ScreeningDeadline(captured, rules.Settings, rules.Calendar);
        if (step is Step.AwaitingScreening or Step.ScreeningOverdue)
        {
            lead.Status = LeadStatus.New;
            lead.PoolTeamId = lead.TeamId;
            return;
        }

        lead.Grade = grade;
        lead.ScreenedAt = captured.AddMinutes(15);
        if (owner is null)
        {
            lead.Status = LeadStatus.Pool;
            lead.PoolTeamId = lead.TeamId;
            return;
        }

        // Assigned so that the first-touch deadline lands where the step wants it.
        var allowance = LeadRules.FirstTouchAllowance(grade, rules.Settings);
        var assigned = step switch
        {
            Step.DueSoon => now.AddMinutes(-(allowance.TotalMinutes - 20)),
            Step.Overdue => now.AddHours(-(allowance.TotalHours + 3)),
            Step.Escalated => now.AddHours(-(rules.Settings.EscalateAfterHours + 6)),
            _ => lead.ScreenedAt.Value,
        };
        LeadDesk.StartOwnership(lead, owner.Value, null, assigned, rules);
        lead.FirstTouchDueAt = assigned + allowance; // plain hours, so that the demo's clock states hold on any day
        switch (step)
        {
            case Step.Met:
                Touch(lead, assigned.AddMinutes(random.Next(10, (int)allowance.TotalMinutes - 5)));
                break;
            case Step.Missed:
                Touch(lead, lead.FirstTouchDueAt.Value.AddHours(random.Next(1, 20)));
                break;
            case Step.Escalated:
                lead.ReminderSentAt = lead.FirstTouchDueAt;
                lead.EscalatedAt = LeadRules.EscalationAt(assigned, rules.Settings);
                break;
            case Step.Disqualified:
                Touch(lead, assigned.AddMinutes(30));
                lead.Status = LeadStatus.Disqualified;
                lead.DisqualifyReason = "电话核实：暂无采购计划";
                break;
            default:
                break;
        }
    }

    private static void Touch(Lead lead, DateTime at)
    {
        lead.FirstTouchAt = at;
        lead.LastActivityAt = at;
        lead.ResponseMinutes = (int)(at - lead.AssignedAt!.Value).TotalMinutes;
        lead.Status = LeadStatus.Contacted;
    }
}
