using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadToCash.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Leads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AutoConfirmLeadGrades",
                table: "Teams",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "NameKey",
                table: "Customers",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PhoneKey",
                table: "Customers",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "UnavailableForLeads",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "Contacts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Mobile = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    WeChat = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    SourceLeadId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    IsDeleted = table.Column<bool>(type: "INTEGER", nullable: false),
                    DeletedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DeletedBy = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Contacts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ImportJobs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordType = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 260, nullable: false),
                    FileHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StoredPath = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    MappingJson = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    TotalRows = table.Column<int>(type: "INTEGER", nullable: false),
                    ProcessedRows = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedRows = table.Column<int>(type: "INTEGER", nullable: false),
                    DuplicateRows = table.Column<int>(type: "INTEGER", nullable: false),
                    RejectedRows = table.Column<int>(type: "INTEGER", nullable: false),
                    RejectedFilePath = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    StartedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportJobs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LeadActivities",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    LeadId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<int>(type: "INTEGER", nullable: false),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    OccurredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeadActivities", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Leads",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SourceChannel = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    CapturedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CompanyName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ContactName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Mobile = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    WeChat = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Industry = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    CompanySize = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Region = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    BudgetMinor = table.Column<long>(type: "INTEGER", nullable: true),
                    PurchaseWithinMonths = table.Column<int>(type: "INTEGER", nullable: true),
                    DecisionMakerIdentified = table.Column<bool>(type: "INTEGER", nullable: false),
                    Need = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Tags = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    PhoneKey = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    EmailKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CompanyKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    TeamId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PoolTeamId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DuplicateOfLeadId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DuplicateOfCustomerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DuplicateField = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Score = table.Column<int>(type: "INTEGER", nullable: false),
                    SuggestedGrade = table.Column<int>(type: "INTEGER", nullable: false),
                    Grade = table.Column<int>(type: "INTEGER", nullable: true),
                    ScreeningDueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ScreenedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ScreenedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    GradeReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    AssignedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AssignedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    FirstTouchDueAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FirstTouchAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ResponseMinutes = table.Column<int>(type: "INTEGER", nullable: true),
                    LastActivityAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReminderSentAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EscalatedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ScreeningAlertSentAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DisqualifyReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ConvertedCustomerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ConvertedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    MergedIntoId = table.Column<Guid>(type: "TEXT", nullable: true),
                    WebFormId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ImportJobId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ImportKey = table.Column<string>(type: "TEXT", maxLength: 80, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    IsDeleted = table.Column<bool>(type: "INTEGER", nullable: false),
                    DeletedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DeletedBy = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Leads", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Leads_AspNetUsers_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LeadSettings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DuplicateMode = table.Column<int>(type: "INTEGER", nullable: false),
                    TargetIndustries = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    IndustryPoints = table.Column<int>(type: "INTEGER", nullable: false),
                    BudgetThresholdMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    BudgetPoints = table.Column<int>(type: "INTEGER", nullable: false),
                    PurchaseWithinMonths = table.Column<int>(type: "INTEGER", nullable: false),
                    TimeframePoints = table.Column<int>(type: "INTEGER", nullable: false),
                    DecisionMakerPoints = table.Column<int>(type: "INTEGER", nullable: false),
                    GradeAThreshold = table.Column<int>(type: "INTEGER", nullable: false),
                    GradeBThreshold = table.Column<int>(type: "INTEGER", nullable: false),
                    ScreeningMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    AssignAToSeniorReps = table.Column<bool>(type: "INTEGER", nullable: false),
                    SeniorMinMonths = table.Column<int>(type: "INTEGER", nullable: false),
                    SendCToPool = table.Column<bool>(type: "INTEGER", nullable: false),
                    Strategy = table.Column<int>(type: "INTEGER", nullable: false),
                    ClaimLimit = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstTouchHoursA = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstTouchHoursB = table.Column<int>(type: "INTEGER", nullable: false),
                    DueSoonMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    EscalateAfterHours = table.Column<int>(type: "INTEGER", nullable: false),
                    PoolReturnDays = table.Column<int>(type: "INTEGER", nullable: false),
                    DigestTime = table.Column<TimeOnly>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    IsDeleted = table.Column<bool>(type: "INTEGER", nullable: false),
                    DeletedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DeletedBy = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeadSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    ArgsJson = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Link = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    RecordType = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    RecordId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DedupKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReadAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notifications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SavedViews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ListKey = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Query = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SavedViews", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WebForms",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    SourceChannel = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AllowedOrigins = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    TeamId = table.Column<Guid>(type: "TEXT", nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    SubmissionCount = table.Column<int>(type: "INTEGER", nullable: false),
                    LastSubmissionAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    IsDeleted = table.Column<bool>(type: "INTEGER", nullable: false),
                    DeletedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DeletedBy = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WebForms", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Customers_NameKey",
                table: "Customers",
                column: "NameKey");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_PhoneKey",
                table: "Customers",
                column: "PhoneKey");

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_CustomerId",
                table: "Contacts",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_ImportJobs_StartedBy_CreatedAt",
                table: "ImportJobs",
                columns: new[] { "StartedBy", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_LeadActivities_LeadId_OccurredAt",
                table: "LeadActivities",
                columns: new[] { "LeadId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_CompanyKey",
                table: "Leads",
                column: "CompanyKey");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_CreatedAt_Id",
                table: "Leads",
                columns: new[] { "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_EmailKey",
                table: "Leads",
                column: "EmailKey");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_FirstTouchDueAt_Id",
                table: "Leads",
                columns: new[] { "FirstTouchDueAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_ImportKey",
                table: "Leads",
                column: "ImportKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Leads_OwnerId_Status",
                table: "Leads",
                columns: new[] { "OwnerId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_PhoneKey",
                table: "Leads",
                column: "PhoneKey");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_PoolTeamId_Status",
                table: "Leads",
                columns: new[] { "PoolTeamId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_TeamId_Status",
                table: "Leads",
                columns: new[] { "TeamId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Leads_UpdatedAt_Id",
                table: "Leads",
                columns: new[] { "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_UserId_CreatedAt",
                table: "Notifications",
                columns: new[] { "UserId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_UserId_DedupKey",
                table: "Notifications",
                columns: new[] { "UserId", "DedupKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SavedViews_UserId_ListKey_Name",
                table: "SavedViews",
                columns: new[] { "UserId", "ListKey", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WebForms_Key",
                table: "WebForms",
                column: "Key",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Contacts");

            migrationBuilder.DropTable(
                name: "ImportJobs");

            migrationBuilder.DropTable(
                name: "LeadActivities");

            migrationBuilder.DropTable(
                name: "Leads");

            migrationBuilder.DropTable(
                name: "LeadSettings");

            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropTable(
                name: "SavedViews");

            migrationBuilder.DropTable(
                name: "WebForms");

            migrationBuilder.DropIndex(
                name: "IX_Customers_NameKey",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Customers_PhoneKey",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "AutoConfirmLeadGrades",
                table: "Teams");

            migrationBuilder.DropColumn(
                name: "NameKey",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "PhoneKey",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "UnavailableForLeads",
                table: "AspNetUsers");
        }
    }
}
