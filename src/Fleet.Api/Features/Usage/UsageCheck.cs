using Fleet.Api.Features.Jobs;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Fleet.Api.Features.Usage;

/// <summary>The "Fleet:UsageCheck" configuration section.</summary>
public class UsageCheckOptions
{
    /// <summary>Whether usage outside working hours opens <see cref="ViolationType.OffHoursUse"/> for inspectors to look at. Off by default.</summary>
    public bool OffHoursEnabled { get; set; }
    /// <summary>Working hours, local time, every day.</summary>
    public TimeOnly WorkdayStart { get; set; } = new(8, 0);
    public TimeOnly WorkdayEnd { get; set; } = new(18, 0);
    /// <summary>
    /// A trip or toll passage that began before the seal counts when it ended more than this many minutes after it: the
    /// car was moving while sealed. Within it, it is the drive to the parking place, its end logged after the seal was.
    /// </summary>
    public int SealGraceMinutes { get; set; } = 30;
    /// <summary>
    /// How long after its release a schedule is still checked by the hourly job. An import checks whatever schedule its
    /// records fall in, however old; the job only catches up on what an import's check did not finish.
    /// </summary>
    public int SealLookbackDays { get; set; } = 62;
    /// <summary>How far back (by the record's time) a run looks for records off working hours.</summary>
    public int OffHoursLookbackDays { get; set; } = 62;
}

/// <summary>What one check opened and listed.</summary>
public sealed record UsageChecked(int ViolationsOpened, int RecordsListed);

/// <summary>
/// Checks the records cars leave behind against every seal: a usage record inside a vehicle's sealed window (from its
/// seal until the schedule's release time, or until an approved early release or exemption released it): one that
/// starts in it, or one that started before the seal and ended more than <see cref="UsageCheckOptions.SealGraceMinutes"/> after it,
/// opens one <see cref="ViolationType.UsedWhileSealed"/> violation per vehicle and schedule (keyed by the seal order),
/// and each such record is listed on it as evidence. Level-triggered and idempotent: a run lists only what is not yet
/// listed, and a record imported later joins the vehicle's violation for that schedule, even once it is closed.
/// Run by the recurring job and by each import for the schedules its records can touch.
/// </summary>
public sealed class UsageCheck(FleetDbContext db, TimeProvider clock, LocalTime local, Fleet.Data.Auditing.IAuditActor actor, IOptions<UsageCheckOptions> options, ILogger<UsageCheck> logger)
{
    public const string Id = "usage-check";

    [DisableConcurrentExecution(timeoutInSeconds: 1800)]
    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(CancellationToken ct)
    {
        var done = await CheckAsync(null, null, ct);
        if (done.ViolationsOpened + done.RecordsListed > 0)
            logger.LogInformation("Usage check: {Opened} violations opened, {Listed} records listed", done.ViolationsOpened, done.RecordsListed);
    }

    /// <summary>Checks the schedules whose sealed windows can hold a record started in [from, to] (every schedule when open).</summary>
    public async Task<UsageChecked> CheckAsync(DateTime? from, DateTime? to, CancellationToken ct)
    {
        // Its audit entries name the job, whoever started it (an import runs it too).
        using var _ = AuditActor.RunAs(JobsModule.Actor(Id));
        var now = clock.GetUtcNow().UtcDateTime;
        var schedules = db.SealUpSchedules.AsNoTracking().Where(s => s.PublishedAt <= now);
        if (from is not null) schedules = schedules.Where(s => s.ReleaseAt > from);
        else
        {
            var releasedSince = now.AddDays(-options.Value.SealLookbackDays);
            schedules = schedules.Where(s => s.ReleaseAt > releasedSince);
        }
        // A record may have started up to 48 hours before the seal it ran into.
        if (to is not null)
        {
            var publishedBy = to.Value + UsageSheet.MaxDuration;
            schedules = schedules.Where(s => s.PublishedAt <= publishedBy);
        }
        var total = new UsageChecked(0, 0);
        foreach (var schedule in await schedules.OrderBy(s => s.SealDeadline).ToListAsync(ct))
        {
            var done = new UsageChecked(0, 0);
            await SetBased.RetryRacesAsync(db, async () => done = await CheckScheduleAsync(schedule, from, to, now, ct), ct);
            total = new(total.ViolationsOpened + done.ViolationsOpened, total.RecordsListed + done.RecordsListed);
        }
        if (options.Value.OffHoursEnabled)
        {
            var done = new UsageChecked(0, 0);
            await SetBased.RetryRacesAsync(db, async () => done = await CheckOffHoursAsync(from, to, now, ct), ct);
            total = new(total.ViolationsOpened + done.ViolationsOpened, total.RecordsListed + done.RecordsListed);
        }
        return total;
    }

