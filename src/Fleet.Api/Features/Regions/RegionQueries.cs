namespace Fleet.Api.Features.Regions;

public sealed record RegionDto(Guid Id, string Code, string Name, RegionLevel Level, Guid? ParentId, int Version);

/// <summary>The regions the caller sees: their own and every one below it (a VehicleAdmin: their unit's region only).</summary>
public sealed class RegionQueries(FleetDbContext db)
{
    public async Task<List<RegionDto>> ListAsync(Caller caller, CancellationToken ct)
    {
        var regions = Visible(caller);
        return (await regions.OrderBy(r => r.Code).ToListAsync(ct)).Select(Dto).ToList();
    }

    public async Task<RegionDto?> FindAsync(Caller caller, Guid id, CancellationToken ct) =>
        await Visible(caller).FirstOrDefaultAsync(r => r.Id == id, ct) is { } region ? Dto(region) : null;

    public static RegionDto Dto(Region r) => new(r.Id, r.CodeText, r.Name, r.Level, r.ParentId, r.Version);

    private IQueryable<Region> Visible(Caller caller)
    {
        var regions = db.Regions.AsNoTracking();
        return caller.IsUnitBound ? regions.Where(r => db.Units.Any(u => u.Id == caller.UnitId && u.RegionId == r.Id)) : regions;
    }
}
