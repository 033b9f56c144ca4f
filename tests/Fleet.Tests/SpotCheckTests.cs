using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Tests;

public class SpotCheckTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    private object Check(Guid? vehicleId = null, string? plate = null, Guid? unitId = null, string finding = "Compliant", Guid? correctsId = null, DateTime? at = null) => new
    {
        vehicleId,
        plateNumber = plate,
        unitId,
        checkedAt = at ?? fleet.Factory.Clock.GetUtcNow().UtcDateTime.AddHours(-1),
        location = "人民广场停车场",
        finding,
        notes = "=HYPERLINK(\"x\")",
        correctsId,
    };

    [Fact]
    public async Task A_compliant_check_opens_nothing_and_any_other_finding_opens_the_matching_violation()
    {
        var inspector = fleet.As(As.Inspector);
        var vehicle = Make.Id(await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var compliant = await Client.Read(await inspector.Post("/api/spot-checks", Check(vehicle)), HttpStatusCode.Created);
        Assert.Null(compliant["violationId"]);
        Assert.Equal(fleet.UnitA, (Guid)compliant["unitId"]!);

        foreach (var (finding, type) in new[] { ("SealBroken", "SealBroken"), ("VehicleMissing", "VehicleMissing"), ("PrivateUse", "PrivateUse"), ("OffSiteParking", "OffSiteParking"), ("Other", "Other") })
        {
            var check = await Client.Read(await inspector.Post("/api/spot-checks", Check(vehicle, finding: finding)), HttpStatusCode.Created);
            var violation = await inspector.GetJson($"/api/violations/{check["violationId"]}");
            Assert.Equal(type, (string)violation["type"]!);
            Assert.Equal("SpotCheck", (string)violation["source"]!);
            Assert.Equal((Guid)check["id"]!, (Guid)violation["sourceId"]!);
            Assert.Equal(vehicle, (Guid)violation["vehicleId"]!);
            Assert.Equal((DateTime)check["checkedAt"]!, (DateTime)violation["detectedAt"]!);
        }
    }

    [Fact]
    public async Task A_plate_not_in_the_register_is_recorded_with_the_unit_it_was_found_with()
    {
        var inspector = fleet.As(As.Inspector);
        var plate = Make.Plate();
        await Client.Problem(await inspector.Post("/api/spot-checks", Check(plate: plate, finding: "UnregisteredVehicle")), HttpStatusCode.BadRequest, "unitId");
        var check = await Client.Read(await inspector.Post("/api/spot-checks", Check(plate: plate.ToLowerInvariant(), unitId: fleet.UnitB, finding: "UnregisteredVehicle")), HttpStatusCode.Created);
        Assert.Null(check["vehicleId"]);
        Assert.Equal(plate, (string)check["plateNumber"]!);
        var violation = await inspector.GetJson($"/api/violations/{check["violationId"]}");
        Assert.Equal("UnregisteredVehicle", (string)violation["type"]!);
        Assert.Equal(fleet.UnitB, (Guid)violation["unitId"]!);

        // A registered plate is resolved to its vehicle and its unit.
        var registered = await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitA));
        var byPlate = await Client.Read(await inspector.Post("/api/spot-checks", Check(plate: (string)registered["plateNumber"]!)), HttpStatusCode.Created);
        Assert.Equal(Make.Id(registered), (Guid)byPlate["vehicleId"]!);
        Assert.Equal(fleet.UnitA, (Guid)byPlate["unitId"]!);
    }

    [Fact]
    public async Task Bad_checks_are_400s_naming_the_field_and_only_inspectors_record_them()
    {
        var inspector = fleet.As(As.Inspector);
        var vehicle = Make.Id(await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var before = await fleet.Factory.WrittenState();
        await Client.Problem(await inspector.Post("/api/spot-checks", Check(vehicle, at: fleet.Factory.Clock.GetUtcNow().UtcDateTime.AddHours(2))), HttpStatusCode.BadRequest, "checkedAt");
        await Client.Problem(await inspector.Post("/api/spot-checks", Check()), HttpStatusCode.BadRequest, "plateNumber");
        await Client.Problem(await inspector.Post("/api/spot-checks", Check(Guid.NewGuid())), HttpStatusCode.BadRequest, "vehicleId");
        await Client.Problem(await inspector.Post("/api/spot-checks", Check(vehicle, finding: "Drunk")), HttpStatusCode.BadRequest, "finding");
        await Client.Problem(await inspector.Post("/api/spot-checks", Check(vehicle, correctsId: Guid.NewGuid())), HttpStatusCode.BadRequest, "correctsId");
        await Client.Problem(await inspector.Post("/api/spot-checks", Check(plate: "XYZ")), HttpStatusCode.BadRequest, "plateNumber");
        await Client.Problem(await inspector.PostRaw("/api/spot-checks", $"{{\"vehicleId\":\"{vehicle}\",\"checkedAt\":\"0001-01-01T00:00:00\",\"location\":\"x\",\"finding\":\"Compliant\"}}"), HttpStatusCode.BadRequest, "checkedAt");
        foreach (var who in new[] { As.Admin, As.VehicleAdmin, As.Auditor })
            await Client.Problem(await fleet.As(who).Post("/api/spot-checks", Check(vehicle)), HttpStatusCode.Forbidden);
        Assert.Equal(before, await fleet.Factory.WrittenState());
    }

    [Fact]
    public async Task Spot_checks_are_never_edited_or_deleted_and_a_correction_names_the_check_it_corrects()
    {
        var inspector = fleet.As(As.Inspector);
        var vehicle = Make.Id(await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var wrong = await Client.Read(await inspector.Post("/api/spot-checks", Check(vehicle, finding: "PrivateUse")), HttpStatusCode.Created);
        var id = Make.Id(wrong);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await inspector.Put($"/api/spot-checks/{id}", Check(vehicle), null)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await inspector.Http.DeleteAsync($"/api/spot-checks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await fleet.As(As.Admin).Http.PatchAsync($"/api/spot-checks/{id}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await inspector.Http.DeleteAsync("/api/spot-checks")).StatusCode);

        var correction = await Client.Read(await inspector.Post("/api/spot-checks", Check(vehicle, correctsId: id)), HttpStatusCode.Created);
        Assert.Equal(id, (Guid)correction["correctsId"]!);
        var original = await inspector.GetJson($"/api/spot-checks/{id}");
        Assert.True((bool)original["corrected"]!);
        Assert.Equal(Make.Id(correction), (Guid)original["correctedById"]!);
        Assert.Equal("PrivateUse", (string)original["finding"]!);
        Assert.Equal("Dismissed", (string)(await inspector.GetJson($"/api/violations/{wrong["violationId"]}"))["status"]!);
        await Client.Problem(await inspector.Post("/api/spot-checks", Check(vehicle, correctsId: id)), HttpStatusCode.Conflict);

        var listed = (await inspector.GetJson($"/api/spot-checks?vehicleId={vehicle}"))["items"]!.AsArray();
        Assert.True((bool)listed.Single(c => Make.Id(c!) == id)!["corrected"]!);
        Assert.False((bool)listed.Single(c => Make.Id(c!) == Make.Id(correction))!["corrected"]!);
    }

    [Fact]
    public async Task Lists_filter_by_time_and_unit_and_a_vehicle_admin_sees_only_their_unit()
    {
        var inspector = fleet.As(As.Inspector);
        var a = Make.Id(await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var b = Make.Id(await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitB)));
        var longAgo = new DateTime(2026, 10, 2, 3, 0, 0, DateTimeKind.Utc);
        await Client.Read(await inspector.Post("/api/spot-checks", Check(a, at: longAgo)), HttpStatusCode.Created);
        await Client.Read(await inspector.Post("/api/spot-checks", Check(b, at: longAgo)), HttpStatusCode.Created);

        var day = await inspector.GetJson("/api/spot-checks?from=2026-10-02&to=2026-10-02&pageSize=500");
        Assert.Equal(2, (int)day["total"]!);
        Assert.Equal(1, (int)(await inspector.GetJson($"/api/spot-checks?from=2026-10-02&to=2026-10-02&unitId={fleet.UnitB}"))["total"]!);
        var ofA = await fleet.As(As.VehicleAdmin).GetJson("/api/spot-checks?pageSize=500");
        Assert.All(ofA["items"]!.AsArray(), c => Assert.Equal(fleet.UnitA, (Guid)c!["unitId"]!));
        Assert.Contains(ofA["items"]!.AsArray(), c => (Guid?)c!["vehicleId"] == a);
        var ofB = (await inspector.GetJson($"/api/spot-checks?vehicleId={b}"))["items"]![0]!;
        await Client.Problem(await fleet.As(As.VehicleAdmin).Get($"/api/spot-checks/{ofB["id"]}"), HttpStatusCode.NotFound);
        await Client.Problem(await inspector.Get("/api/spot-checks?from=x"), HttpStatusCode.BadRequest, "from");
    }

    [Fact]
    public async Task A_broken_seal_found_by_a_check_breaches_the_sealed_order()
    {
        var admin = fleet.As(As.Admin);
        var vehicle = Make.Id(await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var other = Make.Id(await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var schedule = Make.Id(await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 15)), unitIds = new[] { fleet.UnitA } }));
        await Client.Read(await fleet.As(As.VehicleAdmin).Seal(schedule, vehicle), HttpStatusCode.OK);
        await Client.Read(await fleet.As(As.VehicleAdmin).Seal(schedule, other), HttpStatusCode.OK);

        // Seen after the seal (a check about a time before it breaches nothing).
        fleet.Factory.Clock.Advance(TimeSpan.FromMinutes(30));
        var check = await Client.Read(await fleet.As(As.Inspector).Post("/api/spot-checks", Check(vehicle, finding: "SealBroken", at: fleet.Factory.Clock.GetUtcNow().UtcDateTime)), HttpStatusCode.Created);
        var orders = await admin.Orders(schedule);
        Assert.Equal("Breached", (string)orders[vehicle]["status"]!);
        Assert.Equal((DateTime)check["checkedAt"]!, (DateTime)orders[vehicle]["breachedAt"]!);
        Assert.Equal("Sealed", (string)orders[other]["status"]!);
        // A private-use finding is a violation but does not by itself breach the seal.
        await Client.Read(await fleet.As(As.Inspector).Post("/api/spot-checks", Check(other, finding: "PrivateUse")), HttpStatusCode.Created);
        Assert.Equal("Sealed", (string)(await admin.Orders(schedule))[other]["status"]!);
        var trail = (await admin.GetJson($"/api/audit?entity=SealOrder&entityId={orders[vehicle]["id"]}"))["items"]!.AsArray().Reverse().ToList(); // the log lists newest first
        Assert.Equal("Breach", (string)trail[^1]!["action"]!);
    }

    [Fact]
    public async Task Checks_recorded_at_the_same_moment_by_two_inspectors_are_each_stored_once_with_their_own_audit_entry()
    {
        var admin = fleet.As(As.Admin);
        var vehicles = new List<Guid>();
        for (var i = 0; i < 4; i++) vehicles.Add(Make.Id(await admin.RegisterVehicle(Make.Vehicle(i % 2 == 0 ? fleet.UnitA : fleet.UnitB))));
        var username = FleetFixture.Code("inspector");
        await Client.Read(await admin.Post("/api/users", new { username, password = "a-long-test-password", role = "Inspector" }), HttpStatusCode.Created);
        var second = new Client(fleet.Factory, fleet.Factory.CreateClient());
        second.UseToken((string)(await Client.Read(await fleet.As(As.Anonymous).Post("/api/auth/token", new { username, password = "a-long-test-password" }), HttpStatusCode.OK))["accessToken"]!);
        var first = fleet.As(As.Inspector);
        var firstName = fleet.Account(As.Inspector).Username;

        // Sixty checks at once, compliant and not, from both inspectors: one group commit may hold several of them.
        var sent = Enumerable.Range(0, 60).Select(i => (By: i % 2 == 0 ? first : second, Name: i % 2 == 0 ? firstName : username,
            Vehicle: vehicles[i % vehicles.Count], Finding: i % 3 == 0 ? "PrivateUse" : "Compliant")).ToList();
        var answers = await Task.WhenAll(sent.Select(async s => await Client.Read(await s.By.Post("/api/spot-checks", Check(s.Vehicle, finding: s.Finding)), HttpStatusCode.Created)));

        var auditor = fleet.As(As.Auditor);
        for (var i = 0; i < sent.Count; i++)
        {
            var id = (Guid)answers[i]["id"]!;
            var stored = await first.GetJson($"/api/spot-checks/{id}");
            Assert.Equal(sent[i].Vehicle, (Guid)stored["vehicleId"]!);
            Assert.Equal(sent[i].Finding, (string)stored["finding"]!);
            Assert.Equal(sent[i].Name, (string)stored["recordedBy"]!);
            var entry = Assert.Single((await auditor.GetJson($"/api/audit?entity=SpotCheck&entityId={id}"))["items"]!.AsArray())!;
            Assert.Equal(("Create", sent[i].Name), ((string)entry["action"]!, (string)entry["actor"]!));
            if (sent[i].Finding == "Compliant")
            {
                Assert.Null(stored["violationId"]);
                continue;
            }
            var violation = await first.GetJson($"/api/violations/{stored["violationId"]}");
            Assert.Equal(("PrivateUse", id), ((string)violation["type"]!, (Guid)violation["sourceId"]!));
            var violationEntry = Assert.Single((await auditor.GetJson($"/api/audit?entity=Violation&entityId={violation["id"]}"))["items"]!.AsArray())!;
            Assert.Equal(("Create", sent[i].Name), ((string)violationEntry["action"]!, (string)violationEntry["actor"]!));
        }
        // Each unit's list holds exactly its own checks.
        var listed = await fleet.As(As.VehicleAdmin).GetJson($"/api/spot-checks?vehicleId={vehicles[0]}&pageSize=100");
        Assert.Equal(sent.Count(s => s.Vehicle == vehicles[0]), (int)listed["total"]!);
    }

    [Fact]
    public async Task A_check_that_only_adds_records_is_stored_and_audited_exactly_as_one_that_breaches_a_seal()
    {
        var admin = fleet.As(As.Admin);
        var sealedCar = Make.Id(await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var free = Make.Id(await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var schedule = Make.Id(await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 15)), unitIds = new[] { fleet.UnitA } }));
        await Client.Read(await fleet.As(As.VehicleAdmin).Seal(schedule, sealedCar), HttpStatusCode.OK);
        fleet.Factory.Clock.Advance(TimeSpan.FromMinutes(30));
        var at = fleet.Factory.Clock.GetUtcNow().UtcDateTime;
        var inspector = fleet.As(As.Inspector);
        // The breaching check reads and changes a seal order (through EF); a private-use finding only adds its records.
        var breaching = await Client.Read(await inspector.Post("/api/spot-checks", Check(sealedCar, finding: "SealBroken", at: at)), HttpStatusCode.Created);
        var adding = await Client.Read(await inspector.Post("/api/spot-checks", Check(free, finding: "PrivateUse", at: at)), HttpStatusCode.Created);
        Assert.Equal("Breached", (string)(await admin.Orders(schedule))[sealedCar]["status"]!);

        static JsonObject Without(JsonNode node, params string[] own)
        {
            var copy = node.DeepClone().AsObject();
            foreach (var key in own) copy.Remove(key);
            return copy;
        }
        var a = await inspector.GetJson($"/api/spot-checks/{breaching["id"]}");
        var b = await inspector.GetJson($"/api/spot-checks/{adding["id"]}");
        string[] checkOwn = ["id", "vehicleId", "plateNumber", "violationId", "finding"];
        Assert.Equal(Without(a, checkOwn).ToJsonString(), Without(b, checkOwn).ToJsonString());
        Assert.Equal(a.AsObject().Select(p => p.Key), b.AsObject().Select(p => p.Key));

        var auditor = fleet.As(As.Auditor);
        async Task<JsonNode> Entry(string entity, JsonNode? id) =>
            Assert.Single((await auditor.GetJson($"/api/audit?entity={entity}&entityId={id}"))["items"]!.AsArray())!;
        var entryA = await Entry("SpotCheck", breaching["id"]);
        var entryB = await Entry("SpotCheck", adding["id"]);
        Assert.Equal(((string)entryA["action"]!, (string)entryA["actor"]!), ((string)entryB["action"]!, (string)entryB["actor"]!));
        Assert.Equal(Without(entryA["after"]!, checkOwn).ToJsonString(), Without(entryB["after"]!, checkOwn).ToJsonString());
        Assert.Equal(entryA["after"]!.AsObject().Select(p => p.Key), entryB["after"]!.AsObject().Select(p => p.Key));
        Assert.Equal((DateTime)entryA["at"]!, (DateTime)entryB["at"]!);

        var violationA = await Entry("Violation", a["violationId"]);
        var violationB = await Entry("Violation", b["violationId"]);
        string[] violationOwn = ["id", "vehicleId", "plateNumber", "sourceId", "dedupKey", "type"];
        Assert.Equal(Without(violationA["after"]!, violationOwn).ToJsonString(), Without(violationB["after"]!, violationOwn).ToJsonString());
        Assert.Equal(violationA["after"]!.AsObject().Select(p => p.Key), violationB["after"]!.AsObject().Select(p => p.Key));
        Assert.Equal($"SpotCheck:{adding["id"]}", (string)violationB["after"]!["dedupKey"]!);
    }

    [Fact]
    public async Task Records_the_database_refuses_fail_only_their_own_request_in_a_group_commit()
    {
        var inspector = fleet.As(As.Inspector);
        var vehicle = Make.Id(await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var taken = await Client.Read(await inspector.Post("/api/spot-checks", Check(vehicle, finding: "PrivateUse")), HttpStatusCode.Created);
        var commits = fleet.Factory.Services.GetRequiredService<Fleet.Api.Infrastructure.GroupCommit>();
        Fleet.Data.Entities.SpotCheck NewCheck() => new()
        {
            PlateNumber = Make.Plate(),
            UnitId = fleet.UnitA,
            CheckedAt = DateTime.UtcNow.AddHours(-1),
            Location = "测试",
            Finding = Fleet.Data.Entities.SpotCheckFinding.Compliant,
            RecordedAt = DateTime.UtcNow,
            RecordedBy = "tester",
        };
        // One set whose second record repeats a unique key, queued among twenty good ones.
        var doomed = NewCheck();
        var duplicate = new Fleet.Data.Entities.Violation
        {
            Type = Fleet.Data.Entities.ViolationType.Other,
            PlateNumber = doomed.PlateNumber,
            UnitId = fleet.UnitA,
            DetectedAt = DateTime.UtcNow,
            Source = Fleet.Data.Entities.ViolationSource.SpotCheck,
            SourceId = doomed.Id,
            DedupKey = $"SpotCheck:{taken["id"]}",
            Status = Fleet.Data.Entities.ViolationStatus.Open,
            RecordedBy = "tester",
        };
        var good = Enumerable.Range(0, 20).Select(_ => NewCheck()).ToList();
        // The writer is held up (SQLite: its write gate; PostgreSQL: a lock on the table) while the sets queue, so they
        // go into one commit together.
        List<Task> writes;
        await using (var scope = fleet.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Fleet.Data.FleetDbContext>();
            using var gate = await db.EnterWriteGateAsync(default);
            await using var hold = await db.Database.BeginTransactionAsync();
            if (gate is null) await db.Database.ExecuteSqlRawAsync("LOCK TABLE \"SpotChecks\" IN EXCLUSIVE MODE");
            writes = [.. good.Take(10).Select(c => commits.WriteAsync("tester", [c], default))
                .Append(commits.WriteAsync("tester", [doomed, duplicate], default))
                .Concat(good.Skip(10).Select(c => commits.WriteAsync("tester", [c], default)))];
            await Task.Delay(300);
            Assert.All(writes, w => Assert.False(w.IsCompleted));
        }
        var refused = await Assert.ThrowsAsync<Microsoft.EntityFrameworkCore.DbUpdateException>(() => writes[10]);
        Assert.True(Fleet.Api.Infrastructure.DbErrors.IsUniqueViolation(refused));
        await Task.WhenAll(writes.Where((_, i) => i != 10));

        foreach (var check in good) Assert.Equal("tester", (string)(await inspector.GetJson($"/api/spot-checks/{check.Id}"))["recordedBy"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await inspector.Get($"/api/spot-checks/{doomed.Id}")).StatusCode);
        Assert.Equal(0, (int)(await fleet.As(As.Auditor).GetJson($"/api/audit?entity=SpotCheck&entityId={doomed.Id}"))["total"]!);
    }
}
