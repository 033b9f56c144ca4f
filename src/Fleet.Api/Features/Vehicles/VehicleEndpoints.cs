using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Features.Vehicles;

public sealed record VehicleDto(
    Guid Id, string PlateNumber, string Vin, string Make, string Model, VehicleCategory Category,
    decimal EngineDisplacement, decimal PurchasePrice, DateOnly AcquiredOn, VehicleSource Source, Guid UnitId,
    VehicleStatus Status, bool OverStandard, int Version, DateTime? DisposedAt, string? DisposalReason, string? FuelCardNumber)
{
    public static VehicleDto From(Vehicle v) => new(v.Id, v.PlateNumber, v.Vin, v.Make, v.Model, v.Category,
        v.EngineDisplacement, v.PurchasePrice, v.AcquiredOn, v.Source, v.UnitId, v.Status, v.OverStandard, v.Version,
        v.DisposedAt, v.DisposalReason, v.FuelCardNumber);
}

public static class VehicleEndpoints
{
    public static void MapVehicleEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/vehicles").WithTags("Vehicles");
        group.MapPost("/", Register).AllowRoles(Role.Admin, Role.VehicleAdmin).Validate<VehicleRequest>();
        group.MapGet("/", List);
        group.MapGet("/{id:guid}", Get).WithName("GetVehicle");
        group.MapPut("/{id:guid}", Update).AllowRoles(Role.Admin, Role.VehicleAdmin).Validate<VehicleRequest>();
        group.MapPost("/{id:guid}/dispose", Dispose).AllowRoles(Role.Admin, Role.VehicleAdmin).Validate<DisposeRequest>();
        group.MapImportEndpoints();
    }

    public static async Task<Results<Ok<Paged<VehicleDto>>, ValidationProblem>> List(
        [AsParameters] PageQuery paging, Guid? unitId, VehicleStatus? status, string? plateNumber,
        ClaimsPrincipal user, VehicleQueries queries, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return Problems.Invalid(errors);
        var page = await queries.ListAsync(Caller.From(user), new VehicleFilter(unitId, Status: status, Plate: plateNumber), paging.ToRequest(), ct);
        return TypedResults.Ok(page.Map(r => VehicleDto.From(r.Vehicle)));
    }

    public static async Task<Results<Ok<VehicleDto>, ProblemHttpResult>> Get(
        Guid id, ClaimsPrincipal user, HttpContext http, VehicleQueries queries)
    {
        var vehicle = await queries.FindAsync(Caller.From(user), id);
        if (vehicle is null) return Problems.NotFound("Vehicles.NotFound");
        http.Response.Headers.ETag = ETags.For(vehicle.Version);
        return TypedResults.Ok(VehicleDto.From(vehicle));
    }

    public static Task<Results<Created<VehicleDto>, ValidationProblem, ProblemHttpResult>> Register(
        VehicleRequest request, ClaimsPrincipal user, HttpContext http, VehicleRules rules, CancellationToken ct) =>
        rules.RegisterAsync(Caller.From(user), request, ct).ToCreatedAsync(v => $"/api/vehicles/{v.Id}", v => WithETag(http, v));

    public static Task<Results<Ok<VehicleDto>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, VehicleRequest request, ClaimsPrincipal user, HttpContext http, VehicleRules rules, CancellationToken ct) =>
        rules.UpdateAsync(Caller.From(user), id, request, version => ETags.Matches(http.Request, version), ct).ToOkAsync(v => WithETag(http, v));

    public static Task<Results<Ok<VehicleDto>, ValidationProblem, ProblemHttpResult>> Dispose(
        Guid id, DisposeRequest request, ClaimsPrincipal user, HttpContext http, VehicleRules rules, CancellationToken ct) =>
        rules.DisposeAsync(Caller.From(user), id, request.Reason!, version => ETags.Matches(http.Request, version), ct).ToOkAsync(v => WithETag(http, v));

    private static VehicleDto WithETag(HttpContext http, Vehicle vehicle)
    {
        http.Response.Headers.ETag = ETags.For(vehicle.Version);
        return VehicleDto.From(vehicle);
    }

    public sealed record DisposeRequest(string? Reason);

    public sealed class DisposeValidator : RequestValidator<DisposeRequest>
    {
        public DisposeValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
    }
}
