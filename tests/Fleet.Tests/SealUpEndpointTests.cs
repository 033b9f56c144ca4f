using System.Net;
using System.Net.Http.Headers;
using Fleet.Tests.Support;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Tests;

public class SealUpEndpointTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    private async Task<(Guid Schedule, Guid VehicleOfA, Guid VehicleOfB)> Published()
    {
        var admin = fleet.As(As.Admin);
        var a = Make.Id(await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var b = Make.Id(await admin.RegisterVehicle(Make.Vehicle(fleet.UnitB)));
        var schedule = await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 30)), unitIds = new[] { fleet.UnitA, fleet.UnitB } });
        return (Make.Id(schedule), a, b);
    }

    [Fact]
    public async Task Holidays_are_created_by_admins_listed_by_year_and_checked()
    {
        var admin = fleet.As(As.Admin);
        var created = await Client.Read(await admin.Post("/api/holidays", new { name = "国庆节", firstDay = "2031-10-01", lastDay = "2031-10-07" }), HttpStatusCode.Created);
        Assert.Equal("2031-10-07", (string)created["lastDay"]!);
        var list = await fleet.As(As.VehicleAdmin).GetJson("/api/holidays?year=2031");
        Assert.Equal(["国庆节"], list["items"]!.AsArray().Select(h => (string)h!["name"]!).ToArray());

        var before = await fleet.Factory.WrittenState();
        await Client.Problem(await admin.Post("/api/holidays", new { name = "国庆节", firstDay = "2031-10-01", lastDay = "2031-10-07" }), HttpStatusCode.Conflict);
        await Client.Problem(await admin.Post("/api/holidays", new { name = "x", firstDay = "2031-10-07", lastDay = "2031-10-01" }), HttpStatusCode.BadRequest, "lastDay");
        await Client.Problem(await admin.Post("/api/holidays", new { name = "x", firstDay = "2031-02-30", lastDay = "2031-03-01" }), HttpStatusCode.BadRequest, "firstDay");
        await Client.Problem(await admin.Post("/api/holidays", new { name = "", firstDay = "2031-03-01", lastDay = "2031-03-01" }), HttpStatusCode.BadRequest, "name");
        await Client.Problem(await fleet.As(As.Inspector).Post("/api/holidays", new { name = "y", firstDay = "2031-03-01", lastDay = "2031-03-01" }), HttpStatusCode.Forbidden);
        await Client.Problem(await admin.Get("/api/holidays?year=abc"), HttpStatusCode.BadRequest, "year");
        Assert.Equal(before, await fleet.Factory.WrittenState());
    }

    [Fact]
    public async Task Schedules_take_explicit_times_scope_and_exempt_categories_and_refuse_bad_ones()
    {
        var admin = fleet.As(As.Admin);
        var holiday = Make.Id(await admin.CreateHoliday(inDays: 40));
        var police = Make.Id(await admin.RegisterVehicle(Make.Vehicle(fleet.UnitB, v => v["category"] = "LawEnforcement")));
        var before = await fleet.Factory.WrittenState();
        await Client.Problem(await admin.Post("/api/sealup-schedules", new { holidayId = Guid.NewGuid() }), HttpStatusCode.BadRequest, "holidayId");
        await Client.Problem(await admin.Post("/api/sealup-schedules", new { holidayId = holiday, sealDeadline = "2031-01-02T00:00:00Z", releaseAt = "2031-01-01T00:00:00Z" }), HttpStatusCode.BadRequest, "releaseAt");
        await Client.Problem(await admin.Post("/api/sealup-schedules", new { holidayId = holiday, unitIds = new[] { Guid.NewGuid() } }), HttpStatusCode.BadRequest, "unitIds");
        await Client.Problem(await admin.Post("/api/sealup-schedules", new { holidayId = holiday, unitIds = Array.Empty<Guid>() }), HttpStatusCode.BadRequest, "unitIds");
        await Client.Problem(await admin.Post("/api/sealup-schedules", new { holidayId = holiday, exemptCategories = new[] { "Bus" } }), HttpStatusCode.BadRequest, "exemptCategories[0]");
        await Client.Problem(await admin.Post("/api/sealup-schedules", new { holidayId = holiday, sealDeadline = "tomorrow" }), HttpStatusCode.BadRequest, "sealDeadline");
        await Client.Problem(await admin.Post("/api/sealup-schedules", new { holidayId = holiday, sealDeadline = "0001-01-01T00:00:00" }), HttpStatusCode.BadRequest, "sealDeadline");
        await Client.Problem(await admin.Post("/api/sealup-schedules", new { holidayId = holiday, releaseAt = "9999-12-31T23:59:59" }), HttpStatusCode.BadRequest, "releaseAt");
        await Client.Problem(await fleet.As(As.VehicleAdmin).Post("/api/sealup-schedules", new { holidayId = holiday }), HttpStatusCode.Forbidden);
        Assert.Equal(before, await fleet.Factory.WrittenState());

        // A shortened schedule: explicit times are taken as given; only unit B; nothing exempt by default.
        var deadline = fleet.Factory.Clock.GetUtcNow().UtcDateTime.AddDays(1);
        var schedule = await admin.Publish(new { holidayId = holiday, sealDeadline = deadline, releaseAt = deadline.AddHours(30), unitIds = new[] { fleet.UnitB }, exemptCategories = Array.Empty<string>() });
        Assert.Equal(deadline, (DateTime)schedule["sealDeadline"]!);
        Assert.Equal(deadline.AddHours(30), (DateTime)schedule["releaseAt"]!);
        Assert.Equal([fleet.UnitB], schedule["unitIds"]!.AsArray().Select(u => (Guid)u!).ToArray());
        var orders = await admin.Orders(Make.Id(schedule));
        Assert.Equal("Pending", (string)orders[police]["status"]!);
        Assert.All(orders.Values, o => Assert.Equal(fleet.UnitB, (Guid)o["unitId"]!));
        // The same holiday cannot be published twice over the same units.
        await Client.Problem(await admin.Post("/api/sealup-schedules", new { holidayId = holiday, unitIds = new[] { fleet.UnitB } }), HttpStatusCode.Conflict);
        await admin.Publish(new { holidayId = holiday, unitIds = new[] { fleet.UnitA } });
    }

    [Fact]
    public async Task Seal_up_endpoints_keep_to_the_callers_unit_and_role()
    {
        var (schedule, ofA, ofB) = await Published();
        var va = fleet.As(As.VehicleAdmin);
        var other = fleet.As(As.OtherVehicleAdmin);

        var seen = await va.Orders(schedule);
        Assert.Contains(ofA, seen.Keys);
        Assert.DoesNotContain(ofB, seen.Keys);
        Assert.All(seen.Values, o => Assert.Equal(fleet.UnitA, (Guid)o["unitId"]!));
        Assert.Equal(0, (int)(await va.GetJson($"/api/sealup-schedules/{schedule}/orders?unitId={fleet.UnitB}"))["total"]!);

        var before = await fleet.Factory.WrittenState();
        await Client.Problem(await other.Seal(schedule, ofA), HttpStatusCode.NotFound);
        await Client.Problem(await other.AskExemption(schedule, ofA), HttpStatusCode.NotFound);
        await Client.Problem(await fleet.As(As.Inspector).Seal(schedule, ofA), HttpStatusCode.Forbidden);
        await Client.Problem(await fleet.As(As.Auditor).Seal(schedule, ofA), HttpStatusCode.Forbidden);
        await Client.Problem(await fleet.As(As.Auditor).Release(schedule, ofA), HttpStatusCode.Forbidden);
        await Client.Problem(await fleet.As(As.Anonymous).Seal(schedule, ofA), HttpStatusCode.Unauthorized);
        var exemption = await Client.Read(await va.AskExemption(schedule, ofA), HttpStatusCode.Created);
        var stateWithRequest = await fleet.Factory.WrittenState();
        await Client.Problem(await va.Post($"/api/exemptions/{exemption["id"]}/approve", null), HttpStatusCode.Forbidden);
        await Client.Problem(await fleet.As(As.Auditor).Post($"/api/exemptions/{exemption["id"]}/reject", null), HttpStatusCode.Forbidden);
        Assert.Equal(stateWithRequest, await fleet.Factory.WrittenState());
        Assert.NotEqual(before, stateWithRequest);

        var visible = await other.GetJson($"/api/sealup-schedules/{schedule}/exemptions");
        Assert.Equal(0, (int)visible["total"]!);
        Assert.Equal(1, (int)(await fleet.As(As.Inspector).GetJson($"/api/sealup-schedules/{schedule}/exemptions?status=Requested"))["total"]!);
        await Client.Read(await fleet.As(As.Admin).Seal(schedule, ofB), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Actions_in_the_wrong_state_are_409s_and_change_nothing()
    {
        var (schedule, ofA, _) = await Published();
        var va = fleet.As(As.VehicleAdmin);
        var inspector = fleet.As(As.Inspector);
        await Client.Problem(await va.Release(schedule, ofA), HttpStatusCode.Conflict); // pending
        await Client.Read(await va.Seal(schedule, ofA, "DUP-" + schedule), HttpStatusCode.OK);
        var before = await fleet.Factory.WrittenState();
        await Client.Problem(await va.Seal(schedule, ofA), HttpStatusCode.Conflict);
        Assert.Equal(before, await fleet.Factory.WrittenState());
        var second = Make.Id(await va.RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var afterRegistration = await fleet.Factory.WrittenState();
        Assert.NotEqual(before, afterRegistration);
        // The seal number is taken: refused, and not even the order the vehicle is due (the job's to make) is written.
        await Client.Problem(await va.Seal(schedule, second, "DUP-" + schedule), HttpStatusCode.Conflict);
        Assert.Equal(afterRegistration, await fleet.Factory.WrittenState());
        Assert.False((await va.Orders(schedule)).ContainsKey(second));

        // Before the release time a sealed car stays sealed.
        await Client.Problem(await va.Release(schedule, ofA), HttpStatusCode.Conflict);
        var afterRelease = await fleet.Factory.WrittenState();
        Assert.Equal(afterRegistration, afterRelease);
        await Client.Problem(await va.Seal(schedule, ofA), HttpStatusCode.Conflict);

        var exemption = await Client.Read(await va.AskExemption(schedule, second), HttpStatusCode.Created);
        await Client.Problem(await va.AskExemption(schedule, second), HttpStatusCode.Conflict);
        await Client.Read(await inspector.Post($"/api/exemptions/{exemption["id"]}/approve", null), HttpStatusCode.OK);
        var afterApproval = await fleet.Factory.WrittenState();
        await Client.Problem(await inspector.Post($"/api/exemptions/{exemption["id"]}/approve", null), HttpStatusCode.Conflict);
        await Client.Problem(await inspector.Post($"/api/exemptions/{exemption["id"]}/reject", null), HttpStatusCode.Conflict);
        await Client.Problem(await va.Seal(schedule, second), HttpStatusCode.Conflict); // exempted
        await Client.Problem(await va.Release(schedule, second), HttpStatusCode.Conflict);
        Assert.Equal(afterApproval, await fleet.Factory.WrittenState());
        Assert.Equal("Exempted", (string)(await va.Orders(schedule))[second]["status"]!);
        Assert.NotEqual(afterRelease, afterApproval);

        await Client.Problem(await va.Seal(Guid.NewGuid(), second), HttpStatusCode.NotFound);
        await Client.Problem(await inspector.Post($"/api/exemptions/{Guid.NewGuid()}/approve", null), HttpStatusCode.NotFound);
        await Client.Problem(await va.Post($"/api/sealup-schedules/{schedule}/seals", new { vehicleId = second, sealNumber = "", parkingPlace = "x" }), HttpStatusCode.BadRequest, "sealNumber");
    }

    [Fact]
    public async Task A_rejected_exemption_leaves_the_order_to_seal()
    {
        var (schedule, ofA, _) = await Published();
        var va = fleet.As(As.VehicleAdmin);
        var exemption = await Client.Read(await va.AskExemption(schedule, ofA), HttpStatusCode.Created);
        var rejected = await Client.Read(await fleet.As(As.Inspector).Post($"/api/exemptions/{exemption["id"]}/reject", new { note = "理由不充分" }), HttpStatusCode.OK);
        Assert.Equal("Rejected", (string)rejected["status"]!);
        Assert.Equal("理由不充分", (string)rejected["decisionNote"]!);
        Assert.Equal("Pending", (string)(await va.Orders(schedule))[ofA]["status"]!);
        await Client.Read(await va.Seal(schedule, ofA), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Asking_for_the_reconcile_job_is_for_admins_and_enqueues_it()
    {
        var monitor = fleet.Factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var before = monitor.EnqueuedCount("default");
        var accepted = await fleet.As(As.Admin).Post("/api/jobs/sealup-reconcile/run", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(before + 1, monitor.EnqueuedCount("default"));
        foreach (var who in new[] { As.VehicleAdmin, As.Inspector, As.Auditor })
            await Client.Problem(await fleet.As(who).Post("/api/jobs/sealup-reconcile/run", null), HttpStatusCode.Forbidden);
        await Client.Problem(await fleet.As(As.Anonymous).Post("/api/jobs/sealup-reconcile/run", null), HttpStatusCode.Unauthorized);
        Assert.Equal(before + 1, monitor.EnqueuedCount("default"));
    }

    [Fact]
    public async Task The_recurring_jobs_are_registered_under_stable_ids_in_the_local_time_zone()
    {
        using var connection = fleet.Factory.Services.GetRequiredService<JobStorage>().GetConnection();
        var jobs = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection);
        var reconcile = Assert.Single(jobs, j => j.Id == "sealup-reconcile");
        Assert.Equal("*/2 * * * *", reconcile.Cron);
        Assert.Equal("Asia/Shanghai", reconcile.TimeZoneId);
        Assert.Contains(jobs, j => j.Id == "holiday-reminders");
    }

    [Fact]
    public async Task The_hangfire_dashboard_opens_for_admins_only()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await fleet.As(As.Anonymous).Get("/hangfire")).StatusCode);
        foreach (var who in new[] { As.VehicleAdmin, As.Inspector, As.Auditor })
            Assert.Equal(HttpStatusCode.Forbidden, (await fleet.As(who).Get("/hangfire")).StatusCode);
        var admin = await fleet.As(As.Admin).Get("/hangfire");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("Hangfire", await admin.Content.ReadAsStringAsync());

        // A browser passes the token once in the query; the dashboard's own requests then ride on the cookie.
        var token = fleet.As(As.Admin).Http.DefaultRequestHeaders.Authorization!.Parameter;
        var browser = fleet.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/hangfire?access_token={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/hangfire/recurring")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/users")).StatusCode);
    }
}

