using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadToCash.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class OpportunityBoardColumnIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Opportunities_StageId",
                table: "Opportunities");

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_StageId_AmountMinor_Id",
                table: "Opportunities",
                columns: new[] { "StageId", "AmountMinor", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Opportunities_StageId_AmountMinor_Id",
                table: "Opportunities");

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_StageId",
                table: "Opportunities",
                column: "StageId");
        }
    }
}
