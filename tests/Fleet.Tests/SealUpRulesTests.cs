using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests;

/// <summary>Seal-up rules a unit cannot walk around: release time, early release by exemption, corrections, refusals that write nothing.</summary>
public class SealUpRulesTests
{
    private sealed record Holiday(FleetFixture Fleet, Guid Schedule, Guid Vehicle, DateTime Deadline, DateTime ReleaseAt);

    /// <summary>A holiday 33 days ahead for unit A, with one vehicle of A, sealed.</summary>
    private static async Task<Holiday> SealedAsync(FleetFixture f)
    {
        var admin = f.As(As.Admin);
        var vehicle = Make.Id(await f.As(As.VehicleAdmin).RegisterVehicle(Make.Vehicle(f.UnitA)));
        var schedule = await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 33)), unitIds = new[] { f.UnitA } });
        await Client.Read(await f.As(As.VehicleAdmin).Seal(Make.Id(schedule), vehicle), HttpStatusCode.OK);
        return new Holiday(f, Make.Id(schedule), vehicle, (DateTime)schedule["sealDeadline"]!, (DateTime)schedule["releaseAt"]!);
    }

    private static async Task<JsonNode> Order(Holiday h) => (await h.Fleet.As(As.Auditor).Orders(h.Schedule))[h.Vehicle];

    private static Task<JsonNode> Compliance(Holiday h) => h.Fleet.As(As.Auditor).GetJson($"/api/sealup-schedules/{h.Schedule}/compliance");

    private static Task<HttpResponseMessage> Check(FleetFixture f, Guid vehicle, string finding, DateTime at, Guid? correctsId = null) =>
        f.As(As.Inspector).Post("/api/spot-checks", new { vehicleId = vehicle, checkedAt = at, location = "区政府大院地下停车场B2", finding, correctsId });

    [Fact]
    public async Task A_sealed_car_is_not_released_before_the_release_time_and_a_later_missing_check_breaches_it()
    {
        await using var f = await FleetFixture.StartAsync();
        var h = await SealedAsync(f);
        var before = await f.Factory.WrittenState();

        var refused = await Client.Problem(await f.As(As.VehicleAdmin).Release(h.Schedule, h.Vehicle), HttpStatusCode.Conflict);
        var releaseLocal = TimeZoneInfo.ConvertTimeFromUtc(h.ReleaseAt, SealUpSteps.Shanghai);
        Assert.Contains(releaseLocal.ToString("yyyy-MM-dd HH:mm"), (string)refused["detail"]!);
        Assert.Equal(before, await f.Factory.WrittenState());
        Assert.Equal("Sealed", (string)(await Order(h))["status"]!);

        // During the holiday the car is not where it was sealed: the order is breached, and the unit is not compliant.
        f.Factory.MoveTo(h.Deadline.AddDays(1));
        await Client.Read(await Check(f, h.Vehicle, "VehicleMissing", h.Deadline.AddDays(1).AddMinutes(-5)), HttpStatusCode.Created);
        Assert.Equal("Breached", (string)(await Order(h))["status"]!);
        var compliance = await Compliance(h);
        Assert.Equal(1, (int)compliance["breached"]!);
        Assert.Equal(0, (int)compliance["sealedOnTime"]!);
        Assert.Equal(0m, (decimal)compliance["rate"]!);
    }

    [Fact]
    public async Task At_the_release_time_the_car_is_released_and_counts_as_sealed_on_time()
    {
        await using var f = await FleetFixture.StartAsync();
        var h = await SealedAsync(f);
        f.Factory.MoveTo(h.ReleaseAt);
        var released = await Client.Read(await f.As(As.VehicleAdmin).Release(h.Schedule, h.Vehicle), HttpStatusCode.OK);
        Assert.Equal("Released", (string)released["status"]!);
        Assert.False((bool)released["releasedEarly"]!);
        var compliance = await Compliance(h);
        Assert.Equal(1, (int)compliance["sealedOnTime"]!);
        Assert.Equal(1m, (decimal)compliance["rate"]!);
    }

    [Fact]
    public async Task A_car_needed_early_is_released_by_an_approved_exemption_and_counts_as_exempted_everywhere()
    {
        await using var f = await FleetFixture.StartAsync();
        var h = await SealedAsync(f);
        var va = f.As(As.VehicleAdmin);
        var exemption = await Client.Read(await va.AskExemption(h.Schedule, h.Vehicle), HttpStatusCode.Created);
        Assert.Equal("Requested", (string)exemption["status"]!);
        await Client.Problem(await va.AskExemption(h.Schedule, h.Vehicle), HttpStatusCode.Conflict);
        Assert.Equal("Sealed", (string)(await Order(h))["status"]!);

        await Client.Read(await f.As(As.Inspector).Post($"/api/exemptions/{exemption["id"]}/approve", new { note = "防汛抢险" }), HttpStatusCode.OK);
        var order = await Order(h);
        Assert.Equal("Released", (string)order["status"]!);
        Assert.True((bool)order["releasedEarly"]!);
        Assert.Equal(f.Factory.Clock.GetUtcNow().UtcDateTime, (DateTime)order["releasedAt"]!);

        var compliance = await Compliance(h);
        Assert.Equal(1, (int)compliance["exempted"]!);
        Assert.Equal(0, (int)compliance["sealedOnTime"]!);
        using var report = await Workbook.Download(f.As(As.Auditor), $"/api/reports/sealup-compliance.xlsx?scheduleId={h.Schedule}");
        var row = Workbook.Rows(report.Sheet(1)).First();
        Assert.Equal(0, row.Cell(4).GetDouble()); // on time
        Assert.Equal(1, row.Cell(6).GetDouble()); // exempted

        // Out on an approved exemption, a car not at its place breaches nothing.
        f.Factory.MoveTo(h.Deadline.AddHours(2));
        await Client.Read(await Check(f, h.Vehicle, "VehicleMissing", h.Deadline.AddHours(1)), HttpStatusCode.Created);
        Assert.Equal("Released", (string)(await Order(h))["status"]!);
    }

    [Fact]
    public async Task Twenty_exemption_requests_at_once_for_one_order_open_one()
    {
        await using var f = await FleetFixture.StartAsync();
        var h = await SealedAsync(f);
        var statuses = await Together.Send(20, _ => f.As(As.VehicleAdmin).AskExemption(h.Schedule, h.Vehicle));
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(19, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(1, await f.Factory.Db(db => db.Exemptions.CountAsync(e => e.VehicleId == h.Vehicle)));
    }

    [Fact]
    public async Task A_correction_restores_a_breached_seal_once_no_check_that_stands_breaches_it()
    {
        await using var f = await FleetFixture.StartAsync();
        var h = await SealedAsync(f);
        var during = h.Deadline.AddDays(1);
        f.Factory.MoveTo(during.AddHours(3));
        var first = await Client.Read(await Check(f, h.Vehicle, "SealBroken", during), HttpStatusCode.Created);
        var second = await Client.Read(await Check(f, h.Vehicle, "SealBroken", during.AddHours(1)), HttpStatusCode.Created);
        Assert.Equal("Breached", (string)(await Order(h))["status"]!);

        // The first check was a mistake, but the second one stands: still breached, now from the second check's time.
        await Client.Read(await Check(f, h.Vehicle, "Compliant", during.AddHours(2), Make.Id(first)), HttpStatusCode.Created);
        var order = await Order(h);
        Assert.Equal("Breached", (string)order["status"]!);
        Assert.Equal(during.AddHours(1), (DateTime)order["breachedAt"]!);
        Assert.Equal("Dismissed", (string)(await f.As(As.Inspector).GetJson($"/api/violations/{first["violationId"]}"))["status"]!);

        await Client.Read(await Check(f, h.Vehicle, "Compliant", during.AddHours(2), Make.Id(second)), HttpStatusCode.Created);
        order = await Order(h);
        Assert.Equal("Sealed", (string)order["status"]!);
        Assert.Null(order["breachedAt"]);
        var compliance = await Compliance(h);
        Assert.Equal(0, (int)compliance["breached"]!);
        Assert.Equal(1, (int)compliance["sealedOnTime"]!);
        Assert.Equal(1m, (decimal)compliance["rate"]!);

        // And the holiday ends for it as for any sealed car.
        f.Factory.MoveTo(h.ReleaseAt.AddMinutes(1));
        await f.Factory.RunSealUpReconcile();
        Assert.Equal("Released", (string)(await Order(h))["status"]!);
    }

    [Fact]
    public async Task A_refused_seal_or_exemption_writes_nothing_not_even_the_orders_the_job_would_make()
    {
        await using var f = await FleetFixture.StartAsync();
        var admin = f.As(As.Admin);
        var va = f.As(As.VehicleAdmin);
        var schedule = Make.Id(await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 20)), unitIds = new[] { f.UnitA } }));
        var late = new List<Guid>();
        for (var i = 0; i < 5; i++) late.Add(Make.Id(await va.RegisterVehicle(Make.Vehicle(f.UnitA))));
        var outOfScope = Make.Id(await admin.RegisterVehicle(Make.Vehicle(f.UnitB)));
        await Client.Read(await va.Seal(schedule, late[0], "S-TAKEN"), HttpStatusCode.OK);
        var before = await f.Factory.WrittenState();

        await Client.Problem(await admin.Seal(schedule, outOfScope), HttpStatusCode.NotFound);
        await Client.Problem(await admin.AskExemption(schedule, outOfScope), HttpStatusCode.NotFound);
        await Client.Problem(await va.Seal(schedule, late[1], "S-TAKEN"), HttpStatusCode.Conflict);
        await Client.Problem(await f.As(As.OtherVehicleAdmin).Seal(schedule, late[2]), HttpStatusCode.NotFound);
        Assert.Equal(before, await f.Factory.WrittenState());

        // A change that goes through writes its own order and nothing more.
        await Client.Read(await va.Seal(schedule, late[3]), HttpStatusCode.OK);
        Assert.Equal(2, (await va.Orders(schedule)).Count);
    }

    [Fact]
    public async Task The_exemptions_queue_shows_inspectors_every_request_and_a_vehicle_administrator_their_own_units()
    {
        await using var f = await FleetFixture.StartAsync();
        var admin = f.As(As.Admin);
        var schedule = Make.Id(await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 20)) }));
        var ofA = await f.As(As.VehicleAdmin).RegisterVehicle(Make.Vehicle(f.UnitA));
        var ofB = await f.As(As.OtherVehicleAdmin).RegisterVehicle(Make.Vehicle(f.UnitB));
        await Client.Read(await f.As(As.VehicleAdmin).AskExemption(schedule, Make.Id(ofA)), HttpStatusCode.Created);
        await Client.Read(await f.As(As.OtherVehicleAdmin).AskExemption(schedule, Make.Id(ofB)), HttpStatusCode.Created);

        var queue = (await f.As(As.Inspector).GetJson("/api/exemptions?status=Requested"))["items"]!.AsArray();
        Assert.Equal(2, queue.Count);
        var item = queue.Single(e => (Guid)e!["vehicleId"]! == Make.Id(ofA))!;
        Assert.Equal((string)ofA["plateNumber"]!, (string)item["plateNumber"]!);
        Assert.Equal(schedule, (Guid)item["scheduleId"]!);
        Assert.NotNull(item["orderId"]);
        Assert.StartsWith("vehicleadmin", (string)item["requestedBy"]!);

        var own = (await f.As(As.VehicleAdmin).GetJson("/api/exemptions"))["items"]!.AsArray();
        Assert.Equal(Make.Id(ofA), (Guid)Assert.Single(own)!["vehicleId"]!);
        var byPlate = await f.As(As.Auditor).GetJson($"/api/exemptions?plateNumber={((string)ofB["plateNumber"]!)[3..]}");
        Assert.Equal(Make.Id(ofB), (Guid)Assert.Single(byPlate["items"]!.AsArray())!["vehicleId"]!);
        Assert.Equal(0, (int)(await f.As(As.Auditor).GetJson("/api/exemptions?status=Approved"))["total"]!);
    }

    [Fact]
    public async Task What_counts_is_when_the_inspector_saw_it_not_when_it_was_entered()
    {
        await using var f = await FleetFixture.StartAsync();
        var h = await SealedAsync(f);
        var sealedAt = (DateTime)(await Order(h))["sealedAt"]!;

        // Seen before the car was sealed: it breaches nothing.
        await Client.Read(await Check(f, h.Vehicle, "VehicleMissing", sealedAt.AddHours(-1)), HttpStatusCode.Created);
        Assert.Equal("Sealed", (string)(await Order(h))["status"]!);

        // Seen on the holiday's last evening, entered the morning after the release: the holiday was breached.
        f.Factory.MoveTo(h.ReleaseAt.AddHours(2));
        await f.Factory.RunSealUpReconcile();
        Assert.Equal("Released", (string)(await Order(h))["status"]!);
        await Client.Read(await Check(f, h.Vehicle, "SealBroken", h.ReleaseAt.AddHours(-14)), HttpStatusCode.Created);
        var order = await Order(h);
        Assert.Equal("Breached", (string)order["status"]!);
        Assert.Equal(h.ReleaseAt.AddHours(-14), (DateTime)order["breachedAt"]!);
        Assert.Equal(0, (int)(await Compliance(h))["sealedOnTime"]!);
    }

    [Fact]
    public async Task A_car_missing_before_its_early_release_was_approved_breached_the_seal()
    {
        await using var f = await FleetFixture.StartAsync();
        var h = await SealedAsync(f);
        f.Factory.MoveTo(h.Deadline.AddHours(16));
        var exemption = await Client.Read(await f.As(As.VehicleAdmin).AskExemption(h.Schedule, h.Vehicle), HttpStatusCode.Created);
        await Client.Read(await f.As(As.Inspector).Post($"/api/exemptions/{exemption["id"]}/approve", null), HttpStatusCode.OK);
        await Client.Read(await Check(f, h.Vehicle, "VehicleMissing", h.Deadline.AddHours(14)), HttpStatusCode.Created);
        var compliance = await Compliance(h);
        Assert.Equal(1, (int)compliance["breached"]!);
        Assert.Equal(0, (int)compliance["exempted"]!);
    }

    [Fact]
    public async Task A_correction_naming_another_car_restores_the_first_and_breaches_the_second()
    {
        await using var f = await FleetFixture.StartAsync();
        var h = await SealedAsync(f);
        var other = Make.Id(await f.As(As.VehicleAdmin).RegisterVehicle(Make.Vehicle(f.UnitA)));
        await Client.Read(await f.As(As.VehicleAdmin).Seal(h.Schedule, other), HttpStatusCode.OK);
        var during = h.Deadline.AddDays(1);
        f.Factory.MoveTo(during.AddHours(1));
        var misread = await Client.Read(await Check(f, h.Vehicle, "SealBroken", during), HttpStatusCode.Created);
        await Client.Read(await Check(f, other, "SealBroken", during, Make.Id(misread)), HttpStatusCode.Created);
        var orders = await f.As(As.Auditor).Orders(h.Schedule);
        Assert.Equal("Sealed", (string)orders[h.Vehicle]["status"]!);
        Assert.Equal("Breached", (string)orders[other]["status"]!);
    }

    [Fact]
    public async Task An_exemption_for_an_unsealed_car_is_asked_before_the_deadline_and_if_approved_later_the_deadline_was_not_missed()
    {
        await using var f = await FleetFixture.StartAsync();
        var admin = f.As(As.Admin);
        var va = f.As(As.VehicleAdmin);
        var timely = Make.Id(await va.RegisterVehicle(Make.Vehicle(f.UnitA)));
        var late = Make.Id(await va.RegisterVehicle(Make.Vehicle(f.UnitA)));
        var schedule = await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 10)), unitIds = new[] { f.UnitA } });
        var id = Make.Id(schedule);
        var deadline = (DateTime)schedule["sealDeadline"]!;
        var exemption = await Client.Read(await va.AskExemption(id, timely), HttpStatusCode.Created);

        f.Factory.MoveTo(deadline.AddHours(1));
        await f.Factory.RunSealUpReconcile();
        var before = await f.Factory.WrittenState();
        var refused = await Client.Problem(await va.AskExemption(id, late), HttpStatusCode.Conflict);
        Assert.Contains("deadline", (string)refused["detail"]!);
        Assert.Equal(before, await f.Factory.WrittenState());

        await Client.Read(await f.As(As.Inspector).Post($"/api/exemptions/{exemption["id"]}/approve", null), HttpStatusCode.OK);
        var orders = await va.Orders(id);
        Assert.Equal("Exempted", (string)orders[timely]["status"]!);
        Assert.Equal("Overdue", (string)orders[late]["status"]!);
        var missed = (await f.As(As.Auditor).GetJson($"/api/violations?type=SealDeadlineMissed&unitId={f.UnitA}"))["items"]!.AsArray();
        Assert.Equal("Dismissed", (string)missed.Single(v => (Guid)v!["vehicleId"]! == timely)!["status"]!);
        Assert.Equal("Open", (string)missed.Single(v => (Guid)v!["vehicleId"]! == late)!["status"]!);
        var compliance = await f.As(As.Auditor).GetJson($"/api/sealup-schedules/{id}/compliance");
        Assert.Equal(1, (int)compliance["exempted"]!);
        Assert.Equal(1, (int)compliance["overdue"]!);
    }

    [Fact]
    public async Task An_order_made_on_the_way_to_a_seal_is_audited_as_created_then_sealed()
    {
        await using var f = await FleetFixture.StartAsync();
        var admin = f.As(As.Admin);
        var schedule = Make.Id(await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 10)), unitIds = new[] { f.UnitA } }));
        var vehicle = Make.Id(await f.As(As.VehicleAdmin).RegisterVehicle(Make.Vehicle(f.UnitA)));
        var order = await Client.Read(await f.As(As.VehicleAdmin).Seal(schedule, vehicle), HttpStatusCode.OK);
        var entries = (await f.As(As.Auditor).GetJson($"/api/audit?entity=SealOrder&entityId={order["id"]}"))["items"]!.AsArray().Reverse().ToList(); // the log lists newest first
        Assert.Equal(["Create", "Seal"], entries.Select(e => (string)e!["action"]!));
        Assert.Equal("Pending", (string)entries[0]!["after"]!["status"]!);
        Assert.Equal("Pending", (string)entries[1]!["before"]!["status"]!);
    }
}
