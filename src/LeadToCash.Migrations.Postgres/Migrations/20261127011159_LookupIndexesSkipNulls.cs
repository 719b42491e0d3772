using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadToCash.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class LookupIndexesSkipNulls : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tasks_FollowUpId",
                table: "Tasks");

            migrationBuilder.DropIndex(
                name: "IX_Opportunities_ImportKey",
                table: "Opportunities");

            migrationBuilder.DropIndex(
                name: "IX_Leads_EmailKey",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ImportKey",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Customers_ImportKey",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Customers_ParentId",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Contracts_OpportunityId",
                table: "Contracts");

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_FollowUpId",
                table: "Tasks",
                column: "FollowUpId",
                filter: "\"FollowUpId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_ImportKey",
                table: "Opportunities",
                column: "ImportKey",
                unique: true,
                filter: "\"ImportKey\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_EmailKey",
                table: "Leads",
                column: "EmailKey",
                filter: "\"EmailKey\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ImportKey",
                table: "Leads",
                column: "ImportKey",
                unique: true,
                filter: "\"ImportKey\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_ImportKey",
                table: "Customers",
                column: "ImportKey",
                unique: true,
                filter: "\"ImportKey\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_ParentId",
                table: "Customers",
                column: "ParentId",
                filter: "\"ParentId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Contracts_OpportunityId",
                table: "Contracts",
                column: "OpportunityId",
                filter: "\"OpportunityId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tasks_FollowUpId",
                table: "Tasks");

            migrationBuilder.DropIndex(
                name: "IX_Opportunities_ImportKey",
                table: "Opportunities");

            migrationBuilder.DropIndex(
                name: "IX_Leads_EmailKey",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Leads_ImportKey",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Customers_ImportKey",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Customers_ParentId",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Contracts_OpportunityId",
                table: "Contracts");

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_FollowUpId",
                table: "Tasks",
                column: "FollowUpId");

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_ImportKey",
                table: "Opportunities",
                column: "ImportKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Leads_EmailKey",
                table: "Leads",
                column: "EmailKey");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ImportKey",
                table: "Leads",
                column: "ImportKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Customers_ImportKey",
                table: "Customers",
                column: "ImportKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Customers_ParentId",
                table: "Customers",
                column: "ParentId");

            migrationBuilder.CreateIndex(
                name: "IX_Contracts_OpportunityId",
                table: "Contracts",
                column: "OpportunityId");
        }
    }
}
