using Fleet.Api.Features.Vehicles;

namespace Fleet.Api.Features.Violations;

/// <summary>What a violation list filters by; null is no filter. The range is [From, To) in UTC on the detection time.</summary>
public sealed record ViolationFilter(TimeRange? Range = null, Guid? UnitId = null, ViolationType? Type = null, ViolationStatus? Status = null,
    ViolationSource? Source = null, string? Plate = null);

/// <summary>A violation as a list shows it: its unit's name and how many actions against persons it has.</summary>
public sealed record ViolationRow(Violation Violation, string Unit, int Actions);

/// <summary>One violation with its unit's name and its actions against persons, oldest first.</summary>
public sealed record ViolationRecord(Violation Violation, string Unit, IReadOnlyList<PersonAction> Actions);

/// <summary>Violations counted for an overview: by type and by unit ("code name"), open and all; actions by kind.</summary>
public sealed record ViolationTallies(IReadOnlyList<(ViolationType Type, int Open, int Total)> ByType,
    IReadOnlyList<(string Unit, int Open, int Total)> ByUnit, IReadOnlyList<(PersonActionKind Kind, int Count)> ActionsByKind);

/// <summary>Violations read in the caller's scope: what GET /api/violations and the 违规 pages show.</summary>
public sealed class ViolationQueries(FleetDbContext db)
{
    /// <summary>Newest first.</summary>
    public Task<Paged<ViolationRow>> ListAsync(Caller caller, ViolationFilter filter, PageRequest page, CancellationToken ct)
    {
        var violations = Visible(caller);
        if (filter.UnitId is { } unitId) violations = violations.Where(v => v.UnitId == unitId);
        if (filter.Type is { } type) violations = violations.Where(v => v.Type == type);
        if (filter.Status is { } status) violations = violations.Where(v => v.Status == status);
        if (filter.Source is { } source) violations = violations.Where(v => v.Source == source);
        violations = violations.WherePlateContains(v => v.PlateNumber, filter.Plate);
        violations = violations.Within(filter.Range, v => v.DetectedAt);
        var rows = violations.OrderByDescending(v => v.DetectedAt).ThenBy(v => v.Id).Select(v => new ViolationRow(
            v,
            db.Units.Where(u => u.Id == v.UnitId).Select(u => u.Name).FirstOrDefault() ?? "",
            db.PersonActions.Count(a => a.ViolationId == v.Id)));
        return page.ApplyAsync(rows, ct);
    }

    /// <summary>The actions against persons of the violations listed, each violation's oldest first.</summary>
    public async Task<ILookup<Guid, PersonAction>> ActionsAsync(IEnumerable<Violation> listed, CancellationToken ct)
    {
        var ids = listed.Select(v => v.Id).ToList();
        return (await db.PersonActions.AsNoTracking().Where(a => ids.Contains(a.ViolationId)).ToListAsync(ct))
            .OrderBy(a => a.RecordedAt).ToLookup(a => a.ViolationId);
    }

    /// <summary>One violation; null when it does not exist or lies outside the caller's scope.</summary>
    public async Task<ViolationRecord?> FindAsync(Caller caller, Guid id, CancellationToken ct)
    {
        var found = await Visible(caller).Where(v => v.Id == id)
            .Select(v => new { Violation = v, Unit = db.Units.Where(u => u.Id == v.UnitId).Select(u => u.Name).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        if (found is null) return null;
        var actions = await db.PersonActions.AsNoTracking().Where(a => a.ViolationId == id).OrderBy(a => a.RecordedAt).ToListAsync(ct);
        return new ViolationRecord(found.Violation, found.Unit ?? "", actions);
    }

    /// <summary>The caller's violations counted: by type and by unit (open and all, most first), and their actions against persons by kind.</summary>
    public async Task<ViolationTallies> TalliesAsync(Caller caller, CancellationToken ct)
    {
        var violations = Visible(caller);
        var byType = await violations.GroupBy(v => v.Type)
            .Select(g => new { g.Key, Open = g.Count(v => v.Status == ViolationStatus.Open), Total = g.Count() })
            .OrderByDescending(x => x.Total).ToListAsync(ct);
        var byUnit = await violations.GroupBy(v => v.UnitId)
            .Select(g => new { g.Key, Open = g.Count(v => v.Status == ViolationStatus.Open), Total = g.Count() })
            .Join(db.Units, g => g.Key, u => u.Id, (g, u) => new { u.Code, u.Name, g.Open, g.Total })
            .OrderByDescending(x => x.Total).ThenBy(x => x.Code).ToListAsync(ct);
        // A join, not "actions whose violation is visible": the database starts from the side the scope narrows (a city's
        // violations by its units) instead of testing every action of the province.
        var actions = await violations.Join(db.PersonActions.AsNoTracking(), v => v.Id, a => a.ViolationId, (v, a) => a)
            .GroupBy(a => a.Action).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return new ViolationTallies(byType.Select(x => (x.Key, x.Open, x.Total)).ToList(),
            byUnit.Select(x => ($"{x.Code} {x.Name}", x.Open, x.Total)).ToList(),
            actions.OrderBy(x => x.Key).Select(x => (x.Key, x.Count)).ToList());
    }

    private IQueryable<Violation> Visible(Caller caller) => db.Violations.AsNoTracking().VisibleTo(caller);
}
