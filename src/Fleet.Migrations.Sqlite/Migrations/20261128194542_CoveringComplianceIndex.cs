using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CoveringComplianceIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SealOrders_ScheduleId_UnitId",
                table: "SealOrders");

            migrationBuilder.CreateIndex(
                name: "IX_SealOrders_ScheduleId_UnitId_Status_Late_ReleasedEarly",
                table: "SealOrders",
                columns: new[] { "ScheduleId", "UnitId", "Status", "Late", "ReleasedEarly" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SealOrders_ScheduleId_UnitId_Status_Late_ReleasedEarly",
                table: "SealOrders");

            migrationBuilder.CreateIndex(
                name: "IX_SealOrders_ScheduleId_UnitId",
                table: "SealOrders",
                columns: new[] { "ScheduleId", "UnitId" });
        }
    }
}
