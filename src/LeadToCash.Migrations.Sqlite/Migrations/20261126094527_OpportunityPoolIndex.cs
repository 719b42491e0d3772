using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadToCash.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OpportunityPoolIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_PoolTeamId",
                table: "Opportunities",
                column: "PoolTeamId",
                filter: "\"PoolTeamId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Opportunities_PoolTeamId",
                table: "Opportunities");
        }
    }
}
