using Fleet.Api.Features.Vehicles;

namespace Fleet.Api.Features.Violations;

/// <summary>
/// What a spot check, a violation or a recovery case is about: a registered vehicle (by id or by plate), or a plate
/// not in the register together with the unit it was found with. A registered vehicle's unit is its registering unit.
/// </summary>
public sealed record ViolationTarget(Guid? VehicleId, string PlateNumber, Guid UnitId);

public static class ViolationTargets
{
    /// <param name="reads">The prepared read by id (the spot check's hot path); null to read through EF.</param>
    public static async Task<Outcome<ViolationTarget>> ResolveAsync(FleetDbContext db, Guid? vehicleId, string? plateNumber, Guid? unitId, CancellationToken ct,
        VehicleReads? reads = null)
    {
        var plate = plateNumber is null ? null : Plates.Normalise(plateNumber);
        var vehicle = vehicleId is { } id
            ? reads is not null
                ? await reads.FindAsync(id, null, db.Scope, db) is { } found ? new { found.Id, found.PlateNumber, found.UnitId } : null
                : await db.Vehicles.AsNoTracking().Where(v => v.Id == id).Select(v => new { v.Id, v.PlateNumber, v.UnitId }).FirstOrDefaultAsync(ct)
            : await db.Vehicles.AsNoTracking().Where(v => v.PlateNumber == plate).Select(v => new { v.Id, v.PlateNumber, v.UnitId }).FirstOrDefaultAsync(ct);
        if (vehicleId is not null && vehicle is null)
            return Refusal.Invalid("vehicleId", "Common.NoSuchVehicle");
        if (vehicle is not null)
        {
            if (plate is not null && plate != vehicle.PlateNumber)
                return Refusal.Invalid("plateNumber", "Violations.PlateMismatch", ("plate", vehicle.PlateNumber));
            // The registering unit lies in the caller's scope (the vehicle was found there): the refusal names it.
            if (unitId is not null && unitId != vehicle.UnitId &&
                await db.Units.AsNoTracking().Where(u => u.Id == vehicle.UnitId).Select(u => new { u.Code, u.Name }).FirstOrDefaultAsync(ct) is var registering)
                return Refusal.Invalid("unitId", "Violations.OtherUnit", ("unit", registering?.Name ?? ""), ("code", registering?.Code ?? ""));
            return new ViolationTarget(vehicle.Id, vehicle.PlateNumber, vehicle.UnitId);
        }
        if (unitId is null)
            return Refusal.Invalid("unitId", "Violations.UnknownPlate");
        if (!await db.Units.AnyAsync(u => u.Id == unitId, ct))
            return Refusal.Invalid("unitId", "Common.NoSuchUnit");
        return new ViolationTarget(null, plate!, unitId.Value);
    }
}
