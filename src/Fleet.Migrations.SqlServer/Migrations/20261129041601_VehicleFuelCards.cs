using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class VehicleFuelCards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "FuelCardNumber",
                table: "Vehicles",
                type: "nvarchar(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Vehicles_FuelCardNumber",
                table: "Vehicles",
                column: "FuelCardNumber",
                unique: true,
                filter: "[FuelCardNumber] IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Vehicles_FuelCardNumber",
                table: "Vehicles");

            migrationBuilder.DropColumn(
                name: "FuelCardNumber",
                table: "Vehicles");
        }
    }
}
