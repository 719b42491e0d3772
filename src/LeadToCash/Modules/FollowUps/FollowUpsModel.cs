using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadToCash.Modules.FollowUps;

internal sealed class FollowUpConfiguration : IEntityTypeConfiguration<FollowUp>
{
    public void Configure(EntityTypeBuilder<FollowUp> builder)
    {
        builder.Property(x => x.KeyPoints).HasMaxLength(4000);
        builder.Property(x => x.CustomerFeedback).HasMaxLength(4000);
        builder.Property(x => x.NextStep).HasMaxLength(1000);
        builder.HasIndex(x => new { x.CustomerId, x.OccurredAt });
        builder.HasIndex(x => new { x.AuthorId, x.OccurredAt });
    }
}

internal sealed class FollowUpParticipantConfiguration : IEntityTypeConfiguration<FollowUpParticipant>
{
    public void Configure(EntityTypeBuilder<FollowUpParticipant> builder)
    {
        builder.HasIndex(x => x.FollowUpId);
        builder.HasIndex(x => x.ContactId);
    }
}
