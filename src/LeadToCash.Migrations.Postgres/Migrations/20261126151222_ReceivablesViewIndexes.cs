using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadToCash.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ReceivablesViewIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PaymentReceipts_ReceivedOn",
                table: "PaymentReceipts");

            migrationBuilder.CreateIndex(
                name: "IX_PaymentReceipts_ReceivedOn_ContractId_AmountMinor_IsDeleted",
                table: "PaymentReceipts",
                columns: new[] { "ReceivedOn", "ContractId", "AmountMinor", "IsDeleted" });

            migrationBuilder.CreateIndex(
                name: "IX_PaymentReceipts_Unallocated",
                table: "PaymentReceipts",
                columns: new[] { "ContractId", "UnallocatedMinor" },
                filter: "\"UnallocatedMinor\" > 0");

            migrationBuilder.CreateIndex(
                name: "IX_PaymentInstalments_Due",
                table: "PaymentInstalments",
                columns: new[] { "DueDate", "ContractId", "AmountMinor", "ReceivedMinor", "IsDeleted" });

            migrationBuilder.CreateIndex(
                name: "IX_PaymentInstalments_OutstandingByContract",
                table: "PaymentInstalments",
                columns: new[] { "ContractId", "DueDate", "AmountMinor", "ReceivedMinor", "IsDeleted" },
                filter: "\"ReceivedMinor\" < \"AmountMinor\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PaymentReceipts_ReceivedOn_ContractId_AmountMinor_IsDeleted",
                table: "PaymentReceipts");

            migrationBuilder.DropIndex(
                name: "IX_PaymentReceipts_Unallocated",
                table: "PaymentReceipts");

            migrationBuilder.DropIndex(
                name: "IX_PaymentInstalments_Due",
                table: "PaymentInstalments");

            migrationBuilder.DropIndex(
                name: "IX_PaymentInstalments_OutstandingByContract",
                table: "PaymentInstalments");

            migrationBuilder.CreateIndex(
                name: "IX_PaymentReceipts_ReceivedOn",
                table: "PaymentReceipts",
                column: "ReceivedOn");
        }
    }
}
