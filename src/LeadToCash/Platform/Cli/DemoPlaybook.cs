using LeadToCash.Modules.Opportunities;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Cli;

/// <summary>
/// The demo company's sales playbook for the open stages of the default pipeline: what to say, how to answer the usual
/// objections, and a reference case to tell. Added once, to a pipeline whose stages have no entries yet.
/// </summary>
public static class DemoPlaybook
{
    private sealed record Entry(PlaybookKind Kind, string Title, string Body, string Tags);

    private static readonly Dictionary<string, Entry[]> ByStage = new(StringComparer.Ordinal)
    {
        ["需求分析"] =
        [
            new(PlaybookKind.TalkTrack, "开场：先问现状，再谈产品",
                "“王总，今天主要想听听贵司现在的生产排程是怎么做的、哪里最费人力。我们先不谈产品，把问题弄清楚，方案才有针对性。”\n" +
                "要点：问现状、问痛点、问目标、问预算和时间表、问谁拍板。每个会议后 24 小时内把需求分析报告发给客户确认。",
                "开场, 需求, 提问"),
            new(PlaybookKind.Objection, "我们现在用 Excel 就够了",
                "认同：很多客户起步都用 Excel，灵活、零成本。\n" +
                "追问：月底对账要几个人、几天？上次因为版本不一致出错是什么时候？\n" +
                "转化：把他们说的时间折算成人力成本，请客户自己算一年花多少，再约一次演示。",
                "Excel, 现状, 异议"),
            new(PlaybookKind.Objection, "今年没有预算",
                "先确认是“没有这笔预算”还是“还没立项”。\n" +
                "若未立项：帮对方准备立项材料（现状、损失测算、投资回报），约采购和财务一起看。\n" +
                "若确实没有：约定明年预算编制前（一般是 10–11 月）再沟通，并在系统里建好提醒。",
                "预算, 异议, 立项"),
        ],
        ["方案呈现"] =
        [
            new(PlaybookKind.TalkTrack, "方案演示：只讲客户在乎的三件事",
                "演示前和联系人确认：到场的是谁、各自最关心什么。\n" +
                "演示按客户的痛点排顺序，每讲完一点问一句“这和贵司现在的做法比，差别在哪里？”，让客户自己说出价值。\n" +
                "结束时约定下一步：谁来评估、什么时候给反馈。",
                "演示, 方案, 价值"),
            new(PlaybookKind.Objection, "竞争对手的功能更多",
                "不比功能清单，比结果：请客户列出真正会用的三个场景，逐一演示我们怎么做、用多少步。\n" +
                "补充服务与实施：本地团队、上线周期、同行业客户的验收结果。",
                "竞品, 功能, 异议"),
            new(PlaybookKind.SuccessCase, "苏州某精密机械厂：排产效率提升 30%",
                "客户原来三名计划员用 Excel 排产，插单时要通宵调整。上线六周后，插单调整缩短到半小时，" +
                "计划员减为两人，第二年又追加了仓储模块。可以请对方生产总监接受同行电话回访。",
                "案例, 制造业, 排产"),
        ],
        ["商务谈判"] =
        [
            new(PlaybookKind.Objection, "价格太高",
                "1. 先别降价：问“和什么比太高？”——和预算比、和竞品比，还是和心理价位比。\n" +
                "2. 讲价值：把需求分析里客户自己说的损失（加班、差错、库存积压）折算成一年的金额，对比我们的总价。\n" +
                "3. 给选择而不是折扣：分期上线、减少首期模块、延长付款，都比直接打折好。\n" +
                "4. 讲案例：苏州某精密机械厂六周上线、一年收回投入，可安排电话回访。\n" +
                "5. 必须让价时，先拿条件换：预付比例、签约时间、案例授权。低于底线的报价须经理审批。",
                "价格, 异议, 谈判, 价值"),
            new(PlaybookKind.TalkTrack, "谈判纪要当天发出",
                "每次谈判后当天整理谈判纪要：参会人、已商定条款（价格、付款、交付、责任）、待办事项和负责人、下一步。\n" +
                "发给客户确认，避免签约前反复。底线只记在纪要的保密栏里，不要写进发给客户的内容。",
                "纪要, 谈判, 条款"),
            new(PlaybookKind.Objection, "付款周期要求 180 天",
                "说明我们的标准是签约 30%、验收 70%。可以退一步的顺序：验收款分两期 → 质保金 5% 延后 → 最后才考虑延长账期。\n" +
                "任何超过 90 天的账期都要先和财务确认。",
                "付款, 账期, 异议"),
        ],
        ["合同签署"] =
        [
            new(PlaybookKind.TalkTrack, "推动签约：把剩下的问题列成清单",
                "“王总，目前还剩法务审核和发票抬头两件事，我们约个时间一次过掉，月底前可以启动项目吗？”\n" +
                "把每个待办写清负责人和日期，每天跟进一次，直到双方签字盖章、合同归档。",
                "签约, 推进, 待办"),
            new(PlaybookKind.SuccessCase, "杭州某物流公司：两周完成签约",
                "对方法务提出 12 条修改意见。我们当天逐条回复、只在违约责任上让了一步（上限从 20% 改为 10%），" +
                "第二周即签约，三个月后转介绍了同集团的另一家子公司。",
                "案例, 合同, 法务"),
        ],
    };

    public static async Task SeedAsync(AppDbContext db, CancellationToken ct)
    {
        var pipeline = await db.Pipelines.AsNoTracking().FirstOrDefaultAsync(p => p.IsDefault, ct);
        if (pipeline is null)
        {
            return;
        }

        var stages = await db.PipelineStages.AsNoTracking().Where(s => s.PipelineId == pipeline.Id).ToListAsync(ct);
        var stageIds = stages.Select(s => s.Id).ToList();
        if (await db.PlaybookEntries.AnyAsync(e => stageIds.Contains(e.StageId), ct))
        {
            return;
        }

        foreach (var stage in stages)
        {
            if (!ByStage.TryGetValue(stage.Name, out var entries))
            {
                continue;
            }

            for (var i = 0; i < entries.Length; i++)
            {
                var entry = entries[i];
                db.PlaybookEntries.Add(new PlaybookEntry
                {
                    StageId = stage.Id, Kind = entry.Kind, Title = entry.Title, Body = entry.Body, Tags = entry.Tags, SortOrder = i,
                });
            }
        }

        await db.SaveChangesAsync(ct);
    }
}
