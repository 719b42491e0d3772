using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadToCash.Modules.Quotes;

internal sealed class QuoteConfiguration : IEntityTypeConfiguration<Quote>
{
    public void Configure(EntityTypeBuilder<Quote> builder)
    {
        builder.Property(x => x.Number).HasMaxLength(30);
        builder.Property(x => x.Title).HasMaxLength(200);
        builder.Property(x => x.Currency).HasMaxLength(3);
        builder.Property(x => x.TaxRatePercent).HasPrecision(9, 4);
        builder.Property(x => x.MaxDiscountPercent).HasPrecision(9, 4);
        builder.Property(x => x.Terms).HasMaxLength(4000);
        builder.Property(x => x.Notes).HasMaxLength(2000);
        builder.Property(x => x.CustomerResponse).HasMaxLength(1000);
        builder.HasOne<Opportunities.Opportunity>().WithMany().HasForeignKey(x => x.OpportunityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(x => new { x.Number, x.VersionNo }).IsUnique();
        builder.HasIndex(x => new { x.OpportunityId, x.Number, x.VersionNo });
    }
}

internal sealed class QuoteLineConfiguration : IEntityTypeConfiguration<QuoteLine>
{
    public void Configure(EntityTypeBuilder<QuoteLine> builder)
    {
        builder.Property(x => x.ProductCode).HasMaxLength(50);
        builder.Property(x => x.Description).HasMaxLength(500);
        builder.Property(x => x.Unit).HasMaxLength(20);
        builder.Property(x => x.Quantity).HasPrecision(18, 4);
        builder.Property(x => x.DiscountPercent).HasPrecision(9, 4);
        builder.HasOne<Quote>().WithMany().HasForeignKey(x => x.QuoteId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.QuoteId, x.SortOrder });
    }
}
