using System.Net;
using System.Text.Json.Nodes;
using Fleet.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests;

public class AuditTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    [Fact]
    public async Task Register_edit_dispose_leaves_three_entries_with_actor_time_and_before_after()
    {
        var va = fleet.As(As.VehicleAdmin);
        var id = Make.Id(await va.RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var get = await va.Get($"/api/vehicles/{id}");
        await Client.Read(await va.Put($"/api/vehicles/{id}", VehicleTests.Edit(await Client.Read(get, HttpStatusCode.OK), v => v["model"] = "迈腾"), get.Headers.ETag!.ToString()), HttpStatusCode.OK);
        fleet.Factory.Clock.Advance(TimeSpan.FromHours(1));
        await Client.Read(await va.Post($"/api/vehicles/{id}/dispose", new { reason = "车辆报废" }), HttpStatusCode.OK);

        var entries = (await fleet.As(As.Auditor).GetJson($"/api/audit?entity=Vehicle&entityId={id}"))["items"]!.AsArray().Reverse().ToList(); // the log lists newest first
        Assert.Equal(["Create", "Update", "Dispose"], entries.Select(e => (string)e!["action"]!).ToArray());
        Assert.All(entries, e => Assert.StartsWith("vehicleadmin", (string)e!["actor"]!));
        Assert.All(entries, e => Assert.Equal("Vehicle", (string)e!["entity"]!));

        var created = entries[0]!;
        Assert.Null(created["before"]);
        Assert.Equal("帕萨特", (string)created["after"]!["model"]!);
        Assert.Equal(FleetFactory.Start.UtcDateTime, (DateTime)created["at"]!);

        var updated = entries[1]!;
        Assert.Equal("帕萨特", (string)updated["before"]!["model"]!);
        Assert.Equal("迈腾", (string)updated["after"]!["model"]!);
        Assert.Equal((int)updated["before"]!["version"]! + 1, (int)updated["after"]!["version"]!);

        var disposed = entries[2]!;
        Assert.Equal("Active", (string)disposed["before"]!["status"]!);
        Assert.Equal("Disposed", (string)disposed["after"]!["status"]!);
        Assert.Equal("车辆报废", (string)disposed["after"]!["disposalReason"]!);
        Assert.Equal(FleetFactory.Start.UtcDateTime.AddHours(1), (DateTime)disposed["at"]!);
    }

    [Fact]
    public async Task Violations_opened_by_registration_are_audited_in_the_same_change()
    {
        var admin = fleet.As(As.Admin);
        var id = Make.Id(await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA, v => v["source"] = "BorrowedFromEnterprise")));
        var violation = (await admin.GetJson($"/api/violations?unitId={fleet.UnitA}&type=IllegalSource&pageSize=500"))["items"]!.AsArray()
            .Single(v => (Guid)v!["vehicleId"]! == id)!;
        var entry = Assert.Single((await admin.GetJson($"/api/audit?entity=Violation&entityId={violation["id"]}"))["items"]!.AsArray())!;
        Assert.Equal("Create", (string)entry["action"]!);
        Assert.Equal("IllegalSource", (string)entry["after"]!["type"]!);
    }

    [Fact]
    public async Task User_entries_never_carry_the_password_hash()
    {
        var admin = fleet.As(As.Admin);
        var user = await Client.Read(await admin.Post("/api/users", new { username = FleetFixture.Code("aud"), password = "another-Hy3-long-password", role = "Auditor" }), HttpStatusCode.Created);
        Assert.Null(user["passwordHash"]);
        var entry = Assert.Single((await admin.GetJson($"/api/audit?entity=User&entityId={user["id"]}"))["items"]!.AsArray())!;
        Assert.Equal("***", (string)entry["after"]!["passwordHash"]!);
        Assert.DoesNotContain("AQAAAA", entry.ToJsonString());
    }

    [Fact]
    public async Task Nothing_in_the_api_changes_or_deletes_an_audit_entry()
    {
        var admin = fleet.As(As.Admin);
        var entries = (await admin.GetJson("/api/audit?pageSize=1"))["items"]!.AsArray();
        var id = (long)entries[0]!["id"]!;
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await admin.Http.DeleteAsync("/api/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await admin.Post("/api/audit", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.DeleteAsync($"/api/audit/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Put($"/api/audit/{id}", new { actor = "x" }, "*")).StatusCode);
        Assert.Equal(entries[0]!.ToJsonString(), (await admin.GetJson("/api/audit?pageSize=1"))["items"]![0]!.ToJsonString());
    }

    [Fact]
    public async Task The_audit_log_lists_newest_first_and_filters_by_actor()
    {
        var va = fleet.As(As.VehicleAdmin);
        var id = Make.Id(await va.RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        fleet.Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await Client.Read(await va.Post($"/api/vehicles/{id}/dispose", new { reason = "报废" }), HttpStatusCode.OK);
        var newest = (await fleet.As(As.Auditor).GetJson("/api/audit?pageSize=1"))["items"]![0]!;
        Assert.Equal("Dispose", (string)newest["action"]!);
        var actor = (string)newest["actor"]!;
        var mine = (await fleet.As(As.Auditor).GetJson($"/api/audit?actor={actor}&pageSize=500"))["items"]!.AsArray();
        Assert.All(mine, e => Assert.Equal(actor, (string)e!["actor"]!));
        Assert.True(mine.Count >= 2);
        var ids = mine.Select(e => (long)e!["id"]!).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(0, (int)(await fleet.As(As.Auditor).GetJson("/api/audit?actor=nobody-at-all"))["total"]!);
    }

    [Fact]
    public async Task The_audit_log_filters_by_time_and_pages()
    {
        var admin = fleet.As(As.Auditor);
        var all = await admin.GetJson("/api/audit?pageSize=500");
        Assert.True((int)all["total"]! > 0);
        Assert.Equal(0, (int)(await admin.GetJson("/api/audit?from=2031-01-01"))["total"]!);
        Assert.Equal((int)all["total"]!, (int)(await admin.GetJson("/api/audit?to=2031-01-01"))["total"]!);
        await Client.Problem(await admin.Get("/api/audit?to=soon"), HttpStatusCode.BadRequest, "to");
        await Client.Problem(await admin.Get("/api/audit?pageSize=1000"), HttpStatusCode.BadRequest, "pageSize");
    }

    [Fact]
    public async Task Entries_written_by_jobs_have_the_shape_the_interceptor_gives_and_name_the_job()
    {
        await using var f = await FleetFixture.StartAsync();
        var admin = f.As(As.Admin);
        var vehicle = Make.Id(await admin.RegisterVehicle(Make.Vehicle(f.UnitA)));
        var schedule = await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 10)), unitIds = new[] { f.UnitA } });
        var order = (await admin.Orders(Make.Id(schedule)))[vehicle];
        async Task<JsonNode> Entry(string entity, object id, string action) =>
            (await f.As(As.Auditor).GetJson($"/api/audit?entity={entity}&entityId={id}"))["items"]!.AsArray().Single(e => (string)e!["action"]! == action)!;
        async Task<JsonNode> AsTheInterceptorSeesIt<T>(Guid id) where T : class => JsonNode.Parse(await f.Factory.Db(async db =>
            Fleet.Data.Auditing.AuditShape.Of(db.Entry(await db.Set<T>().SingleAsync(e => EF.Property<Guid>(e, "Id") == id)), original: false)))!;

        // Orders made by a set-based statement on publishing: the whole record, as a tracked insert would have it.
        var created = await Entry("SealOrder", order["id"]!, "Create");
        Assert.Null(created["before"]);
        Assert.True(JsonNode.DeepEquals(await AsTheInterceptorSeesIt<Fleet.Data.Entities.SealOrder>(Make.Id(order)), created["after"]), created.ToJsonString());

        f.Factory.MoveTo(((DateTime)schedule["sealDeadline"]!).AddMinutes(1));
        await f.Factory.RunSealUpReconcile();
        var overdue = await Entry("SealOrder", order["id"]!, "Overdue");
        Assert.Equal("system:sealup-reconcile", (string)overdue["actor"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"overdueAt\":null,\"status\":\"Pending\",\"version\":0}"), overdue["before"]), overdue.ToJsonString());
        var stored = await AsTheInterceptorSeesIt<Fleet.Data.Entities.SealOrder>(Make.Id(order));
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["overdueAt"] = stored["overdueAt"]!.DeepClone(), ["status"] = "Overdue", ["version"] = 1 }, overdue["after"]),
            overdue.ToJsonString());
        var violation = await Entry("Violation", order["id"]!, "Create");
        Assert.Equal("system:sealup-reconcile", (string)violation["actor"]!);
        Assert.True(JsonNode.DeepEquals(await AsTheInterceptorSeesIt<Fleet.Data.Entities.Violation>(Make.Id(order)), violation["after"]), violation.ToJsonString());

        // A tracked change lists what changed, and the version, on both sides: the same shape.
        f.Factory.MoveTo(((DateTime)schedule["sealDeadline"]!).AddHours(1));
        await Client.Read(await f.As(As.VehicleAdmin).Seal(Make.Id(schedule), vehicle), HttpStatusCode.OK);
        var sealedEntry = await Entry("SealOrder", order["id"]!, "Seal");
        Assert.Equal(["late", "parkingPlace", "sealNumber", "sealedAt", "sealedBy", "status", "version"],
            sealedEntry["after"]!.AsObject().Select(p => p.Key).ToArray());
        Assert.Equal(sealedEntry["before"]!.AsObject().Select(p => p.Key), sealedEntry["after"]!.AsObject().Select(p => p.Key));
    }
}
