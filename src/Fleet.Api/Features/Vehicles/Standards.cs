using System.Linq.Expressions;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Vehicles;

/// <summary>
/// The standards check run whenever a vehicle is registered or changed. Registration always succeeds (Fleet records
/// reality); what breaks a standard opens a violation, once per vehicle and kind, guarded by a unique dedup key.
/// </summary>
public sealed class Standards(FleetDbContext db, IOptions<FleetOptions> options, ScopeClock clock)
{
    /// <summary>A vehicle counts against its unit's quota while the unit holds it: active, or under recovery but not yet given up.</summary>
    public static readonly Expression<Func<Vehicle, bool>> Held = v => v.Status == VehicleStatus.Active || v.Status == VehicleStatus.UnderRecovery;

    /// <summary>
    /// Takes the units' rows for the caller's transaction (a write that changes nothing): on SQL Server row locks held
    /// to the commit, on SQLite the database's write lock. Whoever counts a unit's holding after this counts it alone.
    /// Returns how many of the units exist.
    /// </summary>
    public static Task<int> HoldUnitsAsync(FleetDbContext db, IReadOnlyCollection<Guid> unitIds, CancellationToken ct) =>
        db.Units.Where(u => unitIds.Contains(u.Id)).ExecuteUpdateAsync(s => s.SetProperty(u => u.VehicleQuota, u => u.VehicleQuota), ct);

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
        var saved = await db.Vehicles.Where(v => v.UnitId == vehicle.UnitId && v.Id != vehicle.Id).Where(Held).CountAsync(ct);
        // Vehicles added in this same unit of work (an import) count too.
        var pending = db.ChangeTracker.Entries<Vehicle>().Count(e => e.State == EntityState.Added && e.Entity.UnitId == vehicle.UnitId);
        var includesSelf = db.Entry(vehicle).State == EntityState.Added ? 0 : 1;
        return saved + pending + includesSelf > quota;
    }

    /// <summary>
    /// The same check for a batch of new vehicles (an import), set-based: each unit's holding is counted once (the
    /// batches before this one are already in the database), then vehicles are taken in order, each counting against its
    /// unit's quota like a registration one after another. New vehicles have no violations yet, so nothing is looked up
    /// before opening them. Returns the violations to insert with the vehicles.
    /// </summary>
    public async Task<List<Violation>> ForNewAsync(IReadOnlyList<Vehicle> vehicles, CancellationToken ct)
    {
        var unitIds = vehicles.Select(v => v.UnitId).Distinct().ToList();
        var held = new Dictionary<Guid, int>();
        var quotas = new Dictionary<Guid, int>();
        foreach (var chunk in unitIds.Chunk(500))
        {
            foreach (var (unit, count) in await db.Vehicles.Where(v => chunk.Contains(v.UnitId)).Where(Held)
                .GroupBy(v => v.UnitId).Select(g => new ValueTuple<Guid, int>(g.Key, g.Count())).ToListAsync(ct))
                held[unit] = count;
            foreach (var (unit, quota) in await db.Units.Where(u => chunk.Contains(u.Id)).Select(u => new ValueTuple<Guid, int>(u.Id, u.VehicleQuota)).ToListAsync(ct))
                quotas[unit] = quota;
        }
        var violations = new List<Violation>();
        foreach (var vehicle in vehicles)
        {
            vehicle.OverStandard = IsOverStandard(vehicle);
            if (vehicle.OverStandard) violations.Add(NewViolation(vehicle, ViolationType.OverStandard));
            if (vehicle.Source != VehicleSource.Allocated) violations.Add(NewViolation(vehicle, ViolationType.IllegalSource));
            held[vehicle.UnitId] = held.GetValueOrDefault(vehicle.UnitId) + 1;
            if (held[vehicle.UnitId] > quotas[vehicle.UnitId]) violations.Add(NewViolation(vehicle, ViolationType.OverQuota));
        }
        return violations;
    }

    private async Task OpenAsync(Vehicle vehicle, ViolationType type, CancellationToken ct)
    {
        var key = $"Registration:{type}:{vehicle.Id}";
        if (db.ChangeTracker.Entries<Violation>().Any(e => e.Entity.DedupKey == key)) return;
        if (await db.Violations.AnyAsync(v => v.DedupKey == key, ct)) return;
        db.Violations.Add(NewViolation(vehicle, type));
    }

    private Violation NewViolation(Vehicle vehicle, ViolationType type) => new()
    {
        Type = type,
        VehicleId = vehicle.Id,
        PlateNumber = vehicle.PlateNumber,
        UnitId = vehicle.UnitId,
        DetectedAt = clock.GetUtcNow().UtcDateTime,
        Source = ViolationSource.Registration,
        SourceId = vehicle.Id,
        DedupKey = $"Registration:{type}:{vehicle.Id}",
        Status = ViolationStatus.Open,
    };
}
