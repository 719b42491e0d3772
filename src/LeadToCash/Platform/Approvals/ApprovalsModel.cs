using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadToCash.Platform.Approvals;

internal sealed class ApprovalRequestConfiguration : IEntityTypeConfiguration<ApprovalRequest>
{
    public void Configure(EntityTypeBuilder<ApprovalRequest> builder)
    {
        builder.Property(x => x.RecordType).HasMaxLength(40);
        builder.Property(x => x.Reason).HasMaxLength(1000);
        builder.HasIndex(x => new { x.RecordType, x.RecordId });
        builder.HasIndex(x => new { x.RequestedBy, x.Status });
    }
}

internal sealed class ApprovalStepConfiguration : IEntityTypeConfiguration<ApprovalStep>
{
    public void Configure(EntityTypeBuilder<ApprovalStep> builder)
    {
        builder.Property(x => x.Role).HasMaxLength(40);
        builder.Property(x => x.Comment).HasMaxLength(1000);
        builder.Property(x => x.ApproverRole).HasMaxLength(40);
        builder.HasOne<ApprovalRequest>().WithMany().HasForeignKey(x => x.RequestId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.RequestId, x.StepNo }).IsUnique();
        builder.HasIndex(x => new { x.ApproverId, x.Status });
    }
}

internal sealed class ApprovalFlowConfiguration : IEntityTypeConfiguration<ApprovalFlow>
{
    public void Configure(EntityTypeBuilder<ApprovalFlow> builder)
    {
        builder.Property(x => x.DocumentType).HasMaxLength(40);
        builder.Property(x => x.Name).HasMaxLength(100);
        builder.HasIndex(x => new { x.DocumentType, x.Priority });
    }
}

internal sealed class ApprovalFlowStepConfiguration : IEntityTypeConfiguration<ApprovalFlowStep>
{
    public void Configure(EntityTypeBuilder<ApprovalFlowStep> builder)
    {
        builder.Property(x => x.RoleName).HasMaxLength(40);
        builder.HasOne<ApprovalFlow>().WithMany().HasForeignKey(x => x.FlowId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.FlowId, x.StepNo }).IsUnique();
    }
}

internal sealed class ApprovalFlowConditionConfiguration : IEntityTypeConfiguration<ApprovalFlowCondition>
{
    public void Configure(EntityTypeBuilder<ApprovalFlowCondition> builder)
    {
        builder.Property(x => x.Field).HasMaxLength(40);
        builder.Property(x => x.Value).HasPrecision(18, 4);
        builder.HasOne<ApprovalFlow>().WithMany().HasForeignKey(x => x.FlowId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => x.FlowId);
    }
}

internal sealed class ApprovalDelegationConfiguration : IEntityTypeConfiguration<ApprovalDelegation>
{
    public void Configure(EntityTypeBuilder<ApprovalDelegation> builder)
    {
        builder.Property(x => x.Reason).HasMaxLength(500);
        builder.HasIndex(x => new { x.FromUserId, x.EndsAt });
        builder.HasIndex(x => new { x.ToUserId, x.EndsAt });
    }
}
