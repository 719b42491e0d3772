using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadToCash.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LeadFirstTouchSla : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_OwnerId_Status_Id",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_PoolTeamId_Status_Id",
                table: "Leads");

            migrationBuilder.AddColumn<int>(
                name: "FirstTouchSla",
                table: "Leads",
                type: "INTEGER",
                nullable: true,
                computedColumnSql: "CASE WHEN \"FirstTouchAt\" IS NULL OR \"FirstTouchDueAt\" IS NULL THEN NULL WHEN \"FirstTouchAt\" <= \"FirstTouchDueAt\" THEN 4 ELSE 5 END",
                stored: false);

            migrationBuilder.CreateIndex(
                name: "IX_Leads_OwnerId_FirstTouchSla_Status_Id",
                table: "Leads",
                columns: new[] { "OwnerId", "FirstTouchSla", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_PoolTeamId_FirstTouchSla_Status_Id",
                table: "Leads",
                columns: new[] { "PoolTeamId", "FirstTouchSla", "Status", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leads_OwnerId_FirstTouchSla_Status_Id",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_PoolTeamId_FirstTouchSla_Status_Id",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "FirstTouchSla",
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
    }
}
