using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadToCash.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ApprovalReasonParts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ReasonParts",
                table: "ApprovalRequests",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReasonParts",
                table: "ApprovalRequests");
        }
    }
}
