using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Tests.Support;

namespace Fleet.Tests;

/// <summary>The records a car leaves behind, checked against its seal: use while sealed opens one violation per vehicle and schedule.</summary>
public class UsageCheckTests
{
    private sealed record Sealed(FleetFixture Fleet, Guid Schedule, Guid Vehicle, string Plate, DateTime SealedAt, DateTime Deadline, DateTime ReleaseAt);

    /// <summary>A holiday 33 days ahead for unit A, with one vehicle of A sealed now.</summary>
    private static async Task<Sealed> SealedCarAsync(FleetFixture f, Action<Dictionary<string, object?>>? change = null)
    {
        var admin = f.As(As.Admin);
        var vehicle = await f.As(As.VehicleAdmin).RegisterVehicle(Make.Vehicle(f.UnitA, change));
        var schedule = await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 33)), unitIds = new[] { f.UnitA } });
        var order = await Client.Read(await f.As(As.VehicleAdmin).Seal(Make.Id(schedule), Make.Id(vehicle)), HttpStatusCode.OK);
        return new Sealed(f, Make.Id(schedule), Make.Id(vehicle), (string)vehicle["plateNumber"]!, (DateTime)order["sealedAt"]!,
            (DateTime)schedule["sealDeadline"]!, (DateTime)schedule["releaseAt"]!);
    }

    private static string Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc.ToUniversalTime(), SealUpSteps.Shanghai).ToString("yyyy-MM-dd HH:mm");

    private static async Task<JsonNode> ImportFuel(FleetFixture f, string plate, params (DateTime At, string Station)[] rows)
    {
        var csv = new StringBuilder("plateNumber,time,station,litres,amount\n");
        foreach (var (at, station) in rows) csv.Append($"{plate},{Local(at)},{station},40,300\n");
        return await Client.Read(await f.As(As.Inspector).Http.PostAsync("/api/usage/import?kind=Fuel", UsageTests.File(Encoding.UTF8.GetBytes(csv.ToString()), "fuel.csv")), HttpStatusCode.OK);
    }

    private static async Task<JsonArray> UsedWhileSealed(FleetFixture f, string plate) =>
        (await f.As(As.Auditor).GetJson($"/api/violations?type=UsedWhileSealed&plateNumber={Uri.EscapeDataString(plate)}"))["items"]!.AsArray();

    private static async Task<List<string>> Listed(FleetFixture f, JsonNode violation, As who = As.Auditor) =>
        (await f.As(who).GetJson($"/api/usage?violationId={violation["id"]}"))["items"]!.AsArray().Select(u => (string)u!["place"]!).Order().ToList();

    private static Task RunCheck(FleetFixture f) => f.Factory.Run<Fleet.Api.Features.Usage.UsageCheck>(j => j.RunAsync(CancellationToken.None));

    [Fact]
    public async Task A_fuel_transaction_while_sealed_opens_exactly_one_violation_listing_it_also_after_more_records_and_two_job_runs()
    {
        await using var f = await FleetFixture.StartAsync();
        var s = await SealedCarAsync(f);
        f.Factory.MoveTo(s.Deadline.AddDays(2));
        // One record the day before the seal (the drive to the parking place), one during the holiday.
        var imported = await ImportFuel(f, s.Plate, (s.SealedAt.AddDays(-1), "封存前加油站"), (s.Deadline.AddHours(12), "假期加油站"));
        Assert.Equal(1, (int)imported["violationsOpened"]!);

        var violations = await UsedWhileSealed(f, s.Plate);
        var violation = Assert.Single(violations)!;
        Assert.Equal(("UsageCheck", "Open", f.UnitA), ((string)violation["source"]!, (string)violation["status"]!, (Guid)violation["unitId"]!));
        Assert.Equal(["假期加油站"], await Listed(f, violation));

        // The same file again adds nothing; a later record joins the same violation; the job twice changes nothing more.
        Assert.Equal(0, (int)(await ImportFuel(f, s.Plate, (s.SealedAt.AddDays(-1), "封存前加油站"), (s.Deadline.AddHours(12), "假期加油站")))["imported"]!);
        Assert.Equal(0, (int)(await ImportFuel(f, s.Plate, (s.Deadline.AddHours(30), "第二天加油站")))["violationsOpened"]!);
        await RunCheck(f);
        await RunCheck(f);
        violations = await UsedWhileSealed(f, s.Plate);
        Assert.Equal((string)violation["id"]!, (string)Assert.Single(violations)!["id"]!);
        Assert.Equal(["假期加油站", "第二天加油站"], await Listed(f, violation));
        // Opened by the check, audited once as created.
        var audit = (await f.As(As.Auditor).GetJson($"/api/audit?entity=Violation&entityId={violation["id"]}"))["items"]!.AsArray();
        Assert.Equal(["system:usage-check"], audit.Select(a => (string)a!["actor"]!).ToList());
    }

    [Fact]
    public async Task A_fuel_transaction_that_names_only_the_card_is_the_cards_cars_and_opens_its_violation()
    {
        await using var f = await FleetFixture.StartAsync();
        var s = await SealedCarAsync(f, v => v["fuelCardNumber"] = "1000 1134 0000 1234 567");
        var other = (string)(await f.As(As.VehicleAdmin).RegisterVehicle(Make.Vehicle(f.UnitA)))["plateNumber"]!;
        f.Factory.MoveTo(s.Deadline.AddDays(2));
        HttpContent Csv(string text) => UsageTests.File(Encoding.UTF8.GetBytes(text), "中石化加油卡交易明细.csv");

        // The card company's export: card, no plate.
        var imported = await Client.Read(await f.As(As.Inspector).Http.PostAsync("/api/usage/import?kind=Fuel",
            Csv($"卡号,交易时间,加油站,升数,金额\n1000113400001234567,{Local(s.Deadline.AddHours(5))},城东加油站,38.5,290.6\n")), HttpStatusCode.OK);
        Assert.Equal((1, 1), ((int)imported["imported"]!, (int)imported["violationsOpened"]!));
        var violation = Assert.Single(await UsedWhileSealed(f, s.Plate))!;
        var record = Assert.Single((await f.As(As.Auditor).GetJson($"/api/usage?violationId={violation["id"]}"))["items"]!.AsArray())!;
        Assert.Equal((s.Plate, s.Vehicle, "城东加油站"), ((string)record["plateNumber"]!, (Guid)record["vehicleId"]!, (string)record["place"]!));

        // The same transaction from an export with the plate too is the same record.
        var again = await Client.Read(await f.As(As.Inspector).Http.PostAsync("/api/usage/import?kind=Fuel",
            Csv($"车牌号,油卡号,交易时间,加油站,升数,金额\n{s.Plate},1000-1134-0000-1234-567,{Local(s.Deadline.AddHours(5))},城东加油站,38.5,290.6\n")), HttpStatusCode.OK);
        Assert.Equal((0, 1), ((int)again["imported"]!, (int)again["duplicates"]!));

        // A card nobody holds, a card given with another car's plate, and a row with neither: row errors, nothing written.
        var bad = await Client.Problem(await f.As(As.Inspector).Http.PostAsync("/api/usage/import?kind=Fuel",
            Csv($"车牌号,卡号,交易时间,加油站,升数,金额\n,9999888877776666,{Local(s.Deadline.AddHours(6))},甲站,10,80\n" +
                $"{other},1000113400001234567,{Local(s.Deadline.AddHours(7))},乙站,10,80\n,,{Local(s.Deadline.AddHours(8))},丙站,10,80\n")), HttpStatusCode.BadRequest);
        Assert.Equal([(2, "cardNumber"), (3, "cardNumber"), (4, "plateNumber")],
            bad["rowErrors"]!.AsArray().Select(e => ((int)e!["row"]!, (string)e["field"]!)).ToList());
        Assert.Contains(s.Plate, (string)bad["rowErrors"]![1]!["message"]!);
        Assert.Single((await f.As(As.Auditor).GetJson($"/api/usage?plateNumber={Uri.EscapeDataString(s.Plate)}"))["items"]!.AsArray());
        Assert.Empty((await f.As(As.Auditor).GetJson($"/api/usage?plateNumber={Uri.EscapeDataString(other)}"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_trip_that_began_before_the_seal_counts_when_it_went_on_long_after_it_not_when_it_was_the_drive_to_the_parking_place()
    {
        await using var f = await FleetFixture.StartAsync();
        var s = await SealedCarAsync(f);
        f.Factory.MoveTo(s.Deadline.AddDays(1));
        async Task<JsonNode> Trip(DateTime start, DateTime end, string to) => await Client.Read(await f.As(As.Inspector).Http.PostAsync("/api/usage/import?kind=Trip",
            UsageTests.File(Encoding.UTF8.GetBytes($"车牌号,开始时间,起点,结束时间,终点,里程\n{s.Plate},{Local(start)},机关大院,{Local(end)},{to},12\n"), "gps.csv")), HttpStatusCode.OK);

        // Ended ten minutes after the seal: the drive to the parking place (its end logged after the seal was).
        Assert.Equal(0, (int)(await Trip(s.SealedAt.AddHours(-1), s.SealedAt.AddMinutes(10), "停车场"))["violationsOpened"]!);
        await RunCheck(f);
        Assert.Empty(await UsedWhileSealed(f, s.Plate));
        // Began before the seal and drove on for two hours after it.
        Assert.Equal(1, (int)(await Trip(s.SealedAt.AddHours(-1), s.SealedAt.AddHours(2), "外地景区"))["violationsOpened"]!);
        Assert.Equal(["外地景区"], (await f.As(As.Auditor).GetJson($"/api/usage?violationId={Assert.Single(await UsedWhileSealed(f, s.Plate))!["id"]}"))["items"]!
            .AsArray().Select(u => (string)u!["endPlace"]!).ToList());
    }

    [Fact]
    public async Task A_record_after_the_release_time_opens_nothing_in_the_import_nor_in_the_job()
    {
        await using var f = await FleetFixture.StartAsync();
        var s = await SealedCarAsync(f);
        f.Factory.MoveTo(s.ReleaseAt.AddDays(1));
        await ImportFuel(f, s.Plate, (s.ReleaseAt.AddHours(2), "节后加油站"));
        await RunCheck(f);
        Assert.Empty(await UsedWhileSealed(f, s.Plate));
    }

    [Fact]
    public async Task After_an_approved_early_release_a_transaction_opens_nothing_and_one_before_it_still_does()
    {
        await using var f = await FleetFixture.StartAsync();
        var s = await SealedCarAsync(f);
        f.Factory.MoveTo(s.Deadline.AddHours(6));
        var exemption = await Client.Read(await f.As(As.VehicleAdmin).AskExemption(s.Schedule, s.Vehicle), HttpStatusCode.Created);
        f.Factory.MoveTo(s.Deadline.AddHours(10));
        await Client.Read(await f.As(As.Inspector).Post($"/api/exemptions/{exemption["id"]}/approve", new { note = "防汛抢险" }), HttpStatusCode.OK);
        f.Factory.MoveTo(s.Deadline.AddDays(1));

        var imported = await ImportFuel(f, s.Plate, (s.Deadline.AddHours(11), "抢险加油站"));
        Assert.Equal(0, (int)imported["violationsOpened"]!);
        await RunCheck(f);
        Assert.Empty(await UsedWhileSealed(f, s.Plate));

        // Before the approval the car was still sealed.
        await ImportFuel(f, s.Plate, (s.Deadline.AddHours(8), "审批前加油站"));
        Assert.Equal(["审批前加油站"], await Listed(f, Assert.Single(await UsedWhileSealed(f, s.Plate))!));
    }

    [Fact]
    public async Task Another_units_vehicle_administrator_sees_neither_the_violation_nor_its_records()
    {
        await using var f = await FleetFixture.StartAsync();
        var s = await SealedCarAsync(f);
        f.Factory.MoveTo(s.Deadline.AddDays(1));
        await ImportFuel(f, s.Plate, (s.Deadline.AddHours(3), "假期加油站"));
        var violation = Assert.Single(await UsedWhileSealed(f, s.Plate))!;

        Assert.Equal(["假期加油站"], await Listed(f, violation, As.VehicleAdmin));
        Assert.Empty(await Listed(f, violation, As.OtherVehicleAdmin));
        Assert.Empty((await f.As(As.OtherVehicleAdmin).GetJson($"/api/usage?plateNumber={Uri.EscapeDataString(s.Plate)}"))["items"]!.AsArray());
        await Client.Problem(await f.As(As.OtherVehicleAdmin).Http.GetAsync($"/api/violations/{violation["id"]}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Use_outside_working_hours_opens_nothing_by_default_and_one_violation_per_car_and_day_when_enabled()
    {
        await using var off = await FleetFixture.StartAsync();
        var plate = (string)(await off.As(As.Admin).RegisterVehicle(Make.Vehicle(off.UnitA)))["plateNumber"]!;
        var night = off.Factory.Clock.GetUtcNow().UtcDateTime.AddDays(-2).Date.AddHours(14); // 22:00 in Shanghai
        Assert.Equal(0, (int)(await ImportFuel(off, plate, (night, "夜间加油站")))["violationsOpened"]!);
        await RunCheck(off);
        Assert.Empty((await off.As(As.Auditor).GetJson("/api/violations?type=OffHoursUse"))["items"]!.AsArray());

        await using var on = await FleetFixture.StartAsync(new() { ["Fleet:UsageCheck:OffHoursEnabled"] = "true" });
        plate = (string)(await on.As(As.Admin).RegisterVehicle(Make.Vehicle(on.UnitA)))["plateNumber"]!;
        var imported = await ImportFuel(on, plate, (night, "夜间加油站"), (night.AddHours(1), "深夜加油站"), (night.AddHours(-10), "白天加油站"));
        Assert.Equal(1, (int)imported["violationsOpened"]!);
        await RunCheck(on);
        var violation = Assert.Single((await on.As(As.Auditor).GetJson("/api/violations?type=OffHoursUse"))["items"]!.AsArray())!;
        Assert.Equal("UsageCheck", (string)violation["source"]!);
        Assert.Equal(["夜间加油站", "深夜加油站"], await Listed(on, violation));
    }
}
