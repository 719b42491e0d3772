using LeadToCash.Modules.Contracts;
using LeadToCash.Platform.Approvals;
using LeadToCash.Platform.Auth;
using LeadToCash.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadToCash.Platform.Cli;

/// <summary>
/// The demo company's contract approval flows, as our process has them: below ¥100,000 the owner's manager then Finance;
/// from ¥100,000 the manager, the director, then Finance. Quotes keep the default (the manager alone). Added once.
/// </summary>
public static class DemoApprovalFlows
{
    public const decimal LargeContract = 100_000m;

    public static async Task SeedAsync(AppDbContext db, CancellationToken ct)
    {
        if (await db.ApprovalFlows.AnyAsync(f => f.DocumentType == Contract.RecordType, ct))
        {
            return;
        }

        Add(db, "大额合同审批（10 万及以上）", 10, ConditionOperator.AtLeast, [ApproverKind.Manager, ApproverKind.Director, ApproverKind.Role]);
        Add(db, "合同审批（10 万以下）", 20, ConditionOperator.Below, [ApproverKind.Manager, ApproverKind.Role]);
        await db.SaveChangesAsync(ct);
    }

    private static void Add(AppDbContext db, string name, int priority, ConditionOperator op, ApproverKind[] steps)
    {
        var flow = new ApprovalFlow { DocumentType = Contract.RecordType, Name = name, Priority = priority };
        db.ApprovalFlows.Add(flow);
        db.ApprovalFlowConditions.Add(new ApprovalFlowCondition { FlowId = flow.Id, Field = "amount", Operator = op, Value = LargeContract });
        for (var i = 0; i < steps.Length; i++)
        {
            db.ApprovalFlowSteps.Add(new ApprovalFlowStep
            {
                FlowId = flow.Id,
                StepNo = i + 1,
                Kind = steps[i],
                RoleName = steps[i] == ApproverKind.Role ? Roles.Finance : null,
            });
        }
    }
}
