using Fleet.Api.Features.Vehicles;

namespace Fleet.Api.Features.SpotChecks;

/// <summary>What a spot-check list filters by; null is no filter. The range is [From, To) in UTC on the check's time.</summary>
public sealed record SpotCheckFilter(TimeRange? Range = null, Guid? UnitId = null, Guid? VehicleId = null, SpotCheckFinding? Finding = null,
    string? Plate = null);

/// <summary>A check as the log shows it: the check that corrected it (if any) and its unit's name.</summary>
public sealed record SpotCheckRow(SpotCheck Check, Guid? CorrectedBy, string Unit);

/// <summary>The spot-check log and one check, read in the caller's scope: what GET /api/spot-checks and the 监督抽查 pages show.</summary>
public sealed class SpotCheckQueries(FleetDbContext db)
{
    /// <summary>Newest first.</summary>
    public Task<Paged<SpotCheckRow>> ListAsync(Caller caller, SpotCheckFilter filter, PageRequest page, CancellationToken ct)
    {
        var checks = Visible(caller);
        if (filter.UnitId is { } unitId) checks = checks.Where(s => s.UnitId == unitId);
        if (filter.VehicleId is { } vehicleId) checks = checks.Where(s => s.VehicleId == vehicleId);
        if (filter.Finding is { } finding) checks = checks.Where(s => s.Finding == finding);
        checks = checks.WherePlateContains(s => s.PlateNumber, filter.Plate);
        checks = checks.Within(filter.Range, s => s.CheckedAt);
        return page.ApplyAsync(Rows(checks.OrderByDescending(s => s.CheckedAt).ThenBy(s => s.Id)), ct);
    }

    /// <summary>One check; null when it does not exist or lies outside the caller's scope.</summary>
    public Task<SpotCheckRow?> FindAsync(Caller caller, Guid id, CancellationToken ct) =>
        Rows(Visible(caller).Where(s => s.Id == id)).FirstOrDefaultAsync(ct);

    private IQueryable<SpotCheck> Visible(Caller caller) => db.SpotChecks.AsNoTracking().VisibleTo(caller);

    // The correction through the corrections table's key: SpotChecks.CorrectsId has no index, and on the province
    // (2,000,000 checks) looking it up per row took over a minute for one page.
    private IQueryable<SpotCheckRow> Rows(IQueryable<SpotCheck> checks) => checks.Select(s => new SpotCheckRow(
        s,
        db.SpotCheckCorrections.Where(c => c.CorrectedId == s.Id).Select(c => (Guid?)c.CorrectionId).FirstOrDefault(),
        db.Units.Where(u => u.Id == s.UnitId).Select(u => u.Name).FirstOrDefault() ?? ""));
}
