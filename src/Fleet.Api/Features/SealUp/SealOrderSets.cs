using Fleet.Data.Auditing;

namespace Fleet.Api.Features.SealUp;

// Interpolated here are only fragments from this code (dialect snippets, enum names, column lists); values go as parameters.
#pragma warning disable EF1002

/// <summary>
/// The set-based statements behind publishing and the reconcile job. Each one is level-triggered: it changes only
/// rows not yet in the state it makes, so running it twice, or late, changes nothing more. Each writes its own audit
/// entries (the change tracker is bypassed) and must run inside the caller's transaction.
/// Timestamps derive from the schedule (deadline, release time), not from when the job happened to run.
/// </summary>
public sealed class SealOrderSets(FleetDbContext db, IAuditActor actor, ScopeClock clock, RootRegion root)
{
    /// <summary>
    /// Orders for every active in-scope vehicle registered before the deadline that has none yet. The vehicles read
    /// stay held to the commit (<see cref="Provider.HoldRead"/>): a disposal meanwhile waits and then finds the order
    /// (VehicleRules.DisposeAsync takes the vehicle's row before it looks), and one committed first is not read as active.
    /// </summary>
    public async Task<int> CreateMissingAsync(SealUpSchedule schedule, DateTime now, CancellationToken ct)
    {
        var exempt = Categories(schedule.ExemptCategories);
        var exemptList = exempt.Count == 0 ? "''" : string.Join(",", exempt.Select(c => $"'{c}'"));
        var (hint, clause) = Provider.Of(db).HoldRead("v");
        // A schedule covers its region's subtree; the root's covers every unit and needs no range.
        var published = RegionScope.Of(schedule.RegionCode);
        var created = await db.Database.ExecuteSqlRawAsync(SetBased.Dialect(db, $$"""
            INSERT INTO [SealOrders] ([Id], [ScheduleId], [VehicleId], [UnitId], [Status], [Late], [ReleasedEarly], [CreatedAt], [Version])
            SELECT {{SetBased.NewId(db, "v.rowid")}}, {0}, v.[Id], v.[UnitId],
                   CASE WHEN v.[Category] IN ({{exemptList}}) THEN 'Exempted' ELSE 'Pending' END, {{SetBased.Bool(db, false)}}, {{SetBased.Bool(db, false)}}, {1}, 0
            FROM [Vehicles] v {{hint}}
            WHERE v.[Status] = 'Active' AND v.[RegisteredAt] < {2}
              AND ({3} = {{SetBased.Bool(db, true)}} OR v.[UnitId] IN (SELECT su.[UnitId] FROM [SealUpScheduleUnits] su WHERE su.[ScheduleId] = {0}))
              {{(schedule.RegionCode == root.Code ? "" : "AND v.[UnitId] IN (SELECT u.[Id] FROM [Units] u WHERE u.[RegionCode] BETWEEN {4} AND {5})")}}
              AND NOT EXISTS (SELECT 1 FROM [SealOrders] o WHERE o.[ScheduleId] = {0} AND o.[VehicleId] = v.[Id])
            {{clause}}
            """), [schedule.Id, now, schedule.SealDeadline, schedule.AllUnits, published.Low, published.High], ct);
        if (created > 0)
        {
            await AuditAsync("SealOrder", "Create", "[SealOrders] x", $"x.[ScheduleId] = {{0}} AND x.[CreatedAt] = {{1}}",
                null, NewOrderJson(now), [schedule.Id, now], ct);
        }
        return created;
    }

    /// <summary>Pending after the deadline becomes Overdue.</summary>
    public Task<int> MarkOverdueAsync(SealUpSchedule schedule, CancellationToken ct) =>
        MoveAllAsync(schedule, SealOrderStatus.Pending, SealOrderStatus.Overdue, "Overdue", ("overdueAt", o => o.OverdueAt, schedule.SealDeadline), ct);

