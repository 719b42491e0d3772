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
        builder.HasOne<ApprovalRequest>().WithMany().HasForeignKey(x => x.RequestId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.RequestId, x.StepNo }).IsUnique();
        builder.HasIndex(x => new { x.ApproverId, x.Status });
    }
}
