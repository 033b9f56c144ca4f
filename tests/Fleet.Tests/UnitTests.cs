using System.Net;
using Fleet.Tests.Support;

namespace Fleet.Tests;

public class UnitTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    [Fact]
    public async Task An_admin_creates_reads_and_changes_units()
    {
        var admin = fleet.As(As.Admin);
        var parent = await admin.CreateUnit(FleetFixture.Code("P"), quota: 5, name: "区财政局");
        var code = FleetFixture.Code("C");
        var created = await Client.Read(await admin.Post("/api/units", new { code, name = "国库支付中心", kind = "Institution", parentId = Make.Id(parent), vehicleQuota = 2 }), HttpStatusCode.Created);
        Assert.Equal(code, (string)created["code"]!);
        Assert.Equal(Make.Id(parent), (Guid)created["parentId"]!);
        Assert.Equal(0, (int)created["activeVehicles"]!);

        var id = Make.Id(created);
        await admin.RegisterVehicle(Make.Vehicle(id));
        var read = await admin.GetJson($"/api/units/{id}");
        Assert.Equal("国库支付中心", (string)read["name"]!);
        Assert.Equal(1, (int)read["activeVehicles"]!);

        var changed = await Client.Read(await admin.Put($"/api/units/{id}", new { code, name = "区国库支付中心", kind = "Institution", parentId = Make.Id(parent), vehicleQuota = 3 }, null), HttpStatusCode.OK);
        Assert.Equal(3, (int)changed["vehicleQuota"]!);
        Assert.Equal("区国库支付中心", (string)(await admin.GetJson($"/api/units?code={code}"))["items"]![0]!["name"]!);
    }

    [Fact]
    public async Task Duplicates_unknown_parents_loops_and_bad_fields_are_refused_and_write_nothing()
    {
        var admin = fleet.As(As.Admin);
        var a = await admin.CreateUnit(FleetFixture.Code("LA"));
        var b = await Client.Read(await admin.Post("/api/units", new { code = FleetFixture.Code("LB"), name = "b", kind = "Department", parentId = Make.Id(a), vehicleQuota = 1 }), HttpStatusCode.Created);
        var before = await fleet.Factory.WrittenState();

        await Client.Problem(await admin.Post("/api/units", new { code = (string)a["code"]!, name = "dup", kind = "Department", vehicleQuota = 1 }), HttpStatusCode.Conflict);
        await Client.Problem(await admin.Post("/api/units", new { code = "X1", name = "x", kind = "Department", parentId = Guid.NewGuid(), vehicleQuota = 1 }), HttpStatusCode.BadRequest, "parentId");
        await Client.Problem(await admin.Post("/api/units", new { code = "X2", name = "x", kind = "Ministry", vehicleQuota = 1 }), HttpStatusCode.BadRequest, "kind");
        await Client.Problem(await admin.Post("/api/units", new { code = "X3", name = "x", kind = "Department", vehicleQuota = -1 }), HttpStatusCode.BadRequest, "vehicleQuota");
        await Client.Problem(await admin.Post("/api/units", new { code = "X4", name = new string('名', 201), kind = "Department", vehicleQuota = 1 }), HttpStatusCode.BadRequest, "name");
        await Client.Problem(await admin.Post("/api/units", new { code = "X5", name = "x", kind = "Department", vehicleQuota = 1.5 }), HttpStatusCode.BadRequest, "vehicleQuota");
        // a under b, while b is under a: a loop.
        await Client.Problem(await admin.Put($"/api/units/{Make.Id(a)}", new { code = (string)a["code"]!, name = "a", kind = "Department", parentId = Make.Id(b), vehicleQuota = 1 }, null), HttpStatusCode.BadRequest, "parentId");
        await Client.Problem(await admin.Put($"/api/units/{Make.Id(b)}", new { code = (string)a["code"]!, name = "b", kind = "Department", vehicleQuota = 1 }, null), HttpStatusCode.Conflict);
        await Client.Problem(await admin.Put($"/api/units/{Make.Id(b)}", new { code = "LBX", name = "b", kind = "Department", vehicleQuota = 1 }, "\"42\""), HttpStatusCode.PreconditionFailed);
        await Client.Problem(await admin.Put($"/api/units/{Guid.NewGuid()}", new { code = "LBY", name = "b", kind = "Department", vehicleQuota = 1 }, null), HttpStatusCode.NotFound);
        Assert.Equal(before, await fleet.Factory.WrittenState());
    }

    [Fact]
    public async Task A_vehicle_admin_reads_only_their_own_unit()
    {
        var va = fleet.As(As.VehicleAdmin);
        var list = await va.GetJson("/api/units");
        Assert.Equal(fleet.UnitA, (Guid)Assert.Single(list["items"]!.AsArray())!["id"]!);
        await va.GetJson($"/api/units/{fleet.UnitA}");
        await Client.Problem(await va.Get($"/api/units/{fleet.UnitB}"), HttpStatusCode.NotFound);
        Assert.True((int)(await fleet.As(As.Inspector).GetJson("/api/units"))["total"]! >= 2);
    }
}
