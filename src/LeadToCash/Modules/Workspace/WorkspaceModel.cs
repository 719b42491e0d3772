using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadToCash.Modules.Workspace;

internal sealed class SavedViewConfiguration : IEntityTypeConfiguration<SavedView>
{
    public void Configure(EntityTypeBuilder<SavedView> builder)
    {
        builder.Property(x => x.ListKey).HasMaxLength(40);
        builder.Property(x => x.Name).HasMaxLength(100);
        builder.Property(x => x.Query).HasMaxLength(2000);
        builder.HasIndex(x => new { x.UserId, x.ListKey, x.Name }).IsUnique();
    }
}
