using System.Net;
using Fleet.Data.Entities;
using Fleet.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests;

/// <summary>A car is either retired or held under a seal order, never both: dispose and seal settle each other under the vehicle's version.</summary>
public class DisposeSealTests
{
    private static Task<HttpResponseMessage> Dispose(Client who, Guid vehicle) =>
        who.Post($"/api/vehicles/{vehicle}/dispose", new { reason = "车辆报废" });

    [Fact]
    public async Task A_car_with_a_pending_or_sealed_order_is_not_disposed_until_exempted_or_released()
    {
        await using var f = await FleetFixture.StartAsync();
        var admin = f.As(As.Admin);
        var va = f.As(As.VehicleAdmin);
        var pending = Make.Id(await va.RegisterVehicle(Make.Vehicle(f.UnitA)));
        var sealedCar = Make.Id(await va.RegisterVehicle(Make.Vehicle(f.UnitA)));
        var holiday = await admin.CreateHoliday(inDays: 33);
        var schedule = await admin.Publish(new { holidayId = Make.Id(holiday), unitIds = new[] { f.UnitA } });
        var id = Make.Id(schedule);
        await Client.Read(await va.Seal(id, sealedCar), HttpStatusCode.OK);
        var before = await f.Factory.WrittenState();

        // Pending before the deadline: the refusal names the holiday and the way out, an exemption.
        var refused = await Client.Problem(await Dispose(va, pending), HttpStatusCode.Conflict);
        var detail = (string)refused["detail"]!;
        Assert.Contains((string)holiday["name"]!, detail);
        Assert.Contains("exemption", detail);
        Assert.Equal("SealUp.PendingNotDisposed", (string)refused["code"]!);
        // Sealed: released first, at the release time or early by an exemption.
        refused = await Client.Problem(await Dispose(va, sealedCar), HttpStatusCode.Conflict);
        detail = (string)refused["detail"]!;
        Assert.Contains("release it first", detail);
        Assert.Contains(TimeZoneInfo.ConvertTimeFromUtc((DateTime)schedule["releaseAt"]!, SealUpSteps.Shanghai).ToString("yyyy-MM-dd HH:mm"), detail);
        Assert.Equal("SealUp.SealedNotDisposed", (string)refused["code"]!);
        Assert.Equal(before, await f.Factory.WrittenState());

        // An approved exemption lets the pending car go; the release time lets the sealed one go.
        var exemption = await Client.Read(await va.AskExemption(id, pending), HttpStatusCode.Created);
        await Client.Read(await f.As(As.Inspector).Post($"/api/exemptions/{exemption["id"]}/approve", new { note = "车辆报废" }), HttpStatusCode.OK);
        Assert.Equal("Disposed", (string)(await Client.Read(await Dispose(va, pending), HttpStatusCode.OK))["status"]!);
        f.Factory.MoveTo((DateTime)schedule["releaseAt"]!);
        await Client.Read(await va.Release(id, sealedCar), HttpStatusCode.OK);
        Assert.Equal("Disposed", (string)(await Client.Read(await Dispose(va, sealedCar), HttpStatusCode.OK))["status"]!);
    }

    [Fact]
    public async Task An_overdue_car_is_not_disposed_and_is_told_to_seal_or_wait()
    {
        await using var f = await FleetFixture.StartAsync();
        var admin = f.As(As.Admin);
        var va = f.As(As.VehicleAdmin);
        var car = Make.Id(await va.RegisterVehicle(Make.Vehicle(f.UnitA)));
        var holiday = await admin.CreateHoliday(inDays: 33);
        var schedule = await admin.Publish(new { holidayId = Make.Id(holiday), unitIds = new[] { f.UnitA } });
        f.Factory.MoveTo(((DateTime)schedule["sealDeadline"]!).AddHours(1));

        var refused = await Client.Problem(await Dispose(va, car), HttpStatusCode.Conflict);
        Assert.Contains("overdue", (string)refused["detail"]!);
        Assert.Equal("SealUp.OverdueNotDisposed", (string)refused["code"]!);
        Assert.Equal("Active", (string)(await va.GetJson($"/api/vehicles/{car}"))["status"]!);
    }

