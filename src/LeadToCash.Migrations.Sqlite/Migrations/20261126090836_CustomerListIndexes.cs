using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadToCash.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CustomerListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_OwnerId",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Customers_OwnerId_FollowUpDueAt",
                table: "Customers");

            migrationBuilder.AddColumn<DateTime>(
                name: "LastFollowUpSortKey",
                table: "Customers",
                type: "TEXT",
                nullable: false,
                computedColumnSql: "COALESCE(\"LastFollowUpAt\", '1900-01-01 00:00:00')",
                stored: false);

            migrationBuilder.CreateIndex(
                name: "IX_Customers_LastFollowUpSortKey_Id",
                table: "Customers",
                columns: new[] { "LastFollowUpSortKey", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Customers_OwnerId",
                table: "Customers",
                column: "OwnerId",
                filter: "\"OwnerId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_OwnerId_FollowUpDueAt",
                table: "Customers",
                columns: new[] { "OwnerId", "FollowUpDueAt" },
                filter: "\"OwnerId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_LastFollowUpSortKey_Id",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Customers_OwnerId",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Customers_OwnerId_FollowUpDueAt",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "LastFollowUpSortKey",
                table: "Customers");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_OwnerId",
                table: "Customers",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_OwnerId_FollowUpDueAt",
                table: "Customers",
                columns: new[] { "OwnerId", "FollowUpDueAt" });
        }
    }
}
