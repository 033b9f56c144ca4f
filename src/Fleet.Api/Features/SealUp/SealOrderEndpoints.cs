using System.Security.Claims;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.SealUp;

public sealed record SealOrderDto(
    Guid Id, Guid ScheduleId, Guid VehicleId, string PlateNumber, Guid UnitId, SealOrderStatus Status, string? SealNumber,
    string? ParkingPlace, DateTime? SealedAt, string? SealedBy, bool Late, DateTime? OverdueAt, DateTime? BreachedAt, DateTime? ReleasedAt);

public static class SealOrderEndpoints
{
    public sealed record SealRequest(Guid? VehicleId, string? SealNumber, string? ParkingPlace);

    public sealed record ReleaseRequest(Guid? VehicleId);

    public sealed class SealValidator : AbstractValidator<SealRequest>
    {
        public SealValidator()
        {
            RuleFor(r => r.VehicleId).NotNull().NotEqual(Guid.Empty);
            RuleFor(r => r.SealNumber).NotEmpty().MaximumLength(64);
            RuleFor(r => r.ParkingPlace).NotEmpty().MaximumLength(200);
        }
    }

    public sealed class ReleaseValidator : AbstractValidator<ReleaseRequest>
    {
        public ReleaseValidator() => RuleFor(r => r.VehicleId).NotNull().NotEqual(Guid.Empty);
    }

    public static async Task<Results<Ok<Paged<SealOrderDto>>, ValidationProblem, ProblemHttpResult>> List(
        Guid id, [AsParameters] PageQuery paging, Guid? unitId, SealOrderStatus? status, ClaimsPrincipal user, FleetDbContext db, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return TypedResults.ValidationProblem(errors);
        if (!await db.SealUpSchedules.AnyAsync(s => s.Id == id, ct)) return Problems.NotFound("The seal-up schedule");
        var orders = db.SealOrders.AsNoTracking().VisibleTo(Caller.From(user)).Where(o => o.ScheduleId == id);
        if (unitId is not null) orders = orders.Where(o => o.UnitId == unitId);
        if (status is not null) orders = orders.Where(o => o.Status == status);
        var query = orders
            .Join(db.Vehicles, o => o.VehicleId, v => v.Id, (o, v) => new { o, v.PlateNumber })
            .OrderBy(x => x.PlateNumber)
            .Select(x => new SealOrderDto(x.o.Id, x.o.ScheduleId, x.o.VehicleId, x.PlateNumber, x.o.UnitId, x.o.Status, x.o.SealNumber,
                x.o.ParkingPlace, x.o.SealedAt, x.o.SealedBy, x.o.Late, x.o.OverdueAt, x.o.BreachedAt, x.o.ReleasedAt));
        return TypedResults.Ok(await paging.ApplyAsync(query, ct));
    }

    /// <summary>Seals a vehicle at its designated parking place. After the deadline the seal is late, and the lateness stays on record.</summary>
    public static async Task<Results<Ok<SealOrderDto>, ProblemHttpResult>> Seal(
        Guid id, SealRequest request, ClaimsPrincipal user, FleetDbContext db, SealOrderSets sets, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (schedule, order, problem) = await FindAsync(id, request.VehicleId!.Value, Caller.From(user), db, sets, now, ct);
        if (problem is not null) return problem;
        if (order!.Status is not (SealOrderStatus.Pending or SealOrderStatus.Overdue))
            return Problems.Conflict($"The order is {order.Status}; only a pending or overdue order can be sealed.");
        if (now >= schedule!.ReleaseAt) return Problems.Conflict("The holiday is over: the schedule has passed its release time.");
        var sealNumber = request.SealNumber!.Trim();
        if (await db.SealOrders.AnyAsync(o => o.ScheduleId == id && o.SealNumber == sealNumber, ct))
            return Problems.Conflict($"Seal number {sealNumber} is already used under this schedule.");

        order.Status = SealOrderStatus.Sealed;
        order.SealNumber = sealNumber;
        order.ParkingPlace = request.ParkingPlace!.Trim();
        order.SealedAt = now;
        order.SealedBy = user.Identity!.Name;
        order.Late = now > schedule.SealDeadline;
        db.AuditAs(order, "Seal");
        if (order.Late) await OpenDeadlineMissedAsync(db, schedule, order, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await DtoAsync(db, order, ct));
    }

