using System.Linq.Expressions;
using Fleet.Api.Features.Vehicles;
using Fleet.Api.Features.Violations;
using Fleet.Data.Auditing;

namespace Fleet.Api.Features.Recoveries;

public sealed record OpenCase(Guid CampaignId, Guid? VehicleId, string? PlateNumber, Guid UnitId, RecoveryReason Reason, DateOnly DueOn);

/// <summary>
/// Recovery cases: an illegal official vehicle its original registration unit must give up. One open case per plate
/// (a unique index settles a race); recovering settles what made the car illegal.
/// </summary>
public sealed class RecoveryRules(FleetDbContext db, LocalTime local, ScopeClock clock, IAuditActor actor, Regions.RegionRules regions)
{
    /// <summary>Today on the local calendar: what a case's due date is compared with.</summary>
    public DateOnly Today() => DateOnly.FromDateTime(local.ToLocal(clock.GetUtcNow().UtcDateTime));

    /// <summary>
    /// Past due: still open and due before <paramref name="today"/> (local calendar; due today is not yet late). The one
    /// rule the recovery-overdue job flags by and the pages filter and badge by.
    /// </summary>
    public static Expression<Func<RecoveryCase, bool>> PastDueOn(DateOnly today) => r => r.Status == RecoveryStatus.Open && r.DueOn < today;

    /// <summary><see cref="PastDueOn"/> for one case in hand.</summary>
    public static bool IsPastDue(RecoveryCase r, DateOnly today) => r.Status == RecoveryStatus.Open && r.DueOn < today;

    /// <summary>
    /// Flags every past-due case not flagged yet (level-triggered: a second run changes nothing), in one transaction: the
    /// audit entries first, set-based from the very rows the update then changes, in <see cref="AuditShape"/>'s shape
    /// (the changed field and the version on both sides), as the seal-up statements write theirs.
    /// </summary>
    public async Task<int> MarkPastDueAsync(CancellationToken ct)
    {
        var flagged = 0;
        await SetBased.RetryRacesAsync(db, async () => flagged = await MarkPastDueOnceAsync(ct), ct);
        return flagged;
    }

