using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

// The rows are written as the previous version wrote them; the values are this test's own.
#pragma warning disable EF1002

namespace Fleet.Tests;

/// <summary>A database written by the previous version, with the duplicates its races let through, still upgrades.</summary>
public class MigrationTests
{
    [Fact]
    public async Task A_database_with_duplicate_open_cases_requests_and_corrections_upgrades_and_keeps_the_earliest()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fleet-migration-{Guid.NewGuid():N}.db");
        try
        {
            await using (var db = Context(path))
            {
                await db.GetService<IMigrator>().MigrateAsync("20261127151632_SealUp");
                // What twenty requests at once could leave with the previous version: rows written as it wrote them.
                var unit = Guid.NewGuid();
                var campaign = Guid.NewGuid();
                var holiday = Guid.NewGuid();
                var schedule = Guid.NewGuid();
                var vehicle = Guid.NewGuid();
                var order = Guid.NewGuid();
                var check = Guid.NewGuid();
                string Id(Guid g) => g.ToString().ToUpperInvariant();
                await db.Database.ExecuteSqlRawAsync($"""
                    INSERT INTO Units (Id, Code, Name, Kind, VehicleQuota, CreatedAt, Version) VALUES ('{Id(unit)}', 'U1', '单位', 'Department', 5, '2026-01-01 00:00:00', 0);
                    INSERT INTO Campaigns (Id, Name, StartsOn, EndsOn, CreatedAt) VALUES ('{Id(campaign)}', 'C', '2026-01-01', '2026-12-31', '2026-01-01 00:00:00');
                    INSERT INTO Vehicles (Id, PlateNumber, Vin, Make, Model, Category, EngineDisplacement, PurchasePrice, AcquiredOn, Source, UnitId, Status, OverStandard, RegisteredAt, Version)
                        VALUES ('{Id(vehicle)}', '鲁A12345', 'LFV3A23C0A3000001', 'M', 'M', 'General', '1.4', '100000', '2024-01-01', 'Allocated', '{Id(unit)}', 'Active', 0, '2026-01-01 00:00:00', 0);
                    INSERT INTO Holidays (Id, Name, FirstDay, LastDay) VALUES ('{Id(holiday)}', 'H', '2027-01-01', '2027-01-03');
                    INSERT INTO SealUpSchedules (Id, HolidayId, SealDeadline, ReleaseAt, Status, AllUnits, ExemptCategories, PublishedAt, PublishedBy, Version)
                        VALUES ('{Id(schedule)}', '{Id(holiday)}', '2026-12-31 10:00:00', '2027-01-04 00:00:00', 'Published', 1, '', '2026-12-01 00:00:00', 'admin', 0);
                    INSERT INTO SealOrders (Id, ScheduleId, VehicleId, UnitId, Status, Late, CreatedAt, Version)
                        VALUES ('{Id(order)}', '{Id(schedule)}', '{Id(vehicle)}', '{Id(unit)}', 'Pending', 0, '2026-12-01 00:00:00', 0);
                    INSERT INTO SpotChecks (Id, PlateNumber, UnitId, CheckedAt, Location, Finding, RecordedAt, RecordedBy)
                        VALUES ('{Id(check)}', '鲁A54321', '{Id(unit)}', '2026-12-01 00:00:00', 'x', 'PrivateUse', '2026-12-01 00:00:00', 'i');
                    """);
                for (var i = 0; i < 3; i++)
                {
                    await db.Database.ExecuteSqlRawAsync($"""
                        INSERT INTO RecoveryCases (Id, CampaignId, PlateNumber, UnitId, Reason, DueOn, Status, PastDue, OpenedAt, OpenedBy, Version)
                            VALUES ('{Id(Guid.NewGuid())}', '{Id(campaign)}', '鲁A99999', '{Id(unit)}', 'Unregistered', '2026-12-31', 'Open', 0, '2026-06-0{i + 1} 00:00:00', 'i', 0);
                        INSERT INTO Exemptions (Id, SealOrderId, ScheduleId, VehicleId, UnitId, Reason, Status, RequestedAt, RequestedBy, Version)
                            VALUES ('{Id(Guid.NewGuid())}', '{Id(order)}', '{Id(schedule)}', '{Id(vehicle)}', '{Id(unit)}', 'r', 'Requested', '2026-12-0{i + 1} 00:00:00', 'va', 0);
                        INSERT INTO SpotChecks (Id, PlateNumber, UnitId, CheckedAt, Location, Finding, CorrectsId, RecordedAt, RecordedBy)
                            VALUES ('{Id(Guid.NewGuid())}', '鲁A54321', '{Id(unit)}', '2026-12-01 00:00:00', 'x', 'Compliant', '{Id(check)}', '2026-12-0{i + 2} 00:00:00', 'i');
                        """);
                }
            }

            await using (var db = Context(path))
            {
                await db.Database.MigrateAsync();
                var cases = await db.RecoveryCases.OrderBy(r => r.OpenedAt).ToListAsync();
                Assert.Equal([RecoveryStatus.Open, RecoveryStatus.Cancelled, RecoveryStatus.Cancelled], cases.Select(r => r.Status));
                var requests = await db.Exemptions.OrderBy(e => e.RequestedAt).ToListAsync();
                Assert.Equal([ExemptionStatus.Requested, ExemptionStatus.Rejected, ExemptionStatus.Rejected], requests.Select(e => e.Status));
                var first = await db.SpotChecks.Where(s => s.CorrectsId != null).OrderBy(s => s.RecordedAt).FirstAsync();
                Assert.Equal(first.Id, (await db.SpotCheckCorrections.SingleAsync()).CorrectionId);
                Assert.Equal(3, await db.SpotChecks.CountAsync(s => s.CorrectsId != null)); // evidence stays as recorded
                var entries = await db.AuditEntries.Where(a => a.Actor == "system:migration").ToListAsync();
                Assert.Equal(4, entries.Count);
                Assert.All(entries, e => Assert.NotNull(System.Text.Json.Nodes.JsonNode.Parse(e.After!)!["version"]));
                Assert.Equal(cases.Skip(1).Select(c => c.Id.ToString()).Order(), entries.Where(e => e.Entity == "RecoveryCase").Select(e => e.EntityId).Order());
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Values_no_enum_name_has_are_set_to_a_stated_value_with_an_audit_entry_and_the_records_read_again()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fleet-migration-{Guid.NewGuid():N}.db");
        try
        {
            var unit = Guid.NewGuid();
            var check = Guid.NewGuid();
            var violation = Guid.NewGuid();
            var action = Guid.NewGuid();
            await using (var db = Context(path))
            {
                await db.GetService<IMigrator>().MigrateAsync("20261129041548_VehicleFuelCards");
                // What "kind": "SubDistrictOffice, Institution", "finding": "SealBroken, PrivateUse, OffSiteParking" and
                // "action": "Criticism, PartyDiscipline" made the previous version store: numbers no name has.
                string Id(Guid g) => g.ToString().ToUpperInvariant();
                await db.Database.ExecuteSqlRawAsync($"""
                    INSERT INTO Units (Id, Code, Name, Kind, VehicleQuota, CreatedAt, Version) VALUES ('{Id(unit)}', 'U1', '单位', '3', 5, '2026-01-01 00:00:00', 2);
                    INSERT INTO Violations (Id, Type, UnitId, DetectedAt, Source, Status, RecordedBy, Version)
                        VALUES ('{Id(violation)}', '15', '{Id(unit)}', '2026-10-01 00:00:00', 'SpotCheck', 'Open', 'i', 0);
                    INSERT INTO SpotChecks (Id, PlateNumber, UnitId, CheckedAt, Location, Finding, ViolationId, RecordedAt, RecordedBy)
                        VALUES ('{Id(check)}', '鲁A54321', '{Id(unit)}', '2026-10-01 00:00:00', 'x', '7', '{Id(violation)}', '2026-10-01 00:00:00', 'i');
                    INSERT INTO PersonActions (Id, ViolationId, PersonName, Position, Action, RecordedAt, RecordedBy)
                        VALUES ('{Id(action)}', '{Id(violation)}', '张三', '科长', '7', '2026-10-02 00:00:00', 'i');
                    """);
            }

            await using (var db = Context(path))
            {
                await db.Database.MigrateAsync();
                Assert.Equal(UnitKind.Institution, (await db.Units.SingleAsync(u => u.Id == unit)).Kind);
                Assert.Equal(3, (await db.Units.SingleAsync(u => u.Id == unit)).Version);
                Assert.Equal(SpotCheckFinding.Other, (await db.SpotChecks.SingleAsync(s => s.Id == check)).Finding);
                Assert.Equal(ViolationType.Other, (await db.Violations.SingleAsync(v => v.Id == violation)).Type);
                Assert.Equal(PersonActionKind.Reminder, (await db.PersonActions.SingleAsync(a => a.Id == action)).Action);
                var entries = await db.AuditEntries.Where(a => a.Actor == "system:migration" && a.Action == "Repair").OrderBy(a => a.Entity).ToListAsync();
                Assert.Equal(["PersonAction", "SpotCheck", "Unit", "Violation"], entries.Select(e => e.Entity));
                var kind = entries.Single(e => e.Entity == "Unit");
                Assert.Equal(unit.ToString(), kind.EntityId);
                Assert.Equal("""{"kind":"3","version":2}""", kind.Before);
                Assert.Equal("""{"kind":"Institution","version":3}""", kind.After);
                Assert.Equal("""{"finding":"Other"}""", entries.Single(e => e.Entity == "SpotCheck").After);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    private static FleetDbContext Context(string path) => new(new DbContextOptionsBuilder<FleetDbContext>()
        .UseSqlite($"Data Source={path}", o => o.MigrationsAssembly("Fleet.Migrations.Sqlite")).Options);
}
