using System.Security.Claims;
using Fleet.Api.Features.Vehicles;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

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
        Guid id, [AsParameters] PageQuery paging, Guid? unitId, SealOrderStatus? status, string? plateNumber, ClaimsPrincipal user, SealOrderQueries queries, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return Problems.Invalid(errors);
        var page = await queries.ListAsync(Caller.From(user), id, new SealOrderFilter(unitId, Status: status, Plate: plateNumber), paging.ToRequest(), ct);
        return page is null ? Problems.NotFound("SealUp.ScheduleNotFound") : TypedResults.Ok(page.Map(r => Dto(r.Order, r.Plate)));
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
        return Dto(o, plate);
    }

    private static SealOrderDto Dto(SealOrder o, string plate) => new(o.Id, o.ScheduleId, o.VehicleId, plate, o.UnitId, o.Status, o.SealNumber,
        o.ParkingPlace, o.SealedAt, o.SealedBy, o.Late, o.OverdueAt, o.BreachedAt, o.ReleasedAt, o.ReleasedEarly);
}
