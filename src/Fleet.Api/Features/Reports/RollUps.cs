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

public sealed class RollUps(FleetDbContext db, IServiceScopeFactory scopes, IOptions<FleetOptions> options, HostClock clock, RootRegion root)
{
    private sealed class Tally
    {
        public int Units, Vehicles, OpenViolations, PersonActions, Identified, Recovered, Cancelled, Due, Sealed, OnTime, Exempted;
        /// <summary>Units (this one, or those folded in) with an open violation older than the warning's days and no action on it: yellow while any.</summary>
        public int OldUnanswered;
        public bool Red;

        public void Add(Tally t)
        {
            Units += t.Units; Vehicles += t.Vehicles; OpenViolations += t.OpenViolations; PersonActions += t.PersonActions;
            Identified += t.Identified; Recovered += t.Recovered; Cancelled += t.Cancelled;
            Due += t.Due; Sealed += t.Sealed; OnTime += t.OnTime; Exempted += t.Exempted;
            OldUnanswered += t.OldUnanswered; Red |= t.Red;
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

        var scope = RegionScope.Of(region);
        var units = await db.Units.AsNoTracking().Where(u => u.RegionCode >= scope.Low && u.RegionCode <= scope.High)
            .OrderBy(u => u.Code).Select(u => new { u.Id, u.Code, u.Name, u.RegionCode }).ToListAsync(ct);
        var tallies = units.ToDictionary(u => u.Id, _ => new Tally { Units = 1 });
        await CountAsync(scope, schedule, campaignId, tallies, ct);

        var children = await db.Regions.AsNoTracking().Where(r => r.ParentId == region.Id).OrderBy(r => r.Code).ToListAsync(ct);
        var childRows = children.Select(c => (Region: c, Scope: RegionScope.Of(c), Tally: new Tally())).ToList();
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

    /// <summary>What every count of one summary shares: the region's range, whether it is the caller's whole scope, the tallies.</summary>
    private sealed record Counting(RegionScope Scope, bool Whole, Dictionary<Guid, Tally> Tallies, DateTime Stale, DateOnly Today)
    {
        /// <summary>The records of the region's units (a second range test only below the caller's own scope).</summary>
        public IQueryable<T> Within<T>(FleetDbContext own, IQueryable<T> records) where T : class, IUnitOwned
        {
            var (low, high) = (Scope.Low, Scope.High);
            var inRegion = own.Units.Where(u => u.RegionCode >= low && u.RegionCode <= high).Select(u => u.Id);
            return Whole ? records : records.Where(e => inRegion.Contains(e.UnitId));
        }

        public Tally At(Guid unit) => Tallies.TryGetValue(unit, out var t) ? t : new Tally();
    }

    private async Task CountAsync(RegionScope scope, SealUpSchedule? schedule, Guid? campaignId, Dictionary<Guid, Tally> tallies, CancellationToken ct)
    {
        // The region the caller works at is already the context's scope (none at the root): no second range to test.
        var whole = db.Scope is { } narrowed ? narrowed.Low == scope.Low && narrowed.High == scope.High : scope.Code == root.Code;
        var now = clock.GetUtcNow().UtcDateTime;
        var c = new Counting(scope, whole, tallies, now.AddDays(-options.Value.Warnings.YellowOpenDaysWithoutAction), DateOnly.FromDateTime(now));

        // The figures are independent: each is counted on a connection of its own, side by side, and folded in here in
        // order once all are read. Where the database keeps the counts per unit (SQLite's triggers) a province's
        // summary reads a few rows per unit; elsewhere it counts the cars and violations from covering indexes.
        List<Task<Action>> parts = Provider.Of(db).KeepsUnitCounts
            ? [OnItsOwnAsync(own => KeptVehiclesAsync(c, own, ct)), OnItsOwnAsync(own => KeptViolationsAsync(c, own, ct))]
            : [OnItsOwnAsync(own => VehiclesAsync(c, own, ct)), OnItsOwnAsync(own => OpenViolationsAsync(c, own, ct)), OnItsOwnAsync(own => ActionsAsync(c, own, ct))];
        parts.Add(OnItsOwnAsync(own => UnansweredAsync(c, own, ct)));
        parts.Add(OnItsOwnAsync(own => CasesAsync(c, own, campaignId, ct)));
        if (schedule is not null) parts.Add(OnItsOwnAsync(own => SealUpAsync(c, own, schedule.Id, ct)));
        foreach (var fold in await Task.WhenAll(parts)) fold();
    }

    /// <summary>The vehicles that count against a quota (Vehicles.Standards.Held): active or under recovery.</summary>
    private static async Task<Action> KeptVehiclesAsync(Counting c, FleetDbContext own, CancellationToken ct)
    {
        var held = await c.Within(own, own.VehicleCounts.AsNoTracking())
            .Where(v => v.Status == VehicleStatus.Active || v.Status == VehicleStatus.UnderRecovery)
            .Select(v => new { v.UnitId, v.Vehicles }).ToListAsync(ct);
        return () => { foreach (var v in held) c.At(v.UnitId).Vehicles += v.Vehicles; };
    }

    private static async Task<Action> VehiclesAsync(Counting c, FleetDbContext own, CancellationToken ct)
    {
        var held = await c.Within(own, own.Vehicles.AsNoTracking())
            .Where(v => v.Status == VehicleStatus.Active || v.Status == VehicleStatus.UnderRecovery)
            .GroupBy(v => v.UnitId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return () => { foreach (var g in held) c.At(g.Key).Vehicles = g.Count; };
    }

    /// <summary>Recovery cases per unit (of one campaign when named); red for a case open past its due date.</summary>
    private static async Task<Action> CasesAsync(Counting c, FleetDbContext own, Guid? campaignId, CancellationToken ct)
    {
        var cases = c.Within(own, own.RecoveryCases.AsNoTracking());
        if (campaignId is { } cid) cases = cases.Where(r => r.CampaignId == cid);
        var today = c.Today;
        var counted = await cases.GroupBy(r => r.UnitId).Select(g => new
        {
            g.Key,
            Identified = g.Count(),
            Recovered = g.Count(r => r.Status == RecoveryStatus.Recovered),
            Cancelled = g.Count(r => r.Status == RecoveryStatus.Cancelled),
            PastDue = g.Count(r => r.Status == RecoveryStatus.Open && r.DueOn < today),
        }).ToListAsync(ct);
        return () =>
        {
            foreach (var g in counted)
            {
                var t = c.At(g.Key);
                (t.Identified, t.Recovered, t.Cancelled) = (g.Identified, g.Recovered, g.Cancelled);
                t.Red |= g.PastDue > 0;
            }
        };
    }

    /// <summary>The schedule's orders per unit: due, sealed, on time, exempted.</summary>
    private static async Task<Action> SealUpAsync(Counting c, FleetDbContext own, Guid scheduleId, CancellationToken ct)
    {
        var compliance = await SealUpRules.ComplianceAsync(own, scheduleId, ct);
        return () =>
        {
            foreach (var u in compliance)
            {
                if (!c.Tallies.TryGetValue(u.UnitId, out var t)) continue; // a unit of the caller's scope outside this region
                t.Due = u.InScope;
                t.Sealed = u.SealedOnTime + u.SealedLate + u.Breached;
                t.OnTime = u.SealedOnTime;
                t.Exempted = u.Exempted;
            }
        };
    }

    /// <summary>
    /// A count on a context of its own (from the pool), narrowed as the request's is, on a thread of its own: SQLite's
    /// "async" reads run to the end on the caller's thread.
    /// </summary>
    private Task<Action> OnItsOwnAsync(Func<FleetDbContext, Task<Action>> count) => Task.Run(async () =>
    {
        await using var scope = scopes.CreateAsyncScope();
        var own = scope.ServiceProvider.GetRequiredService<FleetDbContext>();
        if (db.Scope is { } narrowed) own.NarrowTo(narrowed);
        return await count(own);
    }, CancellationToken.None);

    private static readonly ViolationType[] RedTypes = [ViolationType.SealBroken, ViolationType.VehicleMissing, ViolationType.UsedWhileSealed];

    /// <summary>
    /// Open violations and actions per unit from the kept counts (<see cref="ViolationCount"/>): a few rows per unit.
    /// Red for an open broken seal, missing car or use while sealed.
    /// </summary>
    private static async Task<Action> KeptViolationsAsync(Counting c, FleetDbContext own, CancellationToken ct)
    {
        var kept = await c.Within(own, own.ViolationCounts.AsNoTracking()).Where(k => k.Violations > 0)
            .Select(k => new { k.UnitId, k.Status, k.Type, k.Violations, k.Actions }).ToListAsync(ct);
        return () =>
        {
            foreach (var k in kept)
            {
                var t = c.At(k.UnitId);
                t.PersonActions += k.Actions;
                if (k.Status != ViolationStatus.Open) continue;
                t.OpenViolations += k.Violations;
                t.Red |= RedTypes.Contains(k.Type);
            }
        };
    }

    /// <summary>
    /// The units with an open violation older than the warning's days and no action against anyone on it (yellow). Asked
    /// unit by unit, so that the database stops at a unit's first such violation instead of reading every open one.
    /// </summary>
    private static async Task<Action> UnansweredAsync(Counting c, FleetDbContext own, CancellationToken ct)
    {
        var (low, high, stale) = (c.Scope.Low, c.Scope.High, c.Stale);
        var units = await own.Units.AsNoTracking().Where(u => u.RegionCode >= low && u.RegionCode <= high)
            .Where(u => own.Violations.Any(v => v.UnitId == u.Id && v.Status == ViolationStatus.Open && v.DetectedAt < stale
                && !own.PersonActions.Any(a => a.ViolationId == v.Id)))
            .Select(u => u.Id).ToListAsync(ct);
        return () => { foreach (var unit in units) c.At(unit).OldUnanswered = 1; };
    }

    /// <summary>Open violations per unit: red for a broken seal, a missing car, a use while sealed.</summary>
    private static async Task<Action> OpenViolationsAsync(Counting c, FleetDbContext own, CancellationToken ct)
    {
        var open = await c.Within(own, own.Violations.AsNoTracking()).Where(v => v.Status == ViolationStatus.Open).GroupBy(v => v.UnitId).Select(g => new
        {
            g.Key,
            Count = g.Count(),
            Red = g.Count(v => RedTypes.Contains(v.Type)),
        }).ToListAsync(ct);
        return () =>
        {
            foreach (var g in open)
            {
                var t = c.At(g.Key);
                t.OpenViolations = g.Count;
                t.Red |= g.Red > 0;
            }
        };
    }

    /// <summary>Actions against persons per unit, from the actions' side (a tenth of the violations).</summary>
    private static async Task<Action> ActionsAsync(Counting c, FleetDbContext own, CancellationToken ct)
    {
        var acted = await own.PersonActions.AsNoTracking().Join(c.Within(own, own.Violations.AsNoTracking()), a => a.ViolationId, v => v.Id, (a, v) => v)
            .GroupBy(v => v.UnitId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return () => { foreach (var g in acted) c.At(g.Key).PersonActions = g.Count; };
    }

    private Figures Fold(Tally t, bool deadlinePassed)
    {
        var rate = deadlinePassed ? RecoveryRates.Fraction(t.OnTime + t.Exempted, t.Due) : null;
        var warnings = options.Value.Warnings;
        var warning = t.Red || rate * 100 < warnings.RedSealUpBelow ? Warning.Red
            : t.OldUnanswered > 0 || rate * 100 < warnings.YellowSealUpBelow ? Warning.Yellow : Warning.Green;
        return new Figures(t.Units, t.Vehicles, t.OpenViolations, t.PersonActions,
            new RecoveryFigures(t.Identified, t.Recovered, t.Cancelled, RecoveryRates.Rate(t.Recovered, t.Identified, t.Cancelled)),
            new SealUpFigures(t.Due, t.Sealed, t.OnTime, t.Exempted, rate), warning);
    }
}
