using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadToCash.Modules.Leads;

internal sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> builder)
    {
        builder.Property(x => x.SourceChannel).HasMaxLength(50);
        builder.Property(x => x.CompanyName).HasMaxLength(200);
        builder.Property(x => x.ContactName).HasMaxLength(100);
        builder.Property(x => x.Title).HasMaxLength(100);
        builder.Property(x => x.Mobile).HasMaxLength(40);
        builder.Property(x => x.Phone).HasMaxLength(40);
        builder.Property(x => x.Email).HasMaxLength(200);
        builder.Property(x => x.WeChat).HasMaxLength(100);
        builder.Property(x => x.Industry).HasMaxLength(50);
        builder.Property(x => x.CompanySize).HasMaxLength(50);
        builder.Property(x => x.Region).HasMaxLength(100);
        builder.Property(x => x.Need).HasMaxLength(4000);
        builder.Property(x => x.Notes).HasMaxLength(4000);
        builder.Property(x => x.Tags).HasMaxLength(500);
        builder.Property(x => x.PhoneKey).HasMaxLength(40);
        builder.Property(x => x.EmailKey).HasMaxLength(200);
        builder.Property(x => x.CompanyKey).HasMaxLength(200);
        builder.Property(x => x.Pinyin).HasMaxLength(1000);
        builder.Property(x => x.PinyinInitials).HasMaxLength(500);
        builder.Property(x => x.DuplicateField).HasMaxLength(20);
        builder.Property(x => x.GradeReason).HasMaxLength(500);
        builder.Property(x => x.DisqualifyReason).HasMaxLength(500);
        builder.Property(x => x.ImportKey).HasMaxLength(80);
        builder.Ignore(x => x.IsIncomplete);
        builder.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Restrict);
        // With the id, a scoped list's visible ids (NarrowToScope) come from these indexes alone, and with the status and
        // the first-touch outcome a list filtered on them reads only the matching ids.
        builder.HasIndex(x => new { x.OwnerId, x.FirstTouchSla, x.Status, x.Id });
        builder.HasIndex(x => new { x.PoolTeamId, x.FirstTouchSla, x.Status, x.Id });
        builder.HasIndex(x => new { x.TeamId, x.Status });
        builder.HasIndex(x => new { x.CreatedAt, x.Id });
        builder.HasIndex(x => new { x.UpdatedAt, x.Id });
        // The customer timeline finds the leads a customer came from. Only converted leads: most leads never are, and
        // SQLite's statistics would count the NULLs as one value shared by every lead and judge the index useless.
        builder.HasIndex(x => x.ConvertedCustomerId).HasFilter("\"ConvertedCustomerId\" IS NOT NULL");
        builder.HasIndex(x => new { x.FirstTouchDueAt, x.Id });
        builder.HasIndex(x => x.PhoneKey);
        // Only the keys that are there: an index of mostly NULLs looks useless to SQLite's planner, which then scans.
        builder.HasIndex(x => x.EmailKey).HasFilter("\"EmailKey\" IS NOT NULL");
        builder.HasIndex(x => x.CompanyKey);
        builder.HasIndex(x => x.ImportKey).IsUnique().HasFilter("\"ImportKey\" IS NOT NULL");
    }

    /// <summary>
    /// The first-touch outcome, computed by the database with the same SQL on both (SQLite compares its ISO-8601 time
    /// text in time order). Stored on PostgreSQL, which has no virtual columns; virtual on SQLite, where an index keeps
    /// it all the same.
    /// </summary>
    public static void ConfigureFirstTouchSla(EntityTypeBuilder<Lead> builder, bool sqlite) =>
        builder.Property(x => x.FirstTouchSla).HasComputedColumnSql(
            "CASE WHEN \"FirstTouchAt\" IS NULL OR \"FirstTouchDueAt\" IS NULL THEN NULL " +
            $"WHEN \"FirstTouchAt\" <= \"FirstTouchDueAt\" THEN {(int)SlaState.Met} ELSE {(int)SlaState.Missed} END",
            stored: !sqlite);
}

internal sealed class LeadActivityConfiguration : IEntityTypeConfiguration<LeadActivity>
{
    public void Configure(EntityTypeBuilder<LeadActivity> builder)
    {
        builder.Property(x => x.Notes).HasMaxLength(2000);
        builder.HasIndex(x => new { x.LeadId, x.OccurredAt });
    }
}

internal sealed class LeadSettingsConfiguration : IEntityTypeConfiguration<LeadSettings>
{
    public void Configure(EntityTypeBuilder<LeadSettings> builder)
    {
        builder.Property(x => x.TargetIndustries).HasMaxLength(1000);
        builder.Ignore(x => x.TargetIndustryCodes);
    }
}

internal sealed class WebFormConfiguration : IEntityTypeConfiguration<WebForm>
{
    public void Configure(EntityTypeBuilder<WebForm> builder)
    {
        builder.Property(x => x.Name).HasMaxLength(100);
        builder.Property(x => x.SourceChannel).HasMaxLength(50);
        builder.Property(x => x.Key).HasMaxLength(64);
        builder.Property(x => x.AllowedOrigins).HasMaxLength(2000);
        builder.HasIndex(x => x.Key).IsUnique();
    }
}
