using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadToCash.Platform.Import;

internal sealed class ImportJobConfiguration : IEntityTypeConfiguration<ImportJob>
{
    public void Configure(EntityTypeBuilder<ImportJob> builder)
    {
        builder.Property(x => x.RecordType).HasMaxLength(40);
        builder.Property(x => x.FileName).HasMaxLength(260);
        builder.Property(x => x.FileHash).HasMaxLength(64);
        builder.Property(x => x.StoredPath).HasMaxLength(500);
        // Room for the value matches of a large file (hundreds of customer names), not only its column mapping.
        builder.Property(x => x.MappingJson).HasMaxLength(SpreadsheetImports.MaxChoicesLength);
        builder.Property(x => x.RejectedFilePath).HasMaxLength(500);
        builder.Property(x => x.Error).HasMaxLength(2000);
        builder.HasIndex(x => new { x.StartedBy, x.CreatedAt });
    }
}
