using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SealOrderCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SealOrderCounts",
                columns: table => new
                {
                    ScheduleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UnitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Late = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReleasedEarly = table.Column<bool>(type: "INTEGER", nullable: false),
                    Orders = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SealOrderCounts", x => new { x.ScheduleId, x.UnitId, x.Status, x.Late, x.ReleasedEarly });
                });

            // Kept by the database: every insert, change of state and delete of an order moves its count, in the same
            // statement (so the same transaction) as the change itself, whatever wrote it (EF, the set-based jobs).
            migrationBuilder.Sql(@"INSERT INTO ""SealOrderCounts"" (""ScheduleId"", ""UnitId"", ""Status"", ""Late"", ""ReleasedEarly"", ""Orders"")
SELECT ""ScheduleId"", ""UnitId"", ""Status"", ""Late"", ""ReleasedEarly"", COUNT(*) FROM ""SealOrders""
GROUP BY ""ScheduleId"", ""UnitId"", ""Status"", ""Late"", ""ReleasedEarly"";");
            migrationBuilder.Sql(@"CREATE TRIGGER ""SealOrders_Counts_Insert"" AFTER INSERT ON ""SealOrders""
BEGIN
    INSERT INTO ""SealOrderCounts"" (""ScheduleId"", ""UnitId"", ""Status"", ""Late"", ""ReleasedEarly"", ""Orders"")
    VALUES (NEW.""ScheduleId"", NEW.""UnitId"", NEW.""Status"", NEW.""Late"", NEW.""ReleasedEarly"", 1)
    ON CONFLICT (""ScheduleId"", ""UnitId"", ""Status"", ""Late"", ""ReleasedEarly"") DO UPDATE SET ""Orders"" = ""Orders"" + 1;
END;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""SealOrders_Counts_Update"" AFTER UPDATE OF ""ScheduleId"", ""UnitId"", ""Status"", ""Late"", ""ReleasedEarly"" ON ""SealOrders""
WHEN OLD.""ScheduleId"" IS NOT NEW.""ScheduleId"" OR OLD.""UnitId"" IS NOT NEW.""UnitId"" OR OLD.""Status"" IS NOT NEW.""Status""
    OR OLD.""Late"" IS NOT NEW.""Late"" OR OLD.""ReleasedEarly"" IS NOT NEW.""ReleasedEarly""
BEGIN
    UPDATE ""SealOrderCounts"" SET ""Orders"" = ""Orders"" - 1
    WHERE ""ScheduleId"" = OLD.""ScheduleId"" AND ""UnitId"" = OLD.""UnitId"" AND ""Status"" = OLD.""Status"" AND ""Late"" = OLD.""Late"" AND ""ReleasedEarly"" = OLD.""ReleasedEarly"";
    INSERT INTO ""SealOrderCounts"" (""ScheduleId"", ""UnitId"", ""Status"", ""Late"", ""ReleasedEarly"", ""Orders"")
    VALUES (NEW.""ScheduleId"", NEW.""UnitId"", NEW.""Status"", NEW.""Late"", NEW.""ReleasedEarly"", 1)
    ON CONFLICT (""ScheduleId"", ""UnitId"", ""Status"", ""Late"", ""ReleasedEarly"") DO UPDATE SET ""Orders"" = ""Orders"" + 1;
END;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""SealOrders_Counts_Delete"" AFTER DELETE ON ""SealOrders""
BEGIN
    UPDATE ""SealOrderCounts"" SET ""Orders"" = ""Orders"" - 1
    WHERE ""ScheduleId"" = OLD.""ScheduleId"" AND ""UnitId"" = OLD.""UnitId"" AND ""Status"" = OLD.""Status"" AND ""Late"" = OLD.""Late"" AND ""ReleasedEarly"" = OLD.""ReleasedEarly"";
END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"DROP TRIGGER ""SealOrders_Counts_Insert"";");
            migrationBuilder.Sql(@"DROP TRIGGER ""SealOrders_Counts_Update"";");
            migrationBuilder.Sql(@"DROP TRIGGER ""SealOrders_Counts_Delete"";");
            migrationBuilder.DropTable(
                name: "SealOrderCounts");
        }
    }
}
