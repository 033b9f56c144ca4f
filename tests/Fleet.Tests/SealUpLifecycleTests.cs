using System.Net;
using Fleet.Data.Entities;
using Fleet.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests;

/// <summary>Whole holidays on a fake clock: each test has a Fleet of its own, so every record can be counted.</summary>
public class SealUpLifecycleTests
{
    [Fact]
    public async Task A_holiday_from_publishing_to_release()
    {
        await using var fleet = await FleetFixture.StartAsync();
        var f = fleet.Factory;
        var admin = fleet.As(As.Admin);
        var va = fleet.As(As.VehicleAdmin);
        var sealedOnTime = Make.Id(await va.RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var exempted = Make.Id(await va.RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var forgotten = Make.Id(await va.RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var police = Make.Id(await va.RegisterVehicle(Make.Vehicle(fleet.UnitA, v => v["category"] = "LawEnforcement")));
        var ofB = Make.Id(await fleet.As(As.OtherVehicleAdmin).RegisterVehicle(Make.Vehicle(fleet.UnitB)));

        // Publish with the defaults: 18:00 local the day before, 08:00 local the day after, every unit.
        var holiday = await admin.CreateHoliday(inDays: 10, length: 3);
        var firstDay = DateOnly.Parse((string)holiday["firstDay"]!);
        var schedule = await admin.Publish(new { holidayId = Make.Id(holiday) });
        var id = Make.Id(schedule);
        var deadline = (DateTime)schedule["sealDeadline"]!;
        var releaseAt = (DateTime)schedule["releaseAt"]!;
        Assert.Equal(firstDay.AddDays(-1).ToDateTime(new TimeOnly(10, 0)), deadline); // 18:00 in Shanghai is 10:00 UTC
        Assert.Equal(firstDay.AddDays(3).ToDateTime(new TimeOnly(0, 0)), releaseAt);  // 08:00 in Shanghai is 00:00 UTC
        Assert.Equal("Published", (string)schedule["status"]!);

        var orders = await admin.Orders(id);
        Assert.Equal(5, orders.Count);
        Assert.Equal("Exempted", (string)orders[police]["status"]!);
        Assert.All(new[] { sealedOnTime, exempted, forgotten, ofB }, v => Assert.Equal("Pending", (string)orders[v]["status"]!));

        // Three days before the deadline each unit with cars to seal is reminded, once.
        f.MoveTo(deadline.AddDays(-3).AddHours(1));
        await f.RunHolidayReminders();
        await f.RunHolidayReminders();
        var reminders = await f.Db(db => db.Reminders.OrderBy(r => r.Body).ToListAsync());
        Assert.Equal(2, reminders.Count);
        Assert.All(reminders, r => Assert.Equal(ReminderStatus.Sent, r.Status));
        Assert.Equal(2, f.Outbox.Sent.Count);
        var ofA = reminders.Single(r => r.UnitId == fleet.UnitA);
        Assert.Equal(3, ofA.VehicleCount);
        Assert.Contains("廉洁提醒", ofA.Body);
        var plateOfForgotten = (string)orders[forgotten]["plateNumber"]!;
        Assert.Contains(plateOfForgotten, ofA.Body);
        Assert.DoesNotContain((string)orders[police]["plateNumber"]!, ofA.Body);

        // Before the deadline: one sealed, one exempted, one forgotten.
        var sealedOrder = await Client.Read(await va.Seal(id, sealedOnTime, "FT-0001"), HttpStatusCode.OK);
        Assert.Equal("Sealed", (string)sealedOrder["status"]!);
        Assert.False((bool)sealedOrder["late"]!);
        Assert.Equal("FT-0001", (string)sealedOrder["sealNumber"]!);
        var exemption = await Client.Read(await va.AskExemption(id, exempted), HttpStatusCode.Created);
        Assert.Equal("Requested", (string)exemption["status"]!);
        await Client.Read(await fleet.As(As.Inspector).Post($"/api/exemptions/{exemption["id"]}/approve", new { note = "同意" }), HttpStatusCode.OK);

        // The deadline passes: the forgotten car is overdue, with one violation, however often the job runs.
        f.MoveTo(deadline.AddMinutes(1));
        await f.RunSealUpReconcile();
        await f.RunSealUpReconcile();
        orders = await admin.Orders(id);
        Assert.Equal("Overdue", (string)orders[forgotten]["status"]!);
        Assert.Equal("Overdue", (string)orders[ofB]["status"]!);
        Assert.Equal("Exempted", (string)orders[exempted]["status"]!);
        Assert.Equal("Sealed", (string)orders[sealedOnTime]["status"]!);
        Assert.Equal("Active", (string)(await admin.GetJson($"/api/sealup-schedules/{id}"))["status"]!);
        var missed = (await admin.GetJson("/api/violations?type=SealDeadlineMissed&pageSize=500"))["items"]!.AsArray();
        Assert.Equal(2, missed.Count);
        var ofForgotten = missed.Single(v => (Guid)v!["vehicleId"]! == forgotten)!;
        Assert.Equal("SealUpJob", (string)ofForgotten["source"]!);
        Assert.Equal(plateOfForgotten, (string)ofForgotten["plateNumber"]!);
        Assert.Equal(deadline, (DateTime)ofForgotten["detectedAt"]!);
        Assert.Equal(Guid.Parse((string)orders[forgotten]["id"]!), (Guid)ofForgotten["sourceId"]!);

        // A late seal is taken, and the lateness stays on record; no second violation.
        f.MoveTo(deadline.AddHours(5));
        var late = await Client.Read(await va.Seal(id, forgotten), HttpStatusCode.OK);
        Assert.True((bool)late["late"]!);
        await f.RunSealUpReconcile();
        Assert.Equal(2, (int)(await admin.GetJson("/api/violations?type=SealDeadlineMissed"))["total"]!);

        // After the holiday the sealed cars are released at the release time; the schedule closes.
        f.MoveTo(releaseAt.AddHours(3));
        await f.RunSealUpReconcile();
        orders = await admin.Orders(id);
        Assert.Equal("Released", (string)orders[sealedOnTime]["status"]!);
        Assert.Equal(releaseAt, (DateTime)orders[sealedOnTime]["releasedAt"]!);
        Assert.Equal("Released", (string)orders[forgotten]["status"]!);
        Assert.True((bool)orders[forgotten]["late"]!);
        Assert.Equal("Overdue", (string)orders[ofB]["status"]!);
        Assert.Equal("Exempted", (string)orders[exempted]["status"]!);
        Assert.Equal("Closed", (string)(await admin.GetJson($"/api/sealup-schedules/{id}"))["status"]!);
        Assert.Equal(ScheduleStatus.Closed, await f.Db(db => db.SealUpSchedules.Where(s => s.Id == id).Select(s => s.Status).SingleAsync()));

        // The job's changes are audited under its name.
        var trail = (await admin.GetJson($"/api/audit?entity=SealOrder&entityId={orders[sealedOnTime]["id"]}"))["items"]!.AsArray().Reverse().ToList(); // the log lists newest first
        Assert.Equal(["Create", "Seal", "Release"], trail.Select(e => (string)e!["action"]!).ToArray());
        Assert.Equal("system:sealup-reconcile", (string)trail[2]!["actor"]!);
        Assert.Equal("Released", (string)trail[2]!["after"]!["status"]!);
        Assert.Equal(2, f.Outbox.Sent.Count);
    }

    [Fact]
    public async Task Two_runs_at_once_open_each_violation_and_send_each_reminder_once()
    {
        await using var fleet = await FleetFixture.StartAsync();
        var f = fleet.Factory;
        var admin = fleet.As(As.Admin);
        for (var i = 0; i < 5; i++) await admin.RegisterVehicle(Make.Vehicle(i % 2 == 0 ? fleet.UnitA : fleet.UnitB));
        var schedule = await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 2)) });

