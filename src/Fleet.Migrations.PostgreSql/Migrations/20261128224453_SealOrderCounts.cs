using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Migrations.PostgreSql.Migrations
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
                    ScheduleId = table.Column<Guid>(type: "uuid", nullable: false),
                    UnitId = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Late = table.Column<bool>(type: "boolean", nullable: false),
                    ReleasedEarly = table.Column<bool>(type: "boolean", nullable: false),
                    Orders = table.Column<int>(type: "integer", nullable: false)
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
            migrationBuilder.Sql(@"CREATE FUNCTION ""SealOrders_Counts""() RETURNS trigger LANGUAGE plpgsql AS $counts$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE ""SealOrderCounts"" SET ""Orders"" = ""Orders"" - 1
        WHERE ""ScheduleId"" = OLD.""ScheduleId"" AND ""UnitId"" = OLD.""UnitId"" AND ""Status"" = OLD.""Status"" AND ""Late"" = OLD.""Late"" AND ""ReleasedEarly"" = OLD.""ReleasedEarly"";
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO ""SealOrderCounts"" (""ScheduleId"", ""UnitId"", ""Status"", ""Late"", ""ReleasedEarly"", ""Orders"")
        VALUES (NEW.""ScheduleId"", NEW.""UnitId"", NEW.""Status"", NEW.""Late"", NEW.""ReleasedEarly"", 1)
        ON CONFLICT (""ScheduleId"", ""UnitId"", ""Status"", ""Late"", ""ReleasedEarly"") DO UPDATE SET ""Orders"" = ""SealOrderCounts"".""Orders"" + 1;
    END IF;
    RETURN NULL;
END;
$counts$;");
            migrationBuilder.Sql(@"CREATE TRIGGER ""SealOrders_Counts"" AFTER INSERT OR DELETE ON ""SealOrders""
FOR EACH ROW EXECUTE FUNCTION ""SealOrders_Counts""();");
            migrationBuilder.Sql(@"CREATE TRIGGER ""SealOrders_Counts_Update"" AFTER UPDATE OF ""ScheduleId"", ""UnitId"", ""Status"", ""Late"", ""ReleasedEarly"" ON ""SealOrders""
FOR EACH ROW WHEN ((OLD.""ScheduleId"", OLD.""UnitId"", OLD.""Status"", OLD.""Late"", OLD.""ReleasedEarly"") IS DISTINCT FROM (NEW.""ScheduleId"", NEW.""UnitId"", NEW.""Status"", NEW.""Late"", NEW.""ReleasedEarly""))
EXECUTE FUNCTION ""SealOrders_Counts""();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"DROP TRIGGER ""SealOrders_Counts_Update"" ON ""SealOrders"";");
            migrationBuilder.Sql(@"DROP TRIGGER ""SealOrders_Counts"" ON ""SealOrders"";");
            migrationBuilder.Sql(@"DROP FUNCTION ""SealOrders_Counts""();");
            migrationBuilder.DropTable(
                name: "SealOrderCounts");
        }
    }
}
