using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadToCash.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class LeadsScopeIndexesCoverId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_OwnerId_Status",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_PoolTeamId_Status",
                table: "Leads");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_OwnerId_Status_Id",
                table: "Leads",
                columns: new[] { "OwnerId", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_PoolTeamId_Status_Id",
                table: "Leads",
                columns: new[] { "PoolTeamId", "Status", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_OwnerId_Status_Id",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_PoolTeamId_Status_Id",
                table: "Leads");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_OwnerId_Status",
                table: "Leads",
                columns: new[] { "OwnerId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_PoolTeamId_Status",
                table: "Leads",
                columns: new[] { "PoolTeamId", "Status" });
        }
    }
}
