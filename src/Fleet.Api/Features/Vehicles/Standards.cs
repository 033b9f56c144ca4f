using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Vehicles;

/// <summary>
/// The standards check run whenever a vehicle is registered or changed. Registration always succeeds (Fleet records
/// reality); what breaks a standard opens a violation, once per vehicle and kind, guarded by a unique dedup key.
/// </summary>
public sealed class Standards(FleetDbContext db, IOptions<FleetOptions> options, TimeProvider clock)
{
    public bool IsOverStandard(Vehicle v) =>
        v.Category == VehicleCategory.General &&
        (v.EngineDisplacement > options.Value.Standards.GeneralMaxDisplacement || v.PurchasePrice > options.Value.Standards.GeneralMaxPrice);

    /// <param name="countsAgainstQuota">True when this change adds the vehicle to its unit's holding (registration, or a move to another unit).</param>
    public async Task ApplyAsync(Vehicle vehicle, bool countsAgainstQuota, CancellationToken ct)
    {
        vehicle.OverStandard = IsOverStandard(vehicle);
        if (vehicle.OverStandard) await OpenAsync(vehicle, ViolationType.OverStandard, ct);
        if (vehicle.Source != VehicleSource.Allocated) await OpenAsync(vehicle, ViolationType.IllegalSource, ct);
        if (countsAgainstQuota && await IsOverQuotaAsync(vehicle, ct)) await OpenAsync(vehicle, ViolationType.OverQuota, ct);
    }

    private async Task<bool> IsOverQuotaAsync(Vehicle vehicle, CancellationToken ct)
    {
        var quota = await db.Units.Where(u => u.Id == vehicle.UnitId).Select(u => u.VehicleQuota).FirstAsync(ct);
        var saved = await db.Vehicles.CountAsync(v => v.UnitId == vehicle.UnitId && v.Id != vehicle.Id &&
            (v.Status == VehicleStatus.Active || v.Status == VehicleStatus.UnderRecovery), ct);
        // Vehicles added in this same unit of work (an import) count too.
        var pending = db.ChangeTracker.Entries<Vehicle>().Count(e => e.State == EntityState.Added && e.Entity.UnitId == vehicle.UnitId);
        var includesSelf = db.Entry(vehicle).State == EntityState.Added ? 0 : 1;
        return saved + pending + includesSelf > quota;
    }

    private async Task OpenAsync(Vehicle vehicle, ViolationType type, CancellationToken ct)
    {
        var key = $"Registration:{type}:{vehicle.Id}";
        if (db.ChangeTracker.Entries<Violation>().Any(e => e.Entity.DedupKey == key)) return;
        if (await db.Violations.AnyAsync(v => v.DedupKey == key, ct)) return;
        db.Violations.Add(new Violation
        {
            Type = type,
            VehicleId = vehicle.Id,
            PlateNumber = vehicle.PlateNumber,
            UnitId = vehicle.UnitId,
            DetectedAt = clock.GetUtcNow().UtcDateTime,
            Source = ViolationSource.Registration,
            SourceId = vehicle.Id,
            DedupKey = key,
            Status = ViolationStatus.Open,
        });
    }
}
