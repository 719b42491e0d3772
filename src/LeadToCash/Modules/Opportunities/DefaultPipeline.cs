using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Modules.Opportunities;

/// <summary>
/// The pipeline a new installation starts with, following our process: 需求分析 10 % → 方案呈现 30 % → 商务谈判 60 % →
/// 合同签署 80 % → 赢单 100 % / 输单 0 %, each open stage with the deliverable it must produce before the deal moves on.
/// </summary>
public static class DefaultPipeline
{
    public static async Task EnsureAsync(AppDbContext db, CancellationToken ct)
    {
        if (await db.Pipelines.IgnoreQueryFilters([AppDbContext.SoftDeleteFilter]).AnyAsync(ct))
        {
            return;
        }

        var pipeline = new Pipeline { Name = "标准销售流程", NameEn = "Standard sales process", IsDefault = true };
        db.Pipelines.Add(pipeline);
        var order = 0;
        PipelineStage Stage(string zh, string en, int probability, StageKind kind = StageKind.Open)
        {
            var stage = new PipelineStage
            {
                PipelineId = pipeline.Id, Name = zh, NameEn = en, Probability = probability, Kind = kind, SortOrder = order++,
            };
            db.PipelineStages.Add(stage);
            return stage;
        }

        void Require(PipelineStage stage, RequirementKind kind, string? code, string? zh = null, string? en = null) =>
            db.StageRequirements.Add(new StageRequirement
            {
                StageId = stage.Id, Kind = kind, Code = code, Text = zh, TextEn = en,
                SortOrder = db.ChangeTracker.Entries<StageRequirement>().Count(e => e.Entity.StageId == stage.Id),
            });

        var needs = Stage("需求分析", "Needs analysis", 10);
        Require(needs, RequirementKind.Deliverable, Deliverables.NeedsAnalysisConfirmed);
        Require(needs, RequirementKind.Deliverable, Deliverables.DecisionMakerKnown);
        Require(needs, RequirementKind.Field, GateFields.Amount);
        Require(needs, RequirementKind.Field, GateFields.ExpectedCloseDate);

        var proposal = Stage("方案呈现", "Proposal", 30);
        Require(proposal, RequirementKind.Deliverable, Deliverables.QuoteApproved);
        Require(proposal, RequirementKind.Checklist, null, "方案已向客户演示并收到反馈", "Proposal presented and feedback received");

        var negotiation = Stage("商务谈判", "Negotiation", 60);
        Require(negotiation, RequirementKind.Deliverable, Deliverables.NegotiationAgreed);

        var contract = Stage("合同签署", "Contract", 80);
        Require(contract, RequirementKind.Checklist, null, "合同已双方签署并归档", "Contract signed by both sides and filed");

        Stage("赢单", "Won", 100, StageKind.Won);
        Stage("输单", "Lost", 0, StageKind.Lost);
        await db.SaveChangesAsync(ct);
    }
}
