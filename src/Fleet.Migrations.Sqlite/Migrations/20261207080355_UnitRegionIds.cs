using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class UnitRegionIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Units_RegionCode",
                table: "Units");

            migrationBuilder.CreateIndex(
                name: "IX_Units_RegionCode_Id",
                table: "Units",
                columns: new[] { "RegionCode", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Units_RegionCode_Id",
                table: "Units");

            migrationBuilder.CreateIndex(
                name: "IX_Units_RegionCode",
                table: "Units",
                column: "RegionCode");
        }
    }
}
