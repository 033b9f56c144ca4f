using Fleet.Api.Features.Vehicles;

namespace Fleet.Api.Features.SealUp;

/// <summary>
/// What a list of one schedule's seal orders filters by; null or blank is no filter. <paramref name="UnitCode"/> is the
/// workspace's filter (a unit-bound caller has only their own unit, so it is no filter for them).
/// </summary>
public sealed record SealOrderFilter(Guid? UnitId = null, string? UnitCode = null, SealOrderStatus? Status = null, string? Plate = null);

/// <summary>A seal order as a list shows it: the car's plate and the unit's name.</summary>
public sealed record SealOrderRow(SealOrder Order, string Plate, string Unit);

/// <summary>Seal orders read in the caller's scope: what GET /api/sealup-schedules/{id}/orders and the 节假日封存 pages show.</summary>
public sealed class SealOrderQueries(FleetDbContext db)
{
    /// <summary>By plate; null when the schedule does not exist.</summary>
    public async Task<Paged<SealOrderRow>?> ListAsync(Caller caller, Guid scheduleId, SealOrderFilter filter, PageRequest page, CancellationToken ct)
    {
        if (!await db.SealUpSchedules.AnyAsync(s => s.Id == scheduleId, ct)) return null;
        var orders = Of(caller, scheduleId);
        if (filter.UnitId is { } unitId) orders = orders.Where(o => o.UnitId == unitId);
        if (!string.IsNullOrWhiteSpace(filter.UnitCode) && !caller.IsUnitBound)
        {
            var code = PlainText.Halfwidth(filter.UnitCode).Trim();
            orders = orders.Where(o => db.Units.Any(u => u.Id == o.UnitId && u.Code == code));
        }
        if (filter.Status is { } status) orders = orders.Where(o => o.Status == status);
        var rows = orders.Join(db.Vehicles, o => o.VehicleId, v => v.Id, (o, v) => new { o, v.PlateNumber })
            .WherePlateContains(x => x.PlateNumber, filter.Plate)
            .OrderBy(x => x.PlateNumber)
            .Select(x => new SealOrderRow(x.o, x.PlateNumber, db.Units.Where(u => u.Id == x.o.UnitId).Select(u => u.Name).FirstOrDefault() ?? ""));
        return await page.ApplyAsync(rows, ct);
    }

    /// <summary>How many of the schedule's orders stand in each status, by status.</summary>
    public async Task<List<(SealOrderStatus Status, int Count)>> CountsAsync(Caller caller, Guid scheduleId, CancellationToken ct) =>
        (await Of(caller, scheduleId).GroupBy(o => o.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            .OrderBy(c => c.Key).Select(c => (c.Key, c.Count)).ToList();

    /// <summary>One car's order under a schedule; null when there is none in the caller's scope.</summary>
    public Task<SealOrder?> FindAsync(Caller caller, Guid scheduleId, Guid vehicleId, CancellationToken ct) =>
        Of(caller, scheduleId).FirstOrDefaultAsync(o => o.VehicleId == vehicleId, ct);

    private IQueryable<SealOrder> Of(Caller caller, Guid scheduleId) =>
        db.SealOrders.AsNoTracking().VisibleTo(caller).Where(o => o.ScheduleId == scheduleId);
}
