using Fleet.Api.Features.Vehicles;

namespace Fleet.Api.Features.Usage;

/// <summary>
/// What a usage list filters by; null is no filter. The range is [From, To) in UTC on the record's start;
/// <paramref name="ViolationId"/> keeps the records listed as that violation's evidence.
/// </summary>
public sealed record UsageFilter(TimeRange? Range = null, Guid? UnitId = null, Guid? VehicleId = null, UsageKind? Kind = null,
    Guid? ViolationId = null, string? Plate = null);

/// <summary>A usage record as a list shows it, with its unit's name.</summary>
public sealed record UsageListRow(UsageRecord Record, string Unit);

/// <summary>Usage records read in the caller's scope: what GET /api/usage and the 用车记录 page show.</summary>
public sealed class UsageQueries(FleetDbContext db)
{
    /// <summary>Newest first.</summary>
    public Task<Paged<UsageListRow>> ListAsync(Caller caller, UsageFilter filter, PageRequest page, CancellationToken ct)
    {
        var records = db.UsageRecords.AsNoTracking().VisibleTo(caller);
        if (filter.Kind is { } kind) records = records.Where(u => u.Kind == kind);
        if (filter.UnitId is { } unitId) records = records.Where(u => u.UnitId == unitId);
        if (filter.VehicleId is { } vehicleId) records = records.Where(u => u.VehicleId == vehicleId);
        // A join, so that the database starts from the violation's links rather than from every record.
        if (filter.ViolationId is { } violationId)
            records = from u in records join l in db.ViolationUsages.Where(l => l.ViolationId == violationId) on u.Id equals l.UsageRecordId select u;
        records = records.WherePlateContains(u => u.PlateNumber, filter.Plate);
        records = records.Within(filter.Range, u => u.StartedAt);
        var rows = records.OrderByDescending(u => u.StartedAt).ThenBy(u => u.Id)
            .Select(u => new UsageListRow(u, db.Units.Where(x => x.Id == u.UnitId).Select(x => x.Name).FirstOrDefault() ?? ""));
        return page.ApplyAsync(rows, ct);
    }
}
