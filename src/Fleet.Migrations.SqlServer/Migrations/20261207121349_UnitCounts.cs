using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class UnitCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "VehicleCounts",
                columns: table => new
                {
                    UnitId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Vehicles = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VehicleCounts", x => new { x.UnitId, x.Status });
                });

            migrationBuilder.CreateTable(
                name: "ViolationCounts",
                columns: table => new
                {
                    UnitId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Type = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Violations = table.Column<int>(type: "int", nullable: false),
                    Actions = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ViolationCounts", x => new { x.UnitId, x.Status, x.Type });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Violations_UnitId_Status_DetectedAt_Type_Id",
                table: "Violations",
                columns: new[] { "UnitId", "Status", "DetectedAt", "Type", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "VehicleCounts");

            migrationBuilder.DropTable(
                name: "ViolationCounts");

            migrationBuilder.DropIndex(
                name: "IX_Violations_UnitId_Status_DetectedAt_Type_Id",
                table: "Violations");
        }
    }
}
