using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests;

/// <summary>Recovery and quota rules the figures rest on: what a recovery settles, when, and races settled by the database.</summary>
public class RecoveryRulesTests
{
    private static async Task<Guid> Campaign(FleetFixture f) => Make.Id(await Client.Read(await f.As(As.Admin).Post("/api/campaigns",
        new { name = "专项清理" + FleetFixture.Code(""), startsOn = "2026-09-01", endsOn = "2027-12-31" }), HttpStatusCode.Created));

    private static Task<HttpResponseMessage> Open(FleetFixture f, Guid campaign, Guid? vehicleId = null, string? plate = null, Guid? unit = null, string reason = "Other") =>
        f.As(As.Inspector).Post("/api/recoveries", new { campaignId = campaign, vehicleId, plateNumber = plate, unitId = unit ?? f.UnitA, reason, dueOn = "2027-06-30" });

    private static async Task<JsonNode> Recover(FleetFixture f, JsonNode recovery) => await Client.Read(await f.As(As.Inspector).Post(
        $"/api/recoveries/{recovery["id"]}/recover", new { recoveredOn = f.Factory.LocalToday(), disposition = "ReturnedToOwner" }), HttpStatusCode.OK);

    private static async Task<List<JsonNode>> Violations(FleetFixture f, Guid unit) =>
        (await f.As(As.Auditor).GetJson($"/api/violations?unitId={unit}&pageSize=500"))["items"]!.AsArray().Select(v => v!).ToList();

    [Fact]
    public async Task What_a_recovery_settled_names_the_car_and_the_campaign_on_the_page_and_in_the_report_never_the_case_id()
    {
        await using var f = await FleetFixture.StartAsync();
        var admin = f.As(As.Admin);
        var unit = Make.Id(await admin.CreateUnit(FleetFixture.Code("Q"), quota: 5));
        var car = await admin.RegisterVehicle(Make.Vehicle(unit, v => v["source"] = "BorrowedFromEnterprise"));
        var campaignName = "专项清理" + FleetFixture.Code("");
        var campaign = Make.Id(await Client.Read(await admin.Post("/api/campaigns", new { name = campaignName, startsOn = "2026-09-01", endsOn = "2027-12-31" }), HttpStatusCode.Created));
        var recovery = await Client.Read(await Open(f, campaign, Make.Id(car), unit: unit, reason: "BorrowedFromEnterprise"), HttpStatusCode.Created);
        await Recover(f, recovery);
        var violation = (await Violations(f, unit)).Single(v => (string)v["type"]! == "IllegalSource");
        var plate = (string)car["plateNumber"]!;
        var expected = $"已通过收回办结（{plate} 已收回，{campaignName}追缴案件）。";

        var (username, password) = f.Account(As.Inspector);
        using var browser = await PageForms.SignedIn(f.Factory, username, password);
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync($"/violations/{violation["id"]}"));
        Assert.Contains(expected, page);
        Assert.DoesNotContain((string)recovery["id"]!, page);

