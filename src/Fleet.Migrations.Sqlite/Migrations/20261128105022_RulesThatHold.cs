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

            migrationBuilder.CreateTable(
                name: "SpotCheckCorrections",
                columns: table => new
                {
                    CorrectedId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CorrectionId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpotCheckCorrections", x => x.CorrectedId);
                    table.ForeignKey(
                        name: "FK_SpotCheckCorrections_SpotChecks_CorrectedId",
                        column: x => x.CorrectedId,
                        principalTable: "SpotChecks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SpotCheckCorrections_SpotChecks_CorrectionId",
                        column: x => x.CorrectionId,
                        principalTable: "SpotChecks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.Sql(@"-- Races the earlier check-then-insert let through would stop the unique indexes below. The earliest open case per
-- plate and the earliest open request per order stay; later ones are closed, each with its audit entry.
INSERT INTO [AuditEntries] ([At], [Actor], [Entity], [EntityId], [Action], [Before], [After])
SELECT strftime('%Y-%m-%d %H:%M:%f', 'now'), 'system:migration', 'RecoveryCase', LOWER(CAST(r.[Id] AS nvarchar(36))), 'Cancel',
    CONCAT('{""cancelReason"":null,""closedAt"":null,""closedBy"":null,""status"":""Open"",""version"":', r.[Version], '}'),
    CONCAT('{""cancelReason"":""A second open case for the same plate, cancelled when one open case per plate became a rule."",""closedAt"":""', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '"",""closedBy"":""system:migration"",""status"":""Cancelled"",""version"":', r.[Version] + 1, '}')
FROM [RecoveryCases] r WHERE r.[Status] = 'Open' AND EXISTS (SELECT 1 FROM [RecoveryCases] o WHERE o.[Status] = 'Open' AND o.[PlateNumber] = r.[PlateNumber] AND (o.[OpenedAt] < r.[OpenedAt] OR (o.[OpenedAt] = r.[OpenedAt] AND o.[Id] < r.[Id])));
UPDATE [RecoveryCases] SET [Status] = 'Cancelled', [CancelReason] = 'A second open case for the same plate, cancelled when one open case per plate became a rule.', [ClosedAt] = strftime('%Y-%m-%d %H:%M:%f', 'now'), [ClosedBy] = 'system:migration', [Version] = [Version] + 1
WHERE [RecoveryCases].[Status] = 'Open' AND EXISTS (SELECT 1 FROM [RecoveryCases] o WHERE o.[Status] = 'Open' AND o.[PlateNumber] = [RecoveryCases].[PlateNumber] AND (o.[OpenedAt] < [RecoveryCases].[OpenedAt] OR (o.[OpenedAt] = [RecoveryCases].[OpenedAt] AND o.[Id] < [RecoveryCases].[Id])));
INSERT INTO [AuditEntries] ([At], [Actor], [Entity], [EntityId], [Action], [Before], [After])
SELECT strftime('%Y-%m-%d %H:%M:%f', 'now'), 'system:migration', 'Exemption', LOWER(CAST(r.[Id] AS nvarchar(36))), 'Reject',
    CONCAT('{""decidedAt"":null,""decidedBy"":null,""decisionNote"":null,""status"":""Requested"",""version"":', r.[Version], '}'),
    CONCAT('{""decidedAt"":""', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '"",""decidedBy"":""system:migration"",""decisionNote"":""A second open request for the same order, rejected when one open request per order became a rule."",""status"":""Rejected"",""version"":', r.[Version] + 1, '}')
FROM [Exemptions] r WHERE r.[Status] = 'Requested' AND EXISTS (SELECT 1 FROM [Exemptions] o WHERE o.[Status] = 'Requested' AND o.[SealOrderId] = r.[SealOrderId] AND (o.[RequestedAt] < r.[RequestedAt] OR (o.[RequestedAt] = r.[RequestedAt] AND o.[Id] < r.[Id])));
UPDATE [Exemptions] SET [Status] = 'Rejected', [DecisionNote] = 'A second open request for the same order, rejected when one open request per order became a rule.', [DecidedAt] = strftime('%Y-%m-%d %H:%M:%f', 'now'), [DecidedBy] = 'system:migration', [Version] = [Version] + 1
WHERE [Exemptions].[Status] = 'Requested' AND EXISTS (SELECT 1 FROM [Exemptions] o WHERE o.[Status] = 'Requested' AND o.[SealOrderId] = [Exemptions].[SealOrderId] AND (o.[RequestedAt] < [Exemptions].[RequestedAt] OR (o.[RequestedAt] = [Exemptions].[RequestedAt] AND o.[Id] < [Exemptions].[Id])));
-- A check is corrected once: the first correction of each check recorded so far.
INSERT INTO [SpotCheckCorrections] ([CorrectedId], [CorrectionId])
SELECT s.[CorrectsId], s.[Id] FROM [SpotChecks] s
WHERE s.[CorrectsId] IS NOT NULL AND NOT EXISTS (SELECT 1 FROM [SpotChecks] e WHERE e.[CorrectsId] = s.[CorrectsId] AND (e.[RecordedAt] < s.[RecordedAt] OR (e.[RecordedAt] = s.[RecordedAt] AND e.[Id] < s.[Id])));");

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

            migrationBuilder.CreateIndex(
                name: "IX_SpotCheckCorrections_CorrectionId",
                table: "SpotCheckCorrections",
                column: "CorrectionId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SpotCheckCorrections");

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
        }
    }
}
