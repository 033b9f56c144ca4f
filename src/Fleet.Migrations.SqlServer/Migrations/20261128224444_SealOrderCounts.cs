using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Migrations.SqlServer.Migrations
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
                    ScheduleId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    UnitId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    Late = table.Column<bool>(type: "bit", nullable: false),
                    ReleasedEarly = table.Column<bool>(type: "bit", nullable: false),
                    Orders = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SealOrderCounts", x => new { x.ScheduleId, x.UnitId, x.Status, x.Late, x.ReleasedEarly });
                });

            // Kept by the database: every insert, change of state and delete of an order moves its count, in the same
            // statement (so the same transaction) as the change itself, whatever wrote it (EF, the set-based jobs).
            // One trigger for all three, over the statement's rows; in EXEC so the idempotent script can guard it.
            migrationBuilder.Sql(@"INSERT INTO [SealOrderCounts] ([ScheduleId], [UnitId], [Status], [Late], [ReleasedEarly], [Orders])
SELECT [ScheduleId], [UnitId], [Status], [Late], [ReleasedEarly], COUNT(*) FROM [SealOrders]
GROUP BY [ScheduleId], [UnitId], [Status], [Late], [ReleasedEarly];");
            migrationBuilder.Sql(@"EXEC(N'CREATE TRIGGER [SealOrders_Counts] ON [SealOrders] AFTER INSERT, UPDATE, DELETE AS
BEGIN
    SET NOCOUNT ON;
    WITH [moves] AS (
        SELECT [ScheduleId], [UnitId], [Status], [Late], [ReleasedEarly], SUM([n]) AS [n]
        FROM (
            SELECT [ScheduleId], [UnitId], [Status], [Late], [ReleasedEarly], 1 AS [n] FROM inserted
            UNION ALL
            SELECT [ScheduleId], [UnitId], [Status], [Late], [ReleasedEarly], -1 FROM deleted
        ) AS [rows]
        GROUP BY [ScheduleId], [UnitId], [Status], [Late], [ReleasedEarly]
        HAVING SUM([n]) <> 0
    )
    MERGE [SealOrderCounts] WITH (HOLDLOCK) AS [c]
    USING [moves] AS [m]
    ON [c].[ScheduleId] = [m].[ScheduleId] AND [c].[UnitId] = [m].[UnitId] AND [c].[Status] = [m].[Status]
        AND [c].[Late] = [m].[Late] AND [c].[ReleasedEarly] = [m].[ReleasedEarly]
    WHEN MATCHED THEN UPDATE SET [Orders] = [c].[Orders] + [m].[n]
    WHEN NOT MATCHED THEN INSERT ([ScheduleId], [UnitId], [Status], [Late], [ReleasedEarly], [Orders])
        VALUES ([m].[ScheduleId], [m].[UnitId], [m].[Status], [m].[Late], [m].[ReleasedEarly], [m].[n]);
END');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"DROP TRIGGER [SealOrders_Counts];");
            migrationBuilder.DropTable(
                name: "SealOrderCounts");
        }
    }
}
