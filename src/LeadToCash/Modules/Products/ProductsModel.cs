using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadToCash.Modules.Products;

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> builder)
    {
        builder.Property(x => x.Code).HasMaxLength(50);
        builder.Property(x => x.CodeKey).HasMaxLength(50);
        builder.Property(x => x.Name).HasMaxLength(200);
        builder.Property(x => x.Line).HasMaxLength(100);
        builder.Property(x => x.Unit).HasMaxLength(20);
        builder.Property(x => x.Currency).HasMaxLength(3);
        builder.Property(x => x.Description).HasMaxLength(2000);
        builder.Property(x => x.ImportKey).HasMaxLength(100);
        builder.HasIndex(x => x.CodeKey).IsUnique();
        builder.HasIndex(x => new { x.Name, x.Id });
        builder.HasIndex(x => x.Line);
    }
}
