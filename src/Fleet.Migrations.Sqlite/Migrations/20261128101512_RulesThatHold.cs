using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RulesThatHold : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SpotChecks_CorrectsId",
                table: "SpotChecks");

            migrationBuilder.AddColumn<Guid>(
                name: "BreachedBy",
                table: "SealOrders",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ReleasedEarly",
                table: "SealOrders",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_SpotChecks_CorrectsId",
                table: "SpotChecks",
                column: "CorrectsId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RecoveryCases_PlateNumber_Open",
                table: "RecoveryCases",
                column: "PlateNumber",
                unique: true,
                filter: "[Status] = 'Open'");

            migrationBuilder.CreateIndex(
                name: "IX_Exemptions_SealOrderId_Requested",
                table: "Exemptions",
                column: "SealOrderId",
                unique: true,
                filter: "[Status] = 'Requested'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SpotChecks_CorrectsId",
                table: "SpotChecks");

            migrationBuilder.DropIndex(
                name: "IX_RecoveryCases_PlateNumber_Open",
                table: "RecoveryCases");

            migrationBuilder.DropIndex(
                name: "IX_Exemptions_SealOrderId_Requested",
                table: "Exemptions");

            migrationBuilder.DropColumn(
                name: "BreachedBy",
                table: "SealOrders");

            migrationBuilder.DropColumn(
                name: "ReleasedEarly",
                table: "SealOrders");

            migrationBuilder.CreateIndex(
                name: "IX_SpotChecks_CorrectsId",
                table: "SpotChecks",
                column: "CorrectsId");
        }
    }
}