        using var book = await Workbook.Download(f.As(As.Auditor), $"/api/reports/violations.xlsx?unitId={unit}");
        var details = book.Book.Worksheet("违规明细");
        var header = details.Row(6).CellsUsed().Select(c => c.GetString()).ToList();
        var row = Workbook.Rows(details).Single(r => r.Cell(header.IndexOf("车牌") + 1).GetString() == plate && r.Cell(header.IndexOf("类型") + 1).GetString() == "违规借用车辆");
        Assert.Equal(expected, row.Cell(header.IndexOf("办结说明") + 1).GetString());
        Assert.DoesNotContain((string)recovery["id"]!, book.SheetXml());
    }

    [Fact]
    public async Task Recovering_a_car_resolves_its_registration_violations_and_once_within_quota_the_units_other_over_quota()
    {
        await using var f = await FleetFixture.StartAsync();
        var admin = f.As(As.Admin);
        var unit = Make.Id(await admin.CreateUnit(FleetFixture.Code("Q"), quota: 1));
        var legal = Make.Id(await admin.RegisterVehicle(Make.Vehicle(unit)));
        var illegal = Make.Id(await admin.RegisterVehicle(Make.Vehicle(unit, v => { v["source"] = "BorrowedFromEnterprise"; v["engineDisplacement"] = 2.5m; })));
        var third = Make.Id(await admin.RegisterVehicle(Make.Vehicle(unit)));
        var all = await Violations(f, unit);
        Assert.Equal(["IllegalSource", "OverQuota", "OverStandard"], all.Where(v => (Guid)v["vehicleId"]! == illegal).Select(v => (string)v["type"]!).Order());
        Assert.Equal("OverQuota", (string)all.Single(v => (Guid)v["vehicleId"]! == third)["type"]!);

        var campaign = await Campaign(f);
        var recovery = await Client.Read(await Open(f, campaign, illegal, unit: unit, reason: "BorrowedFromEnterprise"), HttpStatusCode.Created);
        await Recover(f, recovery);
        all = await Violations(f, unit);
        Assert.All(all.Where(v => (Guid)v["vehicleId"]! == illegal), v =>
        {
            Assert.Equal("Resolved", (string)v["status"]!);
            Assert.Contains((string)recovery["id"]!, (string)v["closeReason"]!);
        });
        // Still two cars held on a quota of one: the third car's over-quota violation stands.
        Assert.Equal("Open", (string)all.Single(v => (Guid)v["vehicleId"]! == third)["status"]!);

        // A cancelled case settles nothing; a recovered one that brings the unit within its quota settles the rest.
        var cancelled = await Client.Read(await Open(f, campaign, legal, unit: unit), HttpStatusCode.Created);
        await Client.Read(await f.As(As.Inspector).Post($"/api/recoveries/{cancelled["id"]}/cancel", new { reason = "误报" }), HttpStatusCode.OK);
        Assert.Equal("Open", (string)(await Violations(f, unit)).Single(v => (Guid)v["vehicleId"]! == third)["status"]!);
        var second = await Client.Read(await Open(f, campaign, legal, unit: unit), HttpStatusCode.Created);
        await Recover(f, second);
        var settled = (await Violations(f, unit)).Single(v => (Guid)v["vehicleId"]! == third);
        Assert.Equal("Resolved", (string)settled["status"]!);
        Assert.Contains((string)second["id"]!, (string)settled["closeReason"]!);
        Assert.Equal(1, (int)(await admin.GetJson($"/api/units/{unit}"))["activeVehicles"]!);
    }

    [Fact]
    public async Task Recovering_an_unregistered_car_settles_its_plates_unregistered_vehicle_violations_and_nothing_of_the_unit()
    {
        await using var f = await FleetFixture.StartAsync();
        var unit = Make.Id(await f.As(As.Admin).CreateUnit(FleetFixture.Code("Q"), quota: 1));
        await f.As(As.Admin).RegisterVehicle(Make.Vehicle(unit));
        await f.As(As.Admin).RegisterVehicle(Make.Vehicle(unit)); // over quota
        var plate = Make.Plate();
        await Client.Read(await f.As(As.Inspector).Post("/api/spot-checks",
            new { plateNumber = plate, unitId = unit, checkedAt = "2027-01-01T02:00:00Z", location = "大院", finding = "UnregisteredVehicle" }), HttpStatusCode.Created);
        var recovery = await Client.Read(await Open(f, await Campaign(f), plate: plate, unit: unit, reason: "Unregistered"), HttpStatusCode.Created);
        await Recover(f, recovery);
        var all = await Violations(f, unit);
        var settled = all.Single(v => (string)v["type"]! == "UnregisteredVehicle");
        Assert.Equal("Resolved", (string)settled["status"]!);
        Assert.Contains((string)recovery["id"]!, (string)settled["closeReason"]!);
        Assert.Equal("Open", (string)all.Single(v => (string)v["type"]! == "OverQuota")["status"]!);
    }

    [Fact]
    public async Task A_case_is_never_recovered_before_it_was_opened()
    {
        await using var f = await FleetFixture.StartAsync();
        var recovery = await Client.Read(await Open(f, await Campaign(f), plate: Make.Plate(), unit: f.UnitA, reason: "Unregistered"), HttpStatusCode.Created);
        var before = await f.Factory.WrittenState();
        var refused = await Client.Problem(await f.As(As.Inspector).Post($"/api/recoveries/{recovery["id"]}/recover",
            new { recoveredOn = f.Factory.LocalToday().AddDays(-1), disposition = "Scrapped" }), HttpStatusCode.BadRequest, "recoveredOn");
        Assert.Contains(f.Factory.LocalToday().ToString("yyyy-MM-dd"), refused.ToJsonString());
        Assert.Equal(before, await f.Factory.WrittenState());
        Assert.Equal("Recovered", (string)(await Recover(f, recovery))["status"]!);
    }

    [Fact]
    public async Task One_open_case_per_car_and_twenty_at_once_for_an_unregistered_plate_open_one()
    {
        await using var f = await FleetFixture.StartAsync();
        var campaign = await Campaign(f);
        var vehicle = Make.Id(await f.As(As.Admin).RegisterVehicle(Make.Vehicle(f.UnitA)));
        await Client.Read(await Open(f, campaign, vehicle), HttpStatusCode.Created);
        await Client.Problem(await Open(f, campaign, vehicle), HttpStatusCode.Conflict);

        var plate = Make.Plate();
        var statuses = await Together.Send(20, _ => Open(f, campaign, plate: plate, unit: f.UnitA, reason: "Unregistered"));
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(19, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(1, await f.Factory.Db(db => db.RecoveryCases.CountAsync(r => r.PlateNumber == plate)));
        var rates = await f.As(As.Auditor).GetJson($"/api/recoveries/rates?campaignId={campaign}");
        Assert.Equal(2, (int)rates["identified"]!);

        var other = Make.Id(await f.As(As.Admin).RegisterVehicle(Make.Vehicle(f.UnitA)));
        statuses = await Together.Send(20, _ => Open(f, campaign, other));
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(19, statuses.Count(s => s == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Twenty_registrations_at_once_into_a_unit_with_a_quota_of_one_open_nineteen_over_quota_violations()
    {
        await using var f = await FleetFixture.StartAsync();
        var unit = Make.Id(await f.As(As.Admin).CreateUnit(FleetFixture.Code("Q"), quota: 1));
        var statuses = await Together.Send(20, _ => f.As(As.Admin).Post("/api/vehicles", Make.Vehicle(unit)));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
        Assert.Equal(19, (await Violations(f, unit)).Count(v => (string)v["type"]! == "OverQuota"));
    }

    [Fact]
    public async Task Every_list_with_plates_finds_a_part_of_the_plate()
    {
        await using var f = await FleetFixture.StartAsync();
        var admin = f.As(As.Admin);
        var schedule = Make.Id(await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 20)) }));
        var vehicle = await admin.RegisterVehicle(Make.Vehicle(f.UnitA));
        var noise = await admin.RegisterVehicle(Make.Vehicle(f.UnitA));
        var id = Make.Id(vehicle);
        var plate = (string)vehicle["plateNumber"]!;
        foreach (var v in new[] { id, Make.Id(noise) })
        {
            await Client.Read(await admin.AskExemption(schedule, v), HttpStatusCode.Created);
            await Client.Read(await f.As(As.Inspector).Post("/api/spot-checks", new { vehicleId = v, checkedAt = "2027-01-01T02:00:00Z", location = "x", finding = "PrivateUse" }), HttpStatusCode.Created);
            await Client.Read(await Open(f, await Campaign(f), v), HttpStatusCode.Created);
        }
        var part = plate[4..];
        Assert.DoesNotContain(part, (string)noise["plateNumber"]!);
        foreach (var list in new[] { "/api/vehicles", $"/api/sealup-schedules/{schedule}/orders", "/api/exemptions", $"/api/sealup-schedules/{schedule}/exemptions",
            "/api/spot-checks", "/api/violations", "/api/recoveries" })
        {
            var items = (await f.As(As.Auditor).GetJson($"{list}?plateNumber={Uri.EscapeDataString(part.ToLowerInvariant())}"))["items"]!.AsArray();
            Assert.True(items.Count > 0 && items.All(i => (string)i!["plateNumber"]! == plate), $"{list} by '{part}': {items.ToJsonString()}");
        }
    }
}
