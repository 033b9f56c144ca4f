using System.Net;
using System.Net.Http.Json;
using Fleet.Data.Entities;
using Fleet.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests;

public class StartupTests
{
    [Fact]
    public async Task The_demo_district_is_loaded_into_an_empty_database_and_seeding_twice_changes_nothing()
    {
        string state;
        string dataDirectory;
        using (var first = new FleetFactory(null, new() { ["Fleet:Seed:Demo"] = "true", ["Database:Provider"] = "Sqlite" }) { KeepData = true })
        {
            first.CreateClient();
            dataDirectory = first.DataDirectory;
            // 济南市 at the root: 历下区 (the report's district, 88 units), 市中区 (a dozen), and city departments directly under it.
            var perRegion = await first.Db(db => db.Units.GroupBy(u => u.RegionCode).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
            Assert.Equal(new Dictionary<int, int> { [370100] = 4, [370102] = 88, [370103] = 12 }, perRegion);
            var kinds = await first.Db(db => db.Units.Where(u => u.RegionCode == 370102).GroupBy(u => u.Kind).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
            Assert.Equal(14, kinds[UnitKind.Department]);
            Assert.Equal(13, kinds[UnitKind.SubDistrictOffice]);
            Assert.Equal(61, kinds[UnitKind.Institution]);
            Assert.InRange(await first.Db(db => db.Vehicles.CountAsync()), 200, 999);
            Assert.True(await first.Db(db => db.Vehicles.CountAsync(v => v.OverStandard)) >= 3);
            Assert.True(await first.Db(db => db.Vehicles.CountAsync(v => v.Source == VehicleSource.BorrowedFromEnterprise)) >= 3);

            // The demo's violations come from the standards check, not from a file.
            var types = await first.Db(db => db.Violations.Where(v => v.Source == ViolationSource.Registration).Select(v => v.Type).Distinct().ToListAsync());
            Assert.Equal([ViolationType.OverQuota, ViolationType.OverStandard, ViolationType.IllegalSource], types.Order());
            var overQuotaUnits = await first.Db(db => db.Units.CountAsync(u => db.Vehicles.Count(v => v.UnitId == u.Id) > u.VehicleQuota));
            Assert.True(overQuotaUnits >= 3);

            var holidays = await first.Db(db => db.Holidays.Where(h => h.FirstDay.Year == 2027).ToListAsync());
            Assert.Equal(7, holidays.Count);
            Assert.Contains(holidays, h => h.Name == "春节");
            Assert.All(holidays, h => Assert.True(h.FirstDay <= h.LastDay));

            foreach (var (username, role) in new[] { ("admin", "Admin"), ("vadmin", "VehicleAdmin"), ("inspector", "Inspector"), ("auditor", "Auditor"), ("szinspector", "Inspector") })
            {
                var token = await Client.Read(await first.CreateClient().PostAsJsonAsync("/api/auth/token", new { username, password = FleetFactory.AdminPassword }), HttpStatusCode.OK);
                Assert.Equal(role, (string)token["role"]!);
            }
            // The district report's figures come out of the records, as 历下区's inspector reads them.
            var auditor = new Client(first, first.CreateClient());
            auditor.UseToken((string)(await Client.Read(await first.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "inspector", password = FleetFactory.AdminPassword }), HttpStatusCode.OK))["accessToken"]!);
            var campaigns = (await auditor.GetJson("/api/campaigns"))["items"]!.AsArray().OrderBy(c => (string)c!["startsOn"]!).ToList();
            Assert.Equal(2, campaigns.Count);
            var city = new Client(first, first.CreateClient());
            city.UseToken((string)(await Client.Read(await first.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "auditor", password = FleetFactory.AdminPassword }), HttpStatusCode.OK))["accessToken"]!);
            Assert.Equal(3, (await city.GetJson("/api/campaigns"))["items"]!.AsArray().Count);
            var me = await city.GetJson("/api/me");
            var summary = await city.GetJson($"/api/regions/{me["regionId"]}/summary");
            Assert.Equal(["历下区", "市中区"], summary["children"]!.AsArray().Select(c => (string)c!["name"]!));
            Assert.Equal([88, 12], summary["children"]!.AsArray().Select(c => (int)c!["figures"]!["units"]!));
            Assert.Equal(4, summary["units"]!.AsArray().Count);
            var round1 = await auditor.GetJson($"/api/recoveries/rates?campaignId={campaigns[0]!["id"]}");
            Assert.Equal(39, (int)round1["identified"]!);
            Assert.Equal(39, (int)round1["recovered"]!);
            Assert.Equal(24, round1["units"]!.AsArray().Count);
            Assert.Equal(1.0m, (decimal)round1["rate"]!);
            var round2 = await auditor.GetJson($"/api/recoveries/rates?campaignId={campaigns[1]!["id"]}");
            Assert.True((int)round2["outstanding"]! > 0);
            Assert.True((decimal)round2["rate"]! < 1m);
            var actions = (await auditor.GetJson("/api/violations?pageSize=500"))["items"]!.AsArray().SelectMany(v => v!["actions"]!.AsArray()).ToList();
            Assert.Equal(3, actions.Count(a => (string)a!["action"]! == "Admonishment"));
            Assert.Equal(1, actions.Count(a => (string)a!["action"]! == "PartyDiscipline"));
            Assert.True(await first.Db(db => db.SpotChecks.CountAsync()) > 10);
            Assert.Equal(await first.Db(db => db.RecoveryCases.CountAsync(r => r.Status == RecoveryStatus.Recovered && r.VehicleId != null)),
                await first.Db(db => db.Vehicles.CountAsync(v => v.Status == VehicleStatus.Recovered)));
            // The story holds together in time: plates of the district's province; cases opened, then recovered;
            // recovered cars keep no open registration violation; every check before now.
            Assert.All(await first.Db(db => db.Vehicles.Select(v => v.PlateNumber).ToListAsync()), p => Assert.StartsWith("鲁A", p));
            var cases = await first.Db(db => db.RecoveryCases.ToListAsync());
            Assert.All(cases.Where(c => c.RecoveredOn is not null), c => Assert.True(
                DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(c.OpenedAt, SealUpSteps.Shanghai)) <= c.RecoveredOn, $"{c.PlateNumber} recovered before opened"));
            Assert.All(cases, c => Assert.True(c.OpenedAt < first.Clock.GetUtcNow().UtcDateTime));
            Assert.Equal(0, await first.Db(db => db.Violations.CountAsync(v => v.Status == ViolationStatus.Open &&
                (v.Type == ViolationType.OverQuota || v.Type == ViolationType.OverStandard || v.Type == ViolationType.IllegalSource) &&
                db.Vehicles.Any(x => x.Id == v.VehicleId && x.Status == VehicleStatus.Recovered))));
            Assert.Equal(0, await first.Db(db => db.Violations.CountAsync(v => v.Status == ViolationStatus.Open && v.Type == ViolationType.UnregisteredVehicle &&
                db.RecoveryCases.Any(r => r.PlateNumber == v.PlateNumber && r.Status == RecoveryStatus.Recovered))));
            Assert.True(await first.Db(db => db.Violations.CountAsync(v => v.Status == ViolationStatus.Resolved && v.CloseReason!.Contains("recovery case"))) > 20);
            Assert.True(await first.Db(db => db.Vehicles.AllAsync(v => v.RegisteredAt < db.RecoveryCases.Min(r => r.OpenedAt))));
            var now = first.Clock.GetUtcNow().UtcDateTime;
            Assert.True(await first.Db(db => db.SpotChecks.AllAsync(c => c.CheckedAt < now && c.CheckedAt <= c.RecordedAt)));
            // Each record at the time the story says: the rules, resolved from the seeder's scope, read its replay clock.
            Assert.All(await first.Db(db => db.Vehicles.Select(v => v.RegisteredAt).ToListAsync()), at => Assert.Equal(Fleet.Api.Demo.DemoSeeder.RegisterDay.UtcDateTime, at));
            // Acquired before they were registered: the seeds load on any day after the register was set up, today's included.
            Assert.All(await first.Db(db => db.Vehicles.Select(v => v.AcquiredOn).ToListAsync()), day => Assert.True(day < DateOnly.FromDateTime(Fleet.Api.Demo.DemoSeeder.RegisterDay.UtcDateTime), $"acquired {day}"));
            Assert.All(await first.Db(db => db.SpotChecks.Select(c => new { c.CheckedAt, c.RecordedAt }).ToListAsync()), c => Assert.Equal(c.CheckedAt.AddMinutes(20), c.RecordedAt));
            state = await first.WrittenState();
        }

        using var second = new FleetFactory(dataDirectory, new() { ["Fleet:Seed:Demo"] = "true", ["Database:Provider"] = "Sqlite" });
        second.CreateClient();
        Assert.Equal(state, await second.WrittenState());
    }

    [Theory]
    [InlineData("2027-01-10T02:00:00Z", "春节", "2027-02-05")]
    [InlineData("2027-09-29T02:00:00Z", "国庆节", "2027-10-01")]
    [InlineData("2028-03-01T02:00:00Z", "劳动节", "2028-05-01")]
    public async Task The_demo_opens_on_the_next_holidays_seal_up_with_cars_to_seal_whatever_the_day_it_starts(string startsAt, string holiday, string firstDay)
    {
        using var demo = new FleetFactory(null, new() { ["Fleet:Seed:Demo"] = "true", ["Database:Provider"] = "Sqlite" });
        demo.Clock.SetUtcNow(DateTimeOffset.Parse(startsAt, System.Globalization.CultureInfo.InvariantCulture));
        demo.CreateClient();

        var schedule = Assert.Single(await demo.Db(db => db.SealUpSchedules.Join(db.Holidays, s => s.HolidayId, h => h.Id, (s, h) => new { s.Id, s.Status, s.SealDeadline, h.Name, h.FirstDay }).ToListAsync()));
        Assert.Equal((holiday, DateOnly.Parse(firstDay, System.Globalization.CultureInfo.InvariantCulture)), (schedule.Name, schedule.FirstDay));
        Assert.Equal(ScheduleStatus.Published, schedule.Status);
        Assert.True(schedule.SealDeadline > demo.Clock.GetUtcNow().UtcDateTime.AddDays(1));
        Assert.True(await demo.Db(db => db.SealOrders.CountAsync(o => o.ScheduleId == schedule.Id && o.Status == SealOrderStatus.Pending)) > 100);

        // The unit administrator's first screen: the countdown and the cars still to seal.
        using var browser = await PageForms.SignedIn(demo, "vadmin", FleetFactory.AdminPassword);
        var home = System.Net.WebUtility.HtmlDecode(await browser.GetStringAsync("/"));
        Assert.Contains("data-deadline=", home);
        Assert.Contains("待封存", home);
    }

    [Fact]
    public async Task A_second_fleet_on_the_same_data_directory_is_refused_at_start_and_the_first_goes_on()
    {
        using var first = new FleetFactory(null, FleetFactory.Embedded);
        var client = first.CreateClient();
        using (var second = new FleetFactory(first.DataDirectory, FleetFactory.Embedded) { KeepData = true })
        {
            var error = Assert.ThrowsAny<Exception>(() => second.CreateClient());
            var messages = string.Join(" | ", FleetFactory.Chain(error).Select(e => e.Message));
            Assert.Contains("Another Fleet process is using the data directory", messages);
            Assert.Contains("PostgreSQL or SQL Server", messages);
        }
        var token = await Client.Read(await client.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = FleetFactory.AdminPassword }), HttpStatusCode.OK);
        Assert.Equal("Admin", (string)token["role"]!);

        // Once the first has stopped, the directory is free again.
        first.KeepData = true;
        first.Dispose();
        using var third = new FleetFactory(first.DataDirectory, FleetFactory.Embedded);
        Assert.Equal(HttpStatusCode.OK, (await third.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "admin", password = FleetFactory.AdminPassword })).StatusCode);
    }

    [Fact]
    public async Task The_embedded_database_is_backed_up_while_fleet_runs_and_restored_from_the_copy()
    {
        var fleet = await FleetFixture.StartAsync(FleetFactory.Embedded);
        var admin = fleet.As(As.Admin);
        var before = await admin.CreateUnit(FleetFixture.Code("BK"), name: "备份前的单位");
        var directory = fleet.Factory.DataDirectory;
        var backup = Path.Combine(Path.GetTempPath(), $"fleet-backup-{Guid.NewGuid():N}.db");
        // The README's command, while Fleet runs and writes: SQLite's VACUUM INTO makes a consistent copy from a read transaction.
        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++) await admin.CreateUnit(FleetFixture.Code("BW"));
        });
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(directory, "fleet.db")}"))
        {
            await connection.OpenAsync();
            await using var vacuum = connection.CreateCommand();
            vacuum.CommandText = "VACUUM INTO $file";
            vacuum.Parameters.AddWithValue("$file", backup);
            await vacuum.ExecuteNonQueryAsync();
        }
        await writing;
        var after = await admin.CreateUnit(FleetFixture.Code("BA"), name: "备份后的单位");
        fleet.Factory.KeepData = true;
        await fleet.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        // Restore: Fleet stopped, the copy in place of the database, its write-ahead log gone; then start.
        File.Copy(backup, Path.Combine(directory, "fleet.db"), overwrite: true);
        foreach (var log in new[] { "fleet.db-wal", "fleet.db-shm" }) File.Delete(Path.Combine(directory, log));
        using var restored = new FleetFactory(directory, FleetFactory.Embedded);
        var http = restored.CreateClient();
        var token = await Client.Read(await http.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = FleetFactory.AdminPassword }), HttpStatusCode.OK);
        http.DefaultRequestHeaders.Authorization = new("Bearer", (string)token["accessToken"]!);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/units/{before["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/units/{after["id"]}")).StatusCode);
        Assert.Equal("Healthy", (string)(await Client.Read(await http.GetAsync("/health"), HttpStatusCode.OK))["status"]!);
        File.Delete(backup);
    }

    [Fact]
    public async Task Two_first_starts_at_once_end_with_one_signing_key_that_both_use()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fleet-tests", Guid.NewGuid().ToString("N"));
        // Eight first starts at the same moment on one data directory without a configured key (what two processes
        // started together do while configuring their services).
        var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Convert.ToBase64String(
            Fleet.Api.Infrastructure.Auth.SigningKey(new Fleet.Api.Infrastructure.FleetOptions { DataDirectory = directory }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)))));
        Assert.Single(keys.Distinct());
        Assert.Equal(keys[0], (await File.ReadAllTextAsync(Path.Combine(directory, "jwt-signing.key"))).Trim());
        Assert.Single(Directory.GetFiles(directory));
        Directory.Delete(directory, recursive: true);
    }


    [Fact]
    public async Task Without_a_configured_password_admin_gets_a_generated_one_written_to_the_data_directory()
    {
        using var factory = new FleetFactory(null, new() { ["Fleet:AdminPassword"] = "", ["Fleet:Jwt:SigningKey"] = "", ["Database:Provider"] = "Sqlite" });
        factory.CreateClient();
        var password = (await File.ReadAllTextAsync(Path.Combine(factory.DataDirectory, "admin-password.txt"))).Trim();
        Assert.True(password.Length >= 12);
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "jwt-signing.key")));
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "fleet.db")));
        var token = await Client.Read(await factory.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "admin", password }), HttpStatusCode.OK);
        Assert.Equal("Admin", (string)token["role"]!);
        Assert.Equal(0, await factory.Db(db => db.Units.CountAsync()));
    }

    [Fact]
    public async Task The_embedded_database_runs_in_wal_mode()
    {
        using var factory = new FleetFactory(null, FleetFactory.Embedded);
        factory.CreateClient();
        var mode = await factory.Db(async db =>
        {
            await db.Database.OpenConnectionAsync();
            using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA journal_mode;";
            return (string)(await command.ExecuteScalarAsync())!;
        });
        Assert.Equal("wal", mode);
    }

    [Fact]
    public async Task A_stopped_fleet_leaves_no_file_of_its_database_open()
    {
        // The vehicle reads keep connections of their own; they must close with the host, or a stopped instance
        // would keep the database (and its WAL) open. Counted through the process's open files (Linux).
        Assert.True(OperatingSystem.IsLinux(), "This check reads /proc/self/fd.");
        var fleet = await FleetFixture.StartAsync(FleetFactory.Embedded);
        var admin = fleet.As(As.Admin);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++) ids.Add(Make.Id(await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA))));
        await Task.WhenAll(ids.Select(id => admin.GetJson($"/api/vehicles/{id}")));
        var database = Path.Combine(fleet.Factory.DataDirectory, "fleet.db");
        int OpenFiles() => new DirectoryInfo("/proc/self/fd").GetFiles().Count(fd =>
        {
            try
            {
                return fd.LinkTarget is { } target && target.StartsWith(database, StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false; // closed while listing
            }
        });
        Assert.True(OpenFiles() > 0);

        // Stopping returns every connection to the SQLite pool, which the factory then clears, and deletes the files.
        // A connection a request's continuation hands back just after the clear is closed by the next clear; one the
        // host still holds (the vehicle reads' own, if they were not disposed) stays open and fails this.
        await fleet.DisposeAsync();
        for (var i = 0; i < 50 && OpenFiles() > 0; i++)
        {
            await Task.Delay(100);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
        Assert.Equal(0, OpenFiles());
    }
}

