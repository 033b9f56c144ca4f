using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Regions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Regions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Code = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ParentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Regions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Regions_Regions_ParentId",
                        column: x => x.ParentId,
                        principalTable: "Regions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            // A flat deployment becomes one root region holding everything (the demo's 370100 济南市 until the first start
            // re-roots it at Fleet:Region:Code, see RootRegion).
            migrationBuilder.InsertData(
                table: "Regions",
                columns: new[] { "Id", "Code", "Name", "Level", "ParentId", "CreatedAt", "Version" },
                values: new object[] { new Guid("00000000-0000-0000-0000-000000370100"), 370100, "济南市", "City", null, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), 0 });

            migrationBuilder.DropIndex(
                name: "IX_Campaigns_Name",
                table: "Campaigns");

            migrationBuilder.DropIndex(
                name: "IX_ArchivedReports_Month_Report_Subject",
                table: "ArchivedReports");

            migrationBuilder.AddColumn<int>(
                name: "RegionCode",
                table: "Users",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "RegionId",
                table: "Users",
                type: "TEXT",
                nullable: true);

            // Everyone worked in the whole flat deployment: they work at its root now (a vehicle administrator's unit is there too).
            migrationBuilder.Sql("UPDATE \"Users\" SET \"RegionId\" = (SELECT \"Id\" FROM \"Regions\"), \"RegionCode\" = 370100;");

            migrationBuilder.AddColumn<int>(
                name: "RegionCode",
                table: "Units",
                type: "INTEGER",
                nullable: false,
                defaultValue: 370100);

            migrationBuilder.AddColumn<Guid>(
                name: "RegionId",
                table: "Units",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000370100"));

            migrationBuilder.AddColumn<int>(
                name: "RegionCode",
                table: "SealUpSchedules",
                type: "INTEGER",
                nullable: false,
                defaultValue: 370100);

            migrationBuilder.AddColumn<Guid>(
                name: "RegionId",
                table: "SealUpSchedules",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000370100"));

            migrationBuilder.AddColumn<int>(
                name: "RegionCode",
                table: "Campaigns",
                type: "INTEGER",
                nullable: false,
                defaultValue: 370100);

            migrationBuilder.AddColumn<Guid>(
                name: "RegionId",
                table: "Campaigns",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000370100"));

            migrationBuilder.AddColumn<int>(
                name: "RegionCode",
                table: "AuditEntries",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RegionCode",
                table: "ArchivedReports",
                type: "INTEGER",
                nullable: false,
                defaultValue: 370100);

            migrationBuilder.AddColumn<Guid>(
                name: "RegionId",
                table: "ArchivedReports",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000370100"));

            migrationBuilder.CreateIndex(
                name: "IX_Users_RegionId",
                table: "Users",
                column: "RegionId");

            migrationBuilder.CreateIndex(
                name: "IX_Units_RegionCode",
                table: "Units",
                column: "RegionCode");

            migrationBuilder.CreateIndex(
                name: "IX_Units_RegionId",
                table: "Units",
                column: "RegionId");

            migrationBuilder.CreateIndex(
                name: "IX_SealUpSchedules_RegionId",
                table: "SealUpSchedules",
                column: "RegionId");

            migrationBuilder.CreateIndex(
                name: "IX_Campaigns_RegionId_Name",
                table: "Campaigns",
                columns: new[] { "RegionId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ArchivedReports_Month_Report_Subject_RegionId",
                table: "ArchivedReports",
                columns: new[] { "Month", "Report", "Subject", "RegionId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Regions_Code",
                table: "Regions",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Regions_ParentId",
                table: "Regions",
                column: "ParentId");

            migrationBuilder.AddForeignKey(
                name: "FK_Campaigns_Regions_RegionId",
                table: "Campaigns",
                column: "RegionId",
                principalTable: "Regions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_SealUpSchedules_Regions_RegionId",
                table: "SealUpSchedules",
                column: "RegionId",
                principalTable: "Regions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Units_Regions_RegionId",
                table: "Units",
                column: "RegionId",
                principalTable: "Regions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Users_Regions_RegionId",
                table: "Users",
                column: "RegionId",
                principalTable: "Regions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Campaigns_Regions_RegionId",
                table: "Campaigns");

            migrationBuilder.DropForeignKey(
                name: "FK_SealUpSchedules_Regions_RegionId",
                table: "SealUpSchedules");

            migrationBuilder.DropForeignKey(
                name: "FK_Units_Regions_RegionId",
                table: "Units");

            migrationBuilder.DropForeignKey(
                name: "FK_Users_Regions_RegionId",
                table: "Users");

            migrationBuilder.DropTable(
                name: "Regions");

            migrationBuilder.DropIndex(
                name: "IX_Users_RegionId",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Units_RegionCode",
                table: "Units");

            migrationBuilder.DropIndex(
                name: "IX_Units_RegionId",
                table: "Units");

            migrationBuilder.DropIndex(
                name: "IX_SealUpSchedules_RegionId",
                table: "SealUpSchedules");

            migrationBuilder.DropIndex(
                name: "IX_Campaigns_RegionId_Name",
                table: "Campaigns");

            migrationBuilder.DropIndex(
                name: "IX_ArchivedReports_Month_Report_Subject_RegionId",
                table: "ArchivedReports");

            migrationBuilder.DropColumn(
                name: "RegionCode",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "RegionId",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "RegionCode",
                table: "Units");

            migrationBuilder.DropColumn(
                name: "RegionId",
                table: "Units");

            migrationBuilder.DropColumn(
                name: "RegionCode",
                table: "SealUpSchedules");

            migrationBuilder.DropColumn(
                name: "RegionId",
                table: "SealUpSchedules");

            migrationBuilder.DropColumn(
                name: "RegionCode",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "RegionId",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "RegionCode",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "RegionCode",
                table: "ArchivedReports");

            migrationBuilder.DropColumn(
                name: "RegionId",
                table: "ArchivedReports");

            migrationBuilder.CreateIndex(
                name: "IX_Campaigns_Name",
                table: "Campaigns",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ArchivedReports_Month_Report_Subject",
                table: "ArchivedReports",
                columns: new[] { "Month", "Report", "Subject" },
                unique: true);
        }
    }
}