    /// <summary>
    /// One SealDeadlineMissed violation per order that missed the deadline (overdue, or sealed late). The violation's
    /// id is the order's id: the primary key itself keeps it to one, and finding the orders still without one is a
    /// key lookup. Audit entries first, from the very same rows, in the same transaction.
    /// </summary>
    public async Task<int> OpenDeadlineViolationsAsync(SealUpSchedule schedule, CancellationToken ct)
    {
        var missed = $"x.[ScheduleId] = {{0}} AND (x.[Status] = 'Overdue' OR x.[Late] = {SetBased.Bool(db, true)}) AND NOT EXISTS (SELECT 1 FROM [Violations] v WHERE v.[Id] = x.[Id])";
        await AuditAsync("Violation", "Create", "[SealOrders] x", missed, null, AuditShape.SqlObject(
            ("closeReason", "'null'"), ("closedAt", "'null'"), ("closedBy", "'null'"), ("dedupKey", "'null'"), ("detectedAt", AuditShape.Sql(schedule.SealDeadline)),
            ("id", Id("x.[Id]")), ("notes", "'null'"), ("plateNumber", AuditShape.SqlText("(SELECT p.[PlateNumber] FROM [Vehicles] p WHERE p.[Id] = x.[VehicleId])")),
            ("recordedBy", "'null'"), ("source", AuditShape.Sql("SealUpJob")), ("sourceId", Id("x.[Id]")), ("status", AuditShape.Sql("Open")),
            ("type", AuditShape.Sql("SealDeadlineMissed")), ("unitId", Id("x.[UnitId]")), ("vehicleId", Id("x.[VehicleId]")), ("version", "0")),
            [schedule.Id], ct);
        return await db.Database.ExecuteSqlRawAsync(SetBased.Dialect(db, $$"""
            INSERT INTO [Violations] ([Id], [Type], [VehicleId], [PlateNumber], [UnitId], [DetectedAt], [Source], [SourceId], [DedupKey], [Status], [Version])
            SELECT x.[Id], 'SealDeadlineMissed', x.[VehicleId], (SELECT p.[PlateNumber] FROM [Vehicles] p WHERE p.[Id] = x.[VehicleId]), x.[UnitId], {1},
                   'SealUpJob', x.[Id], NULL, 'Open', 0
            FROM [SealOrders] x
            WHERE {{missed}}
            """), [schedule.Id, schedule.SealDeadline], ct);
    }

    /// <summary>Sealed orders are released at the release time.</summary>
    public Task<int> ReleaseSealedAsync(SealUpSchedule schedule, CancellationToken ct) =>
        MoveAllAsync(schedule, SealOrderStatus.Sealed, SealOrderStatus.Released, "Release", ("releasedAt", o => o.ReleasedAt, schedule.ReleaseAt), ct);

    /// <summary>
    /// Every order of the schedule in <paramref name="from"/> moves to <paramref name="to"/>, stamped with the
    /// schedule's time (not the job's): audit entries first, from the very same rows, then the update.
    /// </summary>
    private async Task<int> MoveAllAsync(SealUpSchedule schedule, SealOrderStatus from, SealOrderStatus to, string action,
        (string Field, System.Linq.Expressions.Expression<Func<SealOrder, DateTime?>> Column, DateTime At) stamp, CancellationToken ct)
    {
        var rows = $"x.[ScheduleId] = {{0}} AND x.[Status] = '{from}'";
        await AuditAsync("SealOrder", action, "[SealOrders] x", rows,
            AuditShape.SqlObject((stamp.Field, AuditShape.Sql(null)), ("status", AuditShape.Sql(from.ToString())), ("version", "x.[Version]")),
            AuditShape.SqlObject((stamp.Field, AuditShape.Sql(stamp.At)), ("status", AuditShape.Sql(to.ToString())), ("version", "x.[Version] + 1")),
            [schedule.Id], ct);
        return await db.SealOrders
            .Where(o => o.ScheduleId == schedule.Id && o.Status == from)
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.Status, to)
                .SetProperty(stamp.Column, stamp.At)
                .SetProperty(o => o.Version, o => o.Version + 1), ct);
    }

    /// <summary>The order <see cref="CreateMissingAsync"/> would make for one vehicle, for a change that needs it before the job ran.</summary>
    public static SealOrder NewOrder(SealUpSchedule schedule, Vehicle vehicle, DateTime now) => new()
    {
        ScheduleId = schedule.Id,
        VehicleId = vehicle.Id,
        UnitId = vehicle.UnitId,
        Status = Categories(schedule.ExemptCategories).Contains(vehicle.Category) ? SealOrderStatus.Exempted : SealOrderStatus.Pending,
        CreatedAt = now,
    };

    public static IReadOnlyList<VehicleCategory> Categories(string stored) =>
        stored.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<VehicleCategory>).ToList();

    /// <summary>A created order's entry, every field, as the interceptor writes one.</summary>
    private string NewOrderJson(DateTime now) => AuditShape.SqlObject(
        ("breachedAt", "'null'"), ("breachedBy", "'null'"), ("createdAt", AuditShape.Sql(now)), ("id", Id("x.[Id]")), ("late", "'false'"),
        ("overdueAt", "'null'"), ("parkingPlace", "'null'"), ("releasedAt", "'null'"), ("releasedEarly", "'false'"), ("scheduleId", Id("x.[ScheduleId]")),
        ("sealNumber", "'null'"), ("sealedAt", "'null'"), ("sealedBy", "'null'"), ("status", AuditShape.SqlText("x.[Status]")), ("unitId", Id("x.[UnitId]")),
        ("vehicleId", Id("x.[VehicleId]")), ("version", "0"));

    private string Id(string column) => AuditShape.SqlText(SetBased.IdText(db, column));

    /// <summary>One audit entry per row that <paramref name="where"/> selects, with the actor and time of this run.</summary>
    private Task<int> AuditAsync(string entity, string action, string from, string where, string? before, string? after, object[] parameters, CancellationToken ct) =>
        SetBased.AuditAsync(db, actor.Name, clock.GetUtcNow().UtcDateTime, entity, action, from, where, before, after, parameters, ct);
}
