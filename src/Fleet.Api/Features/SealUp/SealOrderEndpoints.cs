using System.Security.Claims;
using Fleet.Api.Features.Vehicles;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.SealUp;

public sealed record SealOrderDto(
    Guid Id, Guid ScheduleId, Guid VehicleId, string PlateNumber, Guid UnitId, SealOrderStatus Status, string? SealNumber,
    string? ParkingPlace, DateTime? SealedAt, string? SealedBy, bool Late, DateTime? OverdueAt, DateTime? BreachedAt, DateTime? ReleasedAt,
    bool ReleasedEarly);

public static class SealOrderEndpoints
{
    public sealed record SealRequest(Guid? VehicleId, string? SealNumber, string? ParkingPlace);

    public sealed record ReleaseRequest(Guid? VehicleId);

    public sealed class SealValidator : RequestValidator<SealRequest>
    {
        public SealValidator()
        {
            RuleFor(r => r.VehicleId).NotNull().NotEqual(Guid.Empty);
            RuleFor(r => r.SealNumber).NotEmpty().MaximumLength(64);
            RuleFor(r => r.ParkingPlace).NotEmpty().MaximumLength(200);
        }
    }

    public sealed class ReleaseValidator : RequestValidator<ReleaseRequest>
    {
        public ReleaseValidator() => RuleFor(r => r.VehicleId).NotNull().NotEqual(Guid.Empty);
    }

    public static async Task<Results<Ok<Paged<SealOrderDto>>, ValidationProblem, ProblemHttpResult>> List(
        Guid id, [AsParameters] PageQuery paging, Guid? unitId, SealOrderStatus? status, string? plateNumber, ClaimsPrincipal user, FleetDbContext db, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return Problems.Invalid(errors);
        if (!await db.SealUpSchedules.AnyAsync(s => s.Id == id, ct)) return Problems.NotFound("SealUp.ScheduleNotFound");
        var orders = db.SealOrders.AsNoTracking().VisibleTo(Caller.From(user)).Where(o => o.ScheduleId == id);
        if (unitId is not null) orders = orders.Where(o => o.UnitId == unitId);
        if (status is not null) orders = orders.Where(o => o.Status == status);
        var query = orders
            .Join(db.Vehicles, o => o.VehicleId, v => v.Id, (o, v) => new { o, v.PlateNumber })
            .WherePlateContains(x => x.PlateNumber, plateNumber)
            .OrderBy(x => x.PlateNumber)
            .Select(x => new SealOrderDto(x.o.Id, x.o.ScheduleId, x.o.VehicleId, x.PlateNumber, x.o.UnitId, x.o.Status, x.o.SealNumber,
                x.o.ParkingPlace, x.o.SealedAt, x.o.SealedBy, x.o.Late, x.o.OverdueAt, x.o.BreachedAt, x.o.ReleasedAt, x.o.ReleasedEarly));
        return TypedResults.Ok(await paging.ApplyAsync(query, ct));
    }

    public static Task<Results<Ok<SealOrderDto>, ValidationProblem, ProblemHttpResult>> Seal(
        Guid id, SealRequest request, ClaimsPrincipal user, SealUpRules rules, FleetDbContext db, CancellationToken ct) =>
        rules.SealAsync(Caller.From(user), id, request.VehicleId!.Value, request.SealNumber!, request.ParkingPlace!, ct).ToOkAsync(o => DtoAsync(db, o, ct));

    /// <summary>At or after the release time only (409 naming it before); an early release goes through an exemption.</summary>
    public static Task<Results<Ok<SealOrderDto>, ValidationProblem, ProblemHttpResult>> Release(
        Guid id, ReleaseRequest request, ClaimsPrincipal user, SealUpRules rules, FleetDbContext db, CancellationToken ct) =>
        rules.ReleaseAsync(Caller.From(user), id, request.VehicleId!.Value, ct).ToOkAsync(o => DtoAsync(db, o, ct));

    internal static async Task<SealOrderDto> DtoAsync(FleetDbContext db, SealOrder o, CancellationToken ct)
    {
        var plate = await db.Vehicles.Where(v => v.Id == o.VehicleId).Select(v => v.PlateNumber).FirstAsync(ct);
        return new SealOrderDto(o.Id, o.ScheduleId, o.VehicleId, plate, o.UnitId, o.Status, o.SealNumber, o.ParkingPlace,
            o.SealedAt, o.SealedBy, o.Late, o.OverdueAt, o.BreachedAt, o.ReleasedAt, o.ReleasedEarly);
    }
}
