using System.Net;
using System.Text.Json.Nodes;
using Fleet.Api.Features.Recoveries;
using Fleet.Data.Entities;
using Fleet.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests;

public class RecoveryTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    private async Task<Guid> Campaign(string? name = null) => Make.Id(await Client.Read(await fleet.As(As.Admin).Post("/api/campaigns",
        new { name = name ?? "专项清理" + FleetFixture.Code(""), startsOn = "2026-09-01", endsOn = "2026-12-31" }), HttpStatusCode.Created));

    private async Task<JsonNode> Open(Guid campaign, Guid? vehicleId = null, string? plate = null, Guid? unit = null, string reason = "BorrowedFromEnterprise") =>
        await Client.Read(await fleet.As(As.Inspector).Post("/api/recoveries", new { campaignId = campaign, vehicleId, plateNumber = plate, unitId = unit ?? fleet.UnitA, reason, dueOn = "2026-12-31" }), HttpStatusCode.Created);

    [Fact]
    public async Task Campaigns_are_created_by_admins_and_checked()
    {
        var admin = fleet.As(As.Admin);
        var name = "第一轮" + FleetFixture.Code("");
        await Campaign(name);
        Assert.Contains((await fleet.As(As.Auditor).GetJson("/api/campaigns?pageSize=500"))["items"]!.AsArray(), c => (string)c!["name"]! == name);
        await Client.Problem(await admin.Post("/api/campaigns", new { name, startsOn = "2026-01-01", endsOn = "2026-02-01" }), HttpStatusCode.Conflict);
        await Client.Problem(await admin.Post("/api/campaigns", new { name = "x", startsOn = "2026-02-01", endsOn = "2026-01-01" }), HttpStatusCode.BadRequest, "endsOn");
        await Client.Problem(await fleet.As(As.Inspector).Post("/api/campaigns", new { name = "y", startsOn = "2026-01-01", endsOn = "2026-02-01" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Opening_a_case_puts_the_vehicle_under_recovery_and_recovering_it_frees_the_quota()
    {
        var admin = fleet.As(As.Admin);
        var unit = Make.Id(await admin.CreateUnit(FleetFixture.Code("R"), quota: 1));
        var legal = Make.Id(await admin.RegisterVehicle(Make.Vehicle(unit)));
        var borrowed = Make.Id(await admin.RegisterVehicle(Make.Vehicle(unit, v => v["source"] = "BorrowedFromEnterprise")));
        Assert.Equal(2, (int)(await admin.GetJson($"/api/units/{unit}"))["activeVehicles"]!);

        var recovery = await Open(await Campaign(), borrowed, unit: unit);
        Assert.Equal("Open", (string)recovery["status"]!);
        Assert.Equal("UnderRecovery", (string)(await admin.GetJson($"/api/vehicles/{borrowed}"))["status"]!);
        await Client.Problem(await fleet.As(As.Inspector).Post($"/api/recoveries/{recovery["id"]}/recover", new { recoveredOn = "2030-01-01", disposition = "ReturnedToOwner" }), HttpStatusCode.BadRequest, "recoveredOn");
        var recovered = await Client.Read(await fleet.As(As.Inspector).Post($"/api/recoveries/{recovery["id"]}/recover", new { recoveredOn = fleet.Factory.LocalToday(), disposition = "ReturnedToOwner" }), HttpStatusCode.OK);
        Assert.Equal("Recovered", (string)recovered["status"]!);
        Assert.Equal("ReturnedToOwner", (string)recovered["disposition"]!);
        Assert.Equal("Recovered", (string)(await admin.GetJson($"/api/vehicles/{borrowed}"))["status"]!);
        Assert.Equal(1, (int)(await admin.GetJson($"/api/units/{unit}"))["activeVehicles"]!);
        // With the recovered car gone the unit holds one car, its quota: the next registration is over quota again, and only that one.
        await admin.RegisterVehicle(Make.Vehicle(unit));
        Assert.Equal(2, (int)(await admin.GetJson($"/api/violations?unitId={unit}&type=OverQuota"))["total"]!);
        await Client.Problem(await fleet.As(As.Inspector).Post($"/api/recoveries/{recovery["id"]}/recover", new { recoveredOn = fleet.Factory.LocalToday(), disposition = "Auctioned" }), HttpStatusCode.Conflict);
        await Client.Problem(await fleet.As(As.Inspector).Post($"/api/recoveries/{recovery["id"]}/cancel", new { reason = "x" }), HttpStatusCode.Conflict);
        await Client.Problem(await fleet.As(As.Inspector).Post("/api/recoveries", new { campaignId = recovered["campaignId"]!.GetValue<Guid>(), vehicleId = borrowed, unitId = unit, reason = "Other", dueOn = "2026-12-31" }), HttpStatusCode.Conflict);
        Assert.Equal("Active", (string)(await admin.GetJson($"/api/vehicles/{legal}"))["status"]!);
    }

    [Fact]
    public async Task A_case_for_an_unregistered_plate_and_a_cancelled_case()
    {
        var campaign = await Campaign();
        var plate = Make.Plate();
        var unregistered = await Open(campaign, plate: plate, unit: fleet.UnitB, reason: "Unregistered");
        Assert.Null(unregistered["vehicleId"]);
        Assert.Equal(plate, (string)unregistered["plateNumber"]!);
        await Client.Problem(await fleet.As(As.Inspector).Post("/api/recoveries", new { campaignId = campaign, plateNumber = plate, unitId = fleet.UnitB, reason = "Unregistered", dueOn = "2026-12-31" }), HttpStatusCode.Conflict);

        var vehicle = Make.Id(await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var recovery = await Open(campaign, vehicle, reason: "OverQuota");
        await Client.Problem(await fleet.As(As.Inspector).Post($"/api/recoveries/{recovery["id"]}/cancel", new { reason = "" }), HttpStatusCode.BadRequest, "reason");
        var cancelled = await Client.Read(await fleet.As(As.Inspector).Post($"/api/recoveries/{recovery["id"]}/cancel", new { reason = "经核实为合规调配" }), HttpStatusCode.OK);
        Assert.Equal("Cancelled", (string)cancelled["status"]!);
        Assert.Equal("Active", (string)(await fleet.As(As.Admin).GetJson($"/api/vehicles/{vehicle}"))["status"]!);
    }

    [Fact]
    public async Task Bad_cases_are_refused_and_write_nothing()
    {
        var campaign = await Campaign();
        var vehicle = Make.Id(await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var inspector = fleet.As(As.Inspector);
        var before = await fleet.Factory.WrittenState();
        await Client.Problem(await inspector.Post("/api/recoveries", new { campaignId = Guid.NewGuid(), vehicleId = vehicle, unitId = fleet.UnitA, reason = "Other", dueOn = "2026-12-31" }), HttpStatusCode.BadRequest, "campaignId");
        await Client.Problem(await inspector.Post("/api/recoveries", new { campaignId = campaign, vehicleId = vehicle, unitId = fleet.UnitB, reason = "Other", dueOn = "2026-12-31" }), HttpStatusCode.BadRequest, "unitId");
        await Client.Problem(await inspector.Post("/api/recoveries", new { campaignId = campaign, vehicleId = vehicle, unitId = fleet.UnitA, reason = "Stolen", dueOn = "2026-12-31" }), HttpStatusCode.BadRequest, "reason");
        await Client.Problem(await inspector.Post("/api/recoveries", new { campaignId = campaign, vehicleId = vehicle, unitId = fleet.UnitA, reason = "Other", dueOn = "2020-01-01" }), HttpStatusCode.BadRequest, "dueOn");
        await Client.Problem(await inspector.Post("/api/recoveries", new { campaignId = campaign, unitId = fleet.UnitA, reason = "Other", dueOn = "2026-12-31" }), HttpStatusCode.BadRequest, "plateNumber");
        await Client.Problem(await fleet.As(As.Admin).Post("/api/recoveries", new { campaignId = campaign, vehicleId = vehicle, unitId = fleet.UnitA, reason = "Other", dueOn = "2026-12-31" }), HttpStatusCode.Forbidden);
        await Client.Problem(await inspector.Post($"/api/recoveries/{Guid.NewGuid()}/recover", new { recoveredOn = "2027-01-01", disposition = "Scrapped" }), HttpStatusCode.NotFound);
        Assert.Equal(before, await fleet.Factory.WrittenState());
    }

    [Fact]
    public async Task Recovery_rates_per_unit_and_campaign_come_from_the_records()
    {
        var campaign = await Campaign();
        var admin = fleet.As(As.Admin);
        var unitX = Make.Id(await admin.CreateUnit(FleetFixture.Code("X")));
        var unitY = Make.Id(await admin.CreateUnit(FleetFixture.Code("Y")));
        async Task<Guid> Case(Guid unit) => Make.Id(await Open(campaign, plate: Make.Plate(), unit: unit, reason: "Unregistered"));
        var x = new[] { await Case(unitX), await Case(unitX), await Case(unitX), await Case(unitX) };
        var y = await Case(unitY);
        foreach (var id in x[..2]) await Client.Read(await fleet.As(As.Inspector).Post($"/api/recoveries/{id}/recover", new { recoveredOn = fleet.Factory.LocalToday(), disposition = "Auctioned" }), HttpStatusCode.OK);
        await Client.Read(await fleet.As(As.Inspector).Post($"/api/recoveries/{x[2]}/cancel", new { reason = "重复立案" }), HttpStatusCode.OK);
        await Client.Read(await fleet.As(As.Inspector).Post($"/api/recoveries/{y}/cancel", new { reason = "重复立案" }), HttpStatusCode.OK);

        var rates = await fleet.As(As.Auditor).GetJson($"/api/recoveries/rates?campaignId={campaign}");
        Assert.Equal(5, (int)rates["identified"]!);
        Assert.Equal(2, (int)rates["recovered"]!);
        Assert.Equal(2, (int)rates["cancelled"]!);
        Assert.Equal(1, (int)rates["outstanding"]!);
        Assert.Equal(2m / 3m, (decimal)rates["rate"]!, 5);
        var ofX = rates["units"]!.AsArray().Single(u => (Guid)u!["unitId"]! == unitX)!;
        Assert.Equal(2m / 3m, (decimal)ofX["rate"]!, 5);
        Assert.Equal(1, (int)ofX["outstanding"]!);
        var ofY = rates["units"]!.AsArray().Single(u => (Guid)u!["unitId"]! == unitY)!;
        Assert.Null(ofY["rate"]); // one identified, one cancelled: nothing counts

        var empty = await fleet.As(As.Auditor).GetJson($"/api/recoveries/rates?campaignId={await Campaign()}");
        Assert.Equal(0, (int)empty["identified"]!);
        Assert.Null(empty["rate"]);
        Assert.Empty(empty["units"]!.AsArray());
        await Client.Problem(await admin.Get($"/api/recoveries/rates?campaignId={Guid.NewGuid()}"), HttpStatusCode.BadRequest, "campaignId");
        Assert.True((int)(await admin.GetJson("/api/recoveries/rates"))["identified"]! >= 5);
    }

    [Theory]
    [InlineData(39, 39, 0, 1.0)]
    [InlineData(999, 1000, 0, 0.999)]
    [InlineData(999_999, 1_000_000, 0, 0.999999)]
    [InlineData(9_999_999, 10_000_000, 0, 0.999999)]
    [InlineData(3, 5, 2, 1.0)]
    [InlineData(0, 4, 0, 0.0)]
    public void The_rate_arithmetic_never_rounds_up_to_100_percent(int recovered, int identified, int cancelled, double expected)
    {
        Assert.Equal((decimal)expected, RecoveryRates.Rate(recovered, identified, cancelled));
        if (recovered < identified - cancelled) Assert.True(RecoveryRates.Rate(recovered, identified, cancelled) < 1m);
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(0, 2, 2)]
    public void With_nothing_counted_the_rate_is_empty(int recovered, int identified, int cancelled) =>
        Assert.Null(RecoveryRates.Rate(recovered, identified, cancelled));

    [Fact]
    public async Task Rates_for_a_campaign_of_39_recovered_are_100_percent_and_a_vehicle_admin_sees_their_unit()
    {
        var campaign = await Campaign();
        var inspector = fleet.As(As.Inspector);
        for (var i = 0; i < 39; i++)
        {
            var id = Make.Id(await Open(campaign, plate: Make.Plate(), unit: i % 2 == 0 ? fleet.UnitA : fleet.UnitB, reason: "Unregistered"));
            await Client.Read(await inspector.Post($"/api/recoveries/{id}/recover", new { recoveredOn = fleet.Factory.LocalToday(), disposition = "Reassigned" }), HttpStatusCode.OK);
        }
        var rates = await fleet.As(As.Auditor).GetJson($"/api/recoveries/rates?campaignId={campaign}");
        Assert.Equal(39, (int)rates["recovered"]!);
        Assert.Equal(1.0m, (decimal)rates["rate"]!);
        var own = await fleet.As(As.VehicleAdmin).GetJson($"/api/recoveries/rates?campaignId={campaign}");
        Assert.Equal(20, (int)own["identified"]!);
        Assert.Equal([fleet.UnitA], own["units"]!.AsArray().Select(u => (Guid)u!["unitId"]!).ToArray());
        Assert.All((await fleet.As(As.VehicleAdmin).GetJson($"/api/recoveries?campaignId={campaign}&pageSize=500"))["items"]!.AsArray(),
            r => Assert.Equal(fleet.UnitA, (Guid)r!["unitId"]!));
    }

    [Fact]
    public async Task The_overdue_job_flags_open_cases_past_due_once()
    {
        var campaign = await Campaign();
        var open = Make.Id(await Open(campaign, plate: Make.Plate(), unit: fleet.UnitA, reason: "Unregistered"));
        var closed = Make.Id(await Open(campaign, plate: Make.Plate(), unit: fleet.UnitA, reason: "Unregistered"));
        await Client.Read(await fleet.As(As.Inspector).Post($"/api/recoveries/{closed}/cancel", new { reason = "x" }), HttpStatusCode.OK);
        // The fake clock starts in January 2027, after the cases' due date of 2026-12-31.
        await fleet.Factory.Run<Fleet.Api.Features.Recoveries.RecoveryOverdue>(j => j.RunAsync(CancellationToken.None));
        await fleet.Factory.Run<Fleet.Api.Features.Recoveries.RecoveryOverdue>(j => j.RunAsync(CancellationToken.None));
        Assert.True((bool)(await fleet.As(As.Inspector).GetJson($"/api/recoveries/{open}"))["pastDue"]!);
        Assert.False((bool)(await fleet.As(As.Inspector).GetJson($"/api/recoveries/{closed}"))["pastDue"]!);
        Assert.Equal(1, await fleet.Factory.Db(db => db.AuditEntries.CountAsync(a => a.EntityId == open.ToString() && a.Action == "PastDue")));
        Assert.Equal(1, await fleet.Factory.Db(db => db.RecoveryCases.Where(r => r.Id == open).Select(r => r.Version).SingleAsync()));
    }
}
