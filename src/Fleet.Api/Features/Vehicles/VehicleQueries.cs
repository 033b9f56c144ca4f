namespace Fleet.Api.Features.Vehicles;

/// <summary>
/// What a vehicle list filters by; null or blank is no filter. <paramref name="UnitCode"/> is the workspace's filter
/// (a unit-bound caller has only their own unit, so it is no filter for them).
/// </summary>
public sealed record VehicleFilter(Guid? UnitId = null, string? UnitCode = null, VehicleStatus? Status = null, string? Plate = null);

/// <summary>A vehicle as the register shows it, with its unit's name.</summary>
public sealed record VehicleRow(Vehicle Vehicle, string Unit);

/// <summary>
/// The register and one vehicle, read in the caller's scope: what GET /api/vehicles, GET /api/vehicles/{id} and the 车辆
/// pages show. One vehicle goes through <see cref="VehicleReads"/> (the hottest read: by hand on SQLite), so the context
/// is taken only when a list or a server database needs it.
/// </summary>
public sealed class VehicleQueries(VehicleReads reads, IServiceProvider services)
{
    private FleetDbContext Db => services.GetRequiredService<FleetDbContext>();

    /// <summary>By plate.</summary>
    public Task<Paged<VehicleRow>> ListAsync(Caller caller, VehicleFilter filter, PageRequest page, CancellationToken ct)
    {
        var db = Db;
        var vehicles = db.Vehicles.AsNoTracking().VisibleTo(caller).WherePlateContains(v => v.PlateNumber, filter.Plate);
        if (filter.UnitId is { } unitId) vehicles = vehicles.Where(v => v.UnitId == unitId);
        if (filter.Status is { } status) vehicles = vehicles.Where(v => v.Status == status);
        if (!string.IsNullOrWhiteSpace(filter.UnitCode) && !caller.IsUnitBound)
        {
            var code = PlainText.Halfwidth(filter.UnitCode).Trim();
            vehicles = vehicles.Where(v => db.Units.Any(u => u.Id == v.UnitId && u.Code == code));
        }
        var rows = vehicles.OrderBy(v => v.PlateNumber)
            .Select(v => new VehicleRow(v, db.Units.Where(u => u.Id == v.UnitId).Select(u => u.Name).FirstOrDefault() ?? ""));
        return page.ApplyAsync(rows, ct);
    }

    /// <summary>One vehicle; null when it does not exist or lies outside the caller's scope.</summary>
    public Task<Vehicle?> FindAsync(Caller caller, Guid id) =>
        // The same scope as VisibleTo, as the reader takes it: a unit-bound caller's unit (none matches when they have none),
        // and the request's region, which the reader applies without renting the request's context on SQLite.
        reads.FindAsync(id, caller.IsUnitBound ? caller.UnitId ?? Guid.Empty : null, services.GetRequiredService<RequestRegion>().Scope,
            reads.NeedsContext ? Db : null);
}