    private sealed record Match(Guid OrderId, Guid VehicleId, Guid UnitId, Guid RecordId, string PlateNumber, DateTime StartedAt, DateTime SealedAt, DateTime Until);

    private async Task<UsageChecked> CheckScheduleAsync(SealUpSchedule schedule, DateTime? from, DateTime? to, DateTime now, CancellationToken ct)
    {
        var releaseAt = schedule.ReleaseAt;
        // Records inside a sealed window not yet listed on that order's violation. Driven by time: the records of the
        // schedule's days (the StartedAt index; no car is sealed before its schedule is published, and no record lasts
        // more than 48 hours, so none that ran into a seal started earlier), each with its car's
        // order for the schedule (a unique index). Records have no index by car: at ten million a month, one is a
        // random write per record, a third of an import's time.
        // Schedules are published weeks ahead and cars sealed in the last days: a run over the whole schedule (the
        // hourly job) starts at its first seal.
        var since = schedule.PublishedAt;
        if (from is null)
        {
            if (await db.SealOrders.Where(o => o.ScheduleId == schedule.Id && o.SealedAt != null).MinAsync(o => o.SealedAt, ct) is not { } firstSeal) return new(0, 0);
            since = firstSeal;
        }
        var records = db.UsageRecords.Where(u => u.StartedAt >= since.Add(-UsageSheet.MaxDuration) && u.StartedAt < releaseAt);
        var grace = options.Value.SealGraceMinutes;
        if (from is not null) records = records.Where(u => u.StartedAt >= from);
        if (to is not null) records = records.Where(u => u.StartedAt <= to);
        var matches = await (
            from u in records
            join o in db.SealOrders on new { u.VehicleId, ScheduleId = schedule.Id } equals new { o.VehicleId, o.ScheduleId }
            where o.SealedAt != null && u.StartedAt < (o.ReleasedEarly ? o.ReleasedAt!.Value : releaseAt)
                && (u.StartedAt >= o.SealedAt || u.EndedAt.AddMinutes(-grace) > o.SealedAt)
            where !db.ViolationUsages.Any(l => l.UsageRecordId == u.Id && db.Violations.Any(v => v.Id == l.ViolationId && v.SourceId == o.Id && v.Type == ViolationType.UsedWhileSealed))
            select new Match(o.Id, o.VehicleId, o.UnitId, u.Id, u.PlateNumber, u.StartedAt, o.SealedAt!.Value, o.ReleasedEarly ? o.ReleasedAt!.Value : releaseAt))
            .AsNoTracking().ToListAsync(ct);
        if (matches.Count == 0) return new(0, 0);

        var opened = await OpenOrListAsync(matches.GroupBy(m => Key(m.OrderId)), m => m.RecordId, (records, first) => new Violation
        {
            Type = ViolationType.UsedWhileSealed,
            VehicleId = first.VehicleId,
            PlateNumber = first.PlateNumber,
            UnitId = first.UnitId,
            DetectedAt = now,
            Source = ViolationSource.UsageCheck,
            SourceId = first.OrderId,
            Status = ViolationStatus.Open,
            Notes = $"封存期间（{local.ToLocal(first.SealedAt):yyyy-MM-dd HH:mm}至{local.ToLocal(first.Until):yyyy-MM-dd HH:mm}）有用车记录，" +
                $"首条记录时间 {local.ToLocal(records.Min(r => r.StartedAt)):yyyy-MM-dd HH:mm}。",
        }, ct);
        return new(opened, matches.Count);
    }

    /// <summary>
    /// In one transaction: for each group (keyed by its violation's dedup key), the violation it belongs to, opened
    /// when there is none yet, and its records listed on it; each insert audited as the job's. Returns how many were opened.
    /// </summary>
    private async Task<int> OpenOrListAsync<T>(IEnumerable<IGrouping<string, T>> groups, Func<T, Guid> recordId, Func<IGrouping<string, T>, T, Violation> open, CancellationToken ct)
    {
        await using var work = await UnitOfWork.BeginAsync(db, ct);
        var opened = 0;
        using (var inserter = new RowInserter(db, actor, clock))
        {
            foreach (var chunk in groups.Chunk(500))
            {
                var keys = chunk.Select(g => g.Key).ToList();
                var existing = await db.Violations.AsNoTracking().Where(v => keys.Contains(v.DedupKey!)).ToDictionaryAsync(v => v.DedupKey!, v => v.Id, ct);
                foreach (var group in chunk)
                {
                    if (!existing.TryGetValue(group.Key, out var violationId))
                    {
                        var violation = open(group, group.First());
                        violation.DedupKey = group.Key;
                        await inserter.InsertAsync(violation, ct);
                        violationId = violation.Id;
                        opened++;
                    }
                    foreach (var record in group)
                        await inserter.InsertAsync(new ViolationUsage { ViolationId = violationId, UsageRecordId = recordId(record) }, ct);
                }
            }
        }
        await work.CommitAsync(ct);
        return opened;
    }

