using System.Net;
using Fleet.Data.Entities;
using Fleet.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests;

public class ViolationActionTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    private async Task<Guid> ManualViolation(Guid? unit = null) =>
        Make.Id(await Client.Read(await fleet.As(As.Inspector).Post("/api/violations", new { type = "PrivateUse", unitId = unit ?? fleet.UnitA, notes = "周末公车私用" }), HttpStatusCode.Created));

    [Fact]
    public async Task An_inspector_enters_a_violation_by_hand()
    {
        var inspector = fleet.As(As.Inspector);
        var vehicle = await fleet.As(As.Admin).RegisterVehicle(Make.Vehicle(fleet.UnitA));
        var created = await Client.Read(await inspector.Post("/api/violations", new { type = "OffSiteParking", vehicleId = Make.Id(vehicle), unitId = fleet.UnitA, notes = "未在指定地点停放" }), HttpStatusCode.Created);
        Assert.Equal("Manual", (string)created["source"]!);
        Assert.Equal("Open", (string)created["status"]!);
        Assert.Equal((string)vehicle["plateNumber"]!, (string)created["plateNumber"]!);
        var unregistered = await Client.Read(await inspector.Post("/api/violations", new { type = "UnregisteredVehicle", plateNumber = Make.Plate(), unitId = fleet.UnitB, notes = "挂靠车辆" }), HttpStatusCode.Created);
        Assert.Null(unregistered["vehicleId"]);

        var before = await fleet.Factory.WrittenState();
        await Client.Problem(await inspector.Post("/api/violations", new { type = "PrivateUse", unitId = fleet.UnitA }), HttpStatusCode.BadRequest, "notes");
        await Client.Problem(await inspector.Post("/api/violations", new { type = "Speeding", unitId = fleet.UnitA, notes = "x" }), HttpStatusCode.BadRequest, "type");
        await Client.Problem(await inspector.Post("/api/violations", new { type = "Other", unitId = Guid.NewGuid(), notes = "x" }), HttpStatusCode.BadRequest, "unitId");
        await Client.Problem(await inspector.Post("/api/violations", new { type = "Other", vehicleId = Make.Id(vehicle), unitId = fleet.UnitB, notes = "x" }), HttpStatusCode.BadRequest, "unitId");
        foreach (var who in new[] { As.Admin, As.VehicleAdmin, As.Auditor })
            await Client.Problem(await fleet.As(who).Post("/api/violations", new { type = "Other", unitId = fleet.UnitA, notes = "x" }), HttpStatusCode.Forbidden);
        Assert.Equal(before, await fleet.Factory.WrittenState());
    }

    [Fact]
    public async Task Actions_against_persons_are_recorded_and_listed_with_the_violation()
    {
        var inspector = fleet.As(As.Inspector);
        var id = await ManualViolation();
        var admonished = await Client.Read(await inspector.Post($"/api/violations/{id}/actions", new { personName = "张三", position = "办公室主任", action = "Admonishment", note = "诫勉谈话" }), HttpStatusCode.Created);
        Assert.Equal("张三", (string)admonished["personName"]!);
        await Client.Read(await inspector.Post($"/api/violations/{id}/actions", new { personName = "李四", position = "驾驶员", action = "PartyDiscipline" }), HttpStatusCode.Created);

        var violation = await fleet.As(As.Auditor).GetJson($"/api/violations/{id}");
        Assert.Equal(["Admonishment", "PartyDiscipline"], violation["actions"]!.AsArray().Select(a => (string)a!["action"]!).ToArray());
        var listed = (await fleet.As(As.VehicleAdmin).GetJson($"/api/violations?type=PrivateUse&pageSize=500"))["items"]!.AsArray().Single(v => Make.Id(v!) == id)!;
        Assert.Equal(2, listed["actions"]!.AsArray().Count);

        await Client.Problem(await inspector.Post($"/api/violations/{id}/actions", new { personName = "王五", position = "科员", action = "Firing" }), HttpStatusCode.BadRequest, "action");
        await Client.Problem(await inspector.Post($"/api/violations/{id}/actions", new { personName = "", position = "科员", action = "Reminder" }), HttpStatusCode.BadRequest, "personName");
        await Client.Problem(await inspector.Post($"/api/violations/{Guid.NewGuid()}/actions", new { personName = "王五", position = "科员", action = "Reminder" }), HttpStatusCode.NotFound);
        await Client.Problem(await fleet.As(As.Admin).Post($"/api/violations/{id}/actions", new { personName = "王五", position = "科员", action = "Reminder" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task No_api_path_alters_an_action_and_the_data_layer_refuses_to()
    {
        var inspector = fleet.As(As.Inspector);
        var id = await ManualViolation();
        var action = await Client.Read(await inspector.Post($"/api/violations/{id}/actions", new { personName = "张三", position = "主任", action = "Criticism" }), HttpStatusCode.Created);
        var url = $"/api/violations/{id}/actions/{action["id"]}";
        Assert.True((await inspector.Put(url, new { personName = "x" }, "*")).StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed);
        Assert.True((await inspector.Http.DeleteAsync(url)).StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await inspector.Http.DeleteAsync($"/api/violations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await inspector.Put($"/api/violations/{id}", new { }, "*")).StatusCode);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => fleet.Factory.Db(async db =>
        {
            var stored = await db.PersonActions.SingleAsync(a => a.Id == Make.Id(action));
            stored.PersonName = "改名";
            return await db.SaveChangesAsync();
        }));
        Assert.Contains("evidence", refused.Message);
        var check = Make.Id(await Client.Read(await inspector.Post("/api/spot-checks",
            new { plateNumber = Make.Plate(), unitId = fleet.UnitA, checkedAt = "2027-01-01T02:00:00Z", location = "大院", finding = "PrivateUse" }), HttpStatusCode.Created));
        var before = await fleet.Factory.WrittenState();
        // On records that exist: change and delete, of a spot check, an action and an audit entry, are each refused.
        foreach (var change in new Func<Fleet.Data.FleetDbContext, Task>[]
        {
            async db => (await db.SpotChecks.SingleAsync(s => s.Id == check)).Location = "改",
            async db => db.SpotChecks.Remove(await db.SpotChecks.SingleAsync(s => s.Id == check)),
            async db => db.PersonActions.Remove(await db.PersonActions.SingleAsync(a => a.Id == Make.Id(action))),
            async db => (await db.AuditEntries.OrderBy(e => e.Id).FirstAsync()).Actor = "someone else",
            async db => db.AuditEntries.Remove(await db.AuditEntries.OrderBy(e => e.Id).FirstAsync()),
        })
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => fleet.Factory.Db(async db =>
            {
                await change(db);
                return await db.SaveChangesAsync();
            }));
            Assert.Contains("evidence", error.Message);
        }
        Assert.Equal(before, await fleet.Factory.WrittenState());
        Assert.Equal("张三", (string)(await inspector.GetJson($"/api/violations/{id}"))["actions"]![0]!["personName"]!);
    }

    [Fact]
    public async Task Resolve_and_dismiss_take_a_reason_and_a_closed_violation_is_a_409()
    {
        var inspector = fleet.As(As.Inspector);
        var resolved = await ManualViolation();
        var dismissed = await ManualViolation();
        await Client.Problem(await inspector.Post($"/api/violations/{resolved}/resolve", new { reason = "" }), HttpStatusCode.BadRequest, "reason");
        var r = await Client.Read(await inspector.Post($"/api/violations/{resolved}/resolve", new { reason = "已整改" }), HttpStatusCode.OK);
        Assert.Equal("Resolved", (string)r["status"]!);
        Assert.Equal("已整改", (string)r["closeReason"]!);
        var d = await Client.Read(await inspector.Post($"/api/violations/{dismissed}/dismiss", new { reason = "误报" }), HttpStatusCode.OK);
        Assert.Equal("Dismissed", (string)d["status"]!);

        var before = await fleet.Factory.WrittenState();
        await Client.Problem(await inspector.Post($"/api/violations/{resolved}/resolve", new { reason = "again" }), HttpStatusCode.Conflict);
        await Client.Problem(await inspector.Post($"/api/violations/{resolved}/dismiss", new { reason = "again" }), HttpStatusCode.Conflict);
        await Client.Problem(await inspector.Post($"/api/violations/{dismissed}/actions", new { personName = "x", position = "y", action = "Reminder" }), HttpStatusCode.Conflict);
        await Client.Problem(await fleet.As(As.VehicleAdmin).Post($"/api/violations/{dismissed}/resolve", new { reason = "x" }), HttpStatusCode.Forbidden);
        Assert.Equal(before, await fleet.Factory.WrittenState());
        Assert.Contains((await inspector.GetJson($"/api/violations?status=Dismissed&pageSize=500"))["items"]!.AsArray(), v => Make.Id(v!) == dismissed);
        var trail = (await fleet.As(As.Auditor).GetJson($"/api/audit?entity=Violation&entityId={resolved}"))["items"]!.AsArray().Reverse().ToList(); // the log lists newest first
        Assert.Equal(["Create", "Resolve"], trail.Select(e => (string)e!["action"]!).ToArray());
        Assert.Equal("Open", (string)trail[1]!["before"]!["status"]!);
    }

    [Fact]
    public async Task A_vehicle_admin_reads_only_their_units_violations()
    {
        var ofB = await ManualViolation(fleet.UnitB);
        await Client.Problem(await fleet.As(As.VehicleAdmin).Get($"/api/violations/{ofB}"), HttpStatusCode.NotFound);
        Assert.Equal(ofB, Make.Id(await fleet.As(As.OtherVehicleAdmin).GetJson($"/api/violations/{ofB}")));
        Assert.Equal(ViolationStatus.Open, await fleet.Factory.Db(db => db.Violations.Where(v => v.Id == ofB).Select(v => v.Status).SingleAsync()));
    }
}
