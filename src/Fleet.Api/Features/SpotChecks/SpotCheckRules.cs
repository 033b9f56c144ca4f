using Fleet.Api.Features.SealUp;
using Fleet.Api.Features.Violations;

namespace Fleet.Api.Features.SpotChecks;

public sealed record SpotCheckInput(Guid? VehicleId, string? PlateNumber, Guid? UnitId, DateTime CheckedAt, string Location,
    SpotCheckFinding Finding, string? Notes, Guid? CorrectsId);

/// <summary>
/// An inspector's record of what they saw. Evidence: recorded once, never changed; a mistake is corrected by a new
/// check naming it, which dismisses the corrected check's violation and restores a seal it broke.
/// </summary>
/// <param name="writer">How the common check (no correction, no seal to breach) is written with others'; null (the
/// demo's one transaction) saves every check through EF.</param>
public sealed class SpotCheckRules(FleetDbContext db, SealUpRules sealUp, LocalTime local, ScopeClock clock, SpotCheckWriter? writer = null)
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
        var resolved = await ViolationTargets.ResolveAsync(db, input.VehicleId, input.PlateNumber, input.UnitId, ct, writer?.Reads);
        if (resolved.Refusal is { } refused) return refused;
        if (input.CorrectsId is { } correctsId && await CorrectableAsync(correctsId, ct) is { } notCorrectable) return notCorrectable;

        var now = clock.GetUtcNow().UtcDateTime;
        var check = NewCheck(caller, input, resolved.Value!, now);
        var violation = ViolationFor(check);
        // The common check only adds records, and may be written with other requests' checks. A correction, or a
        // finding that may breach a seal, reads and changes other records: through EF, in a transaction of its own.
        if (check.CorrectsId is null && !(check.VehicleId is not null && SealUpRules.Breaches(check.Finding))
            && writer is not null && await writer.TryGroupCommitAsync(caller.Username, check, violation, ct) is { } grouped)
            return grouped;
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

    /// <summary>A check is corrected once: a second correction corrects the check that corrected it.</summary>
    private async Task<Refusal?> CorrectableAsync(Guid correctsId, CancellationToken ct)
    {
        if (!await db.SpotChecks.AnyAsync(s => s.Id == correctsId, ct)) return Refusal.Invalid("correctsId", "SpotChecks.NoSuchCheck");
        if (await db.SpotCheckCorrections.AnyAsync(c => c.CorrectedId == correctsId, ct))
            return Refusal.Conflict("SpotChecks.CorrectedOnce");
        return null;
    }

    /// <summary>The check as recorded: at the local time given, by the caller, now.</summary>
    private SpotCheck NewCheck(Caller caller, SpotCheckInput input, ViolationTarget target, DateTime now) => new()
    {
        VehicleId = target.VehicleId,
        PlateNumber = target.PlateNumber,
        UnitId = target.UnitId,
        CheckedAt = local.InstantToUtc(input.CheckedAt),
        Location = input.Location.Trim(),
        Finding = input.Finding,
        Notes = input.Notes?.Trim(),
        CorrectsId = input.CorrectsId,
        RecordedAt = now,
        RecordedBy = caller.Username,
    };

    /// <summary>The violation a finding other than compliant opens, named by the check (and naming it).</summary>
    private static Violation? ViolationFor(SpotCheck check)
    {
        if (check.Finding == SpotCheckFinding.Compliant) return null;
        var violation = new Violation
        {
            Type = ViolationOf(check.Finding),
            VehicleId = check.VehicleId,
            PlateNumber = check.PlateNumber,
            UnitId = check.UnitId,
            DetectedAt = check.CheckedAt,
            Source = ViolationSource.SpotCheck,
            SourceId = check.Id,
            DedupKey = $"SpotCheck:{check.Id}",
            Status = ViolationStatus.Open,
            Notes = check.Notes,
            RecordedBy = check.RecordedBy,
        };
        check.ViolationId = violation.Id;
        return violation;
    }

    /// <summary>The corrected check was a mistake: its violation, if still open, is dismissed, naming the correction.</summary>
    private async Task DismissCorrectedAsync(Guid correctedId, SpotCheck correction, DateTime now, CancellationToken ct)
    {
        var violation = await db.Violations.FirstOrDefaultAsync(v => v.Source == ViolationSource.SpotCheck && v.SourceId == correctedId && v.Status == ViolationStatus.Open, ct);
        if (violation is not null)
            ViolationRules.Close(db, violation, ViolationStatus.Dismissed, correction.RecordedBy, new CodedText("SpotChecks.CorrectedReason", ("id", correction.Id)).English, now);
    }
}