    /// <summary>One UsedWhileSealed violation per seal order, that is per vehicle and schedule.</summary>
    public static string Key(Guid orderId) => $"UsedWhileSealed:{orderId:D}";

    private static string OffHoursKey(Guid vehicleId, DateOnly day) => $"OffHoursUse:{vehicleId:D}:{day:yyyy-MM-dd}";

    /// <summary>
    /// Records that start or end outside working hours (local time, any day), not yet listed on an off-hours violation:
    /// one <see cref="ViolationType.OffHoursUse"/> per vehicle and local day of the record's start.
    /// </summary>
    private async Task<UsageChecked> CheckOffHoursAsync(DateTime? from, DateTime? to, DateTime now, CancellationToken ct)
    {
        // A day at a time, each in its own transaction: a province's day is a third of a million records, its lookback
        // twenty million. A car's local day that spans two of these days is one violation: the second day finds the first's.
        var since = from ?? now.AddDays(-options.Value.OffHoursLookbackDays);
        var until = to ?? now.AddDays(1);
        var total = new UsageChecked(0, 0);
        for (var day = since; day <= until; day = day.AddDays(1))
        {
            var next = day.AddDays(1);
            var done = await CheckOffHoursAsync(day, next > until ? until : next, next > until, now, ct);
            total = new(total.ViolationsOpened + done.ViolationsOpened, total.RecordsListed + done.RecordsListed);
        }
        return total;
    }

    /// <summary>The records started in [from, to) (or [from, to] for the last day) off working hours, not yet listed.</summary>
    private async Task<UsageChecked> CheckOffHoursAsync(DateTime from, DateTime to, bool toIncluded, DateTime now, CancellationToken ct)
    {
        var o = options.Value;
        var records = db.UsageRecords.AsNoTracking().Where(u => u.StartedAt >= from);
        records = toIncluded ? records.Where(u => u.StartedAt <= to) : records.Where(u => u.StartedAt < to);
        records = records.Where(u => !db.ViolationUsages.Any(l => l.UsageRecordId == u.Id && db.Violations.Any(v => v.Id == l.ViolationId && v.Type == ViolationType.OffHoursUse)));
        var found = new List<(UsageRecord Record, DateOnly Day)>();
        await foreach (var u in records.Select(u => new UsageRecord { Id = u.Id, VehicleId = u.VehicleId, UnitId = u.UnitId, PlateNumber = u.PlateNumber, StartedAt = u.StartedAt, EndedAt = u.EndedAt })
            .AsAsyncEnumerable().WithCancellation(ct))
        {
            var start = local.ToLocal(u.StartedAt);
            var end = local.ToLocal(u.EndedAt);
            var inHours = start.Date == end.Date && TimeOnly.FromDateTime(start) >= o.WorkdayStart && TimeOnly.FromDateTime(end) <= o.WorkdayEnd;
            if (!inHours) found.Add((u, DateOnly.FromDateTime(start)));
        }
        if (found.Count == 0) return new(0, 0);

        var opened = await OpenOrListAsync(found.GroupBy(f => OffHoursKey(f.Record.VehicleId, f.Day)), f => f.Record.Id, (_, first) => new Violation
        {
            Type = ViolationType.OffHoursUse,
            VehicleId = first.Record.VehicleId,
            PlateNumber = first.Record.PlateNumber,
            UnitId = first.Record.UnitId,
            DetectedAt = now,
            Source = ViolationSource.UsageCheck,
            Status = ViolationStatus.Open,
            Notes = $"{first.Day:yyyy-MM-dd} 工作时间（{o.WorkdayStart:HH:mm}至{o.WorkdayEnd:HH:mm}）以外有用车记录，请核实。",
        }, ct);
        return new(opened, found.Count);
    }
}

/// <summary>The usage area's jobs.</summary>
public static class UsageJobs
{
    public static IServiceCollection AddUsageJobs(this IServiceCollection services) =>
        services.AddFleetJob<UsageCheck>(UsageCheck.Id,
            new JobText("用车记录核查", "用加油、通行费和定位记录核对每次封存：封存期间仍有使用记录的车辆开具违规（启用时也列出非工作时间用车）。"), o => o.UsageCheckCron, j => j.RunAsync(CancellationToken.None), "usage-check");
}
