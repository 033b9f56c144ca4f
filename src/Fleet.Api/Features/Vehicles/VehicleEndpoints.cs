using System.Security.Claims;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.Vehicles;

public sealed record VehicleDto(
    Guid Id, string PlateNumber, string Vin, string Make, string Model, VehicleCategory Category,
    decimal EngineDisplacement, decimal PurchasePrice, DateOnly AcquiredOn, VehicleSource Source, Guid UnitId,
    VehicleStatus Status, bool OverStandard, int Version, DateTime? DisposedAt, string? DisposalReason)
{
    public static VehicleDto From(Vehicle v) => new(v.Id, v.PlateNumber, v.Vin, v.Make, v.Model, v.Category,
        v.EngineDisplacement, v.PurchasePrice, v.AcquiredOn, v.Source, v.UnitId, v.Status, v.OverStandard, v.Version,
        v.DisposedAt, v.DisposalReason);
}

public static class VehicleEndpoints
{
    public static void MapVehicleEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/vehicles").WithTags("Vehicles");
        group.MapPost("/", RegisterVehicle.Handle).AllowRoles(Role.Admin, Role.VehicleAdmin).Validate<VehicleRequest>();
        group.MapGet("/", List);
        group.MapGet("/{id:guid}", Get).WithName("GetVehicle");
        group.MapPut("/{id:guid}", UpdateVehicle.Handle).AllowRoles(Role.Admin, Role.VehicleAdmin).Validate<VehicleRequest>();
        group.MapPost("/{id:guid}/dispose", DisposeVehicle.Handle).AllowRoles(Role.Admin, Role.VehicleAdmin).Validate<DisposeVehicle.Request>();
        group.MapImportEndpoints();
    }

    public static async Task<Results<Ok<Paged<VehicleDto>>, ValidationProblem>> List(
        [AsParameters] PageQuery paging, Guid? unitId, VehicleStatus? status, string? plateNumber,
        ClaimsPrincipal user, FleetDbContext db, CancellationToken ct)
    {
        if (paging.Errors() is { } errors) return TypedResults.ValidationProblem(errors);
        var vehicles = db.Vehicles.AsNoTracking().VisibleTo(Caller.From(user));
        if (unitId is not null) vehicles = vehicles.Where(v => v.UnitId == unitId);
        if (status is not null) vehicles = vehicles.Where(v => v.Status == status);
        if (!string.IsNullOrWhiteSpace(plateNumber))
        {
            var plate = Plates.Normalise(plateNumber);
            vehicles = vehicles.Where(v => v.PlateNumber.StartsWith(plate));
        }
        var page = await paging.ApplyAsync(vehicles.OrderBy(v => v.PlateNumber), ct);
        return TypedResults.Ok(new Paged<VehicleDto>(page.Items.Select(VehicleDto.From).ToList(), page.Page, page.PageSize, page.Total));
    }

    public static async Task<Results<Ok<VehicleDto>, ProblemHttpResult>> Get(
        Guid id, ClaimsPrincipal user, HttpContext http, VehicleReads reads)
    {
        var caller = Caller.From(user);
        var vehicle = await reads.FindAsync(id, caller.IsUnitBound ? caller.UnitId ?? Guid.Empty : null, http);
        if (vehicle is null) return Problems.NotFound("The vehicle");
        http.Response.Headers.ETag = ETags.For(vehicle.Version);
        return TypedResults.Ok(VehicleDto.From(vehicle));
    }

    /// <summary>409 when another vehicle has the plate or VIN; the unique indexes back this up under a race.</summary>
    internal static async Task<ProblemHttpResult?> DuplicateAsync(FleetDbContext db, string plate, string vin, Guid? except, CancellationToken ct)
    {
        if (await db.Vehicles.AnyAsync(v => v.PlateNumber == plate && v.Id != except, ct))
            return Problems.Conflict($"The plate {plate} is already registered.");
        if (await db.Vehicles.AnyAsync(v => v.Vin == vin && v.Id != except, ct))
            return Problems.Conflict($"The VIN {vin} is already registered.");
        return null;
    }
}

