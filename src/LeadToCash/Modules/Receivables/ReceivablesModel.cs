using LeadToCash.Modules.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadToCash.Modules.Receivables;

internal sealed class PaymentInstalmentConfiguration : IEntityTypeConfiguration<PaymentInstalment>
{
    public void Configure(EntityTypeBuilder<PaymentInstalment> builder)
    {
        builder.Property(x => x.Label).HasMaxLength(100);
        builder.Property(x => x.Percent).HasPrecision(9, 4);
        builder.Property(x => x.Notes).HasMaxLength(1000);
        builder.HasOne<Contract>().WithMany().HasForeignKey(x => x.ContractId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.ContractId, x.SeqNo });
        // The receivables views read only what is still owed, by due date.
        builder.HasIndex(x => new { x.DueDate, x.ContractId }).HasFilter("\"ReceivedMinor\" < \"AmountMinor\"")
            .HasDatabaseName("IX_PaymentInstalments_Outstanding");
        // The aging sums join what is owed to the visible contracts, and the collection rate sums what fell due in a
        // period: both read these indexes alone, never the table.
        builder.HasIndex(x => new { x.ContractId, x.DueDate, x.AmountMinor, x.ReceivedMinor, x.IsDeleted })
            .HasFilter("\"ReceivedMinor\" < \"AmountMinor\"").HasDatabaseName("IX_PaymentInstalments_OutstandingByContract");
        builder.HasIndex(x => new { x.DueDate, x.ContractId, x.AmountMinor, x.ReceivedMinor, x.IsDeleted })
            .HasDatabaseName("IX_PaymentInstalments_Due");
    }
}

internal sealed class PaymentReceiptConfiguration : IEntityTypeConfiguration<PaymentReceipt>
{
    public void Configure(EntityTypeBuilder<PaymentReceipt> builder)
    {
        builder.Property(x => x.Currency).HasMaxLength(3);
        builder.Property(x => x.Method).HasMaxLength(40);
        builder.Property(x => x.Reference).HasMaxLength(100);
        builder.Property(x => x.Notes).HasMaxLength(1000);
        builder.HasOne<Contract>().WithMany().HasForeignKey(x => x.ContractId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(x => new { x.ContractId, x.ReceivedOn });
        // Receipts of a period and money not yet matched to an instalment, for the receivables views.
        builder.HasIndex(x => new { x.ReceivedOn, x.ContractId, x.AmountMinor, x.IsDeleted });
        builder.HasIndex(x => new { x.ContractId, x.UnallocatedMinor }).HasFilter("\"UnallocatedMinor\" > 0")
            .HasDatabaseName("IX_PaymentReceipts_Unallocated");
    }
}

internal sealed class ReceiptAllocationConfiguration : IEntityTypeConfiguration<ReceiptAllocation>
{
    public void Configure(EntityTypeBuilder<ReceiptAllocation> builder)
    {
        builder.HasOne<PaymentReceipt>().WithMany().HasForeignKey(x => x.ReceiptId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<PaymentInstalment>().WithMany().HasForeignKey(x => x.InstalmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(x => new { x.ReceiptId, x.InstalmentId }).IsUnique();
        builder.HasIndex(x => x.InstalmentId);
    }
}

internal sealed class InvoiceConfiguration : IEntityTypeConfiguration<Invoice>
{
    public void Configure(EntityTypeBuilder<Invoice> builder)
    {
        builder.Property(x => x.Number).HasMaxLength(40);
        builder.Property(x => x.Kind).HasMaxLength(40);
        builder.Property(x => x.Notes).HasMaxLength(1000);
        builder.HasOne<Contract>().WithMany().HasForeignKey(x => x.ContractId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(x => new { x.ContractId, x.IssuedOn });
        builder.HasIndex(x => x.Number).IsUnique();
    }
}
