namespace Fleet.Api.Features.Units;

public sealed record UnitInput(string Code, string Name, UnitKind Kind, Guid? ParentId, int VehicleQuota, Guid? RegionId = null);

/// <summary>The registering units: codes are unique, the hierarchy has no loops. An Admin keeps them.</summary>
public sealed class UnitRules(FleetDbContext db, ScopeClock clock, Regions.RegionRules regions, Users.AccountStamps stamps)
{
    public async Task<Outcome<Unit>> CreateAsync(Caller caller, UnitInput input, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin) is { } forbidden) return forbidden;
        var code = PlainText.Halfwidth(input.Code).Trim();
        if (input.ParentId is { } parentId && !await db.Units.AnyAsync(u => u.Id == parentId, ct))
            return Refusal.Invalid("parentId", "Common.NoSuchUnit");
        var place = await regions.PlaceAsync(caller, input.RegionId, ct);
        if (place.Refusal is { } outside) return outside;
        var taken = new CodedText("Units.CodeTaken", ("code", code));
        if (await db.Units.AnyAsync(u => u.Code == code, ct)) return Refusal.Conflict(taken);
        var unit = new Unit
        {
            RegionId = place.Value!.Id,
            RegionCode = place.Value.Code,
            Code = code,
            Name = input.Name.Trim(),
            Kind = input.Kind,
            ParentId = input.ParentId,
            VehicleQuota = input.VehicleQuota,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Units.Add(unit);
        return await db.SaveAsync(taken, ct) is { } lost ? lost : unit;
    }

    /// <param name="matches">Whether the caller read this version (If-Match): null when it named none.</param>
    public async Task<Outcome<Unit>> UpdateAsync(Caller caller, Guid id, UnitInput input, Func<int, bool?> matches, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin) is { } forbidden) return forbidden;
        var unit = await db.Units.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (unit is null) return Refusal.NotFound("Units.NotFound");
        if (matches(unit.Version) == false) return Refusal.Stale();
        var code = PlainText.Halfwidth(input.Code).Trim();
        if (input.ParentId is { } parentId)
        {
            // Walk up from the new parent: meeting this unit would make the hierarchy a loop.
            for (Guid? at = parentId; at is not null;)
            {
                if (at == id) return Refusal.Invalid("parentId", "Units.Cycle");
                var parent = await db.Units.Where(u => u.Id == at).Select(u => new { u.ParentId }).FirstOrDefaultAsync(ct);
                if (parent is null) return Refusal.Invalid("parentId", "Common.NoSuchUnit");
                at = parent.ParentId;
            }
        }
        var taken = new CodedText("Units.CodeTaken", ("code", code));
        if (code != unit.Code && await db.Units.AnyAsync(u => u.Code == code, ct)) return Refusal.Conflict(taken);
        unit.Code = code;
        unit.Name = input.Name.Trim();
        unit.Kind = input.Kind;
        unit.ParentId = input.ParentId;
        unit.VehicleQuota = input.VehicleQuota;
        List<User> moved = [];
        if (input.RegionId is { } regionId && regionId != unit.RegionId)
        {
            var place = await regions.PlaceAsync(caller, regionId, ct);
            if (place.Refusal is { } outside) return outside;
            (unit.RegionId, unit.RegionCode) = (place.Value!.Id, place.Value.Code);
            // The unit's vehicle administrators work in its region: they move with it, and their tokens and page
            // sessions (which carry the old region) end, as when an Admin moves a person.
            moved = await db.Users.Where(u => u.UnitId == id && u.Role == Role.VehicleAdmin).ToListAsync(ct);
            foreach (var user in moved)
            {
                (user.RegionId, user.RegionCode) = (unit.RegionId, unit.RegionCode);
                user.SecurityStamp = User.NewStamp();
            }
        }
        if (await db.SaveAsync(taken, ct, staleIsPrecondition: true) is { } lost) return lost;
        foreach (var user in moved) stamps.Forget(user.Id);
        return unit;
    }
}
