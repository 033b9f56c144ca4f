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
            // Kept on SQLite only, by the triggers its migration adds. The server databases count the orders from the
            // covering index instead: there, a shared count row per schedule, unit and state would make concurrent
            // changes of one unit's orders wait on each other, and fail the reconcile job's repeatable-read transaction.
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SealOrderCounts");
        }
    }
}
