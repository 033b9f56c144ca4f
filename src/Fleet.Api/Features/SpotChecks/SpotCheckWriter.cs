using Fleet.Api.Features.Vehicles;

namespace Fleet.Api.Features.SpotChecks;

/// <summary>
/// How a spot check reaches the database, the API's hottest write: the vehicle is read through a statement prepared
/// once, and a check that only adds records goes into the next group commit with other requests' checks (the same rows
/// and audit entries SaveChanges would write, answered after their commit). What is recorded is
/// <see cref="SpotCheckRules"/>'s to say.
/// </summary>
/// <param name="commits">Group commit; null saves every check through EF.</param>
/// <param name="reads">The prepared read of a vehicle by id; null reads through EF.</param>
public sealed class SpotCheckWriter(FleetDbContext db, GroupCommit? commits = null, VehicleReads? reads = null)
{
    /// <summary>The prepared read of a vehicle by id; null to read through EF.</summary>
    public VehicleReads? Reads => reads;

    /// <summary>
    /// Writes a check that changes no other record in the next group commit, and answers once it is committed; null
    /// when this context must write it itself (no group commit, or inside a transaction of its own, as the demo's).
    /// </summary>
    public async Task<Outcome<SpotCheck>?> TryGroupCommitAsync(string actor, SpotCheck check, Violation? violation, CancellationToken ct)
    {
        if (commits is null || db.Database.CurrentTransaction is not null) return null;
        try
        {
            await commits.WriteAsync(actor, violation is null ? [check] : [violation, check], ct);
            return check;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return Refusal.Conflict("SpotChecks.NotSaved");
        }
    }
}