    private async Task<int> MarkPastDueOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(local.ToLocal(now));
        await using var transaction = await SetBased.BeginStableAsync(db, ct);
        var due = db.RecoveryCases.Where(PastDueOn(today)).Where(r => !r.PastDue);
        // The same rows as PastDueOn(today) && !PastDue, in SQL; the date goes as a parameter.
        await SetBased.AuditAsync(db, actor.Name, now, nameof(RecoveryCase), "PastDue", "[RecoveryCases] x",
            $"x.[Status] = 'Open' AND x.[PastDue] = {SetBased.Bool(db, false)} AND x.[DueOn] < {{0}}",
            AuditShape.SqlObject(("pastDue", AuditShape.Sql(false)), ("version", "x.[Version]")),
            AuditShape.SqlObject(("pastDue", AuditShape.Sql(true)), ("version", "x.[Version] + 1")),
            [today], ct);
        var flagged = await due.ExecuteUpdateAsync(s => s.SetProperty(r => r.PastDue, true).SetProperty(r => r.Version, r => r.Version + 1), ct);
        await transaction.CommitAsync(ct);
        return flagged;
    }

    /// <summary>A clean-up drive over a period; "clean up 88 units twice" is two campaigns, one per round.</summary>
    public async Task<Outcome<Campaign>> CreateCampaignAsync(Caller caller, string name, DateOnly startsOn, DateOnly endsOn, CancellationToken ct, Guid? regionId = null)
    {
        if (caller.Unless(Role.Admin) is { } forbidden) return forbidden;
        var place = await regions.PlaceAsync(caller, regionId, ct);
        if (place.Refusal is { } outside) return outside;
        name = name.Trim();
        var exists = new CodedText("Recoveries.CampaignExists", ("name", name));
        if (await db.Campaigns.AnyAsync(c => c.Name == name && c.RegionId == place.Value!.Id, ct)) return Refusal.Conflict(exists);
        var campaign = new Campaign
        {
            Name = name,
            StartsOn = startsOn,
            EndsOn = endsOn,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            RegionId = place.Value!.Id,
            RegionCode = place.Value.Code,
        };
        db.Campaigns.Add(campaign);
        return await db.SaveAsync(exists, ct) is { } lost ? lost : campaign;
    }

    public async Task<Outcome<RecoveryCase>> OpenAsync(Caller caller, OpenCase input, CancellationToken ct)
    {
        if (caller.Unless(Role.Inspector) is { } forbidden) return forbidden;
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == input.CampaignId, ct);
        if (campaign is null) return Refusal.Invalid("campaignId", "Recoveries.NoSuchCampaign");
        if (input.DueOn < campaign.StartsOn) return Refusal.Invalid("dueOn", "Recoveries.DueBeforeStart");
        var resolved = await ViolationTargets.ResolveAsync(db, input.VehicleId, input.PlateNumber, input.UnitId, ct);
        if (resolved.Refusal is { } refused) return refused;
        var target = resolved.Value!;
        // A round runs in its region's subtree: a district's round does not reach a city department's car.
        var round = RegionScope.Of(campaign.RegionCode);
        if (!await db.Units.AnyAsync(u => u.Id == target.UnitId && u.RegionCode >= round.Low && u.RegionCode <= round.High, ct))
            return Refusal.Invalid("campaignId", "Recoveries.OutsideCampaignRegion");
        var open = new CodedText("Recoveries.AlreadyOpen", ("plate", target.PlateNumber));
        if (await db.RecoveryCases.AnyAsync(r => r.PlateNumber == target.PlateNumber && r.Status == RecoveryStatus.Open, ct))
            return Refusal.Conflict(open);

        if (target.VehicleId is not null)
        {
            var vehicle = await db.Vehicles.FirstAsync(v => v.Id == target.VehicleId, ct);
            if (vehicle.Status != VehicleStatus.Active)
                return Refusal.Conflict("Recoveries.NotActive", ("status", vehicle.Status));
            vehicle.Status = VehicleStatus.UnderRecovery;
            db.AuditAs(vehicle, "UnderRecovery");
        }
        var recovery = new RecoveryCase
        {
            CampaignId = campaign.Id,
            VehicleId = target.VehicleId,
            PlateNumber = target.PlateNumber,
            UnitId = target.UnitId,
            Reason = input.Reason,
            DueOn = input.DueOn,
            Status = RecoveryStatus.Open,
            OpenedAt = clock.GetUtcNow().UtcDateTime,
            OpenedBy = caller.Username,
        };
        db.RecoveryCases.Add(recovery);
        return await db.SaveAsync(open, ct) is { } lost ? lost : recovery;
    }

    public async Task<Outcome<RecoveryCase>> RecoverAsync(Caller caller, Guid id, DateOnly recoveredOn, RecoveryDisposition disposition, CancellationToken ct)
    {
        if (caller.Unless(Role.Inspector) is { } forbidden) return forbidden;
        var now = clock.GetUtcNow().UtcDateTime;
        if (recoveredOn > DateOnly.FromDateTime(local.ToLocal(now))) return Refusal.Invalid("recoveredOn", "Common.InFuture");
        var recovery = await db.RecoveryCases.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (recovery is null) return Refusal.NotFound("Recoveries.CaseNotFound");
        if (recovery.Status != RecoveryStatus.Open) return Refusal.Conflict("Recoveries.Closed", ("status", recovery.Status));
        var openedOn = DateOnly.FromDateTime(local.ToLocal(recovery.OpenedAt));
        if (recoveredOn < openedOn) return Refusal.Invalid("recoveredOn", "Recoveries.BeforeOpened", ("day", openedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        // The unit's row first, as for a registration: two recoveries in one unit count its holding one after the other.
        await using var transaction = await UnitOfWork.BeginAsync(db, ct);
        await Standards.HoldUnitsAsync(db, [recovery.UnitId], ct);
        recovery.Status = RecoveryStatus.Recovered;
        recovery.RecoveredOn = recoveredOn;
        recovery.Disposition = disposition;
        recovery.ClosedAt = now;
        recovery.ClosedBy = caller.Username;
        db.AuditAs(recovery, "Recover");
        // A recovered vehicle leaves its unit's holding: it no longer counts against the quota.
        await SetVehicleStatusAsync(recovery, VehicleStatus.Recovered, "Recovered", ct);
        await SettleViolationsAsync(recovery, caller.Username, now, ct);
        if (await db.SaveAsync(new CodedText("Recoveries.Changed"), ct) is { } lost) return lost;
        await transaction.CommitAsync(ct);
        return recovery;
    }

    /// <summary>Cancelling gives the vehicle back to its unit and resolves nothing.</summary>
    public async Task<Outcome<RecoveryCase>> CancelAsync(Caller caller, Guid id, string reason, CancellationToken ct)
    {
        if (caller.Unless(Role.Inspector) is { } forbidden) return forbidden;
        var recovery = await db.RecoveryCases.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (recovery is null) return Refusal.NotFound("Recoveries.CaseNotFound");
        if (recovery.Status != RecoveryStatus.Open) return Refusal.Conflict("Recoveries.Closed", ("status", recovery.Status));
        recovery.Status = RecoveryStatus.Cancelled;
        recovery.CancelReason = reason.Trim();
        recovery.ClosedAt = clock.GetUtcNow().UtcDateTime;
        recovery.ClosedBy = caller.Username;
        db.AuditAs(recovery, "Cancel");
        await SetVehicleStatusAsync(recovery, VehicleStatus.Active, "RecoveryCancelled", ct);
        return await db.SaveAsync(new CodedText("Recoveries.Changed"), ct) is { } lost ? lost : recovery;
    }

    /// <summary>
    /// Recovering a car settles what made it illegal: its open OverQuota, OverStandard and IllegalSource violations (for an
    /// unregistered car, its plate's UnregisteredVehicle ones); and once the unit is back within its quota, the unit's
    /// other open OverQuota violations. Each resolution names the case.
    /// </summary>
    private async Task SettleViolationsAsync(RecoveryCase recovery, string by, DateTime now, CancellationToken ct)
    {
        var reason = new CodedText("Recoveries.SettledReason", ("id", recovery.Id), ("plate", recovery.PlateNumber)).English;
        // An unregistered car was never part of the unit's holding: its recovery changes no count. What made it illegal
        // is that it was not registered: the open UnregisteredVehicle violations of its plate are settled.
        if (recovery.VehicleId is not { } vehicleId)
        {
            foreach (var found in await db.Violations.Where(v => v.VehicleId == null && v.PlateNumber == recovery.PlateNumber &&
                v.Type == ViolationType.UnregisteredVehicle && v.Status == ViolationStatus.Open).ToListAsync(ct))
                ViolationRules.Close(db, found, ViolationStatus.Resolved, by, reason, now);
            return;
        }
        var settled = await db.Violations.Where(v => v.VehicleId == vehicleId && v.Status == ViolationStatus.Open &&
            (v.Type == ViolationType.OverQuota || v.Type == ViolationType.OverStandard || v.Type == ViolationType.IllegalSource)).ToListAsync(ct);
        var quota = await db.Units.Where(u => u.Id == recovery.UnitId).Select(u => u.VehicleQuota).FirstAsync(ct);
        var held = await db.Vehicles.Where(v => v.UnitId == recovery.UnitId && v.Id != recovery.VehicleId).Where(Standards.Held).CountAsync(ct);
        if (held <= quota)
        {
            settled.AddRange(await db.Violations
                .Where(v => v.UnitId == recovery.UnitId && v.Type == ViolationType.OverQuota && v.Status == ViolationStatus.Open && v.VehicleId != recovery.VehicleId)
                .ToListAsync(ct));
        }
        foreach (var violation in settled) ViolationRules.Close(db, violation, ViolationStatus.Resolved, by, reason, now);
    }

    private async Task SetVehicleStatusAsync(RecoveryCase recovery, VehicleStatus status, string action, CancellationToken ct)
    {
        if (recovery.VehicleId is null) return;
        var vehicle = await db.Vehicles.FirstAsync(v => v.Id == recovery.VehicleId, ct);
        if (vehicle.Status != VehicleStatus.UnderRecovery) return;
        vehicle.Status = status;
        db.AuditAs(vehicle, action);
    }
}
