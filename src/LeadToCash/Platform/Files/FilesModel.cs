using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadToCash.Platform.Files;

internal sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> builder)
    {
        builder.Property(x => x.RecordType).HasMaxLength(40);
        builder.Property(x => x.FileName).HasMaxLength(255);
        builder.Property(x => x.ContentType).HasMaxLength(100);
        builder.Property(x => x.StorageKey).HasMaxLength(200);
        builder.Property(x => x.Sha256).HasMaxLength(64);
        builder.HasIndex(x => new { x.RecordId, x.CreatedAt });
        builder.HasIndex(x => x.StorageKey).IsUnique();
    }
}