public static class RegisterVehicle
{
    public static async Task<Results<CreatedAtRoute<VehicleDto>, ValidationProblem, ProblemHttpResult>> Handle(
        VehicleRequest request, ClaimsPrincipal user, FleetDbContext db, Standards standards, TimeProvider clock, CancellationToken ct)
    {
        var caller = Caller.From(user);
        if (!caller.MaySee(request.UnitId!.Value))
            return Problems.Forbidden("A vehicle administrator registers vehicles of their own unit only.");
        if (!await db.Units.AnyAsync(u => u.Id == request.UnitId, ct))
            return Problems.Field("unitId", "No unit has this id.");
        var vehicle = New(request, clock.GetUtcNow().UtcDateTime);
        if (await VehicleEndpoints.DuplicateAsync(db, vehicle.PlateNumber, vehicle.Vin, null, ct) is { } duplicate) return duplicate;

        db.Vehicles.Add(vehicle);
        await standards.ApplyAsync(vehicle, countsAgainstQuota: true, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.CreatedAtRoute(VehicleDto.From(vehicle), "GetVehicle", new { id = vehicle.Id });
    }

    /// <summary>A vehicle as a (validated) request describes it: one way for registration and import alike.</summary>
    internal static Vehicle New(VehicleRequest request, DateTime registeredAt)
    {
        var vehicle = new Vehicle { PlateNumber = "", Vin = "", Make = "", Model = "", RegisteredAt = registeredAt };
        Apply(vehicle, request);
        return vehicle;
    }

    internal static void Apply(Vehicle vehicle, VehicleRequest request)
    {
        vehicle.PlateNumber = Plates.Normalise(request.PlateNumber);
        vehicle.Vin = Vins.Normalise(request.Vin);
        vehicle.Make = request.Make!.Trim();
        vehicle.Model = request.Model!.Trim();
        vehicle.Category = request.Category!.Value;
        vehicle.EngineDisplacement = request.EngineDisplacement!.Value;
        vehicle.PurchasePrice = request.PurchasePrice!.Value;
        vehicle.AcquiredOn = request.AcquiredOn!.Value;
        vehicle.Source = request.Source!.Value;
        vehicle.UnitId = request.UnitId!.Value;
    }
}

public static class UpdateVehicle
{
    public static async Task<Results<Ok<VehicleDto>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, VehicleRequest request, ClaimsPrincipal user, HttpContext http, FleetDbContext db, Standards standards, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var vehicle = await db.Vehicles.VisibleTo(caller).FirstOrDefaultAsync(v => v.Id == id, ct);
        if (vehicle is null) return Problems.NotFound("The vehicle");
        switch (ETags.Matches(http.Request, vehicle.Version))
        {
            case null: return Problems.PreconditionRequired();
            case false: return Problems.PreconditionFailed();
        }
        if (!caller.MaySee(request.UnitId!.Value))
            return Problems.Forbidden("A vehicle administrator cannot move a vehicle to another unit.");
        if (vehicle.Status == VehicleStatus.Disposed)
            return Problems.Conflict("The vehicle is disposed; its record is history and is not edited.");
        if (!await db.Units.AnyAsync(u => u.Id == request.UnitId, ct))
            return Problems.Field("unitId", "No unit has this id.");
        if (await VehicleEndpoints.DuplicateAsync(db, Plates.Normalise(request.PlateNumber), Vins.Normalise(request.Vin), id, ct) is { } duplicate)
            return duplicate;

        var movedUnit = vehicle.UnitId != request.UnitId;
        RegisterVehicle.Apply(vehicle, request);
        await standards.ApplyAsync(vehicle, countsAgainstQuota: movedUnit, ct);
        await db.SaveChangesAsync(ct);
        http.Response.Headers.ETag = ETags.For(vehicle.Version);
        return TypedResults.Ok(VehicleDto.From(vehicle));
    }
}

public static class DisposeVehicle
{
    public sealed record Request(string? Reason);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
    }

    public static async Task<Results<Ok<VehicleDto>, ProblemHttpResult>> Handle(
        Guid id, Request request, ClaimsPrincipal user, HttpContext http, FleetDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var vehicle = await db.Vehicles.VisibleTo(Caller.From(user)).FirstOrDefaultAsync(v => v.Id == id, ct);
        if (vehicle is null) return Problems.NotFound("The vehicle");
        if (ETags.Matches(http.Request, vehicle.Version) == false) return Problems.PreconditionFailed();
        if (vehicle.Status == VehicleStatus.Disposed) return Problems.Conflict("The vehicle is already disposed.");
        vehicle.Status = VehicleStatus.Disposed;
        vehicle.DisposedAt = clock.GetUtcNow().UtcDateTime;
        vehicle.DisposalReason = request.Reason!.Trim();
        db.AuditAs(vehicle, "Dispose");
        await db.SaveChangesAsync(ct);
        http.Response.Headers.ETag = ETags.For(vehicle.Version);
        return TypedResults.Ok(VehicleDto.From(vehicle));
    }
}
