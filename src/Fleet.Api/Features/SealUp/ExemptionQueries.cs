using Fleet.Api.Features.Vehicles;

namespace Fleet.Api.Features.SealUp;

/// <summary>What an exemption list filters by; null is no filter.</summary>
public sealed record ExemptionFilter(ExemptionStatus? Status = null, Guid? ScheduleId = null, Guid? UnitId = null, string? Plate = null);

/// <summary>An exemption request as a list shows it: the car's plate, the unit's and holiday's names, and where its order stands.</summary>
public sealed record ExemptionRow(Exemption Exemption, string Plate, string Unit, string Holiday, SealOrderStatus OrderStatus, bool ReleasedEarly);

/// <summary>Exemption requests read in the caller's scope: what GET /api/exemptions and the 豁免审批 and order pages show.</summary>
public sealed class ExemptionQueries(FleetDbContext db)
{
    /// <summary>Oldest request first.</summary>
    public Task<Paged<ExemptionRow>> ListAsync(Caller caller, ExemptionFilter filter, PageRequest page, CancellationToken ct)
    {
        var exemptions = Visible(caller);
        if (filter.Status is { } status) exemptions = exemptions.Where(e => e.Status == status);
        if (filter.ScheduleId is { } scheduleId) exemptions = exemptions.Where(e => e.ScheduleId == scheduleId);
        if (filter.UnitId is { } unitId) exemptions = exemptions.Where(e => e.UnitId == unitId);
        var ordered = exemptions.Join(db.Vehicles, e => e.VehicleId, v => v.Id, (e, v) => new { e, v.PlateNumber })
            .WherePlateContains(x => x.PlateNumber, filter.Plate)
            .OrderBy(x => x.e.RequestedAt).ThenBy(x => x.e.Id);
        return page.ApplyAsync(ordered.Select(x => new ExemptionRow(
            x.e, x.PlateNumber,
            db.Units.Where(u => u.Id == x.e.UnitId).Select(u => u.Name).FirstOrDefault() ?? "",
            db.SealUpSchedules.Where(s => s.Id == x.e.ScheduleId).Join(db.Holidays, s => s.HolidayId, h => h.Id, (s, h) => h.Name).FirstOrDefault() ?? "",
            db.SealOrders.Where(o => o.Id == x.e.SealOrderId).Select(o => (SealOrderStatus?)o.Status).FirstOrDefault() ?? SealOrderStatus.Pending,
            db.SealOrders.Where(o => o.Id == x.e.SealOrderId).Select(o => (bool?)o.ReleasedEarly).FirstOrDefault() ?? false)), ct);
    }

    /// <summary>One request with its car's plate; null when it does not exist or lies outside the caller's scope.</summary>
    public async Task<(Exemption Exemption, string Plate)?> FindAsync(Caller caller, Guid id, CancellationToken ct)
    {
        var found = await Visible(caller).Where(e => e.Id == id)
            .Join(db.Vehicles, e => e.VehicleId, v => v.Id, (e, v) => new { e, v.PlateNumber }).FirstOrDefaultAsync(ct);
        return found is null ? null : (found.e, found.PlateNumber);
    }

    /// <summary>The requests for one seal order, newest first.</summary>
    public Task<List<Exemption>> OfOrderAsync(Caller caller, Guid orderId, CancellationToken ct) =>
        Visible(caller).Where(e => e.SealOrderId == orderId).OrderByDescending(e => e.RequestedAt).ToListAsync(ct);

    private IQueryable<Exemption> Visible(Caller caller) => db.Exemptions.AsNoTracking().VisibleTo(caller);
}
