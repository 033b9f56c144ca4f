using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Support;

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
}
