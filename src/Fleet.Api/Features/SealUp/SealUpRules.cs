using System.Globalization;
using Fleet.Api.Features.Violations;

namespace Fleet.Api.Features.SealUp;

public sealed record PublishSchedule(Guid HolidayId, DateTime? SealDeadline, DateTime? ReleaseAt, IReadOnlyList<Guid>? UnitIds, IReadOnlyList<VehicleCategory>? ExemptCategories,
    Guid? RegionId = null);

/// <summary>A schedule whose deadline is near: its holiday's name and the deadline (UTC).</summary>
public sealed record ScheduleToRemind(Guid Id, string Holiday, DateTime SealDeadline);

/// <summary>A unit to remind: its name, the plates of its cars still to seal (ordered), its vehicle administrators' usernames.</summary>
public sealed record UnitToRemind(Guid UnitId, string Unit, IReadOnlyList<string> Plates, IReadOnlyList<string> Admins);

/// <summary>Seal-up compliance of one unit in one schedule: compliance = (sealed on time + exempted) ÷ vehicles in scope.</summary>
[SchemaName("SealUpComplianceReportUnitCompliance")]
public sealed record UnitCompliance(Guid UnitId, string Code, string Name, int InScope, int SealedOnTime, int SealedLate, int Exempted,
    int Overdue, int Breached, int Pending)
{
    public decimal? Rate => Recoveries.RecoveryRates.Fraction(SealedOnTime + Exempted, InScope);

    /// <summary>Cars sealed so far (on time, late, or sealed and then broken): before the deadline, the progress of <see cref="InScope"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Sealed => SealedOnTime + SealedLate + Breached;

    [System.Text.Json.Serialization.JsonIgnore]
    public decimal? Progress => Recoveries.RecoveryRates.Fraction(Sealed, InScope);

    /// <summary>The units' counts added up (a total row; its rate is the units' together).</summary>
    public static UnitCompliance Total(IReadOnlyCollection<UnitCompliance> units) => new(Guid.Empty, "", "", units.Sum(u => u.InScope),
        units.Sum(u => u.SealedOnTime), units.Sum(u => u.SealedLate), units.Sum(u => u.Exempted), units.Sum(u => u.Overdue),
        units.Sum(u => u.Breached), units.Sum(u => u.Pending));
}

