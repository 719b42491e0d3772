using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadToCash.Modules.Notifications;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.Property(x => x.Kind).HasMaxLength(60);
        builder.Property(x => x.ArgsJson).HasMaxLength(2000);
        builder.Property(x => x.Link).HasMaxLength(300);
        builder.Property(x => x.RecordType).HasMaxLength(40);
        builder.Property(x => x.DedupKey).HasMaxLength(100);
        builder.HasIndex(x => new { x.UserId, x.CreatedAt });
        builder.HasIndex(x => new { x.UserId, x.DedupKey }).IsUnique();
    }
}
