using System.Diagnostics;
using Fleet.Api.Features.Jobs;
using Fleet.Api.Features.SealUp;
using Fleet.Api.Infrastructure;
using Fleet.Data;
using Fleet.Data.Auditing;
using Fleet.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Fleet.Benchmarks;

/// <summary>
/// `sealup-reconcile` at the deadline over every pending order of the generated schedule, against a naive loop over
/// tracked entities doing the same work (overdue, one violation each, audit entries), on a sample, in the same run.
/// Each runs on a fresh copy of the database.
/// </summary>
public static class ReconcileBenchmark
{
    private static readonly Guid Schedule = Guid.Parse("00000000-0000-0000-0000-0000000000B2");
    private static readonly DateTimeOffset AfterDeadline = new(2027, 2, 4, 10, 1, 0, TimeSpan.Zero);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class Actor(string name) : IAuditActor
    {
        public string Name => name;
    }

    public static FleetDbContext Open(string path, TimeProvider clock, string actor) => new(new DbContextOptionsBuilder<FleetDbContext>()
        .UseSqlite($"Data Source={path}")
        .AddInterceptors(new AuditInterceptor(new Actor(actor), clock), new SqliteConnections())
        .Options);

    public static async Task<ReportBenchmark.Figure> FleetAsync(string database)
    {
        var copy = Copy(database, "reconcile");
        var clock = new FixedClock(AfterDeadline);
        await using var db = Open(copy, clock, "job:" + SealUpReconcile.Id);
        var pending = await db.SealOrders.LongCountAsync(o => o.ScheduleId == Schedule && o.Status == SealOrderStatus.Pending);
        var job = new SealUpReconcile(db, new SealOrderSets(db, new Actor("job:" + SealUpReconcile.Id), clock), clock, Microsoft.Extensions.Logging.LoggerFactory.Create(l => l.AddSimpleConsole()).CreateLogger<SealUpReconcile>());
        var watch = Stopwatch.StartNew();
        await job.RunAsync(CancellationToken.None);
        var seconds = watch.Elapsed.TotalSeconds;
        var overdue = await db.SealOrders.LongCountAsync(o => o.ScheduleId == Schedule && o.Status == SealOrderStatus.Overdue);
        var violations = await db.Violations.LongCountAsync(v => v.Type == ViolationType.SealDeadlineMissed);
        if (overdue != pending || violations != pending) throw new InvalidOperationException($"reconcile left {overdue} overdue, {violations} violations of {pending}");
        Delete(copy);
        return new ReportBenchmark.Figure(seconds, Measure.PeakMb(Environment.ProcessId), pending, 0);
    }

    /// <summary>The naive way: load pending orders as tracked entities, change each, add its violation, save in batches of 1,000.</summary>
    public static async Task<ReportBenchmark.Figure> NaiveAsync(string database, int sample)
    {
        var copy = Copy(database, "naive");
        var clock = new FixedClock(AfterDeadline);
        await using var db = Open(copy, clock, "naive");
        var schedule = await db.SealUpSchedules.SingleAsync(s => s.Id == Schedule);
        var watch = Stopwatch.StartNew();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var orders = await db.SealOrders.Where(o => o.ScheduleId == Schedule && o.Status == SealOrderStatus.Pending).Take(sample).ToListAsync();
        var done = 0;
        foreach (var order in orders)
        {
            order.Status = SealOrderStatus.Overdue;
            order.OverdueAt = schedule.SealDeadline;
            var plate = await db.Vehicles.Where(v => v.Id == order.VehicleId).Select(v => v.PlateNumber).SingleAsync();
            var key = $"SealUpJob:{order.Id}";
            if (!await db.Violations.AnyAsync(v => v.DedupKey == key))
                db.Violations.Add(new Violation
                {
                    Type = ViolationType.SealDeadlineMissed,
                    VehicleId = order.VehicleId,
                    PlateNumber = plate,
                    UnitId = order.UnitId,
                    DetectedAt = schedule.SealDeadline,
                    Source = ViolationSource.SealUpJob,
                    SourceId = order.Id,
                    DedupKey = key,
                    Status = ViolationStatus.Open,
                });
            if (++done % 1000 == 0) await db.SaveChangesAsync();
        }
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        var seconds = watch.Elapsed.TotalSeconds;
        Delete(copy);
        return new ReportBenchmark.Figure(seconds, Measure.PeakMb(Environment.ProcessId), orders.Count, 0);
    }

    public static string Copy(string database, string what)
    {
        var copy = Path.Combine(Path.GetDirectoryName(database)!, $"fleet-{what}-{Guid.NewGuid():N}.db");
        File.Copy(database, copy);
        return copy;
    }

    public static void Delete(string path)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
    }
}
