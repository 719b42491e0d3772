using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadToCash.Modules.Customers;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.Property(x => x.Name).HasMaxLength(200);
        builder.Property(x => x.Industry).HasMaxLength(50);
        builder.Property(x => x.Size).HasMaxLength(50);
        builder.Property(x => x.Region).HasMaxLength(100);
        builder.Property(x => x.Phone).HasMaxLength(40);
        builder.Property(x => x.Website).HasMaxLength(200);
        builder.Property(x => x.Address).HasMaxLength(300);
        builder.Property(x => x.SourceChannel).HasMaxLength(50);
        builder.Property(x => x.Notes).HasMaxLength(4000);
        builder.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(x => x.NameKey).HasMaxLength(200);
        builder.Property(x => x.PhoneKey).HasMaxLength(40);
        builder.Property(x => x.Pinyin).HasMaxLength(1000);
        builder.Property(x => x.PinyinInitials).HasMaxLength(500);
        builder.Property(x => x.ImportKey).HasMaxLength(100);
        builder.HasIndex(x => x.NameKey);
        builder.HasIndex(x => x.PhoneKey);
        // Owned customers only: without statistics on NULLs, SQLite took "no owner" (the pool, 15% of the rows) for a
        // selective owner lookup and walked the whole pool through this index. With the list's indexed filters and the
        // scope filter's columns, a scoped list's narrowing (NarrowToScope) reads only these two indexes and only the
        // matching ids.
        builder.HasIndex(x => new { x.OwnerId, x.Grade, x.Stage, x.Industry, x.Region, x.IsDeleted, x.PoolTeamId, x.Id },
            "IX_Customers_Owner_Narrowing").HasFilter("\"OwnerId\" IS NOT NULL");
        builder.HasIndex(x => new { x.PoolTeamId, x.Grade, x.Stage, x.Industry, x.Region, x.IsDeleted, x.OwnerId, x.Id },
            "IX_Customers_Pool_Narrowing");
        // Only the values that are there: an index of mostly NULLs looks useless to SQLite's planner, which then scans.
        builder.HasIndex(x => x.ParentId).HasFilter("\"ParentId\" IS NOT NULL");
        builder.HasIndex(x => x.ImportKey).IsUnique().HasFilter("\"ImportKey\" IS NOT NULL");
        builder.HasIndex(x => new { x.OwnerId, x.FollowUpDueAt }).HasFilter("\"OwnerId\" IS NOT NULL");
        // Covers the scope filter: a capped count for a rep or a manager reads this index, not the table.
        builder.HasIndex(x => new { x.IsDeleted, x.OwnerId, x.PoolTeamId, x.Id });
        builder.HasIndex(x => new { x.Name, x.Id });
        builder.HasIndex(x => new { x.CreatedAt, x.Id });
        builder.HasIndex(x => new { x.UpdatedAt, x.Id });
        builder.HasIndex(x => new { x.LastFollowUpAt, x.Id });
        builder.HasIndex(x => new { x.LastFollowUpSortKey, x.Id });
    }

    /// <summary>The computed sort key's SQL differs by database (SQLite cannot add a stored column to a table).</summary>
    public static void ConfigureSortKeys(EntityTypeBuilder<Customer> builder, bool sqlite) =>
        builder.Property(x => x.LastFollowUpSortKey).HasComputedColumnSql(
            sqlite
                ? "COALESCE(\"LastFollowUpAt\", '1900-01-01 00:00:00')"
                : "COALESCE(\"LastFollowUpAt\", TIMESTAMPTZ '1900-01-01 00:00:00+00')",
            stored: !sqlite);
}

internal sealed class CustomerTagConfiguration : IEntityTypeConfiguration<CustomerTag>
{
    public void Configure(EntityTypeBuilder<CustomerTag> builder)
    {
        builder.Property(x => x.Name).HasMaxLength(50);
        builder.HasIndex(x => new { x.CustomerId, x.Name }).IsUnique();
        builder.HasIndex(x => x.Name);
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
        builder.Property(x => x.Notes).HasMaxLength(2000);
        builder.Property(x => x.PhoneKey).HasMaxLength(40);
        builder.Property(x => x.EmailKey).HasMaxLength(200);
        builder.Property(x => x.Pinyin).HasMaxLength(1000);
        builder.Property(x => x.PinyinInitials).HasMaxLength(500);
        builder.HasIndex(x => x.CustomerId);
        builder.HasIndex(x => x.PhoneKey);
        builder.HasIndex(x => x.EmailKey);
    }
}

internal sealed class NeedsAnalysisConfiguration : IEntityTypeConfiguration<NeedsAnalysis>
{
    public void Configure(EntityTypeBuilder<NeedsAnalysis> builder)
    {
        builder.ToTable("NeedsAnalyses");
        builder.Property(x => x.Title).HasMaxLength(200);
        foreach (var text in new[] { nameof(NeedsAnalysis.Background), nameof(NeedsAnalysis.CurrentSituation),
                     nameof(NeedsAnalysis.PainPoints), nameof(NeedsAnalysis.CustomerWords), nameof(NeedsAnalysis.Goals),
                     nameof(NeedsAnalysis.NeedPriorities), nameof(NeedsAnalysis.DecisionProcess) })
        {
            builder.Property(text).HasMaxLength(4000);
        }

        builder.Property(x => x.Timeline).HasMaxLength(200);
        builder.Property(x => x.ConfirmedHow).HasMaxLength(200);
        builder.HasIndex(x => x.CustomerId);
        builder.HasIndex(x => x.OpportunityId);
        builder.HasIndex(x => new { x.ConfirmedAt, x.ConfirmDueAt });
    }
}

internal sealed class CustomerPoolRuleConfiguration : IEntityTypeConfiguration<CustomerPoolRule>
{
    public void Configure(EntityTypeBuilder<CustomerPoolRule> builder) => builder.HasIndex(x => x.TeamId).IsUnique();
}
