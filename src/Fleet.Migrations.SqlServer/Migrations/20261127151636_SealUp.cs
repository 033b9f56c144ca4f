using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class SealUp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Reminders",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_SealOrders_ScheduleId_SealNumber",
                table: "SealOrders",
                columns: new[] { "ScheduleId", "SealNumber" },
                unique: true,
                filter: "[SealNumber] IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SealOrders_ScheduleId_SealNumber",
                table: "SealOrders");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Reminders");
        }
    }
}
