using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests;

/// <summary>
/// The roll-up's figures and colours follow every change a user makes: cars held, open violations, actions against
/// persons; red for a broken seal, yellow for an old open violation nobody has acted on. On SQLite the per-unit counts
/// are kept by triggers; there they must equal a recount of the records after every step.
/// </summary>
public sealed class RollUpTests
{
    [Fact]
    public async Task A_units_figures_and_colour_follow_its_cars_violations_and_actions()
    {
        await using var fleet = await FleetFixture.StartAsync();
        var admin = fleet.As(As.Admin);
        var va = fleet.As(As.VehicleAdmin);
        var inspector = fleet.As(As.Inspector);
        var root = (string)(await admin.GetJson("/api/regions")).AsArray().Single(r => r!["parentId"] is null)!["id"]!;
        async Task<JsonNode> FiguresOf(Guid unit)
        {
            await SameAsRecount(fleet);
            var summary = await fleet.As(As.Auditor).GetJson($"/api/regions/{root}/summary");
            return summary["units"]!.AsArray().Single(u => (Guid)u!["unitId"]! == unit)!["figures"]!;
        }

        var cars = new List<Guid>();
        for (var i = 0; i < 3; i++) cars.Add(Make.Id(await va.RegisterVehicle(Make.Vehicle(fleet.UnitA))));
        await admin.RegisterVehicle(Make.Vehicle(fleet.UnitB));
        await Client.Read(await va.Post($"/api/vehicles/{cars[2]}/dispose", new { reason = "报废" }), HttpStatusCode.OK);
        var a = await FiguresOf(fleet.UnitA);
        Assert.Equal((2, 0, 0, "Green"), ((int)a["vehicles"]!, (int)a["openViolations"]!, (int)a["personActions"]!, (string)a["warning"]!));
        Assert.Equal(1, (int)(await FiguresOf(fleet.UnitB))["vehicles"]!);

        // An open violation nobody acts on turns the unit yellow once it is older than 30 days.
        var parked = Make.Id(await Client.Read(await inspector.Post("/api/violations", new { type = "PrivateUse", unitId = fleet.UnitA, notes = "周末私用" }), HttpStatusCode.Created));
        a = await FiguresOf(fleet.UnitA);
        Assert.Equal((1, "Green"), ((int)a["openViolations"]!, (string)a["warning"]!));
        fleet.Factory.Clock.Advance(TimeSpan.FromDays(31));
        Assert.Equal("Yellow", (string)(await FiguresOf(fleet.UnitA))["warning"]!);
        Assert.Equal("Green", (string)(await FiguresOf(fleet.UnitB))["warning"]!);

        // An action against a person answers it.
        await Client.Read(await inspector.Post($"/api/violations/{parked}/actions", new { personName = "张三", position = "司机", action = "Admonishment" }), HttpStatusCode.Created);
        a = await FiguresOf(fleet.UnitA);
        Assert.Equal((1, 1, "Green"), ((int)a["openViolations"]!, (int)a["personActions"]!, (string)a["warning"]!));

        // A broken seal is red while it is open; resolved, the unit is green again and keeps its action.
        var broken = Make.Id(await Client.Read(await inspector.Post("/api/violations", new { type = "SealBroken", unitId = fleet.UnitA, notes = "封条破损" }), HttpStatusCode.Created));
        a = await FiguresOf(fleet.UnitA);
        Assert.Equal((2, "Red"), ((int)a["openViolations"]!, (string)a["warning"]!));
        await Client.Read(await inspector.Post($"/api/violations/{broken}/resolve", new { reason = "已整改" }), HttpStatusCode.OK);
        await Client.Read(await inspector.Post($"/api/violations/{parked}/resolve", new { reason = "已处理" }), HttpStatusCode.OK);
        a = await FiguresOf(fleet.UnitA);
        Assert.Equal((0, 1, "Green"), ((int)a["openViolations"]!, (int)a["personActions"]!, (string)a["warning"]!));
        var totals = (await fleet.As(As.Auditor).GetJson($"/api/regions/{root}/summary"))["totals"]!;
        Assert.Equal((3, 0, 1), ((int)totals["vehicles"]!, (int)totals["openViolations"]!, (int)totals["personActions"]!));
    }

    /// <summary>On SQLite the kept counts equal the records counted again; the server databases count the records themselves.</summary>
    private static async Task SameAsRecount(FleetFixture fleet)
    {
        if (FleetFactory.Postgres is not null) return;
        var (keptCars, cars) = await fleet.Factory.Db(async db => (
            await db.VehicleCounts.Where(c => c.Vehicles != 0).Select(c => $"{c.UnitId} {c.Status} {c.Vehicles}").ToListAsync(),
            await db.Vehicles.GroupBy(v => new { v.UnitId, v.Status }).Select(g => $"{g.Key.UnitId} {g.Key.Status} {g.Count()}").ToListAsync()));
        Assert.Equal(cars.Order(), keptCars.Order());
        var (keptViolations, violations) = await fleet.Factory.Db(async db => (
            await db.ViolationCounts.Where(c => c.Violations != 0 || c.Actions != 0).Select(c => $"{c.UnitId} {c.Status} {c.Type} {c.Violations} {c.Actions}").ToListAsync(),
            (await db.Violations.Select(v => new { v.UnitId, v.Status, v.Type, Actions = db.PersonActions.Count(p => p.ViolationId == v.Id) }).ToListAsync())
                .GroupBy(v => (v.UnitId, v.Status, v.Type)).Select(g => $"{g.Key.UnitId} {g.Key.Status} {g.Key.Type} {g.Count()} {g.Sum(v => v.Actions)}").ToList()));
        Assert.Equal(violations.Order(), keptViolations.Order());
    }
}
