using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadToCash.Modules.Options;

internal sealed class OptionItemConfiguration : IEntityTypeConfiguration<OptionItem>
{
    public void Configure(EntityTypeBuilder<OptionItem> builder)
    {
        builder.Property(x => x.ListKey).HasMaxLength(50);
        builder.Property(x => x.Code).HasMaxLength(50);
        builder.Property(x => x.LabelZh).HasMaxLength(100);
        builder.Property(x => x.LabelEn).HasMaxLength(100);
        builder.HasIndex(x => new { x.ListKey, x.Code }).IsUnique();
    }
}