public class SealUpComplianceTests
{
    [Fact]
    public async Task Compliance_per_unit_counts_sealed_on_time_and_exempted_against_the_vehicles_in_scope()
    {
        await using var fleet = await FleetFixture.StartAsync();
        var admin = fleet.As(As.Admin);
        var va = fleet.As(As.VehicleAdmin);
        var a = new List<Guid>();
        for (var i = 0; i < 4; i++) a.Add(Make.Id(await va.RegisterVehicle(Make.Vehicle(fleet.UnitA))));
        await va.RegisterVehicle(Make.Vehicle(fleet.UnitA, v => v["category"] = "LawEnforcement"));
        await admin.RegisterVehicle(Make.Vehicle(fleet.UnitB));
        var schedule = await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 5)) });
        var id = Make.Id(schedule);
        await Client.Read(await va.Seal(id, a[0]), HttpStatusCode.OK);
        fleet.Factory.MoveTo(((DateTime)schedule["sealDeadline"]!).AddHours(1));
        await Client.Read(await va.Seal(id, a[1]), HttpStatusCode.OK); // late
        await fleet.Factory.RunSealUpReconcile();

        var compliance = await fleet.As(As.Auditor).GetJson($"/api/sealup-schedules/{id}/compliance");
        var ofA = compliance["units"]!.AsArray().Single(u => (Guid)u!["unitId"]! == fleet.UnitA)!;
        Assert.Equal(5, (int)ofA["inScope"]!);
        Assert.Equal(1, (int)ofA["sealedOnTime"]!);
        Assert.Equal(1, (int)ofA["sealedLate"]!);
        Assert.Equal(1, (int)ofA["exempted"]!);
        Assert.Equal(2, (int)ofA["overdue"]!);
        Assert.Equal(0.4m, (decimal)ofA["rate"]!);
        Assert.Equal(6, (int)compliance["inScope"]!);
        Assert.Equal(2m / 6m, (decimal)compliance["rate"]!, 5);
        var own = await va.GetJson($"/api/sealup-schedules/{id}/compliance");
        Assert.Equal([fleet.UnitA], own["units"]!.AsArray().Select(u => (Guid)u!["unitId"]!).ToArray());
    }

    [Fact]
    public async Task The_counts_compliance_reads_follow_every_change_of_an_order_by_whatever_wrote_it()
    {
        await using var fleet = await FleetFixture.StartAsync();
        var admin = fleet.As(As.Admin);
        var va = fleet.As(As.VehicleAdmin);
        var a = new List<Guid>();
        for (var i = 0; i < 4; i++) a.Add(Make.Id(await va.RegisterVehicle(Make.Vehicle(fleet.UnitA))));
        await va.RegisterVehicle(Make.Vehicle(fleet.UnitA, v => v["category"] = "LawEnforcement"));
        await admin.RegisterVehicle(Make.Vehicle(fleet.UnitB));
        var schedule = await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 5)) });
        var id = Make.Id(schedule);
        // The counts are kept on SQLite; the server databases count the orders (their compliance figures are asserted below all the same).
        async Task SameAsRecount()
        {
            if (FleetFactory.Postgres is not null) return;
            Assert.Equal(0, await fleet.Factory.Db(db => db.SealOrderCounts.CountAsync(c => c.Orders < 0)));
            var (kept, recounted) = await fleet.Factory.Db(async db => (
                await db.SealOrderCounts.Where(c => c.ScheduleId == id && c.Orders > 0)
                    .Select(c => new { c.UnitId, c.Status, c.Late, c.ReleasedEarly, Count = c.Orders }).ToListAsync(),
                await db.SealOrders.Where(o => o.ScheduleId == id).GroupBy(o => new { o.UnitId, o.Status, o.Late, o.ReleasedEarly })
                    .Select(g => new { g.Key.UnitId, g.Key.Status, g.Key.Late, g.Key.ReleasedEarly, Count = g.Count() }).ToListAsync()));
            Assert.Equal(recounted.OrderBy(g => g.ToString()).Select(g => g.ToString()), kept.OrderBy(g => g.ToString()).Select(g => g.ToString()));
        }
        await SameAsRecount(); // as published: pending, and an exempted law-enforcement car

        // Sealed (EF), breached by a spot check, restored by its correction.
        await Client.Read(await va.Seal(id, a[0]), HttpStatusCode.OK);
        fleet.Factory.Clock.Advance(TimeSpan.FromMinutes(30));
        var inspector = fleet.As(As.Inspector);
        var at = fleet.Factory.Clock.GetUtcNow().UtcDateTime;
        var broken = await Client.Read(await inspector.Post("/api/spot-checks", new { vehicleId = a[0], checkedAt = at, location = "大院", finding = "SealBroken" }), HttpStatusCode.Created);
        var ofA = (await fleet.As(As.Auditor).GetJson($"/api/sealup-schedules/{id}/compliance"))["units"]!.AsArray().Single(u => (Guid)u!["unitId"]! == fleet.UnitA)!;
        Assert.Equal((1, 0), ((int)ofA["breached"]!, (int)ofA["sealedOnTime"]!));
        await SameAsRecount();
        await Client.Read(await inspector.Post("/api/spot-checks", new { vehicleId = a[0], checkedAt = at, location = "大院", finding = "Compliant", correctsId = broken["id"] }), HttpStatusCode.Created);
        await SameAsRecount();

        // Late, then the set-based job: overdue orders.
        fleet.Factory.MoveTo(((DateTime)schedule["sealDeadline"]!).AddHours(1));
        await Client.Read(await va.Seal(id, a[1]), HttpStatusCode.OK);
        await fleet.Factory.RunSealUpReconcile();
        await SameAsRecount();
        ofA = (await fleet.As(As.Auditor).GetJson($"/api/sealup-schedules/{id}/compliance"))["units"]!.AsArray().Single(u => (Guid)u!["unitId"]! == fleet.UnitA)!;
        Assert.Equal((1, 1, 2, 0), ((int)ofA["sealedOnTime"]!, (int)ofA["sealedLate"]!, (int)ofA["overdue"]!, (int)ofA["breached"]!));

        // Released by the job at the release time.
        fleet.Factory.MoveTo(((DateTime)schedule["releaseAt"]!).AddHours(1));
        await fleet.Factory.RunSealUpReconcile();
        await SameAsRecount();
    }
}