    [Fact]
    public async Task A_disposed_car_is_not_sealed_even_when_its_order_was_left_pending()
    {
        await using var f = await FleetFixture.StartAsync();
        var admin = f.As(As.Admin);
        var va = f.As(As.VehicleAdmin);
        var car = Make.Id(await va.RegisterVehicle(Make.Vehicle(f.UnitA)));
        var schedule = Make.Id(await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 33)), unitIds = new[] { f.UnitA } }));
        // Disposed before this rule existed, its order still pending.
        await f.Factory.Db(db => db.Vehicles.Where(v => v.Id == car).ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, VehicleStatus.Disposed)));
        var before = await f.Factory.WrittenState();

        var refused = await Client.Problem(await va.Seal(schedule, car), HttpStatusCode.Conflict);
        Assert.Contains("disposed", (string)refused["detail"]!);
        Assert.Equal("SealUp.DisposedNotSealed", (string)refused["code"]!);
        Assert.Equal(before, await f.Factory.WrittenState());

        // A car disposed before it had an order is not in the schedule at all.
        var late = Make.Id(await va.RegisterVehicle(Make.Vehicle(f.UnitA)));
        await Client.Read(await Dispose(va, late), HttpStatusCode.OK);
        await Client.Problem(await va.Seal(schedule, late), HttpStatusCode.NotFound);
    }

    /// <summary>
    /// Cars registered after the schedule was published have no order yet: sealing makes it on the way, and disposing
    /// finds none to stop it. Released together, exactly one of each pair wins, and no car ends both disposed and sealed.
    /// </summary>
    [Fact]
    public async Task Twenty_dispose_and_seal_pairs_at_once_never_leave_a_sealed_disposed_car()
    {
        await using var f = await FleetFixture.StartAsync();
        var admin = f.As(As.Admin);
        var va = f.As(As.VehicleAdmin);
        var schedule = Make.Id(await admin.Publish(new { holidayId = Make.Id(await admin.CreateHoliday(inDays: 33)), unitIds = new[] { f.UnitA } }));
        var cars = new List<Guid>();
        for (var i = 0; i < 20; i++) cars.Add(Make.Id(await va.RegisterVehicle(Make.Vehicle(f.UnitA))));

        var statuses = await Together.Send(40, i => i % 2 == 0 ? Dispose(f.As(As.VehicleAdmin), cars[i / 2]) : f.As(As.VehicleAdmin).Seal(schedule, cars[i / 2]));

        HttpStatusCode[] lost = [HttpStatusCode.Conflict, HttpStatusCode.PreconditionFailed, HttpStatusCode.NotFound];
        for (var pair = 0; pair < 20; pair++)
        {
            var (dispose, seal) = (statuses[2 * pair], statuses[2 * pair + 1]);
            Assert.True((dispose == HttpStatusCode.OK) != (seal == HttpStatusCode.OK) && (lost.Contains(dispose) || lost.Contains(seal)),
                $"pair {pair}: dispose {dispose}, seal {seal}");
        }
        var sealedDisposed = await f.Factory.Db(db => db.SealOrders
            .Where(o => cars.Contains(o.VehicleId) && o.Status == SealOrderStatus.Sealed)
            .CountAsync(o => db.Vehicles.Any(v => v.Id == o.VehicleId && v.Status == VehicleStatus.Disposed)));
        Assert.Equal(0, sealedDisposed);
        // The loser wrote nothing, the winner its audit entry: a disposed car has no order, a sealed one no Dispose entry.
        var texts = cars.Select(c => c.ToString()).ToList();
        var audit = await f.Factory.Db(db => db.AuditEntries.Where(a => a.Action == "Dispose" || a.Action == "Seal").Select(a => new { a.Entity, a.EntityId, a.Action }).ToListAsync());
        var disposed = await f.Factory.Db(db => db.Vehicles.Where(v => cars.Contains(v.Id) && v.Status == VehicleStatus.Disposed).Select(v => v.Id).ToListAsync());
        var orders = await f.Factory.Db(db => db.SealOrders.Where(o => cars.Contains(o.VehicleId)).Select(o => new { o.Id, o.VehicleId, o.Status }).ToListAsync());
        Assert.Equal(statuses.Where((s, i) => i % 2 == 0 && s == HttpStatusCode.OK).Count(), disposed.Count);
        Assert.Equal(20 - disposed.Count, orders.Count(o => o.Status == SealOrderStatus.Sealed));
        Assert.DoesNotContain(orders, o => disposed.Contains(o.VehicleId));
        Assert.Equal(disposed.Count, audit.Count(a => a.Entity == "Vehicle" && a.Action == "Dispose" && texts.Contains(a.EntityId)));
        Assert.Equal(20 - disposed.Count, audit.Count(a => a.Entity == "SealOrder" && a.Action == "Seal" && orders.Any(o => o.Id.ToString() == a.EntityId)));
    }

    /// <summary>
    /// Publishing gives every active car its order in one statement, and the reconcile job gives one to each car
    /// registered since. A disposal racing either either comes first (the car gets no order) or finds the order (409):
    /// never a disposed car with an order to seal.
    /// </summary>
    [Fact]
    public async Task Publishing_and_reconciling_while_cars_are_disposed_never_give_a_disposed_car_an_order()
    {
        await using var f = await FleetFixture.StartAsync();
        var admin = f.As(As.Admin);
        var va = f.As(As.VehicleAdmin);
        var holiday = Make.Id(await admin.CreateHoliday(inDays: 33));
        var cars = new List<Guid>();
        for (var i = 0; i < 20; i++) cars.Add(Make.Id(await va.RegisterVehicle(Make.Vehicle(f.UnitA))));

        var statuses = await Together.Send(21, i => i == 0
            ? f.As(As.Admin).Post("/api/sealup-schedules", new { holidayId = holiday, unitIds = new[] { f.UnitA } })
            : Dispose(f.As(As.VehicleAdmin), cars[i - 1]));
        Assert.Equal(HttpStatusCode.Created, statuses[0]);
        Assert.All(statuses.Skip(1), s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        await AssertEachCarEitherDisposedOrOrdered(f, cars, statuses.Skip(1).Count(s => s == HttpStatusCode.OK));

        // Cars registered after publishing get their orders from the job; disposals race it the same way.
        var later = new List<Guid>();
        for (var i = 0; i < 20; i++) later.Add(Make.Id(await va.RegisterVehicle(Make.Vehicle(f.UnitA))));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = Task.Run(async () => { await gate.Task; await f.Factory.RunSealUpReconcile(); });
        var disposals = later.Select(car => Task.Run(async () => { await gate.Task; using var r = await Dispose(f.As(As.VehicleAdmin), car); return r.StatusCode; })).ToList();
        gate.SetResult();
        await job;
        var laterStatuses = await Task.WhenAll(disposals);
        Assert.All(laterStatuses, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        await AssertEachCarEitherDisposedOrOrdered(f, later, laterStatuses.Count(s => s == HttpStatusCode.OK));
    }

    private static async Task AssertEachCarEitherDisposedOrOrdered(FleetFixture f, List<Guid> cars, int disposedAnswers)
    {
        var disposed = await f.Factory.Db(db => db.Vehicles.Where(v => cars.Contains(v.Id) && v.Status == VehicleStatus.Disposed).Select(v => v.Id).ToListAsync());
        var ordered = await f.Factory.Db(db => db.SealOrders.Where(o => cars.Contains(o.VehicleId)).Select(o => o.VehicleId).ToListAsync());
        Assert.Equal(disposedAnswers, disposed.Count);
        Assert.Empty(disposed.Intersect(ordered));
        Assert.Equal(cars.Count, disposed.Count + ordered.Distinct().Count());
    }
}
