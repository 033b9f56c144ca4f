using System.Net;
using System.Net.Http.Json;
using Fleet.Data;
using Fleet.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Fleet.Tests;

/// <summary>
/// A database of the previous release, with data in it, migrates forward with nothing lost: on SQLite from the last
/// migration of the previous release; on PostgreSQL (new in this release) from its first migration. Runs on the provider
/// of the run (.ci/run runs it on both).
/// </summary>
public class UpgradeTests
{
    private const string PreviousSqlite = "20261128110640_Accounts";
    private const string FirstPostgreSql = "20261128165924_Initial";

    [Fact]
    public async Task A_database_of_the_previous_release_with_data_migrates_forward_with_nothing_lost()
    {
        var onPostgres = FleetFactory.Postgres is not null;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "fleet-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var database = onPostgres ? FleetFactory.CreatePostgresDatabase("fleet_upgrade") : null;
        var connectionString = database is not null
            ? FleetFactory.OnPostgres(database)
            : $"Data Source={Path.Combine(dataDirectory, "fleet.db")}";
        var options = onPostgres
            ? new DbContextOptionsBuilder<FleetDbContext>().UseNpgsql(connectionString, o => o.MigrationsAssembly("Fleet.Migrations.PostgreSql")).Options
            : new DbContextOptionsBuilder<FleetDbContext>().UseSqlite(connectionString, o => o.MigrationsAssembly("Fleet.Migrations.Sqlite")).Options;
        var unit = Guid.NewGuid();
        var vehicle = Guid.NewGuid();
        var holiday = Guid.NewGuid();
        var schedule = Guid.NewGuid();
        var campaign = Guid.NewGuid();
        // Ids as each provider stores EF's: upper-case text on SQLite, uuid on PostgreSQL.
        object Id(Guid g) => onPostgres ? g : g.ToString().ToUpperInvariant();
        await using (var db = new FleetDbContext(options))
        {
            await db.GetService<IMigrator>().MigrateAsync(onPostgres ? FirstPostgreSql : PreviousSqlite);
            // Rows as that release wrote them, with the audit entry of each.
            var at = new DateTime(2026, 11, 1, 2, 0, 0, DateTimeKind.Utc);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "Units" ("Id", "Code", "Name", "Kind", "VehicleQuota", "CreatedAt", "Version") VALUES ({0}, 'UP1', '区升级局', 'Department', 5, {2}, 0)
                """, Id(unit), Id(vehicle), at);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "Vehicles" ("Id", "PlateNumber", "Vin", "Make", "Model", "Category", "EngineDisplacement", "PurchasePrice", "AcquiredOn",
                    "Source", "UnitId", "Status", "OverStandard", "RegisteredAt", "Version")
                VALUES ({1}, '鲁A5U0P1', 'LFV3A23C0A3000001', '红旗', 'H5', 'General', 1.5, 150000, {3}, 'Allocated', {0}, 'Active', {4}, {2}, 0)
                """, Id(unit), Id(vehicle), at, new DateOnly(2024, 5, 1), false);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "AuditEntries" ("At", "Actor", "Entity", "EntityId", "Action", "After") VALUES ({0}, 'admin', 'Vehicle', {1}, 'Create', '{{}}')
                """, at, vehicle.ToString());
            // A schedule with a sealed order: the compliance the release after counts from kept counts must include it.
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "Holidays" ("Id", "Name", "FirstDay", "LastDay") VALUES ({0}, '升级节', {1}, {2})
                """, Id(holiday), new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 3));
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "SealUpSchedules" ("Id", "HolidayId", "SealDeadline", "ReleaseAt", "Status", "AllUnits", "ExemptCategories", "PublishedAt", "PublishedBy", "Version")
                VALUES ({0}, {1}, {2}, {3}, 'Published', {4}, '', {5}, 'admin', 0)
                """, Id(schedule), Id(holiday), new DateTime(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc), new DateTime(2026, 12, 3, 16, 0, 0, DateTimeKind.Utc), true, at);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "SealOrders" ("Id", "ScheduleId", "VehicleId", "UnitId", "Status", "SealNumber", "ParkingPlace", "SealedAt", "SealedBy", "Late", "ReleasedEarly", "CreatedAt", "Version")
                VALUES ({0}, {1}, {2}, {3}, 'Sealed', 'S-1', '大院', {4}, 'va', {5}, {5}, {4}, 1)
                """, Id(Guid.NewGuid()), Id(schedule), Id(vehicle), Id(unit), at, false);
            // Its people (the admin among them: no bootstrap user is made where users exist) and a clean-up round.
            var hash = new Microsoft.AspNetCore.Identity.PasswordHasher<Fleet.Data.Entities.User>().HashPassword(null!, FleetFactory.AdminPassword);
            foreach (var (name, role, unitOf) in new[] { ("admin", "Admin", (Guid?)null), ("up-inspector", "Inspector", null), ("up-vadmin", "VehicleAdmin", unit) })
            {
                await db.Database.ExecuteSqlRawAsync("""
                    INSERT INTO "Users" ("Id", "Username", "PasswordHash", "Role", "Disabled", "SecurityStamp", "CreatedAt", "Version")
                    VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, 0)
                    """, Id(Guid.NewGuid()), name, hash, role, false, Guid.NewGuid().ToString("N"), at);
                if (unitOf is { } u)
                    await db.Database.ExecuteSqlRawAsync("""UPDATE "Users" SET "UnitId" = {0} WHERE "Username" = {1}""", Id(u), name);
            }
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "Campaigns" ("Id", "Name", "StartsOn", "EndsOn", "CreatedAt") VALUES ({0}, '升级专项清理', {1}, {2}, {3})
                """, Id(campaign), new DateOnly(2026, 3, 1), new DateOnly(2026, 6, 30), at);
        }

        // The district that ran flat configures its own code: the root the upgrade makes becomes 历下区 at the first start.
        using var factory = new FleetFactory(onPostgres ? null : dataDirectory, onPostgres
            ? new()
            {
                ["Database:Provider"] = "PostgreSql",
                ["ConnectionStrings:Fleet"] = connectionString,
                ["Database:MigrateOnStart"] = "true",
                ["Fleet:Region:Code"] = "370102",
                ["Fleet:Region:Name"] = "历下区"
            }
            : new(FleetFactory.Embedded) { ["Fleet:Region:Code"] = "370102", ["Fleet:Region:Name"] = "历下区" });
        try
        {
            var http = factory.CreateClient();
            var token = await Client.Read(await http.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = FleetFactory.AdminPassword }), HttpStatusCode.OK);
            http.DefaultRequestHeaders.Authorization = new("Bearer", (string)token["accessToken"]!);
            var admin = new Client(factory, http);

            // Every migration since is applied, and what was there is there, as it was.
            Assert.Empty(await factory.Db(db => db.Database.GetPendingMigrationsAsync()));
            var found = await admin.GetJson($"/api/vehicles/{vehicle}");
            Assert.Equal("鲁A5U0P1", (string)found["plateNumber"]!);
            Assert.Equal(unit, (Guid)found["unitId"]!);
            Assert.Equal(150000m, (decimal)found["purchasePrice"]!);
            Assert.Equal("区升级局", (string)(await admin.GetJson($"/api/units/{unit}"))["name"]!);
            var audit = (await admin.GetJson($"/api/audit?entity=Vehicle&entityId={vehicle}"))["items"]!.AsArray();
            Assert.Single(audit);
            var compliance = await admin.GetJson($"/api/sealup-schedules/{schedule}/compliance");
            Assert.Equal((1, 1), ((int)compliance["inScope"]!, (int)compliance["sealedOnTime"]!));
            // One root region holds everything: every unit, every person, every schedule and campaign.
            var regions = (await admin.GetJson("/api/regions")).AsArray();
            var root = Assert.Single(regions)!;
            Assert.Equal(("370102", "历下区", "County"), ((string)root["code"]!, (string)root["name"]!, (string)root["level"]!));
            var rootId = (Guid)root["id"]!;
            Assert.Equal(rootId, (Guid)(await admin.GetJson($"/api/units/{unit}"))["regionId"]!);
            Assert.Equal(rootId, (Guid)(await admin.GetJson($"/api/sealup-schedules/{schedule}"))["regionId"]!);
            Assert.Equal(rootId, (Guid)(await admin.GetJson($"/api/campaigns/{campaign}"))["regionId"]!);
            var people = (await admin.GetJson("/api/users?pageSize=100"))["items"]!.AsArray();
            Assert.Equal(3, people.Count);
            Assert.All(people, p => Assert.Equal(rootId, (Guid?)p!["regionId"]));
            Assert.Equal(370102, await factory.Db(db => db.Units.Where(u => u.Id == unit).Select(u => u.RegionCode).SingleAsync()));
            var summary = await admin.GetJson($"/api/regions/{rootId}/summary?scheduleId={schedule}");
            Assert.Equal((1, 1), ((int)summary["totals"]!["units"]!, (int)summary["totals"]!["vehicles"]!));
            // And the release's new parts work on it: the archive lists (empty), a change is audited with a long key.
            Assert.Equal(0, (int)(await admin.GetJson("/api/reports/archive"))["total"]!);
            await Client.Read(await admin.Post($"/api/vehicles/{vehicle}/dispose", new { reason = "报废" }), HttpStatusCode.OK);
        }
        finally
        {
            if (database is not null)
            {
                factory.Dispose();
                FleetFactory.DropPostgresDatabase(database);
            }
        }
    }
}
