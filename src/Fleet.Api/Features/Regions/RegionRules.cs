namespace Fleet.Api.Features.Regions;

public sealed record RegionInput(string Code, string Name, RegionLevel Level, Guid? ParentId);

/// <summary>
/// The tree of regions. An Admin extends it below their own region only (the context is narrowed to their subtree, so a
/// parent outside it is not found); a child's code lies inside its parent's range, one level down.
/// </summary>
public sealed class RegionRules(FleetDbContext db, RootRegion root, ScopeClock clock)
{
    public async Task<Outcome<Region>> CreateAsync(Caller caller, RegionInput input, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin) is { } forbidden) return forbidden;
        var parentId = input.ParentId ?? caller.RegionId ?? root.Id;
        var parent = await db.Regions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == parentId, ct);
        if (parent is null) return Refusal.Forbidden("Regions.OutsideScope");
        var code = int.Parse(input.Code, System.Globalization.CultureInfo.InvariantCulture);
        if (RegionScope.LevelOf(code) != input.Level) return Refusal.Invalid("level", "Regions.LevelOfCode", ("code", input.Code), ("level", input.Level));
        if (!RegionScope.MayHold(parent, code, input.Level))
            return Refusal.Invalid("code", "Regions.CodeOutsideParent", ("code", input.Code), ("parent", parent.CodeText));
        var taken = new CodedText("Regions.CodeTaken", ("code", input.Code));
        if (await db.Regions.AnyAsync(r => r.Code == code, ct)) return Refusal.Conflict(taken);
        var region = new Region
        {
            Code = code,
            Name = input.Name.Trim(),
            Level = input.Level,
            ParentId = parent.Id,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Regions.Add(region);
        return await db.SaveAsync(taken, ct) is { } lost ? lost : region;
    }

    /// <summary>A region keeps its code (its place in the tree); its name may change.</summary>
    public async Task<Outcome<Region>> RenameAsync(Caller caller, Guid id, string name, Func<int, bool?> matches, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin) is { } forbidden) return forbidden;
        var region = await db.Regions.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (region is null) return Refusal.NotFound("Regions.NotFound");
        if (matches(region.Version) == false) return Refusal.Stale();
        region.Name = name.Trim();
        return await db.SaveAsync(new CodedText("Regions.Changed"), ct, staleIsPrecondition: true) is { } lost ? lost : region;
    }

    /// <summary>
    /// The region a new record of the caller goes to: the one named (it must lie in the caller's subtree: 403 otherwise,
    /// whether it exists or not), or the caller's own.
    /// </summary>
    public async Task<Outcome<Region>> PlaceAsync(Caller caller, Guid? regionId, CancellationToken ct)
    {
        var id = regionId ?? caller.RegionId ?? root.Id;
        var region = await db.Regions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        return region is null ? Refusal.Forbidden("Regions.OutsideScope") : region;
    }
}