public class HangfireServerTests
{
    [Fact]
    public async Task Jobs_asked_for_through_the_api_run_on_the_hangfire_server_and_succeed()
    {
        await using var fleet = await FleetFixture.StartAsync(new() { ["Fleet:Jobs:RunServer"] = "true" });
        // A second Fleet in the process, configured after the first: the jobs must still run in the first one's
        // services (its database, its reminder channel), not in whichever host set Hangfire's globals last.
        await using var other = await FleetFixture.StartAsync();
        await Client.Read(await other.As(As.Admin).Post("/api/jobs/holiday-reminders/run", null), HttpStatusCode.Accepted);
        var admin = fleet.As(As.Admin);
        await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA));
        await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 2)) });
        var ids = new List<string>();
        foreach (var job in new[] { "sealup-reconcile", "holiday-reminders", "recovery-overdue" })
            ids.Add((string)(await Client.Read(await admin.Post($"/api/jobs/{job}/run", null), HttpStatusCode.Accepted))["jobId"]!);

        // The recurring schedule (real clock) may add runs of its own; these three must each have succeeded.
        var monitor = fleet.Factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        string? State(string id) => monitor.JobDetails(id)?.History.FirstOrDefault()?.StateName;
        for (var i = 0; i < 150 && ids.Any(id => State(id) is not ("Succeeded" or "Failed")); i++) await Task.Delay(100);
        Assert.Equal(["Succeeded", "Succeeded", "Succeeded"], ids.Select(id => State(id) ?? "missing").ToArray());
        Assert.Equal(0, monitor.FailedCount());
        // The reminders job ran for real: the unit with a car to seal two days before the holiday was reminded.
        Assert.Single(fleet.Factory.Outbox.Sent);
        Assert.Empty(other.Factory.Outbox.Sent);
    }
    [Fact]
    public async Task A_second_fleet_in_the_process_stopping_does_not_break_the_jobs_of_the_first()
    {
        // Hangfire's logging is process-wide; it once followed the host configured last and failed (a 500 on every
        // "run" request) as soon as that host was disposed.
        await using var first = await FleetFixture.StartAsync();
        var second = await FleetFixture.StartAsync();
        await Client.Read(await second.As(As.Admin).Post("/api/jobs/sealup-reconcile/run", null), HttpStatusCode.Accepted);
        await second.DisposeAsync();

        foreach (var job in new[] { "sealup-reconcile", "holiday-reminders", "recovery-overdue" })
            await Client.Read(await first.As(As.Admin).Post($"/api/jobs/{job}/run", null), HttpStatusCode.Accepted);
        var monitor = first.Factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        Assert.Equal(3, monitor.EnqueuedCount("default"));
    }
}
