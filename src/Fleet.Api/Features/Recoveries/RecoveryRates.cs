using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fleet.Api.Features.Recoveries;

public sealed record UnitRate(Guid UnitId, string UnitCode, string UnitName, int Identified, int Recovered, int Cancelled, int Outstanding, decimal? Rate);

public sealed record Rates(int Identified, int Recovered, int Cancelled, int Outstanding, decimal? Rate, IReadOnlyList<UnitRate> Units);

/// <summary>
/// Recovery rate = recovered ÷ (identified − cancelled), per unit, per campaign and overall; empty (null) when nothing
/// counts, never 100 % and never an error. Counted by the database in one grouped query.
/// </summary>
public static class RecoveryRates
{
    public static async Task<Results<Ok<Rates>, ValidationProblem>> Get(Guid? campaignId, ClaimsPrincipal user, FleetDbContext db, CancellationToken ct)
    {
        if (campaignId is not null && !await db.Campaigns.AnyAsync(c => c.Id == campaignId, ct))
            return Problems.Field("campaignId", "Recoveries.NoSuchCampaign");
        return TypedResults.Ok(await ComputeAsync(db, campaignId, Caller.From(user), ct));
    }

    public static async Task<Rates> ComputeAsync(FleetDbContext db, Guid? campaignId, Caller caller, CancellationToken ct)
    {
        var cases = db.RecoveryCases.AsNoTracking().VisibleTo(caller);
        if (campaignId is not null) cases = cases.Where(r => r.CampaignId == campaignId);
        var units = await cases
            .GroupBy(r => r.UnitId)
            .Select(g => new
            {
                UnitId = g.Key,
                Identified = g.Count(),
                Recovered = g.Count(r => r.Status == RecoveryStatus.Recovered),
                Cancelled = g.Count(r => r.Status == RecoveryStatus.Cancelled),
            })
            .Join(db.Units, g => g.UnitId, u => u.Id, (g, u) => new { g.UnitId, u.Code, u.Name, g.Identified, g.Recovered, g.Cancelled })
            .OrderBy(x => x.Code)
            .ToListAsync(ct);
        var rows = units.Select(u => new UnitRate(u.UnitId, u.Code, u.Name, u.Identified, u.Recovered, u.Cancelled,
            u.Identified - u.Recovered - u.Cancelled, Rate(u.Recovered, u.Identified, u.Cancelled))).ToList();
        int identified = rows.Sum(r => r.Identified), recovered = rows.Sum(r => r.Recovered), cancelled = rows.Sum(r => r.Cancelled);
        return new Rates(identified, recovered, cancelled, identified - recovered - cancelled, Rate(recovered, identified, cancelled), rows);
    }

    /// <summary>A fraction truncated (never rounded up) to six places, so 999 of 1000 can never read as 100 %.</summary>
    public static decimal? Rate(int recovered, int identified, int cancelled) => Fraction(recovered, identified - cancelled);

    /// <summary>part ÷ whole truncated to six places (never rounded up to 1 while part &lt; whole); null when the whole is empty.</summary>
    public static decimal? Fraction(int part, int whole) => whole <= 0 ? null : Math.Round((decimal)part / whole, 6, MidpointRounding.ToZero);
}
