namespace Fleet.Api.Features.Units;

/// <summary>What a unit list filters by; null or blank is no filter.</summary>
public sealed record UnitFilter(string? Code = null, UnitKind? Kind = null, Guid? ParentId = null);

/// <summary>Units read in the caller's scope (a unit-bound caller: their own unit): what GET /api/units and the 单位 pages show.</summary>
public sealed class UnitQueries(FleetDbContext db)
{
    /// <summary>By code.</summary>
    public Task<Paged<UnitDto>> ListAsync(Caller caller, UnitFilter filter, PageRequest page, CancellationToken ct)
    {
        var units = Visible(caller);
        if (!string.IsNullOrWhiteSpace(filter.Code))
        {
            var code = PlainText.Halfwidth(filter.Code).Trim();
            units = units.Where(u => u.Code == code);
        }
        if (filter.Kind is { } kind) units = units.Where(u => u.Kind == kind);
        if (filter.ParentId is { } parentId) units = units.Where(u => u.ParentId == parentId);
        return page.ApplyAsync(units.OrderBy(u => u.Code).ToDtos(db), ct);
    }

    /// <summary>Every unit the caller sees, by code, each with its active vehicles counted by the database (the tree of the pages).</summary>
    public Task<List<UnitDto>> AllAsync(Caller caller, CancellationToken ct) => Visible(caller).OrderBy(u => u.Code).ToDtos(db).ToListAsync(ct);

    /// <summary>One unit; null when it does not exist or lies outside the caller's scope.</summary>
    public Task<UnitDto?> FindAsync(Caller caller, Guid id, CancellationToken ct) => Visible(caller).Where(u => u.Id == id).ToDtos(db).FirstOrDefaultAsync(ct);

    private IQueryable<Unit> Visible(Caller caller) =>
        caller.IsUnitBound ? db.Units.AsNoTracking().Where(u => u.Id == caller.UnitId) : db.Units.AsNoTracking();
}
