using Fleet.Api.Features.Recoveries;
using Fleet.Api.Features.Regions;
using Fleet.Api.Features.SealUp;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Reports;

public sealed record RecoveryFigures(int Identified, int Recovered, int Cancelled, decimal? Rate);

/// <summary>Before the deadline <see cref="Rate"/> is null and <see cref="Sealed"/> of <see cref="Due"/> is the progress.</summary>
public sealed record SealUpFigures(int Due, int Sealed, int SealedOnTime, int Exempted, decimal? Rate);

public sealed record Figures(int Units, int Vehicles, int OpenViolations, int PersonActions, RecoveryFigures Recovery, SealUpFigures SealUp, Warning Warning);

public sealed record RegionRow(Guid RegionId, string Code, string Name, RegionLevel Level, Figures Figures);

public sealed record UnitRow(Guid UnitId, string Code, string Name, Figures Figures);

public sealed record RegionSummary(RegionDto Region, Guid? ScheduleId, Guid? CampaignId, Figures Totals, IReadOnlyList<RegionRow> Children, IReadOnlyList<UnitRow> Units);

/// <summary>
/// A region's figures, and the same figures side by side for each region directly below it (its whole subtree folded
/// in) and for the units directly in it, each with its three-colour warning. Every figure is counted by the database,
/// grouped by unit, in one query per figure over the region's range of unit codes; the units are folded into rows here.
/// The context is already narrowed to the caller's subtree, so a region outside it is not found.
/// </summary>
/// <summary>GET /api/regions/{id}/summary: the roll-up is the reports' figures, so it lives with them.</summary>
public static class RollUpEndpoints
{
    public static void MapRollUpEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/regions/{id:guid}/summary", Summary).WithTags("Regions").RequireAuthorization();

    public static async Task<Microsoft.AspNetCore.Http.HttpResults.Results<Microsoft.AspNetCore.Http.HttpResults.Ok<RegionSummary>,
        Microsoft.AspNetCore.Http.HttpResults.ValidationProblem, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>> Summary(
        Guid id, Guid? scheduleId, Guid? campaignId, System.Security.Claims.ClaimsPrincipal user, RollUps rollUps, CancellationToken ct) =>
        (await rollUps.SummaryAsync(Caller.From(user), id, scheduleId, campaignId, ct)).ToOk(s => s);
}

public sealed class RollUps(FleetDbContext db, IOptions<FleetOptions> options, HostClock clock, RootRegion root)
{
    private sealed class Tally
    {
        public int Units, Vehicles, OpenViolations, PersonActions, Identified, Recovered, Cancelled, Due, Sealed, OnTime, Exempted;
        public bool Red, Yellow;

        public void Add(Tally t)
        {
            Units += t.Units; Vehicles += t.Vehicles; OpenViolations += t.OpenViolations; PersonActions += t.PersonActions;
            Identified += t.Identified; Recovered += t.Recovered; Cancelled += t.Cancelled;
            Due += t.Due; Sealed += t.Sealed; OnTime += t.OnTime; Exempted += t.Exempted;
            Red |= t.Red; Yellow |= t.Yellow;
        }
    }

