using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadToCash.Modules.Customers;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.Property(x => x.Name).HasMaxLength(200);
        builder.Property(x => x.Industry).HasMaxLength(50);
        builder.Property(x => x.Region).HasMaxLength(100);
        builder.Property(x => x.Phone).HasMaxLength(40);
        builder.Property(x => x.Website).HasMaxLength(200);
        builder.Property(x => x.Address).HasMaxLength(300);
        builder.Property(x => x.SourceChannel).HasMaxLength(50);
        builder.Property(x => x.Notes).HasMaxLength(4000);
        builder.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(x => x.NameKey).HasMaxLength(200);
        builder.Property(x => x.PhoneKey).HasMaxLength(40);
        builder.HasIndex(x => x.NameKey);
        builder.HasIndex(x => x.PhoneKey);
        builder.HasIndex(x => x.OwnerId);
        builder.HasIndex(x => x.PoolTeamId);
        builder.HasIndex(x => new { x.Name, x.Id });
        builder.HasIndex(x => new { x.CreatedAt, x.Id });
    }
}

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.Property(x => x.Name).HasMaxLength(100);
        builder.Property(x => x.Title).HasMaxLength(100);
        builder.Property(x => x.Mobile).HasMaxLength(40);
        builder.Property(x => x.Phone).HasMaxLength(40);
        builder.Property(x => x.Email).HasMaxLength(200);
        builder.Property(x => x.WeChat).HasMaxLength(100);
        builder.HasIndex(x => x.CustomerId);
    }
}
