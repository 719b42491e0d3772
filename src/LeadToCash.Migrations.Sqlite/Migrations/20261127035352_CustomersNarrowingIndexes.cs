using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadToCash.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CustomersNarrowingIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_OwnerId",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Customers_PoolTeamId",
                table: "Customers");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_Owner_Narrowing",
                table: "Customers",
                columns: new[] { "OwnerId", "Grade", "Stage", "Industry", "Region", "IsDeleted", "PoolTeamId", "Id" },
                filter: "\"OwnerId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_Pool_Narrowing",
                table: "Customers",
                columns: new[] { "PoolTeamId", "Grade", "Stage", "Industry", "Region", "IsDeleted", "OwnerId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_Owner_Narrowing",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Customers_Pool_Narrowing",
                table: "Customers");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_OwnerId",
                table: "Customers",
                column: "OwnerId",
                filter: "\"OwnerId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_PoolTeamId",
                table: "Customers",
                column: "PoolTeamId");
        }
    }
}