    public async Task<Outcome<RegionSummary>> SummaryAsync(Caller caller, Guid regionId, Guid? scheduleId, Guid? campaignId, CancellationToken ct)
    {
        var region = await db.Regions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == regionId, ct);
        if (region is null) return Refusal.NotFound("Regions.NotFound");
        if (caller.IsUnitBound) return Refusal.Forbidden("Regions.UnitBound");
        var schedule = scheduleId is { } sid
            ? await db.SealUpSchedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sid, ct)
            : await CurrentScheduleAsync(ct);
        if (scheduleId is not null && schedule is null) return Refusal.NotFound("SealUp.ScheduleNotFound");
        if (campaignId is { } cid && !await db.Campaigns.AnyAsync(c => c.Id == cid, ct)) return Refusal.NotFound("Recoveries.CampaignNotFound");

        var scope = new RegionScope(region.Code, region.Level);
        var units = await db.Units.AsNoTracking().Where(u => u.RegionCode >= scope.Low && u.RegionCode <= scope.High)
            .OrderBy(u => u.Code).Select(u => new { u.Id, u.Code, u.Name, u.RegionCode }).ToListAsync(ct);
        var tallies = units.ToDictionary(u => u.Id, _ => new Tally { Units = 1 });
        await CountAsync(scope, schedule, campaignId, tallies, ct);

        var children = await db.Regions.AsNoTracking().Where(r => r.ParentId == region.Id).OrderBy(r => r.Code).ToListAsync(ct);
        var childRows = children.Select(c => (Region: c, Scope: new RegionScope(c.Code, c.Level), Tally: new Tally())).ToList();
        var total = new Tally();
        var direct = new List<UnitRow>();
        var deadlinePassed = schedule is not null && clock.GetUtcNow().UtcDateTime >= schedule.SealDeadline;
        foreach (var unit in units)
        {
            var tally = tallies[unit.Id];
            total.Add(tally);
            if (unit.RegionCode == region.Code) direct.Add(new UnitRow(unit.Id, unit.Code, unit.Name, Fold(tally, deadlinePassed)));
            else childRows.FirstOrDefault(c => c.Scope.Contains(unit.RegionCode)).Tally?.Add(tally);
        }
        return new RegionSummary(RegionQueries.Dto(region), schedule?.Id, campaignId, Fold(total, deadlinePassed),
            childRows.Select(c => new RegionRow(c.Region.Id, c.Region.CodeText, c.Region.Name, c.Region.Level, Fold(c.Tally, deadlinePassed))).ToList(),
            direct);
    }

    /// <summary>The schedule a roll-up shows when none is named: the next one still to release, else the last one.</summary>
    private async Task<SealUpSchedule?> CurrentScheduleAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.SealUpSchedules.AsNoTracking().Where(s => s.ReleaseAt > now).OrderBy(s => s.SealDeadline).FirstOrDefaultAsync(ct)
            ?? await db.SealUpSchedules.AsNoTracking().OrderByDescending(s => s.SealDeadline).FirstOrDefaultAsync(ct);
    }

    private async Task CountAsync(RegionScope scope, SealUpSchedule? schedule, Guid? campaignId, Dictionary<Guid, Tally> tallies, CancellationToken ct)
    {
        // The region the caller works at is already the context's scope (none at the root): no second range to test.
        var whole = db.Scope is { } narrowed ? narrowed.Low == scope.Low && narrowed.High == scope.High : scope.Code == root.Code;
        var inRegion = db.Units.Where(u => u.RegionCode >= scope.Low && u.RegionCode <= scope.High).Select(u => u.Id);
        IQueryable<T> Within<T>(IQueryable<T> records) where T : class, IUnitOwned => whole ? records : records.Where(e => inRegion.Contains(e.UnitId));
        var warnings = options.Value.Warnings;
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var stale = now.AddDays(-warnings.YellowOpenDaysWithoutAction);
        Tally At(Guid unit) => tallies.TryGetValue(unit, out var t) ? t : new Tally();

        // The vehicles that count against a quota (Vehicles.Standards.Held): active or under recovery.
        foreach (var g in await Within(db.Vehicles.AsNoTracking())
            .Where(v => v.Status == VehicleStatus.Active || v.Status == VehicleStatus.UnderRecovery)
            .GroupBy(v => v.UnitId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            At(g.Key).Vehicles = g.Count;
        await CountViolationsAsync(Within(db.Violations.AsNoTracking()), stale, At, ct);
        var cases = Within(db.RecoveryCases.AsNoTracking());
        if (campaignId is { } cid) cases = cases.Where(c => c.CampaignId == cid);
        foreach (var g in await cases.GroupBy(c => c.UnitId).Select(g => new
        {
            g.Key,
            Identified = g.Count(),
            Recovered = g.Count(c => c.Status == RecoveryStatus.Recovered),
            Cancelled = g.Count(c => c.Status == RecoveryStatus.Cancelled),
            PastDue = g.Count(c => c.Status == RecoveryStatus.Open && c.DueOn < today),
        }).ToListAsync(ct))
        {
            var t = At(g.Key);
            (t.Identified, t.Recovered, t.Cancelled) = (g.Identified, g.Recovered, g.Cancelled);
            t.Red |= g.PastDue > 0;
        }
        if (schedule is null) return;
        foreach (var u in await SealUpRules.ComplianceAsync(db, schedule.Id, ct))
        {
            if (!tallies.TryGetValue(u.UnitId, out var t)) continue; // a unit of the caller's scope outside this region
            t.Due = u.InScope;
            t.Sealed = u.SealedOnTime + u.SealedLate + u.Breached;
            t.OnTime = u.SealedOnTime;
            t.Exempted = u.Exempted;
        }
    }

    /// <summary>Open violations per unit (red for a broken seal, a missing car, a use while sealed) and actions per unit.</summary>
    private async Task CountViolationsAsync(IQueryable<Violation> violations, DateTime stale, Func<Guid, Tally> tallyOf, CancellationToken ct)
    {
        var open = violations.Where(v => v.Status == ViolationStatus.Open);
        var old = new Dictionary<Guid, int>();
        foreach (var g in await open.GroupBy(v => v.UnitId).Select(g => new
        {
            g.Key,
            Count = g.Count(),
            Red = g.Count(v => v.Type == ViolationType.SealBroken || v.Type == ViolationType.VehicleMissing || v.Type == ViolationType.UsedWhileSealed),
            Old = g.Count(v => v.DetectedAt < stale),
        }).ToListAsync(ct))
        {
            var t = tallyOf(g.Key);
            t.OpenViolations = g.Count;
            t.Red |= g.Red > 0;
            if (g.Old > 0) old[g.Key] = g.Old;
        }
        // Actions per unit, and how many of the old open violations have one: fewer than all of them is yellow. From the
        // actions' side (a tenth of the violations), not a lookup per open violation.
        var acted = db.PersonActions.AsNoTracking().Join(violations, a => a.ViolationId, v => v.Id, (a, v) => v);
        foreach (var g in await acted.GroupBy(v => v.UnitId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            tallyOf(g.Key).PersonActions = g.Count;
        foreach (var g in await acted.Where(v => v.Status == ViolationStatus.Open && v.DetectedAt < stale).Select(v => new { v.UnitId, v.Id }).Distinct()
            .GroupBy(v => v.UnitId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            if (old.TryGetValue(g.Key, out var n)) old[g.Key] = n - g.Count;
        foreach (var (unit, unanswered) in old)
            tallyOf(unit).Yellow |= unanswered > 0;
    }

    private Figures Fold(Tally t, bool deadlinePassed)
    {
        var rate = deadlinePassed ? RecoveryRates.Fraction(t.OnTime + t.Exempted, t.Due) : null;
        var warnings = options.Value.Warnings;
        var warning = t.Red || rate * 100 < warnings.RedSealUpBelow ? Warning.Red
            : t.Yellow || rate * 100 < warnings.YellowSealUpBelow ? Warning.Yellow : Warning.Green;
        return new Figures(t.Units, t.Vehicles, t.OpenViolations, t.PersonActions,
            new RecoveryFigures(t.Identified, t.Recovered, t.Cancelled, RecoveryRates.Rate(t.Recovered, t.Identified, t.Cancelled)),
            new SealUpFigures(t.Due, t.Sealed, t.OnTime, t.Exempted, rate), warning);
    }
}
