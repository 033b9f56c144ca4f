using Fleet.Api.Features.SealUp;
using Fleet.Api.Features.Vehicles;
using Fleet.Api.Features.Violations;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Api.Features.SpotChecks;

public sealed record SpotCheckInput(Guid? VehicleId, string? PlateNumber, Guid? UnitId, DateTime CheckedAt, string Location,
    SpotCheckFinding Finding, string? Notes, Guid? CorrectsId);

/// <summary>
/// An inspector's record of what they saw. Evidence: recorded once, never changed; a mistake is corrected by a new
/// check naming it, which dismisses the corrected check's violation and restores a seal it broke.
/// </summary>
/// <param name="commits">Group commit for the common check (no correction, no seal to breach); null (the demo's one
/// transaction) saves every check through EF.</param>
/// <param name="reads">The prepared read of a vehicle by id; null reads through EF.</param>
public sealed class SpotCheckRules(FleetDbContext db, SealUpRules sealUp, LocalTime local, TimeProvider clock,
    GroupCommit? commits = null, VehicleReads? reads = null)
{
    public static ViolationType ViolationOf(SpotCheckFinding finding) => finding switch
    {
        SpotCheckFinding.SealBroken => ViolationType.SealBroken,
        SpotCheckFinding.VehicleMissing => ViolationType.VehicleMissing,
        SpotCheckFinding.PrivateUse => ViolationType.PrivateUse,
        SpotCheckFinding.OffSiteParking => ViolationType.OffSiteParking,
        SpotCheckFinding.UnregisteredVehicle => ViolationType.UnregisteredVehicle,
        _ => ViolationType.Other,
    };

    public async Task<Outcome<SpotCheck>> RecordAsync(Caller caller, SpotCheckInput input, CancellationToken ct)
    {
        if (caller.Unless(Role.Inspector) is { } forbidden) return forbidden;
        var resolved = await ViolationTargets.ResolveAsync(db, input.VehicleId, input.PlateNumber, input.UnitId, ct, reads);
        if (resolved.Refusal is { } refused) return refused;
        var target = resolved.Value!;
        var correctedOnce = new CodedText("SpotChecks.CorrectedOnce");
        if (input.CorrectsId is { } correctsId)
        {
            if (!await db.SpotChecks.AnyAsync(s => s.Id == correctsId, ct)) return Refusal.Invalid("correctsId", "SpotChecks.NoSuchCheck");
            if (await db.SpotCheckCorrections.AnyAsync(c => c.CorrectedId == correctsId, ct)) return Refusal.Conflict(correctedOnce);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var checkedAt = local.InstantToUtc(input.CheckedAt);
        var check = new SpotCheck
        {
            VehicleId = target.VehicleId,
            PlateNumber = target.PlateNumber,
            UnitId = target.UnitId,
            CheckedAt = checkedAt,
            Location = input.Location.Trim(),
            Finding = input.Finding,
            Notes = input.Notes?.Trim(),
            CorrectsId = input.CorrectsId,
            RecordedAt = now,
            RecordedBy = caller.Username,
        };
        Violation? violation = null;
        if (check.Finding != SpotCheckFinding.Compliant)
        {
            violation = new Violation
            {
                Type = ViolationOf(check.Finding),
                VehicleId = check.VehicleId,
                PlateNumber = check.PlateNumber,
                UnitId = check.UnitId,
                DetectedAt = checkedAt,
                Source = ViolationSource.SpotCheck,
                SourceId = check.Id,
                DedupKey = $"SpotCheck:{check.Id}",
                Status = ViolationStatus.Open,
                Notes = check.Notes,
                RecordedBy = check.RecordedBy,
            };
            check.ViolationId = violation.Id;
        }
        // The common check only adds records: it goes into the next group commit with other requests' checks (the
        // same rows and audit entries SaveChanges would write, answered after their commit). A correction, or a finding
        // that may breach a seal, reads and changes other records: through EF, in a transaction of its own.
        if (commits is not null && db.Database.CurrentTransaction is null && check.CorrectsId is null
            && !(check.VehicleId is not null && SealUpRules.Breaches(check.Finding)))
        {
            try
            {
                await commits.WriteAsync(caller.Username, violation is null ? [check] : [violation, check], ct);
                return check;
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return Refusal.Conflict("SpotChecks.NotSaved");
            }
        }
        if (violation is not null) db.Violations.Add(violation);
        db.SpotChecks.Add(check);
        if (check.CorrectsId is { } corrected)
        {
            db.SpotCheckCorrections.Add(new SpotCheckCorrection { CorrectedId = corrected, CorrectionId = check.Id });
            await DismissCorrectedAsync(corrected, check, now, ct);
            await sealUp.RestoreAfterCorrectionAsync(corrected, check, ct);
        }
        await sealUp.BreachAsync(check, ct);
        return await db.SaveAsync(new CodedText("SpotChecks.CorrectedMeanwhile"), ct) is { } lost ? lost : check;
    }

    /// <summary>The corrected check was a mistake: its violation, if still open, is dismissed, naming the correction.</summary>
    private async Task DismissCorrectedAsync(Guid correctedId, SpotCheck correction, DateTime now, CancellationToken ct)
    {
        var violation = await db.Violations.FirstOrDefaultAsync(v => v.Source == ViolationSource.SpotCheck && v.SourceId == correctedId && v.Status == ViolationStatus.Open, ct);
        if (violation is not null)
            ViolationRules.Close(db, violation, ViolationStatus.Dismissed, correction.RecordedBy, new CodedText("SpotChecks.CorrectedReason", ("id", correction.Id)).English, now);
    }
}
