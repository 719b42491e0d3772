using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadToCash.Modules.Tasks;

internal sealed class WorkTaskConfiguration : IEntityTypeConfiguration<WorkTask>
{
    public void Configure(EntityTypeBuilder<WorkTask> builder)
    {
        builder.ToTable("Tasks");
        builder.Property(x => x.Title).HasMaxLength(200);
        builder.Property(x => x.Content).HasMaxLength(4000);
        builder.Property(x => x.RelatedType).HasMaxLength(40);
        builder.Property(x => x.CompletionStandard).HasMaxLength(1000);
        builder.Property(x => x.CompletionNote).HasMaxLength(2000);
        builder.Property(x => x.ReturnReason).HasMaxLength(1000);
        builder.HasIndex(x => new { x.OwnerId, x.Status, x.DueAt });
        builder.HasIndex(x => new { x.RelatedId, x.DueAt });
        builder.HasIndex(x => x.FollowUpId).HasFilter("\"FollowUpId\" IS NOT NULL");
    }
}

internal sealed class CalendarFeedConfiguration : IEntityTypeConfiguration<CalendarFeed>
{
    public void Configure(EntityTypeBuilder<CalendarFeed> builder)
    {
        builder.Property(x => x.TokenHash).HasMaxLength(64);
        builder.HasIndex(x => x.TokenHash).IsUnique();
        builder.HasIndex(x => x.UserId).IsUnique();
    }
}
