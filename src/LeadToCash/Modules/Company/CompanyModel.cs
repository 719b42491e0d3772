using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadToCash.Modules.Company;

internal sealed class CompanySettingsConfiguration : IEntityTypeConfiguration<CompanySettings>
{
    public void Configure(EntityTypeBuilder<CompanySettings> builder)
    {
        builder.Property(x => x.Name).HasMaxLength(200);
        builder.Property(x => x.TimeZone).HasMaxLength(64);
        builder.Property(x => x.Currency).HasMaxLength(3);
        builder.Property(x => x.WorkingDays).HasMaxLength(7);
        builder.Property(x => x.DefaultCulture).HasMaxLength(10);
    }
}

internal sealed class HolidayConfiguration : IEntityTypeConfiguration<Holiday>
{
    public void Configure(EntityTypeBuilder<Holiday> builder)
    {
        builder.Property(x => x.Name).HasMaxLength(100);
        builder.HasIndex(x => x.Date);
    }
}