/// <summary>
/// The seal-up rules: publishing a schedule, sealing, releasing, exemptions, and what a spot check does to a seal.
/// Called alike by the endpoints, the pages, the jobs and the demo; a refusal writes nothing.
/// </summary>
public sealed class SealUpRules(FleetDbContext db, SealOrderSets sets, LocalTime local, ScopeClock clock, Regions.RegionRules regions, RootRegion root)
    : Vehicles.IDisposalHolds
{
    /// <summary>A day and a local minute as the refusals show them (2027-02-12, 2027-02-12 08:00).</summary>
    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Minute(DateTime local) => local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static readonly VehicleCategory[] DefaultExempt = [VehicleCategory.LawEnforcement, VehicleCategory.Emergency];
    public static readonly TimeOnly DefaultDeadline = new(18, 0);
    public static readonly TimeOnly DefaultRelease = new(8, 0);

    /// <summary>A public holiday; its dates are data, entered by an Admin (or from seeds/).</summary>
    public async Task<Outcome<Holiday>> CreateHolidayAsync(Caller caller, string name, DateOnly firstDay, DateOnly lastDay, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin) is { } forbidden) return forbidden;
        // Holidays are national: only the root keeps them.
        if (caller.Scope(root) is not null) return Refusal.Forbidden("SealUp.HolidaysAtRoot");
        name = name.Trim();
        if (await db.Holidays.AnyAsync(h => h.Name == name && h.FirstDay == firstDay, ct))
            return Refusal.Conflict("SealUp.HolidayExists", ("name", name), ("day", Day(firstDay)));
        var holiday = new Holiday { Name = name, FirstDay = firstDay, LastDay = lastDay };
        db.Holidays.Add(holiday);
        await db.SaveChangesAsync(ct);
        return holiday;
    }

    public async Task<Outcome<SealUpSchedule>> PublishAsync(Caller caller, PublishSchedule request, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin) is { } forbidden) return forbidden;
        var holiday = await db.Holidays.AsNoTracking().FirstOrDefaultAsync(h => h.Id == request.HolidayId, ct);
        if (holiday is null) return Refusal.Invalid("holidayId", "SealUp.NoSuchHoliday");
        var deadline = request.SealDeadline is { } d ? local.InstantToUtc(d) : local.ToUtc(holiday.FirstDay.AddDays(-1), DefaultDeadline);
        var release = request.ReleaseAt is { } r ? local.InstantToUtc(r) : local.ToUtc(holiday.LastDay.AddDays(1), DefaultRelease);
        if (deadline >= release)
            return Refusal.Invalid(request.ReleaseAt is null ? "sealDeadline" : "releaseAt", "SealUp.DeadlineAfterRelease");
        var place = await regions.PlaceAsync(caller, request.RegionId, ct);
        if (place.Refusal is { } outside) return outside;
        var region = RegionScope.Of(place.Value!.Code);
        var unitIds = request.UnitIds?.Distinct().ToList();
        if (unitIds is not null && await db.Units.CountAsync(u => unitIds.Contains(u.Id) && u.RegionCode >= region.Low && u.RegionCode <= region.High, ct) != unitIds.Count)
            return Refusal.Invalid("unitIds", "SealUp.UnknownUnits");
        if (await OverlapsAsync(holiday.Id, region, unitIds, ct)) return Refusal.Conflict("SealUp.ScheduleOverlaps", ("name", holiday.Name));

        var now = clock.GetUtcNow().UtcDateTime;
        var schedule = new SealUpSchedule
        {
            HolidayId = holiday.Id,
            SealDeadline = deadline,
            ReleaseAt = release,
            AllUnits = unitIds is null,
            RegionId = place.Value.Id,
            RegionCode = place.Value.Code,
            ExemptCategories = string.Join(",", (request.ExemptCategories ?? DefaultExempt).Distinct()),
            PublishedAt = now,
            PublishedBy = caller.Username,
        };
        schedule.Status = schedule.StatusAt(now);
        await using var transaction = await UnitOfWork.BeginAsync(db, ct);
        db.SealUpSchedules.Add(schedule);
        foreach (var unitId in unitIds ?? []) db.SealUpScheduleUnits.Add(new SealUpScheduleUnit { ScheduleId = schedule.Id, UnitId = unitId });
        await db.SaveChangesAsync(ct);
        // Publishing gives every active in-scope vehicle its order at once; the reconcile job adds later registrations.
        await sets.CreateMissingAsync(schedule, now, ct);
        await transaction.CommitAsync(ct);
        return schedule;
    }

    /// <summary>
    /// Whether another schedule of the holiday already covers a unit this one would: one order per car and holiday. The
    /// schedules seen are those of the regions above and below (a sibling's subtree shares no unit with this one).
    /// </summary>
    private async Task<bool> OverlapsAsync(Guid holidayId, RegionScope region, List<Guid>? unitIds, CancellationToken ct)
    {
        var ours = unitIds is null
            ? db.Units.Where(u => u.RegionCode >= region.Low && u.RegionCode <= region.High)
            : db.Units.Where(u => unitIds.Contains(u.Id));
        foreach (var other in await db.SealUpSchedules.Where(s => s.HolidayId == holidayId).Select(s => new { s.Id, s.AllUnits, s.RegionCode }).ToListAsync(ct))
        {
            var theirs = RegionScope.Of(other.RegionCode);
            var overlap = other.AllUnits
                ? await ours.AnyAsync(u => u.RegionCode >= theirs.Low && u.RegionCode <= theirs.High, ct)
                : await db.SealUpScheduleUnits.AnyAsync(su => su.ScheduleId == other.Id && ours.Select(u => u.Id).Contains(su.UnitId), ct);
            if (overlap) return true;
        }
        return false;
    }

    /// <summary>Seals a vehicle at its designated parking place. After the deadline the seal is late, and the lateness stays on record.</summary>
    public async Task<Outcome<SealOrder>> SealAsync(Caller caller, Guid scheduleId, Guid vehicleId, string sealNumber, string parkingPlace, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin, Role.VehicleAdmin) is { } forbidden) return forbidden;
        var now = clock.GetUtcNow().UtcDateTime;
        var found = await FindOrderAsync(caller, scheduleId, vehicleId, now, ct);
        if (found.Refusal is { } refused) return refused;
        var (schedule, order) = found.Value;
        var vehicle = await db.Vehicles.FirstAsync(v => v.Id == order.VehicleId, ct);
        if (vehicle.Status == VehicleStatus.Disposed) return Refusal.Conflict("SealUp.DisposedNotSealed");
        if (order.Status is not (SealOrderStatus.Pending or SealOrderStatus.Overdue))
            return Refusal.Conflict("SealUp.NotSealable", ("status", order.Status));
        if (now >= schedule.ReleaseAt) return Refusal.Conflict("SealUp.HolidayOver");
        sealNumber = sealNumber.Trim();
        if (await db.SealOrders.AnyAsync(o => o.ScheduleId == scheduleId && o.SealNumber == sealNumber, ct))
            return Refusal.Conflict("SealUp.SealNumberUsed", ("seal", sealNumber));

        // An order made on the way is written first, as the job would have made it, so its audit shows Create then Seal.
        await using var transaction = await UnitOfWork.BeginAsync(db, ct);
        if (db.Entry(order).State == EntityState.Added) await db.SaveChangesAsync(ct);
        order.Status = SealOrderStatus.Sealed;
        order.SealNumber = sealNumber;
        order.ParkingPlace = parkingPlace.Trim();
        order.SealedAt = now;
        order.SealedBy = caller.Username;
        order.Late = now > schedule.SealDeadline;
        db.AuditAs(order, "Seal");
        // The seal settles with a disposal under the vehicle's version: whichever saves second finds the version moved
        // and writes nothing, so a car is never both disposed and sealed.
        db.Entry(vehicle).Property(v => v.Version).IsModified = true;
        db.AuditAs(vehicle, "Seal");
        if (order.Late) await OpenDeadlineMissedAsync(db, schedule, order, ct);
        if (await db.SaveAsync(new CodedText("SealUp.SealedMeanwhile", ("seal", sealNumber)), ct) is { } lost) return lost;
        await transaction.CommitAsync(ct);
        return order;
    }

    /// <summary>
    /// Why a vehicle may not be disposed of now: an order under a schedule not yet over that still expects the car
    /// sealed (pending, overdue) or holds it sealed. Null when none does. The disposal then saves under the vehicle's
    /// version, which a seal arriving meanwhile moves (<see cref="SealAsync"/>).
    /// </summary>
    public async Task<Refusal?> HoldsFromDisposalAsync(Guid vehicleId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var held = await db.SealOrders.AsNoTracking()
            .Where(o => o.VehicleId == vehicleId && (o.Status == SealOrderStatus.Pending || o.Status == SealOrderStatus.Overdue || o.Status == SealOrderStatus.Sealed))
            .Join(db.SealUpSchedules.Where(s => now < s.ReleaseAt), o => o.ScheduleId, s => s.Id, (o, s) => new { o.Status, s.SealDeadline, s.ReleaseAt, s.HolidayId })
            .Join(db.Holidays, x => x.HolidayId, h => h.Id, (x, h) => new { x.Status, x.SealDeadline, x.ReleaseAt, h.Name })
            .OrderBy(x => x.ReleaseAt).FirstOrDefaultAsync(ct);
        if (held is null) return null;
        var release = Minute(local.ToLocal(held.ReleaseAt));
        return held.Status == SealOrderStatus.Sealed
            ? Refusal.Conflict("SealUp.SealedNotDisposed", ("holiday", held.Name), ("at", release))
            : now < held.SealDeadline
                // A car retired before the holiday goes the way of one needed over it: an inspector approves the exemption.
                ? Refusal.Conflict("SealUp.PendingNotDisposed", ("holiday", held.Name))
                : Refusal.Conflict("SealUp.OverdueNotDisposed", ("holiday", held.Name), ("at", release));
    }

    /// <summary>
    /// A sealed car is released at the schedule's release time, not before: releasing early would let a unit seal,
    /// drive and still count as compliant. A car needed earlier goes through an exemption.
    /// </summary>
    public async Task<Outcome<SealOrder>> ReleaseAsync(Caller caller, Guid scheduleId, Guid vehicleId, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin, Role.VehicleAdmin) is { } forbidden) return forbidden;
        var now = clock.GetUtcNow().UtcDateTime;
        var found = await FindOrderAsync(caller, scheduleId, vehicleId, now, ct);
        if (found.Refusal is { } refused) return refused;
        var (schedule, order) = found.Value;
        if (order.Status != SealOrderStatus.Sealed)
            return Refusal.Conflict("SealUp.NotReleasable", ("status", order.Status));
        if (now < schedule.ReleaseAt)
            return Refusal.Conflict("SealUp.ReleaseTooEarly", ("at", Minute(local.ToLocal(schedule.ReleaseAt))),
                ("releaseAt", schedule.ReleaseAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
        order.Status = SealOrderStatus.Released;
        order.ReleasedAt = now;
        db.AuditAs(order, "Release");
        return await db.SaveAsync(new CodedText("SealUp.OrderChanged"), ct) is { } lost ? lost : order;
    }

    /// <summary>
    /// A unit asks for a vehicle to stay in service over the holiday, or (for a car already sealed) to be released
    /// early. One open request per order: a unique index settles two arriving together.
    /// </summary>
    public async Task<Outcome<Exemption>> RequestExemptionAsync(Caller caller, Guid scheduleId, Guid vehicleId, string reason, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin, Role.VehicleAdmin) is { } forbidden) return forbidden;
        var now = clock.GetUtcNow().UtcDateTime;
        var found = await FindOrderAsync(caller, scheduleId, vehicleId, now, ct);
        if (found.Refusal is { } refused) return refused;
        var (schedule, order) = found.Value;
        if (now >= schedule.ReleaseAt) return Refusal.Conflict("SealUp.HolidayOver");
        if (order.Status is not (SealOrderStatus.Pending or SealOrderStatus.Overdue or SealOrderStatus.Sealed))
            return Refusal.Conflict("SealUp.NotExemptible", ("status", order.Status));
        // Asked after the deadline for a car never sealed, an exemption would turn a missed deadline into "exempted".
        if (order.Status != SealOrderStatus.Sealed && now >= schedule.SealDeadline)
            return Refusal.Conflict("SealUp.DeadlinePassed", ("at", Minute(local.ToLocal(schedule.SealDeadline))));
        var open = new CodedText("SealUp.ExemptionOpen");
        if (await db.Exemptions.AnyAsync(e => e.SealOrderId == order.Id && e.Status == ExemptionStatus.Requested, ct))
            return Refusal.Conflict(open);
        var exemption = new Exemption
        {
            SealOrderId = order.Id,
            ScheduleId = scheduleId,
            VehicleId = order.VehicleId,
            UnitId = order.UnitId,
            Reason = reason.Trim(),
            Status = ExemptionStatus.Requested,
            RequestedAt = now,
            RequestedBy = caller.Username,
        };
        db.Exemptions.Add(exemption);
        return await db.SaveAsync(open, ct) is { } lost ? lost : exemption;
    }

    /// <summary>
    /// An inspector decides. Approval exempts a vehicle not yet sealed, or releases a sealed one early
    /// (<see cref="SealOrder.ReleasedEarly"/>), which counts as exempted, not as sealed on time.
    /// </summary>
    public async Task<Outcome<Exemption>> DecideAsync(Caller caller, Guid exemptionId, bool approve, string? note, CancellationToken ct)
    {
        if (caller.Unless(Role.Admin, Role.Inspector) is { } forbidden) return forbidden;
        if (note is { Length: > 1000 }) return Refusal.Invalid("note", "SealUp.NoteTooLong");
        if (PlainText.Problem(note, multiLine: true) is { } notPlain) return Refusal.Invalid("note", notPlain);
        var exemption = await db.Exemptions.FirstOrDefaultAsync(e => e.Id == exemptionId, ct);
        if (exemption is null) return Refusal.NotFound("SealUp.ExemptionNotFound");
        if (exemption.Status != ExemptionStatus.Requested) return Refusal.Conflict("SealUp.ExemptionDecided", ("status", exemption.Status));
        var order = await db.SealOrders.FirstAsync(o => o.Id == exemption.SealOrderId, ct);
        var schedule = await db.SealUpSchedules.AsNoTracking().FirstAsync(s => s.Id == exemption.ScheduleId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (approve)
        {
            if (order.Status is SealOrderStatus.Pending or SealOrderStatus.Overdue)
            {
                order.Status = SealOrderStatus.Exempted;
                db.AuditAs(order, "Exempt");
                // Asked before the deadline (the only time it can be), decided after: the deadline was not missed.
                if (await db.Violations.FirstOrDefaultAsync(v => v.Id == order.Id && v.Status == ViolationStatus.Open, ct) is { } missed)
                    ViolationRules.Close(db, missed, ViolationStatus.Dismissed, caller.Username,
                        new CodedText("SealUp.ExemptedReason", ("id", exemption.Id)).English, now);
            }
            else if (order.Status == SealOrderStatus.Sealed && now < schedule.ReleaseAt)
            {
                order.Status = SealOrderStatus.Released;
                order.ReleasedAt = now;
                order.ReleasedEarly = true;
                db.AuditAs(order, "ReleaseEarly");
            }
            else
            {
                return Refusal.Conflict("SealUp.NoLongerExemptible", ("status", order.Status));
            }
        }
        exemption.Status = approve ? ExemptionStatus.Approved : ExemptionStatus.Rejected;
        exemption.DecidedAt = now;
        exemption.DecidedBy = caller.Username;
        exemption.DecisionNote = note?.Trim();
        db.AuditAs(exemption, approve ? "Approve" : "Reject");
        return await db.SaveAsync(new CodedText("SealUp.ExemptionChanged"), ct) is { } lost ? lost : exemption;
    }

    /// <summary>
    /// A broken seal or a missing car breaches the vehicle's order that was sealed at the time of the check: sealed
    /// before it, and not yet released (at the release time, or early through an exemption). What counts is when the
    /// inspector saw it, not when it was entered: a check entered after the release time still breaches the holiday.
    /// </summary>
    public async Task BreachAsync(SpotCheck check, CancellationToken ct)
    {
        if (check.VehicleId is null || !Breaches(check.Finding)) return;
        var at = check.CheckedAt;
        var orders = await db.SealOrders
            .Where(o => o.VehicleId == check.VehicleId && (o.Status == SealOrderStatus.Sealed || o.Status == SealOrderStatus.Released))
            .Where(o => o.SealedAt <= at && (o.ReleasedAt == null || at < o.ReleasedAt))
            .Where(o => db.SealUpSchedules.Any(s => s.Id == o.ScheduleId && at < s.ReleaseAt))
            .ToListAsync(ct);
        foreach (var order in orders)
        {
            order.Status = SealOrderStatus.Breached;
            order.BreachedAt = at;
            order.BreachedBy = check.Id;
            db.AuditAs(order, "Breach");
        }
    }

    /// <summary>
    /// A check that breached an order was a mistake: the order goes back to what it was (Sealed; Released once released),
    /// unless another check that stands (the correction itself, or one not corrected) saw the same car's seal broken
    /// while it was sealed: then the order stays breached, from that check's time.
    /// </summary>
    public async Task RestoreAfterCorrectionAsync(Guid correctedId, SpotCheck correction, CancellationToken ct)
    {
        var orders = await db.SealOrders.Where(o => o.BreachedBy == correctedId && o.Status == SealOrderStatus.Breached).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var order in orders)
        {
            var schedule = await db.SealUpSchedules.AsNoTracking().FirstAsync(s => s.Id == order.ScheduleId, ct);
            var sealedUntil = order.ReleasedEarly ? order.ReleasedAt!.Value : schedule.ReleaseAt;
            var other = correction.VehicleId == order.VehicleId && Breaches(correction.Finding) && correction.CheckedAt >= order.SealedAt && correction.CheckedAt < sealedUntil
                ? new { correction.Id, correction.CheckedAt }
                : await db.SpotChecks.AsNoTracking()
                    .Where(s => s.VehicleId == order.VehicleId && s.Id != correctedId && s.CheckedAt >= order.SealedAt && s.CheckedAt < sealedUntil)
                    .Where(s => s.Finding == SpotCheckFinding.SealBroken || s.Finding == SpotCheckFinding.VehicleMissing)
                    .Where(s => !db.SpotChecks.Any(c => c.CorrectsId == s.Id))
                    .OrderBy(s => s.CheckedAt).Select(s => new { s.Id, s.CheckedAt }).FirstOrDefaultAsync(ct);
            if (other is not null)
            {
                order.BreachedBy = other.Id;
                order.BreachedAt = other.CheckedAt;
                db.AuditAs(order, "Breach");
                continue;
            }
            if (!order.ReleasedEarly) order.ReleasedAt = now >= schedule.ReleaseAt ? schedule.ReleaseAt : null;
            order.Status = order.ReleasedAt is null ? SealOrderStatus.Sealed : SealOrderStatus.Released;
            order.BreachedAt = null;
            order.BreachedBy = null;
            db.AuditAs(order, "Restore");
        }
    }

    /// <summary>The schedules whose seal deadline falls within the next <paramref name="daysBefore"/> days: the ones to remind of.</summary>
    public async Task<IReadOnlyList<ScheduleToRemind>> SchedulesToRemindAsync(DateTime now, int daysBefore, CancellationToken ct)
    {
        var horizon = now.AddDays(daysBefore);
        return await db.SealUpSchedules.AsNoTracking()
            .Where(s => s.SealDeadline > now && s.SealDeadline <= horizon)
            .Join(db.Holidays, s => s.HolidayId, h => h.Id, (s, h) => new ScheduleToRemind(s.Id, h.Name, s.SealDeadline))
            .ToListAsync(ct);
    }

    /// <summary>Who is reminded of a schedule: the units with vehicles still to seal (pending orders) and no reminder yet.</summary>
    public Task<List<Guid>> UnitsToRemindAsync(Guid scheduleId, CancellationToken ct) =>
        db.SealOrders.AsNoTracking()
            .Where(o => o.ScheduleId == scheduleId && o.Status == SealOrderStatus.Pending)
            .Where(o => !db.Reminders.Any(r => r.ScheduleId == scheduleId && r.UnitId == o.UnitId))
            .Select(o => o.UnitId).Distinct().ToListAsync(ct);

    /// <summary>What each of <paramref name="units"/> (a batch of <see cref="UnitsToRemindAsync"/>) is reminded of: its name, its cars still to seal, its vehicle administrators.</summary>
    public async Task<IReadOnlyList<UnitToRemind>> RemindersForAsync(Guid scheduleId, IReadOnlyCollection<Guid> units, CancellationToken ct)
    {
        var plates = (await db.SealOrders.AsNoTracking()
            .Where(o => o.ScheduleId == scheduleId && o.Status == SealOrderStatus.Pending && units.Contains(o.UnitId))
            .Join(db.Vehicles, o => o.VehicleId, v => v.Id, (o, v) => new { o.UnitId, v.PlateNumber })
            .ToListAsync(ct)).ToLookup(x => x.UnitId, x => x.PlateNumber);
        var names = await db.Units.Where(u => units.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var admins = (await db.Users.AsNoTracking().Where(u => u.Role == Role.VehicleAdmin && !u.Disabled && units.Contains(u.UnitId!.Value))
            .Select(u => new { u.UnitId, u.Username }).ToListAsync(ct)).ToLookup(u => u.UnitId!.Value, u => u.Username);
        return [.. units.Select(id => new UnitToRemind(id, names[id], [.. plates[id].Order()], [.. admins[id]]))];
    }

    /// <summary>The people a unit's reminder goes to: its enabled vehicle administrators.</summary>
    public async Task<IReadOnlyList<UnitAdmin>> UnitAdminsAsync(Guid unitId, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.Role == Role.VehicleAdmin && !u.Disabled && u.UnitId == unitId)
            .OrderBy(u => u.Username).Select(u => new UnitAdmin(u.Username, u.Phone)).ToListAsync(ct);

    /// <summary>
    /// What counts as compliant, per unit of one schedule, ordered by unit code: a vehicle sealed on time and later
    /// released counts as on time; a breached seal does not; released early through an exemption counts as exempted,
    /// never as sealed on time. On SQLite the database keeps a count of each schedule's orders per unit and state
    /// (<see cref="SealOrderCount"/>, moved by triggers with every change of an order), so this reads a few rows per
    /// unit instead of counting a province's million orders (0.49 → 0.18 s, README); the server databases count the
    /// orders by unit and state from a covering index. The groups are folded into the columns here.
    /// </summary>
    public static async Task<List<UnitCompliance>> ComplianceAsync(FleetDbContext db, Guid scheduleId, CancellationToken ct)
    {
        var counted = !Provider.Of(db).KeepsSealOrderCounts
            ? db.SealOrders.AsNoTracking().Where(o => o.ScheduleId == scheduleId)
                .GroupBy(o => new { o.UnitId, o.Status, o.Late, o.ReleasedEarly })
                .Select(g => new { g.Key.UnitId, g.Key.Status, g.Key.Late, g.Key.ReleasedEarly, Orders = g.Count() })
            : db.SealOrderCounts.AsNoTracking().Where(c => c.ScheduleId == scheduleId && c.Orders > 0)
                .Select(c => new { c.UnitId, c.Status, c.Late, c.ReleasedEarly, c.Orders });
        var groups = await counted
            .Join(db.Units, g => g.UnitId, u => u.Id, (g, u) => new { g.UnitId, u.Code, u.Name, g.Status, g.Late, g.ReleasedEarly, Count = g.Orders })
            // Ordered by the database, in its collation, as the report's other sheets are; grouping below keeps the order.
            .OrderBy(g => g.Code)
            .ToListAsync(ct);
        return groups.GroupBy(g => (g.UnitId, g.Code, g.Name))
            .Select(unit =>
            {
                int inScope = 0, onTime = 0, late = 0, exempted = 0, overdue = 0, breached = 0, pending = 0;
                foreach (var g in unit)
                {
                    inScope += g.Count;
                    var sealedOnce = g.Status is SealOrderStatus.Sealed or SealOrderStatus.Released;
                    // Released early through an exemption counts as exempted, never as sealed on time.
                    if (sealedOnce && !g.ReleasedEarly) { if (g.Late) late += g.Count; else onTime += g.Count; }
                    if (g.Status == SealOrderStatus.Exempted || (g.Status == SealOrderStatus.Released && g.ReleasedEarly)) exempted += g.Count;
                    if (g.Status == SealOrderStatus.Overdue) overdue += g.Count;
                    if (g.Status == SealOrderStatus.Breached) breached += g.Count;
                    if (g.Status == SealOrderStatus.Pending) pending += g.Count;
                }
                return new UnitCompliance(unit.Key.UnitId, unit.Key.Code, unit.Key.Name, inScope, onTime, late, exempted, overdue, breached, pending);
            })
            .ToList();
    }

    /// <summary>How many orders a schedule has (from the kept counts where the database keeps them).</summary>
    public static async Task<int> OrdersInAsync(FleetDbContext db, Guid scheduleId, CancellationToken ct) => !Provider.Of(db).KeepsSealOrderCounts
        ? await db.SealOrders.AsNoTracking().CountAsync(o => o.ScheduleId == scheduleId, ct)
        : await db.SealOrderCounts.AsNoTracking().Where(c => c.ScheduleId == scheduleId).SumAsync(c => c.Orders, ct);

    public static bool Breaches(SpotCheckFinding finding) => finding is SpotCheckFinding.SealBroken or SpotCheckFinding.VehicleMissing;

    /// <summary>
    /// The order of a vehicle the caller may act for. A vehicle that should have an order the job has not made yet
    /// gets one here, tracked only: it is written with the change that needed it, and not at all when that is refused.
    /// </summary>
    private async Task<Outcome<(SealUpSchedule Schedule, SealOrder Order)>> FindOrderAsync(Caller caller, Guid scheduleId, Guid vehicleId, DateTime now, CancellationToken ct)
    {
        var schedule = await db.SealUpSchedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == scheduleId, ct);
        if (schedule is null) return Refusal.NotFound("SealUp.ScheduleNotFound");
        var order = await db.SealOrders.VisibleTo(caller).FirstOrDefaultAsync(o => o.ScheduleId == scheduleId && o.VehicleId == vehicleId, ct);
        if (order is null)
        {
            var vehicle = await db.Vehicles.AsNoTracking().VisibleTo(caller)
                .Where(v => v.Id == vehicleId && v.Status == VehicleStatus.Active && v.RegisteredAt < schedule.SealDeadline)
                .Where(v => schedule.AllUnits || db.SealUpScheduleUnits.Any(su => su.ScheduleId == scheduleId && su.UnitId == v.UnitId))
                .FirstOrDefaultAsync(ct);
            if (vehicle is not null) order = db.SealOrders.Add(SealOrderSets.NewOrder(schedule, vehicle, now)).Entity;
        }
        return order is null ? Refusal.NotFound("SealUp.VehicleOrderNotFound") : (schedule, order);
    }

    /// <summary>The same violation the reconcile job opens for a missed deadline, under the same id (the order's), so it exists once.</summary>
    public static async Task OpenDeadlineMissedAsync(FleetDbContext db, SealUpSchedule schedule, SealOrder order, CancellationToken ct)
    {
        if (await db.Violations.AnyAsync(v => v.Id == order.Id, ct)) return;
        var plate = await db.Vehicles.Where(v => v.Id == order.VehicleId).Select(v => v.PlateNumber).FirstAsync(ct);
        db.Violations.Add(new Violation
        {
            Id = order.Id,
            Type = ViolationType.SealDeadlineMissed,
            VehicleId = order.VehicleId,
            PlateNumber = plate,
            UnitId = order.UnitId,
            DetectedAt = schedule.SealDeadline,
            Source = ViolationSource.SealUpJob,
            SourceId = order.Id,
            Status = ViolationStatus.Open,
        });
    }
}
