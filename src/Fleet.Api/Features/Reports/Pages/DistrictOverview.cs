using Fleet.Api.Features.Recoveries;
using Fleet.Api.Features.SealUp;
using Fleet.Api.Features.Violations;

namespace Fleet.Api.Features.Reports.Pages;

/// <summary>
/// The auditor's district at a glance, computed as the API and the reports compute it: recovery rates by
/// <see cref="RecoveryRates.ComputeAsync"/>, seal-up compliance by <see cref="SealUpRules.ComplianceAsync"/>
/// (the compliance endpoint's query), violations and actions against persons counted by the database.
/// </summary>
public sealed record DistrictOverview(
    IReadOnlyList<(string Campaign, Rates Rates)> Campaigns,
    Rates AllCampaigns,
    (string Holiday, SealUpSchedule Schedule)? Schedule,
    IReadOnlyList<UnitCompliance> Compliance,
    IReadOnlyList<(ViolationType Type, int Open, int Total)> ViolationsByType,
    IReadOnlyList<(string Unit, int Open, int Total)> ViolationsByUnit,
    IReadOnlyList<(PersonActionKind Kind, int Count)> ActionsByKind)
{
    public static async Task<DistrictOverview> LoadAsync(FleetDbContext db, Caller caller, DateTime now, CancellationToken ct)
    {
        var campaigns = new List<(string, Rates)>();
        foreach (var c in await db.Campaigns.AsNoTracking().OrderBy(c => c.StartsOn).Select(c => new { c.Id, c.Name }).ToListAsync(ct))
            campaigns.Add((c.Name, await RecoveryRates.ComputeAsync(db, c.Id, caller, ct)));
        var all = await RecoveryRates.ComputeAsync(db, null, caller, ct);

        // The current schedule: the latest whose deadline has passed (sealing is under way or done); before any, the next one.
        var schedules = db.SealUpSchedules.AsNoTracking().Join(db.Holidays, s => s.HolidayId, h => h.Id, (s, h) => new { s, h.Name });
        var current = await schedules.Where(x => x.s.SealDeadline <= now).OrderByDescending(x => x.s.SealDeadline).FirstOrDefaultAsync(ct)
            ?? await schedules.OrderBy(x => x.s.SealDeadline).FirstOrDefaultAsync(ct);
        var compliance = current is null ? [] :
            (await SealUpRules.ComplianceAsync(db, current.s.Id, ct)).Where(u => caller.MaySee(u.UnitId)).ToList();

        var tallies = await new ViolationQueries(db).TalliesAsync(caller, ct);
        return new DistrictOverview(campaigns, all, current is null ? null : (current.Name, current.s), compliance,
            tallies.ByType, tallies.ByUnit, tallies.ActionsByKind);
    }

    /// <summary>The bars of a rate chart: the units furthest behind first, at most <paramref name="take"/>.</summary>
    public static List<(string Label, decimal Rate)> Lowest(IEnumerable<(string Label, decimal? Rate)> rates, int take = 15) =>
        rates.Where(r => r.Rate is not null).OrderBy(r => r.Rate).ThenBy(r => r.Label).Take(take).Select(r => (r.Label, r.Rate!.Value)).ToList();
}
