using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Support;

namespace Fleet.Tests;

/// <summary>Registration always succeeds and opens the violations the standards call for, once per vehicle.</summary>
public class StandardsTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    private async Task<JsonArray> ViolationsOf(Client who, Guid vehicleId, Guid unitId) =>
        new((await who.GetJson($"/api/violations?unitId={unitId}&pageSize=500"))["items"]!.AsArray()
            .Where(v => (Guid?)v!["vehicleId"] == vehicleId).Select(v => v!.DeepClone()).ToArray());

    [Theory]
    [InlineData(1.8, 180000, false)]
    [InlineData(2.0, 150000, true)]
    [InlineData(1.5, 180000.01, true)]
    public async Task A_general_vehicle_above_the_displacement_or_price_standard_is_over_standard(decimal litres, decimal price, bool over)
    {
        var admin = fleet.As(As.Admin);
        var vehicle = await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA, v => { v["engineDisplacement"] = litres; v["purchasePrice"] = price; }));
        Assert.Equal(over, (bool)vehicle["overStandard"]!);
        var violations = await ViolationsOf(admin, Make.Id(vehicle), fleet.UnitA);
        Assert.Equal(over ? ["OverStandard"] : Array.Empty<string>(), violations.Select(v => (string)v!["type"]!).ToArray());
        if (over)
        {
            Assert.Equal("Registration", (string)violations[0]!["source"]!);
            Assert.Equal("Open", (string)violations[0]!["status"]!);
            Assert.Equal(Make.Id(vehicle), (Guid)violations[0]!["sourceId"]!);
        }
    }

    [Fact]
    public async Task A_law_enforcement_vehicle_is_not_held_to_the_general_standard()
    {
        var vehicle = await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitA, v => { v["category"] = "LawEnforcement"; v["engineDisplacement"] = 3.0m; }));
        Assert.False((bool)vehicle["overStandard"]!);
    }

    [Theory]
    [InlineData("BorrowedFromEnterprise")]
    [InlineData("Seconded")]
    [InlineData("Unregistered")]
    public async Task A_vehicle_not_allocated_is_an_illegal_official_vehicle(string source)
    {
        var admin = fleet.As(As.Admin);
        var vehicle = await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA, v => v["source"] = source));
        var violations = await ViolationsOf(admin, Make.Id(vehicle), fleet.UnitA);
        Assert.Equal("IllegalSource", (string)Assert.Single(violations)!["type"]!);
    }

    [Fact]
    public async Task The_registration_that_takes_a_unit_past_its_quota_opens_over_quota_and_edits_do_not_reopen_it()
    {
        var admin = fleet.As(As.Admin);
        var unit = Make.Id(await admin.CreateUnit(FleetFixture.Code("Q"), quota: 2));
        var first = await admin.RegisterVehicle(Make.Vehicle(unit));
        var second = await admin.RegisterVehicle(Make.Vehicle(unit));
        var third = await admin.RegisterVehicle(Make.Vehicle(unit, v => v["engineDisplacement"] = 2.5m));

        Assert.Empty(await ViolationsOf(admin, Make.Id(first), unit));
        Assert.Empty(await ViolationsOf(admin, Make.Id(second), unit));
        Assert.Equal(["OverQuota", "OverStandard"], (await ViolationsOf(admin, Make.Id(third), unit)).Select(v => (string)v!["type"]!).Order().ToArray());
        Assert.Equal(3, (int)(await admin.GetJson($"/api/units/{unit}"))["activeVehicles"]!);

        // Editing the over-standard, over-quota vehicle twice opens nothing new.
        for (var i = 0; i < 2; i++)
        {
            var get = await admin.Get($"/api/vehicles/{Make.Id(third)}");
            var body = await Client.Read(get, HttpStatusCode.OK);
            await Client.Read(await admin.Put($"/api/vehicles/{Make.Id(third)}", VehicleTests.Edit(body, v => v["model"] = "M" + i), get.Headers.ETag!.ToString()), HttpStatusCode.OK);
        }
        Assert.Equal(2, (await ViolationsOf(admin, Make.Id(third), unit)).Count);

        // Disposed vehicles no longer count: with two of three retired, the next registration fits the quota again.
        await Client.Read(await admin.Post($"/api/vehicles/{Make.Id(first)}/dispose", new { reason = "报废" }), HttpStatusCode.OK);
        await Client.Read(await admin.Post($"/api/vehicles/{Make.Id(second)}/dispose", new { reason = "报废" }), HttpStatusCode.OK);
        await admin.RegisterVehicle(Make.Vehicle(unit, v => v["source"] = "Allocated"));
        Assert.Equal(1, (int)(await admin.GetJson($"/api/violations?unitId={unit}&type=OverQuota"))["total"]!);
    }

    [Fact]
    public async Task An_edit_that_breaks_a_standard_opens_its_violation_once()
    {
        var admin = fleet.As(As.Admin);
        var id = Make.Id(await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        Assert.Empty(await ViolationsOf(admin, id, fleet.UnitA));
        for (var i = 0; i < 2; i++)
        {
            var get = await admin.Get($"/api/vehicles/{id}");
            var body = await Client.Read(get, HttpStatusCode.OK);
            var edited = await Client.Read(await admin.Put($"/api/vehicles/{id}",
                VehicleTests.Edit(body, v => { v["purchasePrice"] = 250000m + i; v["source"] = "BorrowedFromEnterprise"; }), get.Headers.ETag!.ToString()), HttpStatusCode.OK);
            Assert.True((bool)edited["overStandard"]!);
        }
        Assert.Equal(["IllegalSource", "OverStandard"], (await ViolationsOf(admin, id, fleet.UnitA)).Select(v => (string)v!["type"]!).Order().ToArray());
    }

    [Fact]
    public async Task Moving_a_vehicle_into_a_full_unit_opens_over_quota()
    {
        var admin = fleet.As(As.Admin);
        var full = Make.Id(await admin.CreateUnit(FleetFixture.Code("F"), quota: 1));
        await admin.RegisterVehicle(Make.Vehicle(full));
        var id = Make.Id(await admin.RegisterVehicle(Make.Vehicle(fleet.UnitB)));
        var get = await admin.Get($"/api/vehicles/{id}");
        await Client.Read(await admin.Put($"/api/vehicles/{id}", VehicleTests.Edit(await Client.Read(get, HttpStatusCode.OK), v => v["unitId"] = full), get.Headers.ETag!.ToString()), HttpStatusCode.OK);
        var violation = Assert.Single(await ViolationsOf(admin, id, full));
        Assert.Equal("OverQuota", (string)violation!["type"]!);
    }

    [Fact]
    public async Task Violations_filter_by_unit_type_status_and_date_and_a_vehicle_admin_sees_only_their_unit()
    {
        var admin = fleet.As(As.Admin);
        await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA, v => v["source"] = "Seconded"));
        await admin.RegisterVehicle(Make.Vehicle(fleet.UnitB, v => v["source"] = "Seconded"));

        var ofA = await fleet.As(As.VehicleAdmin).GetJson("/api/violations?pageSize=500");
        Assert.NotEmpty(ofA["items"]!.AsArray());
        Assert.All(ofA["items"]!.AsArray(), v => Assert.Equal(fleet.UnitA, (Guid)v!["unitId"]!));
        Assert.Equal(0, (int)(await fleet.As(As.VehicleAdmin).GetJson($"/api/violations?unitId={fleet.UnitB}"))["total"]!);

        var typed = await fleet.As(As.Inspector).GetJson("/api/violations?type=IllegalSource&status=Open&pageSize=500");
        Assert.Contains(typed["items"]!.AsArray(), v => (Guid)v!["unitId"]! == fleet.UnitB);
        Assert.All(typed["items"]!.AsArray(), v => Assert.Equal("IllegalSource", (string)v!["type"]!));
        var today = FleetFactory.Start.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd");
        Assert.True((int)(await admin.GetJson($"/api/violations?from={today}&to={today}"))["total"]! > 0);
        Assert.Equal(0, (int)(await admin.GetJson("/api/violations?from=2030-01-01"))["total"]!);
        Assert.Equal(0, (int)(await admin.GetJson("/api/violations?status=Dismissed"))["total"]!);
        await Client.Problem(await admin.Get("/api/violations?from=yesterday"), HttpStatusCode.BadRequest, "from");
        // The calendar's ends are dates like any other, not a server error.
        Assert.True((int)(await admin.GetJson("/api/violations?from=0001-01-01&to=9999-12-31"))["total"]! > 0);
        Assert.Equal(0, (int)(await admin.GetJson("/api/violations?from=9999-12-31T23:00:00%2B08:00"))["total"]!);
        await Client.Problem(await admin.Get("/api/violations?from=2027-02-01&to=2027-01-01"), HttpStatusCode.BadRequest, "to");
        await Client.Problem(await admin.Get("/api/violations?type=Speeding"), HttpStatusCode.BadRequest, "type");
    }
}
