namespace Fleet.Api.Features.Violations;

public sealed record ManualViolation(ViolationType Type, Guid? VehicleId, string? PlateNumber, Guid UnitId, string Notes);

public sealed record PersonActionInput(string PersonName, string Position, PersonActionKind Action, string? Note);

/// <summary>What inspectors do with violations, and the one way any area closes a violation.</summary>
public sealed class ViolationRules(FleetDbContext db, ScopeClock clock)
{
    public async Task<Outcome<Violation>> EnterAsync(Caller caller, ManualViolation input, CancellationToken ct)
    {
        if (caller.Unless(Role.Inspector) is { } forbidden) return forbidden;
        string? plate = null;
        Guid? vehicleId = null;
        if (input.VehicleId is not null || input.PlateNumber is not null)
        {
            var target = await ViolationTargets.ResolveAsync(db, input.VehicleId, input.PlateNumber, input.UnitId, ct);
            if (target.Refusal is { } refused) return refused;
            (plate, vehicleId) = (target.Value!.PlateNumber, target.Value.VehicleId);
        }
        else if (!await db.Units.AnyAsync(u => u.Id == input.UnitId, ct))
        {
            return Refusal.Invalid("unitId", "Common.NoSuchUnit");
        }
        var violation = new Violation
        {
            Type = input.Type,
            VehicleId = vehicleId,
            PlateNumber = plate,
            UnitId = input.UnitId,
            DetectedAt = clock.GetUtcNow().UtcDateTime,
            Source = ViolationSource.Manual,
            Status = ViolationStatus.Open,
            Notes = input.Notes.Trim(),
            RecordedBy = caller.Username,
        };
        db.Violations.Add(violation);
        await db.SaveChangesAsync(ct);
        return violation;
    }

    /// <summary>An action against a person is evidence: recorded once, never edited or deleted.</summary>
    public async Task<Outcome<PersonAction>> AddActionAsync(Caller caller, Guid violationId, PersonActionInput input, CancellationToken ct)
    {
        if (caller.Unless(Role.Inspector) is { } forbidden) return forbidden;
        var status = await db.Violations.Where(v => v.Id == violationId).Select(v => (ViolationStatus?)v.Status).FirstOrDefaultAsync(ct);
        if (status is null) return Refusal.NotFound("Violations.NotFound");
        if (status == ViolationStatus.Dismissed) return Refusal.Conflict("Violations.Dismissed");
        var action = new PersonAction
        {
            ViolationId = violationId,
            PersonName = input.PersonName.Trim(),
            Position = input.Position.Trim(),
            Action = input.Action,
            Note = input.Note?.Trim(),
            RecordedAt = clock.GetUtcNow().UtcDateTime,
            RecordedBy = caller.Username,
        };
        db.PersonActions.Add(action);
        await db.SaveChangesAsync(ct);
        return action;
    }

    public async Task<Outcome<Violation>> CloseAsync(Caller caller, Guid id, ViolationStatus to, string reason, CancellationToken ct)
    {
        if (caller.Unless(Role.Inspector) is { } forbidden) return forbidden;
        var violation = await db.Violations.FirstOrDefaultAsync(v => v.Id == id, ct);
        if (violation is null) return Refusal.NotFound("Violations.NotFound");
        if (violation.Status != ViolationStatus.Open) return Refusal.Conflict("Violations.Closed", ("status", violation.Status));
        Close(db, violation, to, caller.Username, reason.Trim(), clock.GetUtcNow().UtcDateTime);
        return await db.SaveAsync(new CodedText("Violations.Changed"), ct) is { } lost ? lost : violation;
    }

    /// <summary>Closes an open violation (resolved or dismissed) with who, when and why; tracked, saved with the caller's change.</summary>
    public static void Close(FleetDbContext db, Violation violation, ViolationStatus to, string by, string reason, DateTime now)
    {
        violation.Status = to;
        violation.ClosedAt = now;
        violation.ClosedBy = by;
        violation.CloseReason = reason;
        db.AuditAs(violation, to == ViolationStatus.Resolved ? "Resolve" : "Dismiss");
    }
}
