using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadToCash.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ContractsReceivablesIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Contracts_Receivables",
                table: "Contracts",
                columns: new[] { "Id", "Status", "Currency", "IsDeleted", "OwnerId", "CustomerId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Contracts_Receivables",
                table: "Contracts");
        }
    }
}
