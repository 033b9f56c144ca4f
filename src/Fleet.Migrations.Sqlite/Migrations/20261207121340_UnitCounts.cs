using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Migrations.Sqlite.Migrations
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
                    UnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Vehicles = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VehicleCounts", x => new { x.UnitId, x.Status });
                });

            migrationBuilder.CreateTable(
                name: "ViolationCounts",
                columns: table => new
                {
                    UnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Violations = table.Column<int>(type: "INTEGER", nullable: false),
                    Actions = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ViolationCounts", x => new { x.UnitId, x.Status, x.Type });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Violations_UnitId_Status_DetectedAt_Type_Id",
                table: "Violations",
                columns: new[] { "UnitId", "Status", "DetectedAt", "Type", "Id" });

            // Kept by the database, as SealOrderCounts are: every insert, change and delete of a vehicle, a violation or an
            // action moves its unit's counts in the same statement (so the same transaction) as the change itself, whatever
            // wrote it (EF, the set-based jobs, an import). First the counts of what is already stored.
            migrationBuilder.Sql(@"INSERT INTO ""VehicleCounts"" (""UnitId"", ""Status"", ""Vehicles"")
SELECT ""UnitId"", ""Status"", COUNT(*) FROM ""Vehicles"" GROUP BY ""UnitId"", ""Status"";");
            migrationBuilder.Sql(@"INSERT INTO ""ViolationCounts"" (""UnitId"", ""Status"", ""Type"", ""Violations"", ""Actions"")
SELECT v.""UnitId"", v.""Status"", v.""Type"", COUNT(*), COALESCE(SUM(a.""Actions""), 0)
FROM ""Violations"" AS v LEFT JOIN (SELECT ""ViolationId"", COUNT(*) AS ""Actions"" FROM ""PersonActions"" GROUP BY ""ViolationId"") AS a ON a.""ViolationId"" = v.""Id""
GROUP BY v.""UnitId"", v.""Status"", v.""Type"";");
            migrationBuilder.Sql(@"CREATE TRIGGER ""Vehicles_Counts_Insert"" AFTER INSERT ON ""Vehicles""
BEGIN
    INSERT INTO ""VehicleCounts"" (""UnitId"", ""Status"", ""Vehicles"") VALUES (NEW.""UnitId"", NEW.""Status"", 1)
    ON CONFLICT (""UnitId"", ""Status"") DO UPDATE SET ""Vehicles"" = ""Vehicles"" + 1;
END;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""Vehicles_Counts_Update"" AFTER UPDATE OF ""UnitId"", ""Status"" ON ""Vehicles""
WHEN OLD.""UnitId"" IS NOT NEW.""UnitId"" OR OLD.""Status"" IS NOT NEW.""Status""
BEGIN
    UPDATE ""VehicleCounts"" SET ""Vehicles"" = ""Vehicles"" - 1 WHERE ""UnitId"" = OLD.""UnitId"" AND ""Status"" = OLD.""Status"";
    INSERT INTO ""VehicleCounts"" (""UnitId"", ""Status"", ""Vehicles"") VALUES (NEW.""UnitId"", NEW.""Status"", 1)
    ON CONFLICT (""UnitId"", ""Status"") DO UPDATE SET ""Vehicles"" = ""Vehicles"" + 1;
END;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""Vehicles_Counts_Delete"" AFTER DELETE ON ""Vehicles""
BEGIN
    UPDATE ""VehicleCounts"" SET ""Vehicles"" = ""Vehicles"" - 1 WHERE ""UnitId"" = OLD.""UnitId"" AND ""Status"" = OLD.""Status"";
END;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""Violations_Counts_Insert"" AFTER INSERT ON ""Violations""
BEGIN
    INSERT INTO ""ViolationCounts"" (""UnitId"", ""Status"", ""Type"", ""Violations"", ""Actions"") VALUES (NEW.""UnitId"", NEW.""Status"", NEW.""Type"", 1, 0)
    ON CONFLICT (""UnitId"", ""Status"", ""Type"") DO UPDATE SET ""Violations"" = ""Violations"" + 1;
END;");
            // A violation that changes state takes its actions with it.
            migrationBuilder.Sql(@"CREATE TRIGGER ""Violations_Counts_Update"" AFTER UPDATE OF ""UnitId"", ""Status"", ""Type"" ON ""Violations""
WHEN OLD.""UnitId"" IS NOT NEW.""UnitId"" OR OLD.""Status"" IS NOT NEW.""Status"" OR OLD.""Type"" IS NOT NEW.""Type""
BEGIN
    UPDATE ""ViolationCounts"" SET ""Violations"" = ""Violations"" - 1,
        ""Actions"" = ""Actions"" - (SELECT COUNT(*) FROM ""PersonActions"" WHERE ""ViolationId"" = OLD.""Id"")
    WHERE ""UnitId"" = OLD.""UnitId"" AND ""Status"" = OLD.""Status"" AND ""Type"" = OLD.""Type"";
    INSERT INTO ""ViolationCounts"" (""UnitId"", ""Status"", ""Type"", ""Violations"", ""Actions"")
    VALUES (NEW.""UnitId"", NEW.""Status"", NEW.""Type"", 1, (SELECT COUNT(*) FROM ""PersonActions"" WHERE ""ViolationId"" = NEW.""Id""))
    ON CONFLICT (""UnitId"", ""Status"", ""Type"") DO UPDATE SET ""Violations"" = ""Violations"" + 1, ""Actions"" = ""Actions"" + excluded.""Actions"";
END;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""Violations_Counts_Delete"" AFTER DELETE ON ""Violations""
BEGIN
    UPDATE ""ViolationCounts"" SET ""Violations"" = ""Violations"" - 1,
        ""Actions"" = ""Actions"" - (SELECT COUNT(*) FROM ""PersonActions"" WHERE ""ViolationId"" = OLD.""Id"")
    WHERE ""UnitId"" = OLD.""UnitId"" AND ""Status"" = OLD.""Status"" AND ""Type"" = OLD.""Type"";
END;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""PersonActions_Counts_Insert"" AFTER INSERT ON ""PersonActions""
BEGIN
    UPDATE ""ViolationCounts"" SET ""Actions"" = ""Actions"" + 1
    WHERE (""UnitId"", ""Status"", ""Type"") = (SELECT ""UnitId"", ""Status"", ""Type"" FROM ""Violations"" WHERE ""Id"" = NEW.""ViolationId"");
END;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""PersonActions_Counts_Update"" AFTER UPDATE OF ""ViolationId"" ON ""PersonActions""
WHEN OLD.""ViolationId"" IS NOT NEW.""ViolationId""
BEGIN
    UPDATE ""ViolationCounts"" SET ""Actions"" = ""Actions"" - 1
    WHERE (""UnitId"", ""Status"", ""Type"") = (SELECT ""UnitId"", ""Status"", ""Type"" FROM ""Violations"" WHERE ""Id"" = OLD.""ViolationId"");
    UPDATE ""ViolationCounts"" SET ""Actions"" = ""Actions"" + 1
    WHERE (""UnitId"", ""Status"", ""Type"") = (SELECT ""UnitId"", ""Status"", ""Type"" FROM ""Violations"" WHERE ""Id"" = NEW.""ViolationId"");
END;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""PersonActions_Counts_Delete"" AFTER DELETE ON ""PersonActions""
BEGIN
    UPDATE ""ViolationCounts"" SET ""Actions"" = ""Actions"" - 1
    WHERE (""UnitId"", ""Status"", ""Type"") = (SELECT ""UnitId"", ""Status"", ""Type"" FROM ""Violations"" WHERE ""Id"" = OLD.""ViolationId"");
END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"DROP TRIGGER ""Vehicles_Counts_Insert"";");
            migrationBuilder.Sql(@"DROP TRIGGER ""Vehicles_Counts_Update"";");
            migrationBuilder.Sql(@"DROP TRIGGER ""Vehicles_Counts_Delete"";");
            migrationBuilder.Sql(@"DROP TRIGGER ""Violations_Counts_Insert"";");
            migrationBuilder.Sql(@"DROP TRIGGER ""Violations_Counts_Update"";");
            migrationBuilder.Sql(@"DROP TRIGGER ""Violations_Counts_Delete"";");
            migrationBuilder.Sql(@"DROP TRIGGER ""PersonActions_Counts_Insert"";");
            migrationBuilder.Sql(@"DROP TRIGGER ""PersonActions_Counts_Update"";");
            migrationBuilder.Sql(@"DROP TRIGGER ""PersonActions_Counts_Delete"";");
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