    public static async Task<Results<Ok<SealOrderDto>, ProblemHttpResult>> Release(
        Guid id, ReleaseRequest request, ClaimsPrincipal user, FleetDbContext db, SealOrderSets sets, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (_, order, problem) = await FindAsync(id, request.VehicleId!.Value, Caller.From(user), db, sets, now, ct);
        if (problem is not null) return problem;
        if (order!.Status != SealOrderStatus.Sealed)
            return Problems.Conflict($"The order is {order.Status}; only a sealed vehicle can be released.");
        order.Status = SealOrderStatus.Released;
        order.ReleasedAt = now;
        db.AuditAs(order, "Release");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await DtoAsync(db, order, ct));
    }

    /// <summary>
    /// The tracked order of a vehicle the caller may act for. A vehicle registered after publishing whose order the
    /// job has not made yet gets it here, by the same statement the job runs.
    /// </summary>
    internal static async Task<(SealUpSchedule?, SealOrder?, ProblemHttpResult?)> FindAsync(
        Guid scheduleId, Guid vehicleId, Caller caller, FleetDbContext db, SealOrderSets sets, DateTime now, CancellationToken ct)
    {
        var schedule = await db.SealUpSchedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == scheduleId, ct);
        if (schedule is null) return (null, null, Problems.NotFound("The seal-up schedule"));
        var order = await db.SealOrders.VisibleTo(caller).FirstOrDefaultAsync(o => o.ScheduleId == scheduleId && o.VehicleId == vehicleId, ct);
        if (order is null && await db.Vehicles.VisibleTo(caller).AnyAsync(v => v.Id == vehicleId, ct))
        {
            await sets.CreateMissingAsync(schedule, now, ct);
            order = await db.SealOrders.FirstOrDefaultAsync(o => o.ScheduleId == scheduleId && o.VehicleId == vehicleId, ct);
        }
        return order is null
            ? (schedule, null, Problems.NotFound("A seal order for this vehicle under this schedule"))
            : (schedule, order, null);
    }

    /// <summary>The same violation the reconcile job opens for a missed deadline, under the same id (the order's), so it exists once.</summary>
    internal static async Task OpenDeadlineMissedAsync(FleetDbContext db, SealUpSchedule schedule, SealOrder order, CancellationToken ct)
    {
        if (await db.Violations.AnyAsync(v => v.Id == order.Id, ct)) return;
        var plate = await db.Vehicles.Where(v => v.Id == order.VehicleId).Select(v => v.PlateNumber).FirstAsync(ct);
        db.Violations.Add(new Violation
        {
            Id = order.Id,
            Type = ViolationType.SealDeadlineMissed,
            VehicleId = order.VehicleId,
            PlateNumber = plate,
            UnitId = order.UnitId,
            DetectedAt = schedule.SealDeadline,
            Source = ViolationSource.SealUpJob,
            SourceId = order.Id,
            Status = ViolationStatus.Open,
        });
    }

    internal static async Task<SealOrderDto> DtoAsync(FleetDbContext db, SealOrder o, CancellationToken ct)
    {
        var plate = await db.Vehicles.Where(v => v.Id == o.VehicleId).Select(v => v.PlateNumber).FirstAsync(ct);
        return new SealOrderDto(o.Id, o.ScheduleId, o.VehicleId, plate, o.UnitId, o.Status, o.SealNumber, o.ParkingPlace,
            o.SealedAt, o.SealedBy, o.Late, o.OverdueAt, o.BreachedAt, o.ReleasedAt);
    }
}