        f.MoveTo(((DateTime)schedule["sealDeadline"]!).AddHours(-20));
        await Task.WhenAll(f.RunHolidayReminders(), f.RunHolidayReminders(), f.RunHolidayReminders());
        Assert.Equal(2, await f.Db(db => db.Reminders.CountAsync()));
        Assert.Equal(2, f.Outbox.Sent.Count);

        f.MoveTo(((DateTime)schedule["sealDeadline"]!).AddHours(1));
        await Task.WhenAll(f.RunSealUpReconcile(), f.RunSealUpReconcile(), f.RunSealUpReconcile());
        Assert.Equal(5, await f.Db(db => db.Violations.CountAsync(v => v.Type == ViolationType.SealDeadlineMissed)));
        Assert.Equal(5, await f.Db(db => db.SealOrders.CountAsync(o => o.Status == SealOrderStatus.Overdue)));
        Assert.Equal(5, await f.Db(db => db.AuditEntries.CountAsync(a => a.Entity == "SealOrder" && a.Action == "Overdue")));
    }

    [Fact]
    public async Task A_first_run_after_the_release_time_gives_the_records_of_runs_on_time()
    {
        async Task<string> Scenario(bool onTime)
        {
            await using var fleet = await FleetFixture.StartAsync();
            var f = fleet.Factory;
            var admin = fleet.As(As.Admin);
            var va = fleet.As(As.VehicleAdmin);
            var vehicles = new List<Guid>();
            for (var i = 0; i < 3; i++) vehicles.Add(Make.Id(await va.RegisterVehicle(Make.Vehicle(fleet.UnitA, v => v["plateNumber"] = $"粤A1234{i}"))));
            var schedule = await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 5)), unitIds = new[] { fleet.UnitA } });
            var id = Make.Id(schedule);
            var deadline = (DateTime)schedule["sealDeadline"]!;
            var release = (DateTime)schedule["releaseAt"]!;

            // Registered after publishing, before the deadline: it needs an order too.
            f.MoveTo(deadline.AddDays(-2));
            await va.RegisterVehicle(Make.Vehicle(fleet.UnitA, v => v["plateNumber"] = "粤A12349"));
            if (onTime) await f.RunSealUpReconcile();
            await Client.Read(await va.Seal(id, vehicles[0], "S-1"), HttpStatusCode.OK);
            f.MoveTo(deadline.AddMinutes(5));
            if (onTime) await f.RunSealUpReconcile();
            f.MoveTo(release.AddMinutes(5));
            if (onTime) await f.RunSealUpReconcile();
            // Down for a day: the first run comes late.
            f.MoveTo(release.AddDays(1));
            await f.RunSealUpReconcile();

            var orders = await f.Db(db => db.SealOrders.Join(db.Vehicles, o => o.VehicleId, v => v.Id, (o, v) => new { v.PlateNumber, o.Status, o.Late, o.OverdueAt, o.ReleasedAt, o.SealNumber })
                .OrderBy(x => x.PlateNumber).ToListAsync());
            var violations = await f.Db(db => db.Violations.Where(v => v.Source == ViolationSource.SealUpJob)
                .Select(v => new { v.PlateNumber, v.Type, v.DetectedAt, v.Status }).OrderBy(x => x.PlateNumber).ToListAsync());
            var status = await f.Db(db => db.SealUpSchedules.Select(s => s.Status).SingleAsync());
            Assert.Equal(4, orders.Count);
            return System.Text.Json.JsonSerializer.Serialize(new { orders, violations, status, deadline, release }, Client.Json);
        }

        var onTime = await Scenario(onTime: true);
        var late = await Scenario(onTime: false);
        // Both scenarios pick their holiday relative to the same fake start, so their times agree.
        Assert.Equal(onTime, late);
        Assert.Contains("\"Released\"", late);
        Assert.Contains("\"Overdue\"", late);
        Assert.Contains("SealDeadlineMissed", late);
        Assert.Contains("Closed", late);
    }

    [Fact]
    public async Task A_reminder_the_channel_could_not_take_stays_in_the_outbox_and_goes_out_once_later()
    {
        await using var fleet = await FleetFixture.StartAsync();
        var f = fleet.Factory;
        var admin = fleet.As(As.Admin);
        await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA));
        var schedule = await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 3)), unitIds = new[] { fleet.UnitA } });
        f.MoveTo(((DateTime)schedule["sealDeadline"]!).AddDays(-2));

        f.Outbox.Down = true;
        await f.RunHolidayReminders();
        var waiting = await f.Db(db => db.Reminders.SingleAsync());
        Assert.Equal(ReminderStatus.Pending, waiting.Status);
        Assert.Equal(1, waiting.Attempts);
        Assert.Contains("unreachable", waiting.LastError);
        Assert.Empty(f.Outbox.Sent);

        // It waits out its back-off: a run before then does not try it.
        f.Outbox.Down = false;
        await f.RunHolidayReminders();
        Assert.Empty(f.Outbox.Sent);
        f.MoveTo(f.Clock.GetUtcNow().UtcDateTime.AddMinutes(5));
        await f.RunHolidayReminders();
        await f.RunHolidayReminders();
        var sent = await f.Db(db => db.Reminders.SingleAsync());
        Assert.Equal(ReminderStatus.Sent, sent.Status);
        Assert.Equal(2, sent.Attempts);
        Assert.Single(f.Outbox.Sent);
    }

    [Fact]
    public async Task Vehicles_registered_after_the_deadline_or_out_of_scope_get_no_order()
    {
        await using var fleet = await FleetFixture.StartAsync();
        var f = fleet.Factory;
        var admin = fleet.As(As.Admin);
        var inScope = Make.Id(await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA)));
        var outOfScope = Make.Id(await admin.RegisterVehicle(Make.Vehicle(fleet.UnitB)));
        var schedule = await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday()), unitIds = new[] { fleet.UnitA }, exemptCategories = Array.Empty<string>() });
        var id = Make.Id(schedule);
        f.MoveTo(((DateTime)schedule["sealDeadline"]!).AddMinutes(1));
        var afterDeadline = Make.Id(await admin.RegisterVehicle(Make.Vehicle(fleet.UnitA, v => v["category"] = "Emergency")));
        await f.RunSealUpReconcile();
        var orders = await admin.Orders(id);
        Assert.Equal([inScope], orders.Keys.ToArray());
        Assert.DoesNotContain(outOfScope, orders.Keys);
        Assert.DoesNotContain(afterDeadline, orders.Keys);
        Assert.Equal("Overdue", (string)orders[inScope]["status"]!);
    }
}
