using Fleet.Api.Features.Jobs;
using Hangfire;

namespace Fleet.Api.Features.SealUp;

/// <summary>
/// Makes every open schedule's seal orders right for the clock: creates missing orders (vehicles registered before
/// the deadline), marks pending orders overdue after the deadline and opens their violations, releases sealed vehicles
/// after the release time, and moves the schedule's status on. Level-triggered and idempotent; one transaction per schedule.
/// </summary>
/// <remarks>
/// Moved from Fleet.Api.Features.Jobs: Hangfire stores a job's type by name. The recurring job (<see cref="Id"/>) is
/// re-registered at start and picks up this type; a run queued by an older release under the old name fails to
/// deserialize (delete it; the next run, two minutes on, does the same work).
/// </remarks>
public sealed class SealUpReconcile(FleetDbContext db, SealOrderSets sets, TimeProvider clock, ILogger<SealUpReconcile> logger)
{
    public const string Id = "sealup-reconcile";

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(CancellationToken ct)
    {
        using var _ = AuditActor.RunAs(JobsModule.Actor(Id));
        var now = clock.GetUtcNow().UtcDateTime;
        var open = await db.SealUpSchedules.Where(s => s.Status != ScheduleStatus.Closed).Select(s => s.Id).ToListAsync(ct);
        foreach (var scheduleId in open)
            await ReconcileAsync(scheduleId, now, ct);
    }

    public Task ReconcileAsync(Guid scheduleId, DateTime now, CancellationToken ct) =>
        SetBased.RetryRacesAsync(db, () => ReconcileOnceAsync(scheduleId, now, ct), ct);

    private async Task ReconcileOnceAsync(Guid scheduleId, DateTime now, CancellationToken ct)
    {
        await using var cache = await SetBased.LargeCacheAsync(db, ct);
        await using var transaction = await SetBased.BeginStableAsync(db, ct);
        var schedule = await db.SealUpSchedules.FirstAsync(s => s.Id == scheduleId, ct);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var steps = new List<string>();
        async Task<int> Step(string name, Func<Task<int>> run)
        {
            var rows = await run();
            steps.Add($"{name} {rows} in {watch.ElapsedMilliseconds} ms");
            watch.Restart();
            return rows;
        }
        var created = await Step("created", () => sets.CreateMissingAsync(schedule, now, ct));
        int overdue = 0, violations = 0, released = 0;
        if (now >= schedule.SealDeadline)
        {
            overdue = await Step("overdue", () => sets.MarkOverdueAsync(schedule, ct));
            violations = await Step("violations", () => sets.OpenDeadlineViolationsAsync(schedule, ct));
        }
        if (now >= schedule.ReleaseAt) released = await Step("released", () => sets.ReleaseSealedAsync(schedule, ct));

        var status = schedule.StatusAt(now);
        if (status != schedule.Status)
        {
            schedule.Status = status;
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        if (created + overdue + violations + released > 0)
            logger.LogInformation("Schedule {Schedule} reconciled: {Steps}", scheduleId, string.Join(", ", steps));
    }
}
