using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadToCash.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CustomerScopeIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Customers_IsDeleted_OwnerId_PoolTeamId_Id",
                table: "Customers",
                columns: new[] { "IsDeleted", "OwnerId", "PoolTeamId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_IsDeleted_OwnerId_PoolTeamId_Id",
                table: "Customers");
        }
    }
}