public class PlumbingTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    [Fact]
    public async Task A_body_over_the_limit_is_a_413_and_writes_nothing()
    {
        var before = await fleet.Factory.WrittenState();
        var huge = Make.Vehicle(fleet.UnitA, v => v["model"] = new string('x', 2 * 1024 * 1024));
        await Client.Problem(await fleet.As(As.Admin).Post("/api/vehicles", huge), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await fleet.Factory.WrittenState());
    }

    [Fact]
    public async Task Unknown_routes_and_methods_answer_problems()
    {
        var admin = fleet.As(As.Admin);
        await Client.Problem(await admin.Get("/api/nothing-here"), HttpStatusCode.NotFound);
        await Client.Problem(await admin.Http.DeleteAsync($"/api/vehicles/{Guid.NewGuid()}"), HttpStatusCode.MethodNotAllowed);
        await Client.Problem(await admin.Get($"/api/vehicles/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }
}

public class SqlServerStartupTests
{
    [Fact]
    public void With_sql_server_fleet_never_migrates_by_itself_and_refuses_to_start_naming_the_script()
    {
        // Nothing listens on port 1: the schema cannot be confirmed, so the service must not start.
        using var factory = new FleetFactory(null, new()
        {
            ["Database:Provider"] = "SqlServer",
            ["ConnectionStrings:Fleet"] = "Server=tcp:127.0.0.1,1;Database=Fleet;User Id=x;Password=y;Connect Timeout=2;ConnectRetryCount=0;TrustServerCertificate=true",
        });
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        var messages = string.Join(" | ", FleetFactory.Chain(error).Select(e => e.Message));
        Assert.True(messages.Contains("db/sqlserver/fleet.sql", StringComparison.Ordinal), messages);
        Assert.False(File.Exists(Path.Combine(factory.DataDirectory, "fleet.db")));
    }
}

/// <summary>Fleet:Benchmark:Without, the benchmarks' way to measure pieces of the pipeline, cannot loosen a production server.</summary>
public class BenchmarkSwitchTests
{
    [Fact]
    public async Task The_benchmarks_switch_to_leave_pipeline_pieces_out_does_nothing_unless_the_benchmark_endpoints_are_on()
    {
        var without = new Dictionary<string, string?> { ["Fleet:Benchmark:Without"] = "request-log, safety-headers ,body-limit" };
        using (var production = new FleetFactory(null, without))
        {
            var answer = await production.CreateClient().GetAsync("/health");
            Assert.Equal("nosniff", answer.Headers.GetValues("X-Content-Type-Options").Single());
        }
        // With the endpoints on, the pieces named are left out (what the benchmark measures); names are trimmed. The
        // pieces that decide who may do what have no name there: an unsigned request is still refused.
        using var bench = new FleetFactory(null, new(without) { ["Fleet:Benchmark:Endpoints"] = "true" });
        var client = bench.CreateClient();
        var health = await client.GetAsync("/health");
        Assert.False(health.Headers.Contains("X-Content-Type-Options"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/vehicles/{Guid.NewGuid()}")).StatusCode);
    }
}
