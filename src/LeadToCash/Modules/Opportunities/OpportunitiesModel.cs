using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadToCash.Modules.Opportunities;

internal sealed class PipelineConfiguration : IEntityTypeConfiguration<Pipeline>
{
    public void Configure(EntityTypeBuilder<Pipeline> builder)
    {
        builder.Property(x => x.Name).HasMaxLength(100);
        builder.Property(x => x.NameEn).HasMaxLength(100);
        builder.Property(x => x.ProductLine).HasMaxLength(100);
    }
}

internal sealed class PipelineStageConfiguration : IEntityTypeConfiguration<PipelineStage>
{
    public void Configure(EntityTypeBuilder<PipelineStage> builder)
    {
        builder.Property(x => x.Name).HasMaxLength(100);
        builder.Property(x => x.NameEn).HasMaxLength(100);
        builder.HasOne<Pipeline>().WithMany().HasForeignKey(x => x.PipelineId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(x => new { x.PipelineId, x.SortOrder });
    }
}

internal sealed class StageRequirementConfiguration : IEntityTypeConfiguration<StageRequirement>
{
    public void Configure(EntityTypeBuilder<StageRequirement> builder)
    {
        builder.Property(x => x.Code).HasMaxLength(50);
        builder.Property(x => x.Text).HasMaxLength(300);
        builder.Property(x => x.TextEn).HasMaxLength(300);
        builder.HasOne<PipelineStage>().WithMany().HasForeignKey(x => x.StageId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(x => new { x.StageId, x.SortOrder });
    }
}

internal sealed class OpportunityConfiguration : IEntityTypeConfiguration<Opportunity>
{
    public void Configure(EntityTypeBuilder<Opportunity> builder)
    {
        builder.ToTable("Opportunities");
        builder.Property(x => x.Name).HasMaxLength(200);
        builder.Property(x => x.Currency).HasMaxLength(3);
        builder.Property(x => x.LostReason).HasMaxLength(50);
        builder.Property(x => x.LostToCompetitor).HasMaxLength(200);
        builder.Property(x => x.SourceChannel).HasMaxLength(50);
        builder.Property(x => x.Competitors).HasMaxLength(500);
        builder.Property(x => x.NextStep).HasMaxLength(500);
        builder.Property(x => x.Description).HasMaxLength(4000);
        builder.Property(x => x.ImportKey).HasMaxLength(100);
        builder.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customers.Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Pipeline>().WithMany().HasForeignKey(x => x.PipelineId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<PipelineStage>().WithMany().HasForeignKey(x => x.StageId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(x => x.CustomerId);
        builder.HasIndex(x => x.ProductId);
        builder.HasIndex(x => x.ImportKey).IsUnique().HasFilter("\"ImportKey\" IS NOT NULL");
        // The board of a pipeline (by stage, then owner) and the forecast (open deals by expected close month).
        builder.HasIndex(x => new { x.PipelineId, x.StageId, x.OwnerId });
        builder.HasIndex(x => new { x.OwnerId, x.Status, x.ExpectedCloseDate });
        // Deals have no pool, so this index stays empty; it answers the pool part of a scoped read (NarrowToScope) at no cost.
        builder.HasIndex(x => x.PoolTeamId).HasFilter("\"PoolTeamId\" IS NOT NULL");
        builder.HasIndex(x => new { x.Status, x.ExpectedCloseDate });
        builder.HasIndex(x => new { x.Name, x.Id });
        builder.HasIndex(x => new { x.CreatedAt, x.Id });
        builder.HasIndex(x => new { x.UpdatedAt, x.Id });
        builder.HasIndex(x => new { x.AmountMinor, x.Id });
        builder.HasIndex(x => new { x.ExpectedCloseDate, x.Id });
    }
}

internal sealed class OpportunityContactConfiguration : IEntityTypeConfiguration<OpportunityContact>
{
    public void Configure(EntityTypeBuilder<OpportunityContact> builder)
    {
        builder.HasIndex(x => new { x.OpportunityId, x.ContactId }).IsUnique();
        builder.HasIndex(x => x.ContactId);
    }
}

internal sealed class ChecklistTickConfiguration : IEntityTypeConfiguration<ChecklistTick>
{
    public void Configure(EntityTypeBuilder<ChecklistTick> builder) =>
        builder.HasIndex(x => new { x.OpportunityId, x.RequirementId }).IsUnique();
}

internal sealed class StageEntryConfiguration : IEntityTypeConfiguration<StageEntry>
{
    public void Configure(EntityTypeBuilder<StageEntry> builder)
    {
        builder.ToTable("StageEntries");
        builder.Property(x => x.OverrideReason).HasMaxLength(1000);
        builder.Property(x => x.MissingRequirements).HasMaxLength(2000);
        builder.HasIndex(x => new { x.OpportunityId, x.EnteredAt });
        builder.HasIndex(x => new { x.StageId, x.EnteredAt });
    }
}

internal sealed class NegotiationMinutesConfiguration : IEntityTypeConfiguration<NegotiationMinutes>
{
    public void Configure(EntityTypeBuilder<NegotiationMinutes> builder)
    {
        builder.Property(x => x.Attendees).HasMaxLength(1000);
        builder.Property(x => x.PaymentTerms).HasMaxLength(1000);
        builder.Property(x => x.Delivery).HasMaxLength(1000);
        builder.Property(x => x.Liability).HasMaxLength(1000);
        builder.Property(x => x.OtherTerms).HasMaxLength(2000);
        builder.Property(x => x.NextSteps).HasMaxLength(2000);
        builder.HasIndex(x => new { x.OpportunityId, x.MeetingAt });
    }
}

internal sealed class MinutesOpenItemConfiguration : IEntityTypeConfiguration<MinutesOpenItem>
{
    public void Configure(EntityTypeBuilder<MinutesOpenItem> builder)
    {
        builder.Property(x => x.Text).HasMaxLength(500);
        builder.Property(x => x.OwnerName).HasMaxLength(100);
        builder.HasIndex(x => x.MinutesId);
    }
}

internal sealed class NegotiationBottomLineConfiguration : IEntityTypeConfiguration<NegotiationBottomLine>
{
    public void Configure(EntityTypeBuilder<NegotiationBottomLine> builder)
    {
        builder.HasKey(x => x.MinutesId);
        builder.Property(x => x.AcceptablePaymentTerms).HasMaxLength(1000);
    }
}

internal sealed class PlaybookEntryConfiguration : IEntityTypeConfiguration<PlaybookEntry>
{
    public void Configure(EntityTypeBuilder<PlaybookEntry> builder)
    {
        builder.Property(x => x.Title).HasMaxLength(200);
        builder.Property(x => x.Body).HasMaxLength(8000);
        builder.Property(x => x.Tags).HasMaxLength(300);
        builder.HasIndex(x => new { x.StageId, x.SortOrder });
    }
}

internal sealed class OpportunitySettingsConfiguration : IEntityTypeConfiguration<OpportunitySettings>
{
    public void Configure(EntityTypeBuilder<OpportunitySettings> builder)
    {
        builder.Property(x => x.DiscountApprovalPercent).HasPrecision(9, 4);
        builder.Property(x => x.DefaultTaxRatePercent).HasPrecision(9, 4);
        builder.Property(x => x.DefaultCurrency).HasMaxLength(3);
        builder.Property(x => x.DefaultQuoteTerms).HasMaxLength(4000);
    }
}
